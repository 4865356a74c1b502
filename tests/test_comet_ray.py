"""COMET on Ray: a local Ray instance scores exactly as local scoring does, cache in front."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import comet_tiny
import pytest

from evalharness.metrics import comet_ray
from evalharness.metrics.comet import CometMetric
from evalharness.types import CometOptions

SRC, MT, REF = comet_tiny.sample_triples(150, seed=3)


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    import ray  # the `ray` extra, installed by `make test`

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def options(model: Path, **kw: Any) -> CometOptions:
    return CometOptions(model=str(model), quiet=True, **kw)


@pytest.mark.slow
def test_ray_scores_equal_local_scores_and_cache_sits_in_front(
    local_ray: Any, tiny_comet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two caches in the same state: the first 50 triples already scored.
    for name in ("local", "ray"):
        CometMetric(options(tiny_comet, cache_dir=str(tmp_path / name))).compute(
            MT[:50], REF[:50], SRC[:50]
        )
    local = CometMetric(options(tiny_comet, cache_dir=str(tmp_path / "local"))).compute(
        MT, REF, SRC
    )
    sent: list[int] = []
    real_score = comet_ray.RayScorer.score

    def spy(self: comet_ray.RayScorer, samples: Any, progress: bool) -> Any:
        sent.append(len(samples))
        return real_score(self, samples, progress)

    monkeypatch.setattr(comet_ray.RayScorer, "score", spy)
    metric = CometMetric(
        options(tiny_comet, cache_dir=str(tmp_path / "ray"), backend="ray", ray_workers=2, gpus=0)
    )
    distributed = metric.compute(MT, REF, SRC)
    assert sent == [100]  # only the uncached triples went to Ray
    assert distributed.segment_scores == local.segment_scores  # same batches, same numbers
    assert distributed.signature == local.signature
    assert (distributed.extra["segments_scored"], distributed.extra["segments_cached"]) == (100, 50)
    assert distributed.extra["backend"] == "ray"
    scorer = metric._loaded[1] if metric._loaded else None
    assert isinstance(scorer, comet_ray.RayScorer) and len(scorer.actors) == 2
    # The actors stay up for the next system (no reload); a source-less run goes to Ray too.
    again = metric.compute(MT[:20], REF[:20])
    assert metric._loaded is not None and metric._loaded[1] is scorer
    plain = CometMetric(options(tiny_comet, use_cache=False)).compute(MT[:20], REF[:20])
    assert again.segment_scores == plain.segment_scores


def test_worker_plan() -> None:
    assert comet_ray.plan_workers({"CPU": 64.0, "GPU": 8.0}, 1, None) == comet_ray.WorkerPlan(
        8, 1.0, 1.0
    )
    assert comet_ray.plan_workers({"CPU": 16.0}, 0, None) == comet_ray.WorkerPlan(4, 0.0, 4.0)
    assert comet_ray.plan_workers({"CPU": 2.0}, 0, 2) == comet_ray.WorkerPlan(2, 0.0, 1.0)
    assert comet_ray.plan_workers({"CPU": 2.0}, 0, None) == comet_ray.WorkerPlan(1, 0.0, 2.0)
