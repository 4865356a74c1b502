"""COMET through unbabel-comet: hub or local models, cached, with progress and parity.

The one module that imports torch and comet, and only inside functions, so that
``import evalharness`` stays light. :class:`CometMetric` implements the
:class:`~evalharness.metrics.base.Metric` protocol:

* :meth:`CometMetric.resolve` finds the model and its encoder files locally
  (see :mod:`evalharness.metrics.comet.models`) before any scoring;
* :meth:`CometMetric.compute` looks every (src, mt, ref) triple up in the SQLite
  cache, loads the model only when something is new, scores the new triples in
  fp32 (CPU) or fp16 (GPU) with a progress bar, and reports segment scores, the
  number of inputs the encoder truncated and, for xCOMET, error spans.

Scores equal unbabel-comet's own ``model.predict(..., gpus=0)`` in fp32 (same
tokenization, batching order and ``predict_step``); Lightning's Trainer is not
used, which saves its start-up and its console output.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from evalharness.errors import InputError, UsageError
from evalharness.metrics.base import register_metric
from evalharness.metrics.comet.cache import CachedScore, CometCache, cache_path, segment_key
from evalharness.metrics.comet.inference import (
    Runtime,
    cuda_available,
    load_comet_model,
    score_samples,
)
from evalharness.metrics.comet.models import (
    InputMode,
    ResolvedModel,
    check_options,
    checkpoint_sha256,
    require_packages,
    resolve_model,
)
from evalharness.metrics.info import BUILTIN_INFO
from evalharness.records import CometOptions, MetricResult


class CometMetric:
    """COMET scores from unbabel-comet (registered as ``comet``).

    Args:
        options: Model, batch size, GPUs, precision, cache and backend settings.

    Raises:
        UsageError: for an invalid option value.
    """

    name = "comet"
    higher_is_better = True

    def __init__(self, options: CometOptions | None = None) -> None:
        self.options = options or CometOptions()
        check_options(self.options)
        self._resolved: ResolvedModel | None = None
        self._loaded: tuple[Runtime, Any] | None = None

    def resolve(self) -> ResolvedModel:
        """Find the model and its encoder files (downloading if allowed); no weights loaded.

        Raises:
            MetricUnavailableError: unbabel-comet missing, no network and no cached
                copy, gated model without a token, full disk, corrupt checkpoint.
        """
        if self._resolved is None:
            require_packages(self.options.model)
            self._resolved = resolve_model(self.options.model)
        return self._resolved

    def compute(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str] | None = None
    ) -> MetricResult:
        """Score aligned segments; cached triples are not scored again.

        Raises:
            InputError: the sequences differ in length.
            UsageError: a reference-free model without sources (before loading weights).
            MetricUnavailableError: the model cannot be resolved or loaded.
        """
        if len(hyps) != len(refs) or (srcs is not None and len(srcs) != len(hyps)):
            raise InputError("COMET needs as many references (and sources) as hypotheses")
        model = self.resolve()
        mode = model.input_mode(srcs is not None)
        samples = [
            mode.sample(srcs[i] if srcs is not None else None, hyps[i], refs[i])
            for i in range(len(hyps))
        ]
        runtime = self.runtime()
        results, cached = self._score_cached(model, mode, samples, runtime)
        return self._result(model, mode, runtime, results, cached, hyps)

    def compute_multi(
        self,
        hyps: Sequence[str],
        ref_streams: Sequence[Sequence[str | None]],
        srcs: Sequence[str] | None = None,
    ) -> MetricResult:
        """Score against several references: mean (default) or max per segment.

        A reference-free model scores once. See :mod:`evalharness.metrics.comet.multiref`.
        """
        from evalharness.metrics.comet.multiref import score_references

        if not self.resolve().input_mode(srcs is not None).use_ref:
            return self.compute(hyps, [r or "" for r in ref_streams[0]], srcs)
        return score_references(self.compute, hyps, ref_streams, srcs, self.options.multi_ref)

    def score_from_stats(self, stats: Any) -> float:
        """Mean of the segment scores in the given rows."""
        return float(np.mean(np.asarray(stats, dtype=float)[:, 0]))

    def runtime(self) -> Runtime:
        """Device, GPU count and precision from the options and the hardware.

        With ``backend="ray"`` the GPUs are those of the Ray cluster, not of this machine.

        Raises:
            UsageError: GPUs requested but CUDA is not available.
            MetricUnavailableError: the Ray cluster cannot be reached.
        """
        if self.options.backend == "ray":
            from evalharness.metrics.comet.ray_backend import ray_runtime

            return ray_runtime(self.options)
        cuda = self.options.gpus != 0 and cuda_available()
        gpus = self.options.gpus if self.options.gpus is not None else int(cuda)
        if gpus > 0 and not cuda:
            raise UsageError(f"--gpus {gpus} asked for, but torch sees no CUDA device")
        precision = self.options.precision or ("fp16" if gpus > 0 else "fp32")
        return Runtime("cuda:0" if gpus > 0 else "cpu", gpus, precision)

    def signature(self, mode: InputMode, precision: str) -> str:
        """``model:<name>|comet:<version>|precision:<p>|mode:<mode>``."""
        from importlib.metadata import version

        model = self._resolved.name if self._resolved else self.options.model
        return (
            f"model:{model}|comet:{version('unbabel-comet')}|precision:{precision}|mode:{mode.name}"
        )

    def _score_cached(
        self, model: ResolvedModel, mode: InputMode, samples: list[dict[str, str]], runtime: Runtime
    ) -> tuple[list[CachedScore], list[bool]]:
        """Results per sample, and whether each came from the cache."""
        cache = (
            CometCache.open(cache_path(self.options.cache_dir)) if self.options.use_cache else None
        )
        with cache or contextlib.nullcontext():
            model_id = f"{model.name}@{checkpoint_sha256(model.checkpoint, cache)}" if cache else ""
            keys = [
                segment_key(
                    model_id,
                    runtime.precision,
                    mode.name,
                    s.get("src", ""),
                    s["mt"],
                    s.get("ref", ""),
                )
                for s in samples
            ]
            hits = cache.lookup(keys) if cache else {}
            todo = {k: s for k, s in zip(keys, samples, strict=True) if k not in hits}
            todo_keys = list(todo)

            def save(done: Mapping[int, CachedScore]) -> None:
                # Committed batch by batch, so an interrupted run keeps what it scored.
                if cache:
                    cache.store(model_id, {todo_keys[i]: r for i, r in done.items()})

            fresh = dict(
                zip(todo, self._score_new(model, list(todo.values()), runtime, save), strict=True)
            )
        results = [hits.get(k) or fresh[k] for k in keys]
        return results, [k in hits for k in keys]

    def _score_new(
        self,
        model: ResolvedModel,
        samples: list[dict[str, str]],
        runtime: Runtime,
        save: Callable[[Mapping[int, CachedScore]], None],
    ) -> list[CachedScore]:
        if not samples:
            return []
        scorer = self._load(model, runtime)
        if self.options.backend == "ray":
            results = list(scorer.score(samples, self._progress()))
            save(dict(enumerate(results)))
            return results
        return score_samples(
            scorer, samples, self.options.batch_size, runtime, self._progress(), on_batch=save
        )

    def _load(self, model: ResolvedModel, runtime: Runtime) -> Any:
        """The loaded model (local) or the pool of Ray actors, kept for later systems."""
        if self._loaded is None or self._loaded[0] != runtime:
            if self.options.backend == "ray":
                from evalharness.metrics.comet.ray_backend import RayScorer

                self._loaded = (runtime, RayScorer(model, runtime, self.options))
            else:
                self._loaded = (runtime, load_comet_model(model, runtime))
        return self._loaded[1]

    def _progress(self) -> bool:
        isatty = getattr(sys.stderr, "isatty", None)
        return not self.options.quiet and bool(isatty and isatty())

    def _result(
        self,
        model: ResolvedModel,
        mode: InputMode,
        runtime: Runtime,
        results: list[CachedScore],
        cached: list[bool],
        hyps: Sequence[str],
    ) -> MetricResult:
        scores = tuple(r.score for r in results)
        extra: dict[str, Any] = {
            "model": model.name,
            "segments_scored": cached.count(False),
            "segments_cached": cached.count(True),
            "truncated": sum(r.truncated for r in results),
            "truncated_segments": tuple(i for i, r in enumerate(results) if r.truncated),
            "mode": mode.name,
            "precision": runtime.precision,
            "backend": self.options.backend,
        }
        if model.word_level:
            extra["error_spans"] = tuple(r.error_spans or () for r in results)
        return MetricResult(
            name=self.name,
            score=float(np.mean(scores)) if scores else None,
            signature=self.signature(mode, runtime.precision),
            segment_scores=scores,
            stats=np.asarray(scores, dtype=float).reshape(-1, 1),
            extra=extra,
        )


register_metric("comet", CometMetric, BUILTIN_INFO["comet"])
