"""Negation markers in a text, the words they apply to, and polarity flips between two texts.

The markers come from ``evalharness/data/negation.txt``: per language, phrases
that negate once (weight 1: "not", "never", "refused to", "kein") and phrases
that hold a negation word without negating (weight 0: "not only", "nicht nur").
Every weight-1 phrase is an equivalent way to negate, so "refused to comment"
and "would not comment" both count one negation.

A marker *applies to* the first content word after it (the word before it when
none follows: German puts "nicht" after the verb). A flip is a marker on one side
whose word occurs on the other side with no marker near it: "would not comment"
against "would comment".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from evalharness.checks.text.lexicon import fold, function_words
from evalharness.inputs.wordlists import data_lines

if TYPE_CHECKING:
    from nltk.stem.snowball import SnowballStemmer

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CLAUSE_END = re.compile(r"[.!?;:,()\[\]—–]")
LOOKAHEAD = 4
"""How many words after a marker may hold the word it applies to."""
NEAR = 2
"""A marker this many words away or closer negates a word across punctuation."""
CLAUSE_REACH = 10
"""A marker in the word's clause negates it up to this many words away (German puts
the participle at the end: "haben wir nie einen solchen Schatten gesehen")."""
_STEMMERS = {"en": "english", "de": "german"}
LEANING = -1
"""Weight of a negative-leaning word (``~`` in the data file)."""


class Word(NamedTuple):
    """One word of a text: as written, folded (lower case, plain apostrophe) and where."""

    text: str
    folded: str
    start: int
    end: int


@dataclass(frozen=True)
class Marker:
    """A negation in a text.

    Attributes:
        text: The marker as written ("not", "refused to").
        start: Offset of its first character.
        end: Offset one past its last character.
        first: Index of its first word.
        last: Index of its last word.
        language: The language whose list it comes from.
        target: Index of the word it applies to, or None when none was found.
    """

    text: str
    start: int
    end: int
    first: int
    last: int
    language: str
    target: int | None


@dataclass(frozen=True)
class Polarity:
    """The words, clauses and negation markers of one text.

    Attributes:
        text: The text.
        words: Its words.
        clauses: Per word, the number of the clause (punctuation-delimited) it is in.
        markers: Its negations (weight-1 phrases).
        leaning: Words that lean negative (weight ``~``), as ``(first, last)`` word indices.
    """

    text: str
    words: tuple[Word, ...]
    clauses: tuple[int, ...]
    markers: tuple[Marker, ...]
    leaning: tuple[tuple[int, int], ...] = ()

    @property
    def count(self) -> int:
        """How many negations the text holds."""
        return len(self.markers)

    def negated(self, index: int) -> bool:
        """True when a negation or a negative-leaning word applies to word ``index``.

        That is one :data:`NEAR` it, or one in its clause at most
        :data:`CLAUSE_REACH` words away.
        """
        spans = [(m.first, m.last) for m in self.markers] + list(self.leaning)
        for first, last in spans:
            if first <= index <= last:
                continue
            distance = first - index if first > index else index - last
            if distance <= NEAR:
                return True
            clause = self.clauses[index]
            if distance <= CLAUSE_REACH and clause in (self.clauses[first], self.clauses[last]):
                return True
        return False


@dataclass(frozen=True)
class Flip:
    """A negation of one text whose word the other text has without negation."""

    marker: Marker
    word: Word
    other: Word


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[tuple[str, ...], int]
    suffixes: tuple[tuple[str, int], ...]
    skip: frozenset[str]
    by_first: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    """Phrases by their first word, longest first."""
    suffix_ends: tuple[str, ...]


@cache
def negation_languages() -> frozenset[str]:
    """Languages that ``negation.txt`` has markers for."""
    return frozenset(line.split()[0] for line in data_lines("negation.txt"))


@cache
def _lexicon(language: str) -> _Lexicon:
    phrases: dict[tuple[str, ...], int] = {}
    suffixes: list[tuple[str, int]] = []
    skip: set[str] = set()
    for line in data_lines("negation.txt"):
        code, weight_text, *words = line.split()
        if code != language:
            continue
        if weight_text == "-":
            skip.update(words)
            continue
        weight = LEANING if weight_text == "~" else int(weight_text)
        if len(words) == 1 and words[0].startswith("*"):
            suffixes.append((words[0][1:], weight))
        else:
            phrases[tuple(words)] = weight
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for phrase, weight in phrases.items():
        by_first.setdefault(phrase[0], []).append((phrase, weight))
    ordered = {
        first: tuple(sorted(items, key=lambda item: len(item[0]), reverse=True))
        for first, items in by_first.items()
    }
    return _Lexicon(phrases, tuple(suffixes), frozenset(skip), ordered,
                    tuple(suffix for suffix, _ in suffixes))


@cache
def _stemmer(language: str) -> SnowballStemmer | None:
    from evalharness.inputs.nltk_parts import nltk_parts  # Snowball without all of NLTK and SciPy

    name = _STEMMERS.get(language)
    stemmer: SnowballStemmer | None = nltk_parts().snowball_stemmer(name) if name else None
    return stemmer


@lru_cache(maxsize=1 << 16)
def _stem(word: str, language: str) -> str:
    """The word's Snowball stem in ``language`` ("" when there is no stemmer)."""
    stemmer = _stemmer(language)
    return "" if stemmer is None else str(stemmer.stem(word))


