"""The table meta-evaluation works on: items (system, segment) with human and metric scores.

Built from an MQM file (:mod:`evalharness.meta.from_mqm`) or from a run report
joined with DA/TSV scores (:mod:`evalharness.meta.from_run`); read by
:mod:`evalharness.meta.analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from evalharness.records import Finding

ERROR_REPORT = "errors"
"""Name of the error report's own score among the metrics."""
ERROR_WEIGHTS = {"critical": 25.0, "major": 5.0, "minor": 1.0}


def error_report_score(findings: Sequence[Finding] | Sequence[dict[str, Any]]) -> float:
    """``-(25 critical + 5 major + 1 minor)`` over a segment's findings (higher is better)."""
    total = 0.0
    for finding in findings:
        severity = finding["severity"] if isinstance(finding, dict) else finding.severity
        total += ERROR_WEIGHTS.get(str(severity), 0.0)
    return -total


class SystemScorer(Protocol):
    """Turns segment draw counts into one score per system (a corpus score or a mean)."""

    def scores(self, segment_weights: np.ndarray) -> np.ndarray:
        """``(r, n_segments)`` draw counts -> ``(r, n_systems)`` system scores."""
        ...


@dataclass(frozen=True)
class ItemIndex:
    """Where each item sits: its system and its segment (indices)."""

    system: np.ndarray
    segment: np.ndarray
    n_systems: int
    n_segments: int


@dataclass(frozen=True)
class MeanScorer:
    """System score = mean of its items' scores (the human side, COMET, the error report)."""

    values: np.ndarray
    index: ItemIndex

    def scores(self, segment_weights: np.ndarray) -> np.ndarray:
        """Weighted mean of each system's defined item scores."""
        valid = ~np.isnan(self.values)
        w = segment_weights[:, self.index.segment] * valid[None, :]
        values = np.where(valid, self.values, 0.0)
        out = np.full((segment_weights.shape[0], self.index.n_systems), np.nan)
        for s in range(self.index.n_systems):
            mine = self.index.system == s
            total = w[:, mine].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, s] = np.where(total > 0, (w[:, mine] @ values[mine]) / total, np.nan)
        return out


@dataclass(frozen=True)
class StatsScorer:
    """System score = the metric's corpus score of the drawn rows of sufficient statistics."""

    metric: Any
    stats: np.ndarray
    index: ItemIndex

    def scores(self, segment_weights: np.ndarray) -> np.ndarray:
        """Sum the drawn rows per system and score the sums (vectorised)."""
        out = np.full((segment_weights.shape[0], self.index.n_systems), np.nan)
        for s in range(self.index.n_systems):
            mine = self.index.system == s
            sums = segment_weights[:, self.index.segment[mine]] @ self.stats[mine]
            out[:, s] = self.metric.scores_from_sums(sums)
        return out


@dataclass(frozen=True)
class ScoredMetric:
    """One metric's view of the items.

    Attributes:
        name: Metric name (``chrf``), or ``errors`` for the error report.
        label: Display name.
        higher_is_better: Direction; statistics negate lower-is-better scores.
        segment_scores: One score per item (NaN where undefined).
        system: Computes system scores under resampling.
        signature: The metric's signature, or a description.
    """

    name: str
    label: str
    higher_is_better: bool
    segment_scores: np.ndarray
    system: SystemScorer
    signature: str = ""

    def oriented(self, values: np.ndarray) -> np.ndarray:
        """Scores turned so that higher is better."""
        return values if self.higher_is_better else -values


@dataclass(frozen=True)
class MetaInput:
    """Everything the statistics need.

    Attributes:
        systems: System names.
        segments: Segment keys.
        index: System and segment of each item.
        human: Human score of each item (higher is better).
        metrics: The metrics, then the error report when it was computed.
        findings: Per item, the error report's findings (for span-level scores).
        notes: Things a reader of the results should know.
    """

    systems: tuple[str, ...]
    segments: tuple[str, ...]
    index: ItemIndex
    human: np.ndarray
    metrics: tuple[ScoredMetric, ...]
    findings: tuple[tuple[Finding, ...], ...] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def item_index(systems: Sequence[str], segments: Sequence[str]) -> tuple[ItemIndex, list[str], list[str]]:
    """Index items given each one's system name and segment key (orders of first appearance)."""
    system_names = list(dict.fromkeys(systems))
    segment_keys = list(dict.fromkeys(segments))
    sys_pos = {name: k for k, name in enumerate(system_names)}
    seg_pos = {key: k for k, key in enumerate(segment_keys)}
    index = ItemIndex(
        np.array([sys_pos[s] for s in systems], np.int64),
        np.array([seg_pos[s] for s in segments], np.int64),
        len(system_names),
        len(segment_keys),
    )
    return index, system_names, segment_keys
