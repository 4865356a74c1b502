"""The gate's verdicts: one per metric, per suite and per run (frozen, JSON-ready)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from evalharness.errors import ExitStatus
from evalharness.metrics.base import metric_info

GATE_SCHEMA = "evalharness.gate.compare/1"
TEST_NAMES = {"bootstrap": "paired bootstrap", "ar": "paired approximate randomization"}


def display_name(metric: str) -> str:
    """``bleu`` -> ``BLEU``: the label registered with the metric (its name if unknown)."""
    return metric_info(metric).label


def format_score(metric: str, value: float | None, signed: bool = False) -> str:
    """A score for messages, with the decimals registered with the metric."""
    return metric_info(metric).format(value, signed)


@dataclass(frozen=True)
class FindingRef:
    """One finding that a findings threshold counted, located for CI annotations.

    Attributes:
        path: The hypothesis file.
        line: File line of the segment's first hypothesis (else reference) line.
        segment: Segment id.
        check: Id of the check that found it.
        category: MQM category.
        severity: ``minor``, ``major`` or ``critical``.
        span: The offending text (the hypothesis span, else the reference span).
        message: The finding's message (names the term or tag).
    """

    path: str
    line: int | None
    segment: int
    check: str
    category: str
    severity: str
    span: str
    message: str

    def describe(self) -> str:
        """``file:line: segment N: [major] category (check) 'span': message``."""
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        span = f" {self.span!r}" if self.span else ""
        return (
            f"{where}: segment {self.segment}: [{self.severity}] {self.category} "
            f"({self.check}){span}: {self.message}"
        )


@dataclass(frozen=True)
class CheckResult:
    """One threshold applied to one metric (or to the findings).

    Attributes:
        kind: ``min``, ``max``, ``max_drop``, ``max_findings`` or ``no_more_findings``.
        threshold: The limit that was applied.
        passed: Whether the candidate is within it.
        message: One sentence naming the metric, the figures and the limit.
        findings: For a failed findings threshold, the findings it counted.
    """

    kind: str
    threshold: float
    passed: bool
    message: str
    findings: tuple[FindingRef, ...] = ()


class _Checked:
    """A verdict made of threshold checks: passes when every check passes."""

    checks: tuple[CheckResult, ...]

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {**asdict(self), "passed": self.passed}  # type: ignore[call-overload]


@dataclass(frozen=True)
class MetricVerdict(_Checked):
    """The comparison of one metric between baseline and candidate.

    Attributes:
        metric: Metric name.
        baseline: Baseline corpus score (``None`` when the baseline lacks it).
        candidate: Candidate corpus score.
        delta: ``candidate - baseline``.
        ci95: 95% interval of the delta from the paired test.
        p_value: p-value of the paired test (no difference as the null hypothesis).
        test: ``bootstrap`` or ``ar``.
        samples: Resamples of the paired test.
        higher_is_better: False for TER.
        checks: Every threshold applied to this metric.
    """

    metric: str
    baseline: float | None
    candidate: float
    delta: float | None
    ci95: tuple[float, float] | None
    p_value: float | None
    test: str
    samples: int
    higher_is_better: bool
    checks: tuple[CheckResult, ...]


@dataclass(frozen=True)
class FindingsVerdict(_Checked):
    """Error-finding counts (at each severity or worse) and their checks."""

    baseline: Mapping[str, int]
    candidate: Mapping[str, int]
    checks: tuple[CheckResult, ...]


@dataclass(frozen=True)
class SuiteVerdict:
    """The gate's verdict on one test set.

    Attributes:
        name: Suite name.
        baseline: Where the baseline came from (report or hypothesis path).
        candidate: The candidate hypothesis path.
        metrics: One verdict per compared metric.
        findings: Findings verdict, when a findings threshold was set.
        refusal: Why the runs were not compared (then nothing else is set).
        pairing: ``segment`` (line-aligned) or ``block`` (reference-sentence blocks).
        notes: Remarks that do not fail the gate (e.g. sacrebleu versions differ).
    """

    name: str
    baseline: str
    candidate: str
    metrics: tuple[MetricVerdict, ...] = ()
    findings: FindingsVerdict | None = None
    refusal: str | None = None
    pairing: str = "segment"
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """``refused``, ``regression`` or ``pass``."""
        if self.refusal is not None:
            return "refused"
        failed = any(not m.passed for m in self.metrics)
        if failed or (self.findings is not None and not self.findings.passed):
            return "regression"
        return "pass"

    def failures(self) -> list[tuple[str, CheckResult]]:
        """(test-case name, failed check) pairs."""
        out = [(m.metric, c) for m in self.metrics for c in m.checks if not c.passed]
        if self.findings is not None:
            out += [("findings", c) for c in self.findings.checks if not c.passed]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            **asdict(self),
            "status": self.status,
            "metrics": [m.to_dict() for m in self.metrics],
            "findings": self.findings.to_dict() if self.findings else None,
        }


@dataclass(frozen=True)
class GateVerdict:
    """The verdict on every suite of one gate run."""

    suites: tuple[SuiteVerdict, ...]

    @property
    def status(self) -> str:
        """``refused`` if any suite was refused, else ``regression`` if any failed, else ``pass``."""
        statuses = {s.status for s in self.suites}
        return next((s for s in ("refused", "regression") if s in statuses), "pass")

    @property
    def exit_status(self) -> ExitStatus:
        """0 pass, 1 regression, 3 refused."""
        return {
            "pass": ExitStatus.SUCCESS,
            "regression": ExitStatus.REGRESSION,
            "refused": ExitStatus.INPUT,
        }[self.status]

    def to_dict(self) -> dict[str, Any]:
        """The JSON verdict (schema ``evalharness.gate.compare/1``)."""
        return {
            "schema": GATE_SCHEMA,
            "status": self.status,
            "exit_status": int(self.exit_status),
            "suites": [s.to_dict() for s in self.suites],
        }
