"""Finding a COMET model on disk or on the Hugging Face Hub, without torch.

A model spec is a Hub name (``Unbabel/wmt22-comet-da``), a checkpoint file, a
model directory (``hparams.yaml`` + ``checkpoints/model.ckpt``) or an air-gap
bundle written by :mod:`evalharness.metrics.comet.bundle`. Resolving it yields
the checkpoint, its hyper-parameters and a *local* directory with the encoder's
tokenizer and config, so that loading never reaches the network: a real
checkpoint names its encoder (``xlm-roberta-large``) and unbabel-comet would
otherwise fetch that encoder's files from the Hub on every load.

Failures become :class:`~evalharness.errors.MetricUnavailableError` with the
real cause (no network and no cached copy, gated model without a token, full
disk, corrupt checkpoint) and a fix; the original exception is chained.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evalharness.errors import UsageError
from evalharness.metrics.comet.hub import hub_offline, hub_snapshot, unavailable
from evalharness.records import CometOptions

if TYPE_CHECKING:
    from evalharness.metrics.comet.cache import CometCache

BUNDLE_MANIFEST = "evalharness-comet.json"
CHECKPOINT = Path("checkpoints") / "model.ckpt"
# Tokenizer and config files of an encoder (no weights: COMET checkpoints hold them).
ENCODER_PATTERNS = ("*.json", "*.model", "*.txt")
PRECISIONS = ("fp32", "fp16", "bf16")
BACKENDS = ("local", "ray")
KNOWN_CLASSES = (
    "regression_metric",
    "referenceless_regression_metric",
    "ranking_metric",
    "unified_metric",
    "xcomet_metric",
)
_HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.-]*(/[\w.-]+)?$")


@dataclass(frozen=True)
class InputMode:
    """Which fields a model sees: ``src+mt+ref``, ``src=ref+mt+ref``, ``mt+ref`` or ``src+mt``."""

    name: str
    use_src: bool
    use_ref: bool
    src_from_ref: bool = False

    def sample(self, src: str | None, mt: str, ref: str) -> dict[str, str]:
        """The input dict unbabel-comet expects for one segment."""
        out = {"mt": mt}
        if self.use_src:
            out["src"] = ref if self.src_from_ref else (src or "")
        if self.use_ref:
            out["ref"] = ref
        return out


@dataclass(frozen=True)
class ResolvedModel:
    """A COMET model found locally, ready to load with no network.

    Attributes:
        name: The name to report: Hub name, bundle's model name, or the path given.
        checkpoint: The ``model.ckpt`` file.
        hparams: Contents of ``hparams.yaml`` next to ``checkpoints/``.
        encoder_dir: Local directory with the encoder's tokenizer and config.
        source: ``hub``, ``checkpoint``, ``directory`` or ``bundle``.
    """

    name: str
    checkpoint: Path
    hparams: Mapping[str, Any]
    encoder_dir: Path
    source: str

    @property
    def class_identifier(self) -> str:
        """unbabel-comet's model class key, e.g. ``regression_metric``."""
        return str(self.hparams["class_identifier"])

    @property
    def input_segments(self) -> tuple[str, ...]:
        """Fields a unified model was trained on (``mt``, ``src``, ``ref``)."""
        if self.class_identifier == "xcomet_metric":
            return ("mt", "src", "ref")
        return tuple(self.hparams.get("input_segments") or ("mt", "src", "ref"))

    @property
    def word_level(self) -> bool:
        """Whether the model tags error spans in the hypothesis (xCOMET)."""
        return self.class_identifier == "xcomet_metric" or bool(
            self.class_identifier == "unified_metric" and self.hparams.get("word_level_training")
        )

    def input_mode(self, has_src: bool) -> InputMode:
        """The input mode for this model given whether a source is available.

        Raises:
            UsageError: a reference-free (quality estimation) model without a source.
        """
        cls = self.class_identifier
        if cls in ("unified_metric", "xcomet_metric"):
            segments = self.input_segments
            use_src = has_src and "src" in segments
            use_ref = "ref" in segments
            if not use_ref and not use_src:
                raise _needs_source(self.name)
            name = "+".join(
                f for f, used in (("src", use_src), ("mt", True), ("ref", use_ref)) if used
            )
            return InputMode(name, use_src, use_ref)
        if cls == "referenceless_regression_metric":
            if not has_src:
                raise _needs_source(self.name)
            return InputMode("src+mt", True, False)
        if has_src:
            return InputMode("src+mt+ref", True, True)
        return InputMode("src=ref+mt+ref", True, True, src_from_ref=True)


