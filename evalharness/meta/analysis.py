"""Every agreement statistic of every metric, with 95% bootstrap intervals over segments.

One resample draws segments with replacement; a drawn segment brings all its
systems' items. All statistics of all metrics are computed on the same draws
(seeded), as weights, so nothing is re-scored: system scores come from the
metrics' sufficient statistics. The interval is the 2.5 and 97.5 percentiles
of the resampled statistic; ``acc_eq`` re-calibrates its tie threshold on each
resample.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from evalharness.meta import correlation as corr
from evalharness.meta.scored import MeanScorer, MetaInput, ScoredMetric

SEGMENT_STATS = ("pearson", "kendall_tau_b", "kendall_tau_b_grouped", "acc_eq")
SYSTEM_STATS = ("pearson", "pairwise_accuracy")


@dataclass(frozen=True)
class Estimate:
    """A statistic and its 95% bootstrap interval (``None`` where undefined)."""

    value: float | None
    ci95: tuple[float, float] | None

    def to_dict(self) -> dict[str, object]:
        """``{"value": ..., "ci95": [lo, hi]}``."""
        return {"value": self.value, "ci95": list(self.ci95) if self.ci95 else None}


@dataclass(frozen=True)
class MetricAgreement:
    """How one metric agrees with the humans.

    Attributes:
        name: Metric name.
        label: Display name.
        higher_is_better: The metric's direction (scores were oriented before the statistics).
        signature: The metric's signature.
        segment: ``pearson``, ``kendall_tau_b``, ``kendall_tau_b_grouped``, ``acc_eq``.
        system: ``pearson``, ``pairwise_accuracy``.
        acc_eq_epsilon: The tie threshold that maximised ``acc_eq`` (metric units).
        system_scores: The metric's score of each system on the rated segments.
        items: Items with a defined metric score.
    """

    name: str
    label: str
    higher_is_better: bool
    signature: str
    segment: Mapping[str, Estimate]
    system: Mapping[str, Estimate]
    acc_eq_epsilon: float | None
    system_scores: Mapping[str, float | None]
    items: int


@dataclass(frozen=True)
class MetaResult:
    """The agreement of every metric, plus the human side's system scores."""

    systems: tuple[str, ...]
    n_segments: int
    n_items: int
    human_system_scores: Mapping[str, float | None]
    metrics: tuple[MetricAgreement, ...]
    samples: int
    seed: int
    notes: tuple[str, ...] = field(default_factory=tuple)


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _estimate(point: float, draws: np.ndarray) -> Estimate:
    draws = draws[np.isfinite(draws)]
    ci = None
    if len(draws) and np.isfinite(point):
        lo, hi = np.percentile(draws, [2.5, 97.5])
        ci = (float(lo), float(hi))
    return Estimate(_finite(point), ci)


CHUNK_CELLS = 4_000_000
"""Resamples are processed in chunks of about this many (resample, item) cells, so
memory stays bounded on large files."""


