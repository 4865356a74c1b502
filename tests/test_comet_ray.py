"""COMET on Ray: a local Ray instance scores exactly as local scoring does, cache in front.

Each CPU actor runs torch with as many threads as CPUs it reserves (Ray sets
``OMP_NUM_THREADS``), here one; the local reference is scored with one thread
too, since float32 sums in another thread split can differ in the last bit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import comet_tiny
import pytest

from evalharness.metrics.comet import ray_backend as comet_ray
from evalharness.metrics.comet.metric import CometMetric
from evalharness.records import CometOptions

SRC, MT, REF = comet_tiny.sample_triples(150, seed=3)


@pytest.fixture(scope="module")
def local_ray() -> Iterator[Any]:
    import ray  # the `ray` extra, installed by `make test`

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def options(model: Path, **kw: Any) -> CometOptions:
    # Batches of 4: the 100 new triples make 4 chunks of 8 batches, spread over both actors.
    return CometOptions(model=str(model), quiet=True, batch_size=4, **kw)


@pytest.fixture
def one_thread() -> Iterator[None]:
    """Local scoring with one torch thread, as each CPU actor has here."""
    import torch

    saved = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(saved)


@pytest.mark.slow
def test_ray_scores_equal_local_scores_and_cache_sits_in_front(
    local_ray: Any,
    tiny_comet: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    one_thread: None,
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
    chunks: list[int] = []
    real_get = comet_ray.RayScorer._get

    def count_chunks(self: comet_ray.RayScorer, ref: Any) -> Any:
        got = real_get(self, ref)
        chunks.append(len(got[1]))
        return got

    monkeypatch.setattr(comet_ray.RayScorer, "_get", count_chunks)
    metric = CometMetric(
        options(tiny_comet, cache_dir=str(tmp_path / "ray"), backend="ray", ray_workers=2, gpus=0)
    )
    distributed = metric.compute(MT, REF, SRC)
    assert sent == [100]  # only the uncached triples went to Ray
    assert sorted(chunks) == [4, 32, 32, 32]  # two actors, four chunks of whole batches
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


def test_worker_errors_keep_the_end_of_the_remote_traceback() -> None:
    text = (
        "The actor died because of an error raised in its creation task, "
        "ray::CometScorerActor.__init__() (pid=1, ip=10.0.0.2)\n"
        '  File "/x/comet_ray.py", line 107, in __init__\n'
        "    self.net = load_comet_model(model, runtime)\n"
        "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        '  File "/x/comet.py", line 280, in load_comet_model\n'
        "    comet = import_comet()\n"
        "AttributeError: module 'comet' has no attribute 'models'\n"
    )
    gist = comet_ray.worker_error(text)
    assert gist.startswith("The actor died because of an error raised in its creation task")
    assert gist.endswith("AttributeError: module 'comet' has no attribute 'models'")
    assert "^^^" not in gist
