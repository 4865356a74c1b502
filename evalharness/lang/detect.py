"""Offline language identification with py3langid (its model ships in the wheel).

The identifier is loaded once per process, on first use (about 0.3 s), so runs
that never need detection never pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evalharness.lang.profiles import LanguagePair, LanguageProfile, get_profile

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


def resolve_languages(
    given: LanguagePair | None,
    target_lines: Sequence[str],
    source_lines: Sequence[str] | None = None,
) -> LanguagePair:
    """The run's language pair: ``given`` as is, else detected from the text.

    The target is detected from the reference, the source from the source
    lines when there are any (else it stays unknown). The pair's confidence is
    the lower of the two detections.
    """
    if given is not None:
        return given
    target = identify_document(target_lines)
    source = identify_document(source_lines) if source_lines else None
    confidences = [target.confidence] + ([source.confidence] if source else [])
    return LanguagePair(
        source=get_profile(source.code) if source else None,
        target=get_profile(target.code),
        detected=True,
        confidence=round(min(confidences), 4),
        source_confidence=round(source.confidence, 4) if source else None,
        target_confidence=round(target.confidence, 4),
    )


def describe_languages(pair: LanguagePair) -> str:
    """The status line of a run's languages.

    ``languages: source en (detected, 0.99), target de (detected, 1.00)``
    """

    def side(label: str, profile: LanguageProfile | None, confidence: float | None) -> str:
        if profile is None:
            return f"{label} unknown (no --src)"
        how = f"detected, {confidence:.2f}" if pair.detected and confidence is not None else "given"
        return f"{label} {profile.code} ({how})"

    return "languages: " + ", ".join([
        side("source", pair.source, pair.source_confidence),
        side("target", pair.target, pair.target_confidence),
    ])