def _needs_source(model: str) -> UsageError:
    return UsageError(
        f"COMET model {model} is reference-free (quality estimation) and needs the source "
        "text: pass --src, or choose a reference-based model"
    )


def resolve_model(spec: str, *, download: bool = True) -> ResolvedModel:
    """Find a COMET model and its encoder files locally, downloading if allowed.

    Args:
        spec: Hub name, checkpoint file, model directory or bundle directory.
        download: Whether the Hub may be contacted (also off under ``HF_HUB_OFFLINE``).

    Raises:
        MetricUnavailableError: with the cause and a fix.
    """
    download = download and not hub_offline()
    path = Path(spec).expanduser()
    if path.exists():
        return _resolve_local(spec, path, download)
    if spec.startswith((".", "/", "~")) or spec.endswith(".ckpt") or not _HUB_NAME.match(spec):
        raise unavailable(
            spec,
            f"no such checkpoint or model directory: {spec}",
            "pass a Hub name such as Unbabel/wmt22-comet-da, a model.ckpt file, or a bundle "
            "directory written by `evalharness comet fetch`",
        )
    model_dir = hub_snapshot(
        spec, download, patterns=None, required=(CHECKPOINT, Path("hparams.yaml"))
    )
    return _from_model_dir(spec, model_dir / CHECKPOINT, "hub", download)


def _resolve_local(spec: str, path: Path, download: bool) -> ResolvedModel:
    from evalharness.metrics.comet.bundle import read_manifest

    if path.is_file():
        return _from_model_dir(spec, path, "checkpoint", download)
    manifest_file = path / BUNDLE_MANIFEST
    if manifest_file.is_file():
        manifest = read_manifest(path)
        checkpoint = path / manifest.checkpoint
        check_checkpoint(manifest.model, checkpoint)
        hparams = read_hparams(manifest.model, checkpoint)
        return ResolvedModel(manifest.model, checkpoint, hparams, path / manifest.encoder, "bundle")
    candidates = sorted((path / "checkpoints").glob("*.ckpt"))
    if (path / CHECKPOINT).is_file():
        candidates = [path / CHECKPOINT]
    if len(candidates) != 1:
        raise unavailable(
            spec,
            f"{path} is not a COMET model directory (expected hparams.yaml and one "
            f"checkpoints/*.ckpt, found {len(candidates)} checkpoints)",
            "pass the model.ckpt file itself, or a bundle written by `evalharness comet fetch`",
        )
    return _from_model_dir(spec, candidates[0], "directory", download)


def _from_model_dir(name: str, checkpoint: Path, source: str, download: bool) -> ResolvedModel:
    check_checkpoint(name, checkpoint)
    hparams = read_hparams(name, checkpoint)
    pretrained = str(hparams.get("pretrained_model") or "")
    if not pretrained:
        raise unavailable(
            name, f"{checkpoint.parents[1] / 'hparams.yaml'} names no pretrained_model"
        )
    encoder_dir = resolve_encoder(name, pretrained, download)
    return ResolvedModel(name, checkpoint, hparams, encoder_dir, source)


