"""COMET with several references: one score per reference, then the mean or the max.

COMET has no native multi-reference mode. Each segment is scored against each
of its references (the cache and the loaded model are shared), and the
per-segment scores are combined by their mean (the default) or their maximum.
The report keeps both; the signature says which one is the score
(``...|nrefs:2|refs:mean``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from evalharness.errors import InputError, UsageError
from evalharness.records import MetricResult

AGGREGATES = ("mean", "max")
Scorer = Callable[[list[str], list[str], list[str] | None], MetricResult]


def score_references(
    score: Scorer,
    hyps: Sequence[str],
    ref_streams: Sequence[Sequence[str | None]],
    srcs: Sequence[str] | None,
    aggregate: str = "mean",
) -> MetricResult:
    """Score every (hypothesis, reference) pair with ``score`` and combine per segment.

    Args:
        score: Scores aligned lists (``CometMetric.compute``).
        hyps: Hypothesis segments.
        ref_streams: One list per reference; ``None`` where a segment lacks that reference.
        srcs: Source segments or ``None``.
        aggregate: ``mean`` or ``max``: which combination is the reported score.

    Raises:
        UsageError: unknown ``aggregate``.
        InputError: a stream's length differs from the hypotheses', or a segment has no reference.
    """
    if aggregate not in AGGREGATES:
        raise UsageError(f"COMET multi-reference score {aggregate!r}; choose mean or max")
    if any(len(stream) != len(hyps) for stream in ref_streams):
        raise InputError("COMET needs as many segments in every reference as hypotheses")
    table = np.full((len(hyps), len(ref_streams)), np.nan)
    results = []
    for k, stream in enumerate(ref_streams):
        rows = [i for i, ref in enumerate(stream) if ref is not None]
        if not rows:
            continue
        result = score(
            [hyps[i] for i in rows],
            [str(stream[i]) for i in rows],
            [srcs[i] for i in rows] if srcs is not None else None,
        )
        table[rows, k] = [np.nan if s is None else s for s in result.segment_scores]
        results.append(result)
    if np.isnan(table).all(axis=1).any():
        raise InputError("a segment has no reference for COMET")
    return _combined(results, table, aggregate, len(ref_streams))


def _combined(
    results: list[MetricResult], table: np.ndarray, aggregate: str, n_refs: int
) -> MetricResult:
    mean = np.nanmean(table, axis=1)
    best = np.nanmax(table, axis=1)
    chosen = mean if aggregate == "mean" else best
    first = results[0]
    extra: dict[str, Any] = {
        key: value for key, value in first.extra.items() if key != "truncated_segments"
    }
    for key in ("segments_scored", "segments_cached", "truncated"):
        if key in first.extra:
            extra[key] = sum(int(r.extra.get(key, 0)) for r in results)
    extra.update(
        references=n_refs,
        reference_aggregate=aggregate,
        score_mean=float(mean.mean()),
        score_max=float(best.mean()),
        segment_scores_mean=tuple(float(v) for v in mean),
        segment_scores_max=tuple(float(v) for v in best),
        segment_scores_by_reference=[
            [None if np.isnan(v) else float(v) for v in column] for column in table.T
        ],
    )
    return replace(
        first,
        score=float(chosen.mean()),
        signature=f"{first.signature}|nrefs:{n_refs}|refs:{aggregate}",
        segment_scores=tuple(float(v) for v in chosen),
        stats=chosen.reshape(-1, 1),
        extra=extra,
    )
