"""COMET scoring over a Ray cluster: one scorer actor per GPU (or CPU worker).

The cache stays in front (:class:`~evalharness.metrics.comet.metric.CometMetric` sends
only uncached triples here). The triples are put in unbabel-comet's batching
order and cut into chunks of whole batches; actors score chunks as they come
free and the driver puts the results back in place. Every batch is the batch
that local scoring would form, so segment scores equal local ones.

Each actor loads the model itself: from the same paths when they exist on its
node (a bundle on shared storage), else by resolving the model spec again there
(a Hub name, downloaded into that node's cache). Ray is imported only here.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from evalharness.errors import EvalHarnessError, MetricUnavailableError
from evalharness.metrics.comet.cache import CachedScore
from evalharness.metrics.comet.models import ResolvedModel, resolve_model, unavailable
from evalharness.records import CometOptions

BATCHES_PER_CHUNK = 8
CPUS_PER_WORKER = 4


@dataclass(frozen=True)
class WorkerPlan:
    """How many scorer actors to start and what each reserves."""

    workers: int
    num_gpus: float
    num_cpus: float


def connect(address: str | None) -> Any:
    """The ``ray`` module, connected to ``address`` (or ``RAY_ADDRESS``, else a local instance).

    Raises:
        MetricUnavailableError: Ray is not installed or the cluster cannot be reached.
    """
    try:
        import ray
    except ImportError as exc:
        raise unavailable(
            "ray", "the Ray backend needs the ray package", "pip install 'evalharness[ray]'"
        ) from exc
    if ray.is_initialized():
        return ray
    try:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or os.environ.get("RAY_ADDRESS") or "a new local instance"
        raise unavailable(
            "ray",
            f"cannot start or reach the Ray cluster at {where}: {type(exc).__name__}: {exc}",
            "start the head with `ray start --head` and pass --ray-address HOST:6379 "
            "(or ray://HOST:10001)",
        ) from exc
    return ray


def ray_runtime(options: CometOptions) -> Any:
    """Device, GPUs per actor and precision for scoring on the cluster.

    GPUs default to 1 per actor when the cluster has any; the cluster is only
    contacted when ``options.gpus`` is not given.
    """
    from evalharness.metrics.comet.inference import Runtime

    gpus = options.gpus
    if gpus is None:
        gpus = int(connect(options.ray_address).cluster_resources().get("GPU", 0) > 0)
    gpus = min(gpus, 1)  # one GPU per actor; more GPUs mean more actors
    precision = options.precision or ("fp16" if gpus else "fp32")
    return Runtime("cuda:0" if gpus else "cpu", gpus, precision)


def plan_workers(resources: dict[str, float], gpus: int, requested: int | None) -> WorkerPlan:
    """One actor per cluster GPU, else one per ``CPUS_PER_WORKER`` CPUs (or ``requested``)."""
    if gpus:
        workers = requested or max(1, int(resources.get("GPU", 0)))
        return WorkerPlan(workers, 1.0, 1.0)
    cpus = max(1, int(resources.get("CPU", 1)))
    workers = requested or max(1, cpus // CPUS_PER_WORKER)
    return WorkerPlan(workers, 0.0, float(max(1, cpus // workers)))


class CometScorerActor:
    """Body of a Ray actor holding one loaded COMET model (decorated at runtime)."""

    def __init__(self, model: ResolvedModel, spec: str, runtime: Any, batch_size: int) -> None:
        from evalharness.metrics.comet.inference import load_comet_model

        if not model.checkpoint.is_file() or not model.encoder_dir.is_dir():
            model = replace(resolve_model(spec), name=model.name)
        self.net = load_comet_model(model, runtime)
        self.runtime = runtime
        self.batch_size = batch_size

    def score(self, chunk: int, samples: list[dict[str, str]]) -> tuple[int, list[CachedScore]]:
        """Score samples already in batching order (no re-sorting)."""
        from evalharness.metrics.comet.inference import score_samples

        order = list(range(len(samples)))
        return chunk, score_samples(self.net, samples, self.batch_size, self.runtime, False, order)


class RayScorer:
    """A pool of scorer actors on a Ray cluster, kept alive across systems.

    Raises:
        MetricUnavailableError: Ray missing, cluster unreachable, or a worker failed.
    """

    def __init__(self, model: ResolvedModel, runtime: Any, options: CometOptions) -> None:
        ray = connect(options.ray_address)
        plan = plan_workers(ray.cluster_resources(), runtime.gpus, options.ray_workers)
        actor = ray.remote(num_gpus=plan.num_gpus, num_cpus=plan.num_cpus)(CometScorerActor)
        self._ray = ray
        self._model = model
        self._batch_size = options.batch_size
        self.actors = [
            actor.remote(model, options.model, runtime, options.batch_size)
            for _ in range(plan.workers)
        ]

    def score(self, samples: Sequence[dict[str, str]], progress: bool) -> list[CachedScore]:
        """Score samples on the actors; results in the order of ``samples``."""
        from tqdm import tqdm

        from evalharness.metrics.comet.inference import batch_order

        order = batch_order(samples)
        size = self._batch_size * BATCHES_PER_CHUNK
        chunks = [order[i : i + size] for i in range(0, len(order), size)]
        results: dict[int, CachedScore] = {}
        pending: dict[Any, int] = {}  # object ref -> index of the busy actor
        free = list(range(len(self.actors)))
        queue = list(enumerate(chunks))
        bar = tqdm(total=len(samples), desc="COMET (ray)", unit="seg", file=sys.stderr,
                   disable=not progress, leave=False)  # fmt: skip
        with bar:
            while queue or pending:
                while queue and free:
                    n, idx = queue.pop(0)
                    worker = free.pop()
                    ref = self.actors[worker].score.remote(n, [samples[i] for i in idx])
                    pending[ref] = worker
                done, _ = self._ray.wait(list(pending), num_returns=1)
                free.append(pending.pop(done[0]))
                n, scored = self._get(done[0])
                results.update(zip(chunks[n], scored, strict=True))
                bar.update(len(scored))
        return [results[i] for i in range(len(samples))]

    def _get(self, ref: Any) -> tuple[int, list[CachedScore]]:
        try:
            return self._ray.get(ref)
        except Exception as exc:
            cause = getattr(exc, "cause", None) or exc.__cause__
            if isinstance(cause, EvalHarnessError):
                raise cause from exc
            raise MetricUnavailableError(
                "comet",
                f"a Ray COMET worker failed: {type(exc).__name__}: {worker_error(str(exc))}",
                "check that every node has evalharness[comet] installed and can read the model "
                "(a bundle on shared storage, or a Hub name each node can download)",
            ) from exc


def worker_error(text: str) -> str:
    """The gist of a remote traceback: its first line and its last lines, where the error is."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip(" ^~")]
    if len(lines) <= 4:
        return " ".join(line.strip() for line in lines)[:1000]
    return f"{lines[0].strip()[:300]} ... {' '.join(line.strip() for line in lines[-3:])[:700]}"
