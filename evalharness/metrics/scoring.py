"""Scoring aligned segments with every metric, and comparing systems.

Each metric computes per-segment sufficient statistics once; intervals and
paired tests resample rows of those statistics (see :mod:`evalharness.metrics.stats`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import cast

import numpy as np

from evalharness.errors import MetricUnavailableError
from evalharness.metrics.base import Metric
from evalharness.records import AlignedSegment, MetricResult
from evalharness.results import PairedComparison, SystemResult


def score_segments(
    segments: Sequence[AlignedSegment],
    metrics: Mapping[str, Metric | MetricUnavailableError],
    samples: int,
    seed: int,
    *,
    explicit: bool,
    say: Callable[[str], None],
) -> dict[str, MetricResult]:
    """Score one system's segments with each metric and add bootstrap intervals.

    A metric given as a :class:`MetricUnavailableError` (resolved earlier and
    found missing) is recorded with ``status: unavailable``; so is an optional
    metric that fails while scoring, unless the user asked for it explicitly.
    """
    from evalharness.metrics.stats import bootstrap_cis

    hyps = [s.hyp_text for s in segments]
    streams = reference_streams(segments)
    srcs = [s.src_text for s in segments] if any(s.src for s in segments) else None
    results: dict[str, MetricResult] = {}
    for name, metric in metrics.items():
        if isinstance(metric, MetricUnavailableError):
            results[name] = unavailable_result(name, metric)
            continue
        try:
            results[name] = _compute(name, metric, hyps, streams, srcs, say)
        except MetricUnavailableError as exc:
            if explicit:
                raise
            say(f"warning: {exc}; continuing without it")
            results[name] = unavailable_result(name, exc)
    # Intervals of every metric from one pass of resamples (sacrebleu draws the
    # same resamples for each metric: same seed, same segment count).
    pending = [
        name
        for name, result in results.items()
        if result.ci95 is None and result.stats is not None and len(segments) > 0
    ]
    items = [(cast(Metric, metrics[name]), np.asarray(results[name].stats)) for name in pending]
    for name, ci in zip(pending, bootstrap_cis(items, n_samples=samples, seed=seed), strict=True):
        results[name] = replace(results[name], ci95=(float(ci.ci95[0]), float(ci.ci95[1])))
    return results


def reference_streams(segments: Sequence[AlignedSegment]) -> list[list[str | None]]:
    """One list of segment texts per reference (``None`` where a reference has nothing)."""
    count = max((len(s.reference_groups) for s in segments), default=1)
    streams: list[list[str | None]] = [[] for _ in range(count)]
    for seg in segments:
        texts = seg.reference_texts()
        for k in range(count):
            streams[k].append(texts[k] if k < len(texts) else None)
    return streams


def _compute(
    name: str,
    metric: Metric,
    hyps: list[str],
    streams: list[list[str | None]],
    srcs: list[str] | None,
    say: Callable[[str], None],
) -> MetricResult:
    """Score with one reference, or with all of them where the metric takes several."""
    if len(streams) == 1:
        return metric.compute(hyps, cast(list[str], streams[0]), srcs)
    multi = getattr(metric, "compute_multi", None)
    if multi is None:
        say(f"warning: {name} takes one reference; scoring against the first of {len(streams)}")
        return metric.compute(hyps, [t or "" for t in streams[0]], srcs)
    return cast(MetricResult, multi(hyps, streams, srcs))


def unavailable_result(name: str, exc: MetricUnavailableError) -> MetricResult:
    """The report entry of a metric that could not be computed (never a fake score)."""
    cause = exc.cause.rstrip()
    if exc.fix:
        cause = cause if cause.endswith((".", "!", "?")) else cause + "."
    reason = cause + (f" Fix: {exc.fix}" if exc.fix else "")
    return MetricResult(
        name=name,
        score=None,
        signature="",
        status="unavailable",
        reason=reason,
        extra={"model": getattr(exc, "model", None)} if getattr(exc, "model", None) else {},
    )


def compare_systems(
    systems: Sequence[SystemResult],
    metrics: Mapping[str, Metric | MetricUnavailableError],
    samples: int,
    seed: int,
) -> list[SystemResult]:
    """Paired bootstrap test of every system against the first one.

    Line-aligned systems are paired segment by segment. Document-mode systems may
    be aligned differently, so they are paired on blocks of reference sentences
    that every system's alignment keeps together (see :func:`pairing_blocks`).
    """
    from evalharness.metrics.stats import paired_bootstraps

    if len(systems) < 2:
        return list(systems)
    blocks = pairing_blocks([s.segments for s in systems])
    base = systems[0]
    # Every (system, metric) test from one pass of resamples: sacrebleu draws the
    # same resamples for each (same seed, same number of blocks).
    keys: list[tuple[int, str]] = []
    items: list[tuple[Metric, np.ndarray, np.ndarray]] = []
    for k, (system, block_ids) in enumerate(zip(systems[1:], blocks[1:], strict=False), 1):
        for name, metric in metrics.items():
            a, b = base.metrics.get(name), system.metrics.get(name)
            if isinstance(metric, MetricUnavailableError) or a is None or b is None:
                continue
            if a.stats is None or b.stats is None:
                continue
            keys.append((k, name))
            items.append(
                (
                    metric,
                    block_sums(np.asarray(a.stats), blocks[0]),
                    block_sums(np.asarray(b.stats), block_ids),
                )
            )
    comparisons: dict[int, dict[str, PairedComparison]] = {}
    for (k, name), result in zip(
        keys, paired_bootstraps(items, n_samples=samples, seed=seed), strict=True
    ):
        comparisons.setdefault(k, {})[name] = PairedComparison(
            metric=name,
            baseline=base.name,
            delta=float(result.delta),
            p_value=float(result.p_value),
            ci95=result.delta_ci.ci95 if result.delta_ci is not None else None,
        )
    return [base] + [
        replace(system, significance=comparisons.get(k, {}))
        for k, system in enumerate(systems[1:], 1)
    ]


def block_sums(stats: np.ndarray, block_ids: np.ndarray) -> np.ndarray:
    """Sum the rows of ``stats`` that share a block id (ids are sorted, 0..k-1)."""
    if len(block_ids) == 0:
        return stats
    starts = np.flatnonzero(np.r_[True, block_ids[1:] != block_ids[:-1]])
    return np.add.reduceat(stats, starts, axis=0)


def pairing_blocks(systems: Sequence[Sequence[AlignedSegment]]) -> list[np.ndarray]:
    """Block id of every segment of every system, consistent across systems.

    A block boundary may fall after reference sentence ``i`` only if no system
    has a segment spanning sentences ``i`` and ``i + 1``. Hypothesis-only
    segments join the block of the reference sentence before them. For
    line-aligned systems every segment is its own block.
    """
    positions = [_reference_positions(segs) for segs in systems]
    n_ref = max((max((p[1] for p in pos), default=-1) for pos in positions), default=-1) + 1
    allowed = np.ones(max(n_ref, 1), dtype=bool)
    for pos in positions:
        for first, last in pos:
            if last > first:
                allowed[first:last] = False
    block_of_ref = np.concatenate([[0], np.cumsum(allowed[:-1])]) if n_ref else np.zeros(1, int)
    result = []
    for pos in positions:
        result.append(np.array([block_of_ref[max(first, 0)] for first, _ in pos], dtype=np.int64))
    return result


def _reference_positions(segments: Sequence[AlignedSegment]) -> list[tuple[int, int]]:
    """(first, last) reference-sentence index of each segment, in order."""
    positions: list[tuple[int, int]] = []
    next_ref = 0
    for seg in segments:
        if seg.ref:
            first, last = next_ref, next_ref + len(seg.ref) - 1
            next_ref = last + 1
        else:
            first = last = max(next_ref - 1, 0)
        positions.append((first, last))
    return positions