def _fold(word: str) -> str:
    return word.replace("’", "'").lower()


@cache
def _hint(languages: frozenset[str]) -> re.Pattern[str]:
    """Matches wherever a marker of ``languages`` may start (a cheap first look)."""
    firsts: set[str] = set()
    suffixes: set[str] = set()
    for code in languages:
        lexicon = _lexicon(code)
        firsts.update(first for first, items in lexicon.by_first.items()
                      if any(weight for _, weight in items))
        suffixes.update(lexicon.suffix_ends)
    words = "|".join(re.escape(w) for w in sorted(firsts, key=len, reverse=True))
    ends = "|".join(re.escape(s).replace("'", "['’]") for s in sorted(suffixes))
    alternatives = [f"(?<!\\w)(?:{words})(?!\\w)"] if words else []
    alternatives += [f"(?:{ends})(?!\\w)"] if ends else []
    return re.compile("|".join(alternatives) or "(?!)", re.IGNORECASE)


def may_negate(text: str, languages: Iterable[str]) -> bool:
    """False when ``text`` surely holds no negation or negative-leaning word of ``languages``."""
    return _hint(frozenset(languages)).search(text) is not None


def analyse(text: str, languages: Iterable[str]) -> Polarity:
    """The words and negation markers of ``text``, using the lists of ``languages``."""
    words = tuple(
        Word(m.group(), _fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)
    )
    lexicons = [(code, _lexicon(code)) for code in sorted(languages)]
    markers: list[Marker] = []
    leaning: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        found = _match(words, index, lexicons)
        if found is None:
            index += 1
            continue
        code, length, weight = found
        last = index + length - 1
        if weight == LEANING:
            leaning.append((index, last))
        elif weight:
            target = _target(text, words, index, last, lexicons)
            markers.append(Marker(text[words[index].start : words[last].end],
                                  words[index].start, words[last].end, index, last, code, target))
        index += length
    clauses = _clauses(text, words) if markers or leaning else ()
    return Polarity(text, words, clauses, tuple(markers), tuple(leaning))


def count_unspaced(text: str, language: str) -> int:
    """Negations in a text of a language written without spaces (Chinese).

    Phrases are matched as substrings, longest first; weight-0 phrases hide their
    characters ("不同", different, holds no negation).
    """
    lexicon = _lexicon(language)
    phrases = sorted(("".join(p), w) for p, w in lexicon.phrases.items())
    phrases.sort(key=lambda item: len(item[0]), reverse=True)
    count = 0
    position = 0
    while position < len(text):
        match = next(((p, w) for p, w in phrases if text.startswith(p, position)), None)
        if match is None:
            position += 1
            continue
        count += max(match[1], 0)
        position += len(match[0])
    return count


def _clauses(text: str, words: tuple[Word, ...]) -> tuple[int, ...]:
    breaks = [m.start() for m in _CLAUSE_END.finditer(text)]
    numbers = []
    position = 0
    for word in words:
        while position < len(breaks) and breaks[position] < word.start:
            position += 1
        numbers.append(position)
    return tuple(numbers)


