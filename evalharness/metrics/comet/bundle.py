"""Self-contained COMET bundles for air-gapped machines.

``evalharness comet fetch MODEL --to DIR`` (with network) writes::

    DIR/evalharness-comet.json   manifest (this module's BundleManifest)
    DIR/hparams.yaml             the model's hyper-parameters
    DIR/checkpoints/model.ckpt   the checkpoint (hard link into the HF cache when possible)
    DIR/encoder/                 the encoder's tokenizer and config (no weights)
    DIR/README.md, LICENSE       the model card and licence, when the model has them

``--comet-model DIR`` then loads it with no network: the encoder directory
replaces the ``pretrained_model`` name stored inside the checkpoint.
No torch import here.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from evalharness.errors import UsageError
from evalharness.fsutil import atomic_write_text
from evalharness.metrics.comet.models import (
    BUNDLE_MANIFEST,
    CHECKPOINT,
    ENCODER_PATTERNS,
    ResolvedModel,
    checkpoint_sha256,
    resolve_model,
    unavailable,
)

BUNDLE_SCHEMA = "evalharness.comet-bundle/1"
_MODEL_CARD_FILES = ("README.md", "LICENSE", "LICENSE.md", "LICENSE.txt")


@dataclass(frozen=True)
class BundleManifest:
    """What a bundle holds (``evalharness-comet.json``).

    Attributes:
        schema: ``evalharness.comet-bundle/1``.
        model: The model's name, reported in signatures (e.g. ``Unbabel/wmt22-comet-da``).
        class_identifier: unbabel-comet's model class key.
        checkpoint: Checkpoint path relative to the bundle.
        checkpoint_sha256: SHA-256 of the checkpoint.
        checkpoint_bytes: Size of the checkpoint.
        encoder: Encoder directory relative to the bundle.
        pretrained_model: The encoder name stored in the checkpoint (e.g. ``xlm-roberta-large``).
        comet_version: unbabel-comet version that wrote the bundle.
        created: UTC time of writing (ISO 8601).
    """

    schema: str
    model: str
    class_identifier: str
    checkpoint: str
    checkpoint_sha256: str
    checkpoint_bytes: int
    encoder: str
    pretrained_model: str
    comet_version: str
    created: str


def read_manifest(bundle: Path) -> BundleManifest:
    """Read and check a bundle's manifest.

    Raises:
        MetricUnavailableError: unreadable manifest, unknown schema, or missing parts.
    """
    path = bundle / BUNDLE_MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        manifest = BundleManifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise unavailable(str(bundle), f"cannot read bundle manifest {path}: {exc}") from exc
    if manifest.schema != BUNDLE_SCHEMA:
        raise unavailable(
            manifest.model, f"{path} has schema {manifest.schema!r}, expected {BUNDLE_SCHEMA!r}"
        )
    for part in (manifest.checkpoint, manifest.encoder):
        if not (bundle / part).exists():
            raise unavailable(
                manifest.model,
                f"bundle {bundle} is incomplete: {part} is missing",
                "copy the whole bundle directory, or write it again with `evalharness comet fetch`",
            )
    return manifest


def fetch_bundle(spec: str, dest: str | os.PathLike[str], *, force: bool = False) -> BundleManifest:
    """Resolve (downloading when needed) a model and write it as a bundle at ``dest``.

    Raises:
        MetricUnavailableError: the model cannot be downloaded or read.
        UsageError: ``dest`` exists and is not an old bundle to replace with ``force``.
    """
    return write_bundle(resolve_model(spec, download=True), Path(dest), force=force)


def write_bundle(model: ResolvedModel, dest: Path, *, force: bool = False) -> BundleManifest:
    """Write an already-local model as a self-contained bundle at ``dest``.

    The bundle is assembled in a temporary sibling directory and renamed into
    place, so ``dest`` is never left half-written.

    Raises:
        UsageError: ``dest`` exists and is not empty (or, with ``force``, not a bundle).
        MetricUnavailableError: the disk is full or the files cannot be copied.
    """
    _check_destination(dest, force)
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        manifest = _assemble(model, tmp)
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        cause = "the disk is full" if exc.errno == errno.ENOSPC else "cannot write it"
        raise unavailable(
            model.name,
            f"writing the bundle to {dest} failed: {cause} ({exc})",
            "free some space or choose another --to directory",
        ) from exc
    return manifest


def _check_destination(dest: Path, force: bool) -> None:
    if not dest.exists() or (dest.is_dir() and not any(dest.iterdir())):
        return
    if not force:
        raise UsageError(f"{dest} exists and is not empty; pass --force to replace a bundle")
    if not (dest / BUNDLE_MANIFEST).is_file():
        raise UsageError(f"{dest} is not a COMET bundle; refusing to replace it")


def _assemble(model: ResolvedModel, root: Path) -> BundleManifest:
    from importlib.metadata import version

    (root / CHECKPOINT).parent.mkdir(parents=True)
    _link_or_copy(model.checkpoint, root / CHECKPOINT)
    model_dir = model.checkpoint.parents[1]
    shutil.copyfile(model_dir / "hparams.yaml", root / "hparams.yaml")
    for name in _MODEL_CARD_FILES:
        if (model_dir / name).is_file():
            shutil.copyfile(model_dir / name, root / name)
    encoder = root / "encoder"
    encoder.mkdir()
    for pattern in ENCODER_PATTERNS:
        for file in sorted(model.encoder_dir.glob(pattern)):
            if file.is_file():
                shutil.copyfile(file, encoder / file.name)
    manifest = BundleManifest(
        schema=BUNDLE_SCHEMA,
        model=model.name,
        class_identifier=model.class_identifier,
        checkpoint=CHECKPOINT.as_posix(),
        checkpoint_sha256=checkpoint_sha256(model.checkpoint),
        checkpoint_bytes=(root / CHECKPOINT).stat().st_size,
        encoder="encoder",
        pretrained_model=str(model.hparams.get("pretrained_model", "")),
        comet_version=version("unbabel-comet"),
        created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    )
    atomic_write_text(root / BUNDLE_MANIFEST, json.dumps(asdict(manifest), indent=2) + "\n")
    return manifest


def _link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link (no extra disk for a 2 GB checkpoint) or copy across filesystems."""
    real = Path(os.path.realpath(src))
    with contextlib.suppress(OSError):
        os.link(real, dst)
        return
    shutil.copyfile(real, dst)
