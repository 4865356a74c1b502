"""Stored runs as the store returns them (frozen, read-only views)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RunSummary:
    """One line of ``history list``.

    Attributes:
        run_id: The run's number in this database (increasing with time).
        uid: Globally unique id, stable across copies of the database.
        created: ISO time of the run.
        suite: Test-set name.
        command: ``evaluate`` or ``gate``.
        git_commit: Commit, when recorded inside a repository or CI.
        git_branch: Branch, when known.
        gate_status: ``pass``, ``regression`` or ``refused`` for gate runs.
        systems: System names, in report order.
    """

    run_id: int
    uid: str
    created: str
    suite: str
    command: str
    git_commit: str | None
    git_branch: str | None
    gate_status: str | None
    systems: tuple[str, ...]


@dataclass(frozen=True)
class StoredMetric:
    """One metric of a stored system."""

    metric: str
    status: str
    score: float | None
    ci95: tuple[float, float] | None
    signature: str
    reason: str | None


@dataclass(frozen=True)
class StoredSystem:
    """One system of a stored run, without its per-segment arrays."""

    name: str
    path: str | None
    hypothesis_sha256: str | None
    findings_total: int
    segments: int
    metrics: tuple[StoredMetric, ...]
    findings: Mapping[tuple[str, str], int]


@dataclass(frozen=True)
class StoredRun:
    """Everything ``history show`` prints about one run."""

    summary: RunSummary
    reference_sha256: str | None
    source_sha256: str | None
    languages: str | None
    versions: Mapping[str, Any] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    systems: tuple[StoredSystem, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    """One metric of one system in one run, for trends and exports."""

    run_id: int
    created: str
    suite: str
    system: str
    metric: str
    status: str
    score: float | None
    ci95: tuple[float, float] | None
    signature: str
    gate_status: str | None
    git_commit: str | None
    git_branch: str | None
    findings_total: int
    higher_is_better: bool | None = None
