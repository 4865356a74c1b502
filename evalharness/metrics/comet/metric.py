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
import logging
import pickle
import re
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from evalharness.errors import InputError, UsageError
from evalharness.metrics.base import register_metric
from evalharness.metrics.comet.cache import CachedScore, CometCache, cache_path, segment_key
from evalharness.metrics.comet.models import (
    InputMode,
    ResolvedModel,
    check_options,
    checkpoint_sha256,
    clean_spans,
    require_packages,
    resolve_model,
    unavailable,
)
from evalharness.metrics.info import BUILTIN_INFO
from evalharness.records import CometOptions, MetricResult

# Known console noise of torchmetrics, Lightning and transformers; other warnings pass.
_NOISY_WARNINGS = (
    r"pkg_resources is deprecated",
    r".*isinstance\(treespec, LeafSpec\)",
    r".*`resume_download` is deprecated",
    r"Consider increasing the value of the `num_workers`",
)
_NOISY_LOGGERS = {
    "comet": logging.WARNING,  # "Encoder model frozen."
    "pytorch_lightning": logging.ERROR,
    "lightning_fabric": logging.ERROR,
    "lightning.pytorch": logging.ERROR,
    "transformers.tokenization_utils_base": logging.ERROR,  # over-long inputs: we count them
    "transformers.modeling_utils": logging.ERROR,
}


@dataclass(frozen=True)
class Runtime:
    """Where and how the model runs: ``device`` (``cpu``/``cuda:0``), GPUs, precision."""

    device: str
    gpus: int
    precision: str


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


@contextlib.contextmanager
def quiet_libraries() -> Iterator[None]:
    """Silence the known console noise of comet, Lightning and transformers (not real warnings)."""
    saved = {name: logging.getLogger(name).level for name in _NOISY_LOGGERS}
    with warnings.catch_warnings():
        for message in _NOISY_WARNINGS:
            warnings.filterwarnings("ignore", message=message)
        for name, level in _NOISY_LOGGERS.items():
            logging.getLogger(name).setLevel(level)
        try:
            yield
        finally:
            for name, level in saved.items():
                logging.getLogger(name).setLevel(level)


