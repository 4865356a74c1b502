"""Finding glossary terms in text, inflected forms included.

A term matches a run of consecutive words. Two words match when they are equal
(letter case folded unless the term is case-sensitive), when they share a lemma
(simplemma, for the languages it covers and only when the language is known),
or, without a lemmatizer, when one is the other plus a short inflectional ending
(prefix-stem rule: ``Konto``/``Konten``, ``file``/``files``). In compounding
languages (German, Dutch, the Nordic languages) a one-word term also matches as
the first or last part of a compound: ``Konto`` in ``Kontostand`` and
``Benutzerkonten``. A finder for an unknown language may be ``open``: then a
term word also matches any word it begins (``Datei`` in ``Dateigröße``), which
keeps compounds and inflections from looking like missing terms when nothing
is known of the language. Languages written without spaces (Chinese, Japanese,
Thai) match terms as plain substrings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from evalharness.checks.text.lexicon import strip_accents

_WORD = re.compile(r"\w+", re.UNICODE)
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "nn", "no", "is", "fi", "af", "lb"})
NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
MIN_STEM = 4
"""Shortest shared prefix the prefix-stem rule accepts."""
MAX_ENDING = 4
"""Longest ending the prefix-stem rule lets the longer word add."""


@dataclass(frozen=True)
class Word:
    """One word of a text.

    Attributes:
        text: The word as written.
        start: Offset of its first character.
        end: Offset one past its last character.
        folded: ``text`` case-folded.
        lemma: Case-folded lemma ('' when no lemmatizer applies).
    """

    text: str
    start: int
    end: int
    folded: str
    lemma: str


@lru_cache(maxsize=1)
def lemma_languages() -> frozenset[str]:
    """Languages simplemma lemmatizes (empty when simplemma is missing)."""
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:  # pragma: no cover - simplemma is a dependency
        return frozenset()
    return frozenset(SUPPORTED_LANGUAGES)


@lru_cache(maxsize=65536)
def lemma_of(word: str, lang: str) -> str:
    """Case-folded simplemma lemma of ``word`` in ``lang``."""
    import simplemma

    return str(simplemma.lemmatize(word, lang=lang)).casefold()


def stem_match(a: str, b: str) -> bool:
    """The prefix-stem rule: one folded word is the other plus a short ending.

    The shorter word (four letters or more) is a prefix of the longer one, which
    adds at most four letters; or all but its last letter are, and the longer
    word adds at most two (``Konto``/``Konten``, not ``Konto``/``Kontakt``).

    Diacritics are ignored, so umlaut plurals match (``Passwort``/``Passwörter``).
    """
    if a == b:
        return True
    a, b = strip_accents(a), strip_accents(b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_STEM:
        return False
    prefix = 0
    for x, y in zip(short, long, strict=False):
        if x != y:
            break
        prefix += 1
    if prefix == len(short):
        return len(long) - prefix <= MAX_ENDING
    # A changed last letter (Konto/Konten) allows only a short new ending (not Konto/Kontakt).
    return prefix >= max(MIN_STEM, len(short) - 1) and len(long) - prefix <= 2


class TermFinder:
    """Finds terms in texts of one language.

    Args:
        lang: Language code of the texts (``None``: unknown; then only exact
            and prefix-stem matching, no lemmas and no compounds).
        open_ended: With an unknown language, let a term word match any word
            that begins with it (for searching a hypothesis for a required term).
    """

    def __init__(self, lang: str | None, *, open_ended: bool = False) -> None:
        self.lang = lang.lower().split("-")[0] if lang else None
        self.lemmas = self.lang in lemma_languages()
        self.compounds = self.lang in COMPOUNDING
        self.spaced = self.lang not in NO_SPACES
        self.open_ended = open_ended and self.lang is None

    def words(self, text: str) -> tuple[Word, ...]:
        """The words of ``text`` with their lemmas."""
        return tuple(
            Word(m.group(), m.start(), m.end(), m.group().casefold(), self._lemma(m.group()))
            for m in _WORD.finditer(text)
        )

    def _lemma(self, word: str) -> str:
        if not self.lemmas or self.lang is None or word.isdigit():
            return ""
        return lemma_of(word, self.lang)

    def find(
        self, term: str, text: str, *, case_sensitive: bool = False, inflected: bool = True
    ) -> list[tuple[int, int]]:
        """Offsets (start, end) of every occurrence of ``term`` in ``text``.

        Args:
            term: The term (one or more words).
            text: The text to search.
            case_sensitive: Letter case must match (inflected forms keep the
                case of the term's first letter).
            inflected: Accept inflected forms; False: the exact words only.
        """
        if not term.strip():
            return []
        if not self.spaced or not _WORD.search(term):
            return _substrings(term, text, case_sensitive)
        return self.find_words(self.words(term), self.words(text), case_sensitive, inflected)

    def find_words(
        self,
        term: Sequence[Word],
        text: Sequence[Word],
        case_sensitive: bool = False,
        inflected: bool = True,
    ) -> list[tuple[int, int]]:
        """Like :meth:`find` on words already split (a caller reuses a text's words)."""
        n = len(term)
        found = []
        for i in range(len(text) - n + 1):
            last = i + n - 1
            if all(
                self._same(term[k], text[i + k], case_sensitive, inflected, single=(n == 1))
                for k in range(n)
            ):
                found.append((text[i].start, text[last].end))
        return found

    def _same(self, term: Word, word: Word, case: bool, inflected: bool, single: bool) -> bool:
        if (word.text == term.text) if case else (word.folded == term.folded):
            return True
        if not inflected or (case and not _case_kept(word.text, term.text)):
            return False
        if self.compounds and single and _compound_part(word, term):
            return True
        if self.open_ended and len(term.folded) >= MIN_STEM and word.folded.startswith(term.folded):
            return True
        if self.lemmas and term.lemma and word.lemma:
            # Either side may be the dictionary form the other reduces to
            # (French ``mise`` lemmatizes to ``mettre``, ``mises`` to ``mise``).
            if {word.lemma, word.folded} & {term.lemma, term.folded}:
                return True
            return stem_match(word.folded, term.folded) and self._unknown(word)
        return stem_match(word.folded, term.folded)

    def _unknown(self, word: Word) -> bool:
        # A word the lemmatizer does not know falls back to the stem rule.
        return word.lemma == word.folded


def _case_kept(word: str, term: str) -> bool:
    """The letters an inflected form shares with a case-sensitive term keep their case."""
    shared = 0
    for x, y in zip(word.casefold(), term.casefold(), strict=False):
        if x != y:
            break
        shared += 1
    return shared > 0 and word[:shared] == term[:shared]


def _compound_part(word: Word, term: Word) -> bool:
    """``word`` is a compound that begins or ends with ``term`` (``Kontostand``, ``Benutzerkonten``)."""
    if len(term.folded) < MIN_STEM or len(word.folded) <= len(term.folded) + 2:
        return False
    if word.folded.startswith(term.folded) or word.folded.endswith(term.folded):
        return True
    head = term.lemma or term.folded
    return bool(word.lemma) and word.lemma.endswith(head)


def _substrings(term: str, text: str, case_sensitive: bool) -> list[tuple[int, int]]:
    needle, hay = (term, text) if case_sensitive else (term.casefold(), text.casefold())
    if not case_sensitive and len(hay) != len(text):
        hay, needle = text.lower(), term.lower()
    found, start = [], hay.find(needle)
    while start >= 0 and needle:
        found.append((start, start + len(needle)))
        start = hay.find(needle, start + len(needle))
    return found