def read_hparams(name: str, checkpoint: Path) -> dict[str, Any]:
    """``hparams.yaml`` of a checkpoint (in the folder above ``checkpoints/``).

    Raises:
        MetricUnavailableError: missing or unreadable file, or an unknown model class.
    """
    import yaml

    hparams_file = checkpoint.resolve().parents[1] / "hparams.yaml"
    if not hparams_file.is_file():
        hparams_file = checkpoint.parents[1] / "hparams.yaml"
    try:
        hparams = yaml.safe_load(hparams_file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise unavailable(
            name,
            f"{hparams_file} is missing (unbabel-comet reads it next to the checkpoints/ folder)",
            "keep the model directory layout: hparams.yaml + checkpoints/model.ckpt",
        ) from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise unavailable(name, f"cannot read {hparams_file}: {exc}") from exc
    cls = hparams.get("class_identifier") if isinstance(hparams, dict) else None
    if cls not in KNOWN_CLASSES:
        raise unavailable(
            name,
            f"{hparams_file} has class_identifier {cls!r}; unbabel-comet knows {', '.join(KNOWN_CLASSES)}",
        )
    return dict(hparams)


def check_checkpoint(name: str, checkpoint: Path) -> None:
    """Cheap integrity check of a PyTorch checkpoint (zip directory or pickle header).

    Raises:
        MetricUnavailableError: the file is unreadable, truncated or not a checkpoint.
    """
    fix = (
        f"delete {checkpoint} and download it again "
        "(`evalharness comet fetch MODEL --to DIR`), or restore it from the bundle"
    )
    try:
        with open(checkpoint, "rb") as fh:
            head = fh.read(4)
        if head.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(checkpoint) as archive:
                if not any(n.endswith("data.pkl") for n in archive.namelist()):
                    raise zipfile.BadZipFile("no data.pkl entry")
        elif not head.startswith(b"\x80"):
            raise zipfile.BadZipFile(f"starts with {head!r}, neither a zip archive nor a pickle")
    except zipfile.BadZipFile as exc:
        raise unavailable(
            name, f"checkpoint {checkpoint} is corrupt or truncated ({exc})", fix
        ) from exc
    except OSError as exc:
        raise unavailable(name, f"cannot read checkpoint {checkpoint}: {exc}", fix) from exc


def resolve_encoder(model: str, pretrained: str, download: bool) -> Path:
    """A local directory with the tokenizer and config of encoder ``pretrained``.

    Raises:
        MetricUnavailableError: not on disk, not cached, and no download possible.
    """
    local = Path(pretrained).expanduser()
    if local.is_dir():
        if not (local / "config.json").is_file():
            raise unavailable(model, f"encoder directory {local} has no config.json")
        return local
    return hub_snapshot(
        pretrained,
        download,
        patterns=ENCODER_PATTERNS,
        required=(Path("config.json"),),
        model=model,
    )


_HASHES: dict[tuple[str, int, int], str] = {}


def checkpoint_sha256(path: Path, cache: CometCache | None = None) -> str:
    """SHA-256 of a checkpoint, computed once per (path, size, mtime).

    Memoized in-process and, when given, in the score cache; a Hugging Face
    cache blob is named by its SHA-256 already, so it is never re-read.
    """
    real = os.path.realpath(path)
    st = os.stat(real)
    key = (real, st.st_size, st.st_mtime_ns)
    if key in _HASHES:
        return _HASHES[key]
    blob = Path(real)
    sha = (
        blob.name
        if blob.parent.name == "blobs" and re.fullmatch(r"[0-9a-f]{64}", blob.name)
        else None
    )
    if sha is None and cache is not None:
        sha = cache.file_hash(*key)
    if sha is None:
        digest = hashlib.sha256()
        with open(real, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 23), b""):
                digest.update(block)
        sha = digest.hexdigest()
        if cache is not None:
            cache.remember_file_hash(*key, sha)
    _HASHES[key] = sha
    return sha


def check_options(options: CometOptions) -> None:
    """Reject invalid option values.

    Raises:
        UsageError: a non-positive batch size, negative GPUs, unknown precision or backend.
    """
    if options.batch_size < 1:
        raise UsageError(f"COMET batch size must be at least 1, not {options.batch_size}")
    if options.gpus is not None and options.gpus < 0:
        raise UsageError(f"--gpus must be 0 or more, not {options.gpus}")
    if options.precision is not None and options.precision not in PRECISIONS:
        raise UsageError(
            f"COMET precision {options.precision!r}; choose from {', '.join(PRECISIONS)}"
        )
    if options.backend not in BACKENDS:
        raise UsageError(f"COMET backend {options.backend!r}; choose from {', '.join(BACKENDS)}")
    if options.multi_ref not in ("mean", "max"):
        raise UsageError(f"COMET multi-reference score {options.multi_ref!r}; choose mean or max")


def require_packages(model: str) -> None:
    """Check that torch and unbabel-comet are installed, without importing them.

    Raises:
        MetricUnavailableError: naming the missing package and how to install it.
    """
    import importlib.util

    for module, package in (("torch", "torch"), ("comet", "unbabel-comet")):
        if importlib.util.find_spec(module) is None:
            raise unavailable(
                model,
                f"the Python package {package} is not installed",
                "pip install 'evalharness[comet]' (CPU torch: pip install torch --index-url "
                "https://download.pytorch.org/whl/cpu first)",
            )


def clean_spans(mt: str, spans: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """Error spans of xCOMET as ``{text, severity, confidence, start, end}`` with offsets into ``mt``.

    ``text`` is exactly ``mt[start:end]`` (surrounding whitespace trimmed);
    spans that cover only special tokens (empty text) are dropped.
    """
    out = []
    for span in spans:
        start, end = int(span["start"]), int(span["end"])
        while start < end and mt[start].isspace():
            start += 1
        while end > start and mt[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(
                {
                    "text": mt[start:end],
                    "severity": str(span["severity"]),
                    "confidence": float(span["confidence"]),
                    "start": start,
                    "end": end,
                }
            )
    return tuple(out)