def import_comet() -> Any:
    """``import comet`` without its side effect on the host's logging.

    unbabel-comet calls ``logging.basicConfig(level=INFO)`` at import time, which
    would print every library's INFO lines; the root logger is restored.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with quiet_libraries():
        import comet
        import comet.models
    root.handlers[:] = handlers
    root.setLevel(level)
    return comet


def load_comet_model(model: ResolvedModel, runtime: Runtime) -> Any:
    """Load the checkpoint with the local encoder files, on ``runtime.device``, in its precision.

    Raises:
        MetricUnavailableError: a corrupt checkpoint or unusable encoder files (cause chained).
    """
    import torch

    comet = import_comet()
    cls = comet.models.str2model[model.class_identifier]
    kwargs: dict[str, Any] = {
        "checkpoint_path": str(model.checkpoint),
        "pretrained_model": str(model.encoder_dir),
        "load_pretrained_weights": False,
        "local_files_only": True,
        "map_location": torch.device("cpu"),
        "strict": False,
    }
    if model.hparams.get("layer_transformation") == "sparsemax_patch":
        kwargs["layer_transformation"] = "softmax"  # unbabel-comet's own fix for issue #244
    try:
        with quiet_libraries():
            net = cls.load_from_checkpoint(**kwargs)
    except (pickle.UnpicklingError, zipfile.BadZipFile, EOFError, RuntimeError) as exc:
        raise unavailable(
            model.name,
            f"cannot load checkpoint {model.checkpoint}: {type(exc).__name__}: {str(exc)[:300]}",
            "delete it and download it again, or rebuild the bundle with `evalharness comet fetch`",
        ) from exc
    except (OSError, ValueError) as exc:
        raise unavailable(
            model.name, f"cannot load the encoder files in {model.encoder_dir}: {exc}"
        ) from exc
    # fp16 converts the weights, as comet-score does; bf16 runs fp32 weights under
    # autocast (see score_samples) because comet's FeedForward only adapts to fp16.
    dtype = torch.float16 if runtime.precision == "fp16" else torch.float32
    if runtime.gpus > 1:
        warnings.warn(
            f"the local COMET backend uses one GPU, not {runtime.gpus}; "
            "--backend ray runs one scorer per GPU",
            stacklevel=2,
        )
    return net.eval().to(device=runtime.device, dtype=dtype)


def cuda_available() -> bool:
    """``torch.cuda.is_available()``, without importing torch when it is a CPU-only build.

    A CPU build says so in ``torch/version.py`` (``cuda`` and ``hip`` are None);
    reading that file instead of importing torch saves about a second on a
    rerun whose scores all come from the cache.
    """
    import importlib.util

    spec = importlib.util.find_spec("torch")
    for location in (spec.submodule_search_locations or []) if spec else []:
        try:
            text = (Path(location) / "version.py").read_text(encoding="utf-8")
        except OSError:
            continue
        if all(
            re.search(rf"^{name}\s*(:[^=\n]*)?=\s*None\s*$", text, re.M) for name in ("cuda", "hip")
        ):
            return False
    import torch

    return bool(torch.cuda.is_available())


def score_samples(
    net: Any,
    samples: list[dict[str, str]],
    batch_size: int,
    runtime: Runtime,
    progress: bool,
    order: Sequence[int] | None = None,
    on_batch: Callable[[Mapping[int, CachedScore]], None] | None = None,
) -> list[CachedScore]:
    """Score samples with a loaded model: scores, truncation flags and error spans.

    Batches are consecutive runs of ``order`` (default :func:`batch_order`, the
    order unbabel-comet's ``predict`` uses), so fp32 scores agree with it.
    ``on_batch`` receives each finished batch's results by sample index.
    """
    import torch
    from tqdm import tqdm

    truncated = truncation_flags(net, samples)
    order = batch_order(samples) if order is None else order
    scores: list[float] = [0.0] * len(samples)
    spans: list[tuple[Mapping[str, Any], ...] | None] = [None] * len(samples)
    bar = tqdm(
        total=len(samples),
        desc="COMET",
        unit="seg",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    )
    autocast = (
        torch.autocast(runtime.device.split(":")[0], dtype=torch.bfloat16)
        if runtime.precision == "bf16"
        else contextlib.nullcontext()
    )
    with bar, torch.inference_mode(), autocast, quiet_libraries():
        for start in range(0, len(samples), batch_size):
            idx = [int(i) for i in order[start : start + batch_size]]
            batch = _to_device(net.prepare_for_inference([samples[i] for i in idx]), runtime.device)
            prediction = net.predict_step(batch)
            batch_scores = prediction["scores"].float().cpu().tolist()
            batch_spans = _error_spans(prediction)
            for j, i in enumerate(idx):
                scores[i] = float(batch_scores[j])
                if batch_spans is not None:
                    spans[i] = clean_spans(samples[i]["mt"], batch_spans[j])
            if on_batch is not None:
                on_batch({i: CachedScore(scores[i], truncated[i], spans[i]) for i in idx})
            bar.update(len(idx))
    return [CachedScore(s, t, sp) for s, t, sp in zip(scores, truncated, spans, strict=True)]


def batch_order(samples: Sequence[Mapping[str, str]]) -> list[int]:
    """unbabel-comet's batching order: by source length, else reference length."""
    key = "src" if "src" in samples[0] else "ref"
    return [int(i) for i in np.argsort([len(s.get(key, s["mt"])) for s in samples])]


def _to_device(batch: Any, device: str) -> Any:
    if hasattr(batch, "to") and callable(batch.to) and not isinstance(batch, dict):
        return batch.to(device)
    if isinstance(batch, dict):
        return {k: _to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, tuple | list) and batch and isinstance(batch[0], dict):
        return type(batch)(_to_device(v, device) for v in batch)
    return batch


def _error_spans(prediction: Mapping[str, Any]) -> list[list[dict[str, Any]]] | None:
    metadata = prediction.get("metadata")
    if metadata is None or "error_spans" not in metadata:
        return None
    return list(metadata["error_spans"])


def truncation_flags(net: Any, samples: list[dict[str, str]]) -> list[bool]:
    """Whether the encoder cuts each sample (over ``max_positions`` tokens).

    Each input is cut to ``max_positions - 2`` tokens; unified models (xCOMET,
    CometKiwi 22) also cut the concatenated sequence to ``max_positions``.
    """
    encoder = net.encoder
    fields = [f for f in ("src", "mt", "ref") if f in samples[0]]
    limit = encoder.max_positions - 2
    with quiet_libraries():
        lengths = {
            f: [len(ids) for ids in encoder.tokenizer([s[f] for s in samples])["input_ids"]]
            for f in fields
        }
    flags = [any(lengths[f][i] > limit for f in fields) for i in range(len(samples))]
    if type(net).__name__ in ("UnifiedMetric", "XCOMETMetric") and len(fields) > 1:
        special = 1 + len(fields) * encoder.size_separator
        for i in range(len(samples)):
            content = sum(min(lengths[f][i], limit) - 2 for f in fields)
            flags[i] = flags[i] or content > encoder.max_positions - special
    return flags


register_metric("comet", CometMetric, BUILTIN_INFO["comet"])
