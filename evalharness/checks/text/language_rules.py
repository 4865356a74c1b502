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
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import CONNECTORS, fold, function_words, tokenize
from evalharness.checks.text.paraphrase import core, has_clitics, is_clitic_function_word
from evalharness.lang.profiles import LanguageProfile
from evalharness.lang.words import function_words_of, is_international, lemma, zipf

GENERIC_MIN_LETTERS = 3
"""Without a function-word list, words of fewer letters are not content words."""


def english_rules(profile: LanguageProfile | None) -> bool:
    """True when the checks' original (English) rules apply to this target."""
    return profile is None or profile.code == "en"


def keep_names(
    entities: Sequence[Entity], profile: LanguageProfile | None, source: str | None = None
) -> tuple[Entity, ...]:
    """The entities that are names in the target language.

    Only cased languages whose capitals do not mark names (German) lose
    entities. With a source, a name's every word (connectors aside) must be
    written with a capital in the source, or be close to such a word (a
    misspelt or transliterated name); without one, every word must be
    international (known to English about as well as to the target), and
    acronyms stay.

    Args:
        entities: The capitalised-run entities of one segment side.
        profile: The target language (``None``: unknown, all entities stay).
        source: The segment's source text, when there is one.
    """
    if profile is None or profile.capitalised_names or not profile.cased:
        return tuple(entities)
    capitals = source_capitals(source) if source else None
    kept = []
    for entity in entities:
        words = [fold(w) for w in entity.words if fold(w) not in CONNECTORS]
        if capitals is not None:
            if words and all(_in_source(w, capitals) for w in words):
                kept.append(entity)
        elif entity.kind == "acronym" or (
            words and all(_international(w, profile.code) for w in words)
        ):
            kept.append(entity)
    return tuple(kept)


SOURCE_SIMILAR = 0.85
"""Jaro-Winkler similarity at which a target word still renders a source name."""


@lru_cache(maxsize=4096)
def source_capitals(source: str) -> frozenset[str]:
    """Folded words of ``source`` written with a capital, sentence openers aside."""
    return frozenset(
        t.folded for t in tokenize(source)
        if t.capitalised and (not t.initial or t.is_acronym or t.folded not in function_words())
    )


def _in_source(folded: str, capitals: frozenset[str]) -> bool:
    if folded in capitals:
        return True
    return any(JaroWinkler.similarity(folded, c) >= SOURCE_SIMILAR for c in capitals)


def _international(folded: str, code: str) -> bool:
    return zipf(folded, "en") > 0 and is_international(folded, code)


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
    if folded in function_words:
        return False
    return not (has_clitics(code) and is_clitic_function_word(folded, code, function_words))


def target_key(word: str, code: str) -> str:
    """The folded lemma of ``word`` in ``code`` (its folded form without a lemmatiser).

    In languages with clitic prefixes, the lemma of the word without them.
    """
    if has_clitics(code):
        return fold(lemma(core(fold(word), code), code))
    return fold(lemma(word, code))
