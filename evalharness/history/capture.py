"""What one recorded run holds, taken from an ``evaluate`` JSON report.

:func:`capture_run` reads the report (the same dict that ``--json`` writes) and
returns a frozen :class:`RunRecord`: enough to list, trend and re-compare the
run later without its input files. Per-segment statistics and sentence scores
are kept as numpy arrays and compressed by the store.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

from evalharness.errors import InputError


@dataclass(frozen=True)
class MetricRecord:
    """One metric of one system of a run.

    Attributes:
        metric: Metric name (``bleu``).
        status: ``ok`` or ``unavailable``.
        score: Corpus score, ``None`` when unavailable.
        ci95: 95% bootstrap interval of the score, when computed.
        signature: The metric's signature (sacrebleu's, or COMET's model and mode).
        reason: Why it is unavailable.
        stats: Per-segment sufficient statistics (segments x fields), if any.
        sentence_scores: Per-segment scores (NaN where a segment has none).
        higher_is_better: The metric's direction from the registry (None if unknown).
    """

    metric: str
    status: str
    score: float | None
    ci95: tuple[float, float] | None
    signature: str
    reason: str | None = None
    stats: np.ndarray | None = None
    sentence_scores: np.ndarray | None = None
    higher_is_better: bool | None = None


@dataclass(frozen=True)
class SystemRecord:
    """One system of a run: its metrics, findings and segment layout.

    Attributes:
        name: System name.
        path: Hypothesis file as given.
        hypothesis_sha256: Digest of the hypothesis segment texts.
        metrics: One record per metric, in report order.
        findings: (category, severity) -> count.
        ref_counts: Reference sentences in each segment (the gate pairs on these).
        ref_texts: Reference text of each segment.
    """

    name: str
    path: str
    hypothesis_sha256: str
    metrics: tuple[MetricRecord, ...]
    findings: Mapping[tuple[str, str], int]
    ref_counts: tuple[int, ...]
    ref_texts: tuple[str, ...]

    @property
    def findings_total(self) -> int:
        """Number of findings of every category and severity."""
        return sum(self.findings.values())


@dataclass(frozen=True)
class RunRecord:
    """One recorded run of ``evaluate`` or ``gate``.

    Attributes:
        uid: Unique id made when the run is captured (a retried write keeps it).
        created: ISO time of the run.
        suite: Test-set name the run belongs to.
        command: ``evaluate`` or ``gate``.
        systems: The systems evaluated.
        git_commit: Commit of the working directory, when in a repository.
        git_branch: Branch, when known.
        reference_sha256: Digest of the reference segment texts.
        source_sha256: Digest of the source file, when one was given.
        languages: Language pair, when the report names one.
        versions: Package versions from the report.
        options: Evaluation options from the report.
        gate_status: ``pass``, ``regression`` or ``refused`` for gate runs.
    """

    uid: str
    created: str
    suite: str
    command: str
    systems: tuple[SystemRecord, ...]
    git_commit: str | None = None
    git_branch: str | None = None
    reference_sha256: str | None = None
    source_sha256: str | None = None
    languages: str | None = None
    versions: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    gate_status: str | None = None


def capture_run(
    report: Mapping[str, Any],
    *,
    suite: str,
    command: str,
    gate_status: str | None = None,
    systems: tuple[str, ...] | None = None,
    environ: Mapping[str, str] | None = None,
) -> RunRecord:
    """A :class:`RunRecord` from an ``evaluate`` JSON report.

    Args:
        report: The report dict (schema ``evalharness.report/1``).
        suite: Name of the test set.
        command: ``evaluate`` or ``gate``.
        gate_status: The gate's status for this suite, for gate runs.
        systems: Only these systems (default: every system of the report).
        environ: Environment for CI commit/branch variables (default: os.environ).

    Raises:
        InputError: the report lacks the fields a run needs.
    """
    env = os.environ if environ is None else environ
    commit, branch = git_revision(env)
    try:
        entries = [s for s in report["systems"] if systems is None or s["name"] in systems]
        captured = tuple(_system(entry) for entry in entries)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not a complete evaluate report ({exc!r} missing)", suite) from None
    if not captured:
        wanted = ", ".join(systems or ())
        raise InputError(f"the report has no system to record (asked for: {wanted or 'any'})", suite)
    source = report.get("source") or {}
    return RunRecord(
        uid=uuid.uuid4().hex,
        created=str(report.get("created") or datetime.now(timezone.utc).isoformat()),
        suite=suite,
        command=command,
        systems=captured,
        git_commit=commit,
        git_branch=branch,
        reference_sha256=(report.get("reference") or {}).get("sha256"),
        source_sha256=source.get("sha256") or _file_digest(source.get("path")),
        languages=_languages(report),
        versions=dict(report.get("versions") or {}),
        options=dict(report.get("options") or {}),
        gate_status=gate_status,
    )


def _system(entry: Mapping[str, Any]) -> SystemRecord:
    segments = entry["segments"]
    findings: Counter[tuple[str, str]] = Counter(
        (str(e.get("category", "other")), str(e.get("severity", "minor")))
        for seg in segments
        for e in seg.get("errors", ())
    )
    digest = hashlib.sha256()
    for seg in segments:
        digest.update(str(seg.get("hyp", "")).encode("utf-8") + b"\n")
    return SystemRecord(
        name=str(entry["name"]),
        path=str(entry.get("path", "")),
        hypothesis_sha256=digest.hexdigest(),
        metrics=tuple(_metric(n, m, segments) for n, m in entry["metrics"].items()),
        findings=dict(findings),
        ref_counts=tuple(int(str(seg["alignment"]).split("-")[0]) for seg in segments),
        ref_texts=tuple(str(seg["ref"]) for seg in segments),
    )


def _metric(name: str, entry: Mapping[str, Any], segments: list[Any]) -> MetricRecord:
    ok = entry.get("status", "ok") == "ok" and entry.get("score") is not None
    ci = entry.get("ci95")
    stats = None
    if ok:
        rows = [seg.get("stats", {}).get(name) for seg in segments]
        if rows and all(r is not None for r in rows):
            stats = np.asarray(rows, dtype=float)
    scores = None
    if ok:
        values = [seg.get("scores", {}).get(name) for seg in segments]
        scores = np.asarray([np.nan if v is None else float(v) for v in values], dtype=float)
    return MetricRecord(
        metric=name,
        status="ok" if ok else str(entry.get("status") or "unavailable"),
        score=float(entry["score"]) if ok else None,
        ci95=(float(ci[0]), float(ci[1])) if ok and ci and len(ci) == 2 else None,
        signature=str(entry.get("signature") or ""),
        reason=None if ok else str(entry.get("reason") or "unavailable"),
        stats=stats,
        sentence_scores=scores,
        higher_is_better=metric_direction(name),
    )


def metric_direction(metric: str) -> bool | None:
    """Whether higher scores are better, from the metric registry (None: not registered)."""
    from evalharness.errors import UsageError
    from evalharness.metrics.base import get_metric

    try:
        return bool(get_metric(metric).higher_is_better)
    except (UsageError, TypeError):
        return None


def _languages(report: Mapping[str, Any]) -> str | None:
    for holder in (report, report.get("options") or {}):
        value = holder.get("languages") or holder.get("language_pair")
        if value:
            return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return None


def _file_digest(path: Any) -> str | None:
    if not path:
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def git_revision(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(commit, branch) of the working directory, else of the CI's variables.

    CI checkouts are often detached, so the branch falls back on GitHub's
    ``GITHUB_HEAD_REF``/``GITHUB_REF_NAME`` and GitLab's ``CI_COMMIT_REF_NAME``.
    """
    commit = _git("rev-parse", "HEAD") or environ.get("GITHUB_SHA") or environ.get("CI_COMMIT_SHA")
    branch = _git("rev-parse", "--abbrev-ref", "HEAD")
    if branch in (None, "HEAD"):
        branch = next(
            (
                environ[k]
                for k in ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME")
                if environ.get(k)
            ),
            None,
        )
    return commit, branch


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = done.stdout.strip()
    return out if done.returncode == 0 and out else None
