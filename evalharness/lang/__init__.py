"""Language profiles and offline language detection."""

from evalharness.lang.profiles import (
    LanguagePair,
    LanguageProfile,
    get_profile,
    parse_language_pair,
)

__all__ = ["LanguagePair", "LanguageProfile", "get_profile", "parse_language_pair"]
