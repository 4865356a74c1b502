"""Running an unbabel-comet model: loading it offline, batching like ``predict``, quiet logs.

:func:`score_samples` reproduces unbabel-comet's ``model.predict(..., gpus=0)``
in fp32: the same tokenization, batching order (:func:`batch_order`) and
``predict_step``, without Lightning's Trainer (its start-up and its console
output). torch and comet are imported inside the functions only.
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

from evalharness.metrics.comet.cache import CachedScore
from evalharness.metrics.comet.models import (
    ResolvedModel,
    clean_spans,
    unavailable,
)

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

