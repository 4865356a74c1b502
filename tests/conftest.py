"""Shared fixtures.

COMET: tiny checkpoints built once per session from scratch (``tests/comet_tiny.py``),
and an isolated environment so that no test reaches the network or the user's caches.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comet_tiny  # noqa: E402

import evalharness  # noqa: E402
from evalharness.results import SystemResult  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _offline_and_private_caches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No Hub downloads, and caches (COMET scores, Hugging Face) under a temporary directory."""
    root = tmp_path_factory.mktemp("caches")
    saved = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "HF_HOME", "XDG_CACHE_HOME")}
    os.environ.update(
        {"HF_HUB_OFFLINE": "1", "HF_HOME": str(root / "hf"), "XDG_CACHE_HOME": str(root / "xdg")}
    )
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def comet_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Directory holding the tiny encoder (tokenizer + config) shared by the tiny models."""
    root = tmp_path_factory.mktemp("comet-models")
    comet_tiny.build_encoder(root / "encoder")
    return root


def _tiny(root: Path, kind: str) -> Path:
    ckpt = root / kind / "checkpoints" / "model.ckpt"
    if not ckpt.exists():
        comet_tiny.build_model(root, kind, encoder_dir=root / "encoder")
    return ckpt


@pytest.fixture(scope="session")
def tiny_comet(comet_root: Path) -> Path:
    """Checkpoint of a tiny RegressionMetric (like wmt22-comet-da)."""
    return _tiny(comet_root, "regression")


@pytest.fixture(scope="session")
def tiny_xcomet(comet_root: Path) -> Path:
    """Checkpoint of a tiny XCOMETMetric (error spans, reference-only capable)."""
    return _tiny(comet_root, "xcomet")


@pytest.fixture(scope="session")
def tiny_unified_ref(comet_root: Path) -> Path:
    """Checkpoint of a tiny UnifiedMetric trained on [mt, ref] only."""
    return _tiny(comet_root, "unified_ref")


@pytest.fixture(scope="session")
def tiny_referenceless(comet_root: Path) -> Path:
    """Checkpoint of a tiny ReferencelessRegression (quality estimation: needs src)."""
    return _tiny(comet_root, "referenceless")


@pytest.fixture
def comet_cache_dir(tmp_path: Path) -> Path:
    """A fresh, empty COMET score cache directory."""
    return tmp_path / "comet-cache"


@pytest.fixture(scope="session")
def seed_system() -> SystemResult:
    """The seed pair through the real pipeline (BLEU, chrF, TER and the checks), run once."""
    run = evalharness.evaluate(
        REPO / "references" / "bbc.md",
        [REPO / "hypotheses" / "bbc-garbled.txt"],
        metrics=["bleu", "chrf", "ter"],
        bootstrap_samples=10,
    )
    return run.systems[0]