def _match(
    words: tuple[Word, ...], index: int, lexicons: list[tuple[str, _Lexicon]]
) -> tuple[str, int, int] | None:
    """The longest marker phrase starting at ``words[index]``: language, length, weight."""
    first = words[index].folded
    for code, lexicon in lexicons:
        for phrase, weight in lexicon.by_first.get(first, ()):
            end = index + len(phrase)
            if end <= len(words) and all(
                words[index + k].folded == part for k, part in enumerate(phrase[1:], 1)
            ):
                return code, len(phrase), weight
        if lexicon.suffix_ends and first.endswith(lexicon.suffix_ends):
            for suffix, weight in lexicon.suffixes:
                if first.endswith(suffix) and first != suffix:
                    return code, 1, weight
    return None


def _is_marker_word(word: Word, lexicons: list[tuple[str, _Lexicon]]) -> bool:
    return any(
        (word.folded,) in lexicon.phrases
        or bool(lexicon.suffix_ends) and word.folded.endswith(lexicon.suffix_ends)
        for _, lexicon in lexicons
    )


def _content(word: Word, lexicons: list[tuple[str, _Lexicon]]) -> bool:
    if len(word.folded) < 3 or word.folded in function_words():
        return False
    if any(word.folded in lexicon.skip for _, lexicon in lexicons):
        return False
    return not _is_marker_word(word, lexicons)


def _target(
    text: str,
    words: tuple[Word, ...],
    first: int,
    last: int,
    lexicons: list[tuple[str, _Lexicon]],
) -> int | None:
    """The word a marker applies to: the next content word in its clause, else the one before."""
    for index in range(last + 1, min(last + 1 + LOOKAHEAD, len(words))):
        if _CLAUSE_END.search(text, words[index - 1].end, words[index].start):
            break
        if _content(words[index], lexicons):
            return index
    for index in range(first - 1, max(first - 1 - LOOKAHEAD, -1), -1):
        if _CLAUSE_END.search(text, words[index].end, words[index + 1].start):
            break
        if _content(words[index], lexicons):
            return index
    return None


def same_word(a: str, b: str, language: str) -> bool:
    """True when two folded words are forms of one word ("published"/"publish")."""
    a, b = fold(a), fold(b)
    if a == b:
        return True
    if _stem(a, language) == _stem(b, language) != "":
        return True
    shorter = min(len(a), len(b))
    common = len(_common_prefix(a, b))
    return shorter >= 5 and common >= max(5, int(0.8 * shorter))


def _common_prefix(a: str, b: str) -> str:
    end = 0
    while end < min(len(a), len(b)) and a[end] == b[end]:
        end += 1
    return a[:end]


def _occurrences(polarity: Polarity, word: str, language: str) -> tuple[list[int], list[int]]:
    """Indices of the forms of ``word`` in ``polarity``: negated ones, then plain ones."""
    negated: list[int] = []
    plain: list[int] = []
    for index, other in enumerate(polarity.words):
        if same_word(word, other.folded, language):
            (negated if polarity.negated(index) else plain).append(index)
    return negated, plain


def flips(negated: Polarity, plain: Polarity) -> list[Flip]:
    """Markers of ``negated`` whose word ``plain`` has more often without negation.

    A marker whose word ``plain`` does not contain says nothing (a paraphrase),
    and neither does one whose word ``plain`` negates as often. Of several markers
    of one word, the one nearest (by relative position) to the plain form is kept.
    """
    best: dict[str, tuple[float, Flip]] = {}
    for marker in negated.markers:
        if marker.target is None:
            continue
        word = negated.words[marker.target]
        mine_negated, mine_plain = _occurrences(negated, word.folded, marker.language)
        theirs_negated, theirs_plain = _occurrences(plain, word.folded, marker.language)
        if len(theirs_plain) <= len(mine_plain) or len(theirs_negated) >= len(mine_negated):
            continue
        here = word.start / max(len(negated.text), 1)
        distance, other = min(
            (abs(plain.words[i].start / max(len(plain.text), 1) - here), i) for i in theirs_plain
        )
        key = fold(word.folded)
        if key not in best or distance < best[key][0]:
            best[key] = (distance, Flip(marker, word, plain.words[other]))
    return sorted((flip for _, flip in best.values()), key=lambda f: f.marker.start)
