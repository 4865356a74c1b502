"""Tiny COMET checkpoints built from scratch, offline, in about a second.

Their scores mean nothing; they exercise the real unbabel-comet code paths
(loading, tokenizing, batching, word-level tagging) without a network. Used by
the tests (``tests/conftest.py``) and by ``bench/comet.py``, which also builds a
randomly initialised encoder of XLM-R large size with :func:`build_model`.

Layout written by :func:`build_model` (what ``comet.load_from_checkpoint`` reads)::

    <dest>/encoder/                 tokenizer + config of the encoder (save_pretrained)
    <dest>/<kind>/hparams.yaml      hyper-parameters plus class_identifier
    <dest>/<kind>/checkpoints/model.ckpt
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("regression", "xcomet", "unified_ref", "referenceless")

_WORDS = (  # noqa: SIM905 - a word list reads better as text
    "the a of to and in is was for on that with as by at from his her they we it "
    "university professor president minister government city river country year "
    "people said told report police court school hospital market bank company team "
    "Venezuela Colombia Washington London Paris Berlin Beijing Sergei Maria John "
    "first second third million billion percent new old big small good bad early late "
    "Universidad ciudad gobierno presidente año dijo informe escuela mercado equipo "
    "Stadt Regierung Präsident Jahr sagte Bericht Schule Markt Mannschaft über für"
).split()


@dataclass(frozen=True)
class EncoderSize:
    """Shape of the XLM-R encoder to build (tiny by default)."""

    hidden: int = 32
    layers: int = 2
    heads: int = 2
    intermediate: int = 64
    max_positions: int = 512


XLMR_LARGE = EncoderSize(hidden=1024, layers=24, heads=16, intermediate=4096)


def corpus_text(lines: int = 400, seed: int = 0) -> str:
    """Deterministic pseudo-sentences for SentencePiece training and test inputs."""
    rng = random.Random(seed)
    vocabulary = list(_WORDS) + _pseudo_words(300)
    out = []
    for _ in range(lines):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 16))]
        out.append(" ".join(words).capitalize() + ".")
    return "\n".join(out)


def _pseudo_words(n: int) -> list[str]:
    rng = random.Random(42)
    syllables = [c + v for c in "bcdfghjklmnprstvwzñš" for v in "aeiouyäé"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(n)]


def build_encoder(dest: Path, size: EncoderSize = EncoderSize(), vocab: int = 500) -> Path:
    """Train a SentencePiece model and save an XLM-R tokenizer and config into ``dest``."""
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    dest.mkdir(parents=True, exist_ok=True)
    text_file = dest / "spm-train.txt"
    text_file.write_text(corpus_text(), encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text_file),
        model_prefix=str(dest / "sentencepiece.bpe"),
        vocab_size=vocab,
        model_type="unigram",
        character_coverage=1.0,
        minloglevel=2,
    )
    text_file.unlink()
    (dest / "sentencepiece.bpe.vocab").unlink()
    tokenizer = XLMRobertaTokenizerFast(vocab_file=str(dest / "sentencepiece.bpe.model"))
    tokenizer.save_pretrained(str(dest))
    config = XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=size.hidden,
        num_hidden_layers=size.layers,
        num_attention_heads=size.heads,
        intermediate_size=size.intermediate,
        max_position_embeddings=size.max_positions + 2,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    config.save_pretrained(str(dest))
    return dest


def _model_arguments(kind: str, encoder_dir: Path, size: EncoderSize) -> tuple[Any, dict[str, Any]]:
    from evalharness.metrics.comet.inference import import_comet

    import_comet()  # without comet's logging.basicConfig and import-time warnings
    from comet.models import (
        ReferencelessRegression,
        RegressionMetric,
        UnifiedMetric,
        XCOMETMetric,
    )

    common: dict[str, Any] = {
        "pretrained_model": str(encoder_dir),
        "encoder_model": "XLM-RoBERTa",
        "load_pretrained_weights": False,  # random init from config.json
        "hidden_sizes": [16],
    }
    if kind == "regression":
        return RegressionMetric, {**common, "layer": "mix", "pool": "avg"}
    if kind == "referenceless":
        return ReferencelessRegression, {**common, "layer": "mix", "pool": "avg"}
    if kind == "unified_ref":
        return UnifiedMetric, {**common, "input_segments": ["mt", "ref"], "word_layer": size.layers}
    if kind == "xcomet":
        # XLM-R (not XL) encoder so the tiny one fits; word_layer is an encoder layer index.
        return XCOMETMetric, {**common, "word_layer": size.layers, "layer_norm": False}
    raise ValueError(f"unknown kind {kind!r}; choose from {KINDS}")


def build_model(
    dest: Path,
    kind: str = "regression",
    size: EncoderSize = EncoderSize(),
    encoder_dir: Path | None = None,
    seed: int = 0,
) -> Path:
    """Build a randomly initialised COMET model and return its checkpoint path.

    Args:
        dest: Directory for the encoder and the model.
        kind: One of :data:`KINDS`.
        size: Encoder shape (tiny by default; :data:`XLMR_LARGE` for benchmarks).
        encoder_dir: Reuse an existing encoder directory instead of building one.
        seed: Seed of the random initialisation.
    """
    encoder_dir = encoder_dir or build_encoder(dest / "encoder", size)
    cls, kwargs = _model_arguments(kind, encoder_dir, size)
    import pytorch_lightning
    import torch
    import yaml

    torch.manual_seed(seed)
    model = cls(**kwargs)
    model_dir = dest / kind
    (model_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
    hparams = dict(model.hparams)
    hparams["load_pretrained_weights"] = False
    ckpt = model_dir / "checkpoints" / "model.ckpt"
    torch.save(
        {
            "state_dict": model.state_dict(),
            "pytorch-lightning_version": pytorch_lightning.__version__,
            "hyper_parameters": hparams,
        },
        ckpt,
    )
    with open(model_dir / "hparams.yaml", "w", encoding="utf-8") as fh:
        yaml.safe_dump(_plain(hparams), fh)
    return ckpt


def _plain(value: Any) -> Any:
    """Hyper-parameters as plain YAML types (Lightning's AttributeDict, tuples)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def sample_triples(n: int, seed: int = 1) -> tuple[list[str], list[str], list[str]]:
    """``n`` deterministic (src, mt, ref) segments in the tiny tokenizer's language."""
    lines = corpus_text(3 * n, seed=seed).split("\n")
    return lines[0::3], lines[1::3], lines[2::3]
