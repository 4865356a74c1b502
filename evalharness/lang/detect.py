"""Offline language identification with py3langid (its model ships in the wheel).

The identifier is loaded once per process, on first use (about 0.3 s), so runs
that never need detection never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

DETECTION_SAMPLE_CHARS = 20_000
"""Whole-document detection reads at most this many characters, spread over the text."""


@dataclass(frozen=True)
class Detection:
    """One language-identification result.

    Attributes:
        code: ISO 639-1 code of the most likely language (``de``, ``zh``, ...).
        confidence: Normalised probability of that language, in [0, 1].
    """

    code: str
    confidence: float


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid.langid as langid

    return langid.LanguageIdentifier.from_pickled_model(langid.MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def supported_languages() -> frozenset[str]:
    """The language codes the identifier can return."""
    return frozenset(str(code) for code in _identifier().nb_classes)


def identify(text: str) -> Detection:
    """The most likely language of ``text`` (``und`` with confidence 0 for no letters)."""
    if not any(ch.isalpha() for ch in text):
        return Detection("und", 0.0)
    code, prob = _identifier().classify(text)
    return Detection(str(code), float(prob))


def identify_many(texts: Sequence[str]) -> list[Detection]:
    """:func:`identify` for each text, in order."""
    return [identify(text) for text in texts]


def identify_document(lines: Sequence[str]) -> Detection:
    """The language of a whole document, from a sample of its lines spread over it."""
    total = sum(len(line) for line in lines)
    if total <= DETECTION_SAMPLE_CHARS:
        return identify("\n".join(lines))
    step = max(1, round(total / DETECTION_SAMPLE_CHARS))
    return identify("\n".join(lines[::step]))
