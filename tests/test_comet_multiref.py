"""COMET with several references: every reference scored, mean (default) or max per segment."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import comet_tiny
import numpy as np
import pytest

from evalharness.errors import InputError, UsageError
from evalharness.metrics.comet.metric import CometMetric
from evalharness.metrics.comet.multiref import score_references
from evalharness.records import CometOptions, MetricResult

CALLS: list[tuple[list[str], list[str]]] = []


def fake_comet(hyps: list[str], refs: list[str], srcs: Sequence[str] | None) -> MetricResult:
    """Score = shared words / hypothesis words, with the fields the real metric reports."""
    CALLS.append((hyps, refs))
    scores = tuple(
        len(set(h.split()) & set(r.split())) / max(len(h.split()), 1)
        for h, r in zip(hyps, refs, strict=True)
    )
    return MetricResult(
        name="comet",
        score=sum(scores) / len(scores),
        signature="model:tiny|comet:2.2.6|precision:fp32|mode:src+mt+ref",
        segment_scores=scores,
        extra={"segments_scored": len(scores), "segments_cached": 0, "truncated": 0},
    )


def test_mean_and_max_per_segment_and_the_signature_says_which() -> None:
    hyps = ["a b c d", "x y"]
    streams: list[list[str | None]] = [["a b z z", "x y"], ["a b c z", None]]
    CALLS.clear()
    mean = score_references(fake_comet, hyps, streams, None)
    # The second reference is scored only where it exists.
    assert [len(h) for h, _ in CALLS] == [2, 1]
    assert mean.segment_scores == pytest.approx((0.625, 1.0))
    assert mean.score == pytest.approx(0.8125)
    assert mean.signature.endswith("|nrefs:2|refs:mean")
    assert mean.extra["score_max"] == pytest.approx(0.875)
    assert mean.extra["segments_scored"] == 3
    assert mean.extra["segment_scores_by_reference"] == [[0.5, 1.0], [0.75, None]]
    best = score_references(fake_comet, hyps, streams, None, aggregate="max")
    assert best.segment_scores == pytest.approx((0.75, 1.0))
    assert best.signature.endswith("|refs:max")
    assert best.stats.shape == (2, 1)


def test_bad_aggregate_and_missing_references() -> None:
    with pytest.raises(UsageError):
        score_references(fake_comet, ["a"], [["a"]], None, aggregate="median")
    with pytest.raises(InputError):
        score_references(fake_comet, ["a", "b"], [["a", None], [None, None]], None)
    with pytest.raises(InputError):
        score_references(fake_comet, ["a", "b"], [["a"]], None)


def tiny(model: Path, multi_ref: str = "mean") -> CometMetric:
    return CometMetric(CometOptions(model=str(model), use_cache=False, quiet=True,
                                    multi_ref=multi_ref))


def test_tiny_model_scores_each_reference(tiny_comet: Path) -> None:
    src, mt, ref = comet_tiny.sample_triples(8)
    other = list(reversed(ref))
    alone = [tiny(tiny_comet).compute(mt, r, src).segment_scores for r in (ref, other)]
    both = tiny(tiny_comet).compute_multi(mt, [ref, other], src)
    np.testing.assert_allclose(both.segment_scores, np.mean(alone, axis=0), atol=1e-6)
    assert both.signature.endswith("|mode:src+mt+ref|nrefs:2|refs:mean")
    best = tiny(tiny_comet, "max").compute_multi(mt, [ref, other], src)
    np.testing.assert_allclose(best.segment_scores, np.max(alone, axis=0), atol=1e-6)


def test_reference_free_model_scores_once(tiny_referenceless: Path) -> None:
    src, mt, ref = comet_tiny.sample_triples(4)
    result = tiny(tiny_referenceless).compute_multi(mt, [ref, list(reversed(ref))], src)
    assert "nrefs" not in result.signature
    assert result.segment_scores == tiny(tiny_referenceless).compute(mt, ref, src).segment_scores
