"""Language profiles: every language-dependent decision of a run reads one.

A run has one :class:`LanguagePair` (from ``-l src-tgt``, or detected from the
text). Each side is a :class:`LanguageProfile`: a built-in one for languages we
know, or a generic one (``known=False``) for any other valid code, which gets
every metric and only script-generic checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from evalharness.errors import UsageError

RTL_LANGUAGES = frozenset({"he", "ar", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


@dataclass(frozen=True)
class LanguageProfile:
    """What evalharness knows about one language.

    Attributes:
        code: ISO 639-1 code where one exists (``en``, ``de``, ``zh``), else ISO 639-3.
        name: English name (``German``).
        script: ISO 15924 script code (``Latn``, ``Cyrl``, ``Hans``, ``Jpan``, ``Hebr``).
        direction: ``ltr`` or ``rtl``.
        bleu_tokenizer: The BLEU tokenizer sacrebleu picks for this target
            (``zh``, ``ja-mecab``, ``ko-mecab``, else ``13a``).
        ter_asian: Whether TER needs sacrebleu's Asian support for this target.
        cased: The script distinguishes upper and lower case.
        capitalised_names: A capital inside a sentence marks a name (English,
            French, ...), not every noun (German) and not nothing (caseless scripts).
        spaces_between_words: Words are separated by spaces (not zh, ja, th, ...).
        decimal_sep: Decimal separator in numbers (``.`` or ``,``).
        group_seps: Thousands separators in numbers.
        known: True for a built-in profile; False for the generic fallback.
    """

    code: str
    name: str
    script: str = "Latn"
    direction: str = "ltr"
    bleu_tokenizer: str = "13a"
    ter_asian: bool = False
    cased: bool = True
    capitalised_names: bool = True
    spaces_between_words: bool = True
    decimal_sep: str = "."
    group_seps: tuple[str, ...] = (",",)
    known: bool = True


@dataclass(frozen=True)
class LanguagePair:
    """The languages of one run.

    Attributes:
        source: The source language (``None`` when unknown and not needed).
        target: The target language: the language of references and hypotheses.
        detected: True when detected from the text rather than given with ``-l``.
        confidence: Detection confidence in [0, 1], the lower of the two sides
            (``None`` when given).
        source_confidence: Detection confidence of the source alone.
        target_confidence: Detection confidence of the target alone.
    """

    source: LanguageProfile | None
    target: LanguageProfile
    detected: bool = False
    confidence: float | None = None
    source_confidence: float | None = None
    target_confidence: float | None = None

    def to_dict(self) -> dict[str, object]:
        """The report's ``languages`` object."""
        return {
            "source": self.source.code if self.source else None,
            "target": self.target.code,
            "detected": self.detected,
            "confidence": self.confidence,
            "source_confidence": self.source_confidence,
            "target_confidence": self.target_confidence,
            "source_name": self.source.name if self.source else None,
            "target_name": self.target.name,
            "direction": {
                "source": self.source.direction if self.source else None,
                "target": self.target.direction,
            },
        }


_COMMA_DECIMAL = dict(decimal_sep=",", group_seps=(".", " ", "\u00a0", "\u202f"))
_PROFILES: dict[str, LanguageProfile] = {
    p.code: p
    for p in (
        LanguageProfile("en", "English"),
        LanguageProfile("de", "German", capitalised_names=False, **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("fr", "French", decimal_sep=",", group_seps=(" ", "\u00a0", "\u202f", ".")),
        LanguageProfile("es", "Spanish", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("it", "Italian", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("pt", "Portuguese", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("nl", "Dutch", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("cs", "Czech", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("pl", "Polish", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("ru", "Russian", script="Cyrl", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("uk", "Ukrainian", script="Cyrl", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile("tr", "Turkish", **_COMMA_DECIMAL),  # type: ignore[arg-type]
        LanguageProfile(
            "zh", "Chinese", script="Hans", bleu_tokenizer="zh", ter_asian=True, cased=False,
            capitalised_names=False, spaces_between_words=False,
        ),
        LanguageProfile(
            "ja", "Japanese", script="Jpan", bleu_tokenizer="ja-mecab", ter_asian=True,
            cased=False, capitalised_names=False, spaces_between_words=False,
        ),
        LanguageProfile(
            "ko", "Korean", script="Kore", bleu_tokenizer="ko-mecab", ter_asian=True,
            cased=False, capitalised_names=False,
        ),
        LanguageProfile("he", "Hebrew", script="Hebr", direction="rtl", cased=False, capitalised_names=False),
        LanguageProfile("ar", "Arabic", script="Arab", direction="rtl", cased=False, capitalised_names=False),
    )
}


def known_profiles() -> tuple[LanguageProfile, ...]:
    """The built-in profiles."""
    return tuple(_PROFILES.values())


def get_profile(code: str) -> LanguageProfile:
    """The profile for a language code: built-in, or generic for another valid code.

    Raises:
        UsageError: ``code`` is not a language code.
    """
    key = code.strip().lower().replace("_", "-").split("-")[0]
    if key in _PROFILES:
        return _PROFILES[key]
    if not key.isalpha() or len(key) not in (2, 3):
        raise UsageError(f"unknown language code {code!r}")
    return LanguageProfile(
        key, key, direction="rtl" if key in RTL_LANGUAGES else "ltr",
        spaces_between_words=key not in NO_SPACE_LANGUAGES, known=False,
    )


def parse_language_pair(spec: str) -> LanguagePair:
    """Parse sacrebleu-style ``SRC-TGT`` (``en-de``).

    Raises:
        UsageError: not of the form ``SRC-TGT``, or an unknown code.
    """
    parts = spec.strip().split("-")
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--language-pair must look like 'en-de', got {spec!r}")
    try:
        return LanguagePair(get_profile(parts[0]), get_profile(parts[1]))
    except UsageError as exc:
        raise UsageError(f"language pair {spec!r}: {exc}") from None
