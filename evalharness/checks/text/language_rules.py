"""What the target language changes in the checks' text analysis.

English (or an unknown target, ``None``) keeps the checks' original rules. For
another target:

- names: where capitals do not mark names (German nouns), a capitalised word
  is a name only when it is about as common in English as in the target
  (:func:`evalharness.lang.words.is_international`); in caseless scripts only
  Latin-script words are capitalised, so only they can be names;
- content words: the target's own function words (its most frequent words)
  and lemmas (simplemma) instead of the English list and stemmer;
- languages written without spaces (Chinese, Japanese, Thai...) have no words
  to align, so the omission/addition checks compare whole segments only.
"""

from __future__ import annotations

from collections.abc import Sequence

from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import CONNECTORS, fold
from evalharness.lang.profiles import LanguageProfile
from evalharness.lang.words import function_words_of, is_international, lemma

GENERIC_MIN_LETTERS = 3
"""Without a function-word list, words of fewer letters are not content words."""


def english_rules(profile: LanguageProfile | None) -> bool:
    """True when the checks' original (English) rules apply to this target."""
    return profile is None or profile.code == "en"


def keep_names(entities: Sequence[Entity], profile: LanguageProfile | None) -> tuple[Entity, ...]:
    """The entities that are names in the target language.

    Only cased languages whose capitals do not mark names lose entities:
    there a name needs every word (connectors aside) to be international,
    or to be an acronym.
    """
    if profile is None or profile.capitalised_names or not profile.cased:
        return tuple(entities)
    kept = []
    for entity in entities:
        if entity.kind == "acronym":
            kept.append(entity)
            continue
        words = [w for w in entity.words if fold(w) not in CONNECTORS]
        if words and all(is_international(w.lower(), profile.code) for w in words):
            kept.append(entity)
    return tuple(kept)


def compares_words(profile: LanguageProfile | None) -> bool:
    """True when the target's words can be aligned (the language separates words)."""
    return profile is None or profile.spaces_between_words


def is_target_content_word(folded: str, code: str) -> bool:
    """A content word of language ``code``: not among its function words, long enough."""
    if folded.isdigit() or len(folded) < 2:
        return False
    function_words = function_words_of(code)
    if not function_words:
        return len(folded) >= GENERIC_MIN_LETTERS
    return folded not in function_words


def target_key(word: str, code: str) -> str:
    """The folded lemma of ``word`` in ``code`` (its folded form without a lemmatiser)."""
    return fold(lemma(word, code))