def segment_counts(n_segments: int, samples: int, seed: int, chunk: int | None = None
                   ) -> Iterator[np.ndarray]:
    """Draw counts of each segment, ``(rows, n_segments)`` per chunk of resamples.

    The first chunk starts with a row of ones: the point estimate. The draws
    are the same whatever the chunk size.
    """
    rng = np.random.default_rng(seed)
    chunk = chunk or max(1, CHUNK_CELLS // max(n_segments, 1))
    first = True
    done = 0
    while first or done < samples:
        rows = min(chunk, samples - done)
        counts = np.empty((rows, n_segments), np.float64)
        for k in range(rows):
            counts[k] = np.bincount(rng.integers(0, n_segments, n_segments), minlength=n_segments)
        if first:
            counts = np.vstack([np.ones((1, n_segments)), counts])
            first = False
        done += rows
        yield counts


def _segment_level(metric: ScoredMetric, data: MetaInput, weights: np.ndarray
                   ) -> dict[str, np.ndarray]:
    """Segment-level statistics, one value per row of segment ``weights``."""
    scores = metric.oriented(metric.segment_scores)
    valid = ~np.isnan(scores)
    x, y = scores[valid], data.human[valid]
    seg = data.index.segment[valid]
    item_w = weights[:, seg]
    pairs = corr.grouped_pairs(x, y, seg, data.index.n_segments)
    acc = corr.acc_eq(pairs, weights)
    return {
        "pearson": corr.pearson(x, y, item_w),
        "kendall_tau_b": corr.kendall_tau_b(x, y, item_w),
        "kendall_tau_b_grouped": corr.grouped_tau_b(pairs, weights),
        "acc_eq": acc.accuracy,
        "epsilon": acc.epsilon,
    }


def _system_level(metric: ScoredMetric, human_systems: np.ndarray, weights: np.ndarray
                  ) -> dict[str, np.ndarray]:
    """System-level statistics and the system scores, one row per row of ``weights``."""
    raw = metric.system.scores(weights)
    systems = metric.oriented(raw)
    usable = np.all(np.isfinite(systems), axis=1) & np.all(np.isfinite(human_systems), axis=1)
    pearson = np.full(len(systems), np.nan)
    accuracy = np.full(len(systems), np.nan)
    for r in np.flatnonzero(usable):
        pearson[r] = corr.pearson(systems[r], human_systems[r])
        accuracy[r] = corr.pairwise_accuracy(systems[r], human_systems[r])
    return {"pearson": pearson, "pairwise_accuracy": accuracy, "scores": raw}


def _agreement(metric: ScoredMetric, data: MetaInput, segment: dict[str, np.ndarray],
               system: dict[str, np.ndarray]) -> MetricAgreement:
    return MetricAgreement(
        name=metric.name, label=metric.label, higher_is_better=metric.higher_is_better,
        signature=metric.signature,
        segment={k: _estimate(segment[k][0], segment[k][1:]) for k in SEGMENT_STATS},
        system={k: _estimate(system[k][0], system[k][1:]) for k in SYSTEM_STATS},
        acc_eq_epsilon=_finite(segment["epsilon"][0]),
        system_scores={s: _finite(v) for s, v in zip(data.systems, system["scores"][0], strict=True)},
        items=int(np.sum(~np.isnan(metric.segment_scores))),
    )


def _stack(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def analyse(data: MetaInput, samples: int = 1000, seed: int = 12345) -> MetaResult:
    """Compute every statistic for every metric of ``data``.

    Args:
        data: Items with human and metric scores.
        samples: Bootstrap resamples (0: point estimates only).
        seed: Seed of the resampling.
    """
    n_seg = data.index.n_segments
    human = MeanScorer(data.human, data.index)
    segment_parts: list[list[dict[str, np.ndarray]]] = [[] for _ in data.metrics]
    system_parts: list[list[dict[str, np.ndarray]]] = [[] for _ in data.metrics]
    human_rows = []
    chunk = max(1, CHUNK_CELLS // max(len(data.human), 1))
    for weights in segment_counts(n_seg, samples, seed, chunk):
        human_systems = human.scores(weights)
        human_rows.append(human_systems)
        for k, metric in enumerate(data.metrics):
            segment_parts[k].append(_segment_level(metric, data, weights))
            system_parts[k].append(_system_level(metric, human_systems, weights))
    agreements = tuple(
        _agreement(metric, data, _stack(segment_parts[k]), _stack(system_parts[k]))
        for k, metric in enumerate(data.metrics)
    )
    return MetaResult(
        systems=data.systems, n_segments=n_seg, n_items=len(data.human),
        human_system_scores={
            s: _finite(v) for s, v in zip(data.systems, human_rows[0][0], strict=True)
        },
        metrics=agreements, samples=samples, seed=seed, notes=data.notes,
    )
