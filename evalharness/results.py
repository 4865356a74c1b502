"""The result of an evaluation run: one record per system, views on top."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evalharness.lang.profiles import LanguagePair
from evalharness.records import SEVERITIES, AlignedSegment, Document, Finding, MetricResult

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class PairedComparison:
    """A paired significance test of one system against the baseline system.

    Attributes:
        metric: Metric name.
        baseline: Name of the system compared against (the first one).
        delta: Candidate score minus baseline score.
        p_value: Probability of a difference at least this large by chance.
        ci95: 95% interval of the candidate's score under resampling, if known.
        method: ``paired-bootstrap`` or ``paired-ar``.
    """

    metric: str
    baseline: str
    delta: float
    p_value: float
    ci95: tuple[float, float] | None = None
    method: str = "paired-bootstrap"


@dataclass(frozen=True)
class SystemResult:
    """Everything evalharness found out about one hypothesis file."""

    name: str
    document: Document
    segments: tuple[AlignedSegment, ...]
    metrics: Mapping[str, MetricResult]
    findings: tuple[tuple[Finding, ...], ...]
    significance: Mapping[str, PairedComparison] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The hypothesis file."""
        return self.document.path

    def alignment_counts(self) -> dict[str, int]:
        """How many segments of each alignment type (``1-1``, ``1-2``, ``0-1`` ...)."""
        return dict(sorted(Counter(s.alignment for s in self.segments).items()))

    def finding_counts(self) -> dict[str, Any]:
        """Findings counted in total, by severity and by category."""
        all_findings = [f for seg in self.findings for f in seg]
        by_severity = Counter(f.severity for f in all_findings)
        return {
            "total": len(all_findings),
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
            "by_category": dict(sorted(Counter(f.category for f in all_findings).items())),
        }


@dataclass(frozen=True)
class RunResult:
    """One ``evaluate`` run: the reference, the optional source and every system.

    Use :meth:`to_dict` for the JSON report (schema ``evalharness.report/1``) and
    :meth:`to_pandas` for one row per segment per system.
    """

    reference: Document
    source: Document | None
    systems: tuple[SystemResult, ...]
    reference_sentences: int
    options: Mapping[str, Any]
    created: str
    languages: LanguagePair | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON report (see the README's report contract)."""
        from evalharness.report.serialize import run_to_dict

        return run_to_dict(self)

    def to_pandas(self) -> pd.DataFrame:
        """One row per segment per system, with scores and finding counts."""
        from evalharness.report.table import segments_frame

        return segments_frame(self.to_dict())

    def system(self, name: str) -> SystemResult:
        """The system with this name.

        Raises:
            KeyError: no system has that name.
        """
        for system in self.systems:
            if system.name == name:
                return system
        raise KeyError(name)
