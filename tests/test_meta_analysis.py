"""Bootstrap analysis: orientation, determinism, chunking, system scores."""

from __future__ import annotations

import numpy as np
import pytest

from evalharness.meta import analysis
from evalharness.meta.analysis import analyse
from evalharness.meta.scored import MeanScorer, MetaInput, ScoredMetric, item_index


def _data(flip: bool = False) -> MetaInput:
    rng = np.random.default_rng(3)
    systems = [s for _ in range(30) for s in ("A", "B", "C")]
    segments = [str(k) for k in range(30) for _ in range(3)]
    index, names, keys = item_index(systems, segments)
    quality = np.array([{"A": 0.0, "B": -1.0, "C": -3.0}[s] for s in systems])
    human = quality - rng.integers(0, 3, len(systems))
    metric = 50 + 5 * human + rng.normal(0, 4, len(systems))
    values = -metric if flip else metric
    scored = ScoredMetric("m", "M", not flip, values, MeanScorer(values, index))
    return MetaInput(tuple(names), tuple(keys), index, human, (scored,))


def _flat(result: analysis.MetaResult) -> dict[str, tuple[float | None, tuple[float, float] | None]]:
    (metric,) = result.metrics
    out = {f"segment.{k}": (v.value, v.ci95) for k, v in metric.segment.items()}
    out.update({f"system.{k}": (v.value, v.ci95) for k, v in metric.system.items()})
    return out


def _close(a: dict[str, tuple[float | None, tuple[float, float] | None]],
           b: dict[str, tuple[float | None, tuple[float, float] | None]]) -> bool:
    """Equal up to rounding (BLAS sums in a different order)."""
    return a.keys() == b.keys() and all(
        a[k][0] == pytest.approx(b[k][0], abs=1e-12) and a[k][1] == pytest.approx(b[k][1], abs=1e-12)
        for k in a
    )


def test_lower_is_better_metrics_are_negated_first() -> None:
    assert _close(_flat(analyse(_data(), 50)), _flat(analyse(_data(flip=True), 50)))


def test_seeded_and_independent_of_chunk_size(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _flat(analyse(_data(), 40, seed=9))
    assert whole == _flat(analyse(_data(), 40, seed=9))
    monkeypatch.setattr(analysis, "CHUNK_CELLS", 200)  # two resamples per chunk
    assert _close(_flat(analyse(_data(), 40, seed=9)), whole)
    assert not _close(_flat(analyse(_data(), 40, seed=10)), whole)


def test_values_intervals_and_system_scores() -> None:
    result = analyse(_data(), 200)
    (metric,) = result.metrics
    for estimate in [*metric.segment.values(), *metric.system.values()]:
        assert estimate.value is not None and estimate.ci95 is not None
        assert estimate.ci95[0] <= estimate.ci95[1]
    assert metric.segment["pearson"].value > 0.5  # built to agree
    assert metric.system["pairwise_accuracy"].value == 1.0
    data = _data()
    for s, name in enumerate(data.systems):
        mine = data.index.system == s
        assert result.human_system_scores[name] == pytest.approx(data.human[mine].mean())
        assert metric.system_scores[name] == pytest.approx(data.metrics[0].segment_scores[mine].mean())
    point_only = analyse(_data(), 0)
    assert point_only.metrics[0].segment["pearson"].ci95 is None
    assert point_only.metrics[0].segment["pearson"].value == metric.segment["pearson"].value
