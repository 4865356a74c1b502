"""Which languages the default COMET models know: XLM-R's 100 training languages.

The list is data (``evalharness/data/xlmr_languages.txt``). A run whose source
or target language is outside it still gets a COMET score, with a warning in the
report: the encoder never saw that language, so the scores are not reliable.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from evalharness.inputs.wordlists import data_lines
from evalharness.lang.profiles import LanguagePair
from evalharness.records import MetricResult

#: Codes written differently from XLM-R's list (Bokmål and Nynorsk are "no" there).
ALIASES = {"nb": "no", "nn": "no", "fil": "tl", "iw": "he", "zho": "zh", "ckb": "ku", "kmr": "ku"}


@lru_cache(maxsize=1)
def xlmr_languages() -> frozenset[str]:
    """The ISO codes of XLM-R's training languages."""
    return frozenset(code for line in data_lines("xlmr_languages.txt") for code in line.split())


def covered(code: str) -> bool:
    """Whether XLM-R was trained on this language."""
    return ALIASES.get(code, code) in xlmr_languages()


def coverage_warnings(languages: LanguagePair | None, model: str) -> list[str]:
    """One warning per side whose language XLM-R was not trained on (none when unknown)."""
    if languages is None:
        return []
    warnings = []
    for side, profile in (("source", languages.source), ("target", languages.target)):
        if profile is None or profile.code == "und" or covered(profile.code):
            continue
        name = profile.code if profile.name == profile.code else f"{profile.name} ({profile.code})"
        warnings.append(
            f"{side} language {name} is not one of the 100 languages of "
            f"XLM-R, the encoder of {model}; its COMET scores are not reliable"
        )
    return warnings


def with_coverage_warnings(
    results: dict[str, MetricResult], languages: LanguagePair | None
) -> dict[str, MetricResult]:
    """COMET's result with ``warnings`` when a language is outside its encoder's training set."""
    comet = results.get("comet")
    if comet is None or comet.status != "ok":
        return results
    warnings = coverage_warnings(languages, str(comet.extra.get("model") or "the COMET model"))
    if not warnings:
        return results
    extra = {**comet.extra, "warnings": [*comet.extra.get("warnings", ()), *warnings]}
    return {**results, "comet": replace(comet, extra=extra)}
