"""Word lists, tokens and word normalisation shared by the checks.

The lists live in ``evalharness/data/checks_*.txt`` and hold only generic
English words (function words, titles, organisation head words, well-known
aliases, web boilerplate); nothing in them is specific to one text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from evalharness.inputs.nltk_parts import nltk_parts
from evalharness.inputs.wordlists import data_lines

CONNECTORS = frozenset(
    ["of", "for", "and", "the", "de", "da", "del", "della", "di", "do", "dos", "das", "du", "des", "la", "le", "el", "al", "bin", "ibn", "van", "von", "der", "den", "y", "et"]
)
"""Lower-case words allowed inside a capitalised name ("Bank of England")."""

_WORD = r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['’\-](?![^\W\d_]\.)[^\W\d_]+)*"
WORD_RE = re.compile(_WORD)
_END_CHARS = frozenset(".!?:;")
_SENTENCE_END_RE = re.compile(r"[.!?:;]['\"”’)\]]*\s+$")

_STEMMER = nltk_parts().snowball_stemmer("english")


class Token:
    """One word of a text.

    Attributes:
        text: The word as written, possessive ending included.
        start: Offset of its first character.
        end: Offset one past its last character.
        initial: True when it opens a sentence (only punctuation before it).
        base: The word without a possessive ending ("Russia's" -> "Russia").
        folded: :func:`fold` of ``base``.
        possessive: True for "Russia's".
        capitalised: True when the first letter is upper case.
        is_acronym: True for "NATO", "U.S.", "IoT": two or more capitals, no
            lower-case run of 3+.
    """

    __slots__ = ("base", "capitalised", "end", "folded", "initial", "is_acronym", "possessive",
                 "start", "text")

    def __init__(self, text: str, start: int, end: int, initial: bool) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.initial = initial
        self.base, self.folded, self.capitalised, self.is_acronym = word_shape(text)
        self.possessive = len(self.base) != len(text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return (self.text, self.start, self.end, self.initial) == (
            other.text, other.start, other.end, other.initial)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end, self.initial))

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, {self.initial})"


@lru_cache(maxsize=1 << 18)
def word_shape(text: str) -> tuple[str, str, bool, bool]:
    """``(base, folded base, capitalised, acronym)`` of one word as written (cached per word)."""
    base = text[:-2] if len(text) > 2 and text[-2:] in ("'s", "’s") else text
    letters = [c for c in base if c.isalpha()]
    caps = sum(c.isupper() for c in letters)
    acronym = caps >= 2 and caps * 2 >= len(letters) and len(letters) <= 8
    return base, fold(base), text[:1].isupper(), acronym


def tokenize(text: str, sentence_starts: tuple[int, ...] = (0,)) -> list[Token]:
    """Split text into word tokens and mark sentence-initial ones.

    Args:
        text: The text.
        sentence_starts: Offsets where a sentence begins (the first word at or
            after each offset is sentence-initial); a word after ``. ! ? : ;`` and
            whitespace is sentence-initial as well.

    Returns:
        The word tokens in order; digits and punctuation are not words.
    """
    starts = sorted(sentence_starts)
    count = len(starts)
    next_start = 0
    upcoming = starts[0] if starts else len(text) + 1
    tokens: list[Token] = []
    append = tokens.append
    last: Token | None = None
    last_end = -1
    search_end = _SENTENCE_END_RE.search
    for match in WORD_RE.finditer(text):
        begin, end = match.span()
        initial = False
        if begin >= upcoming:
            while next_start < count and starts[next_start] <= begin:
                between = text[starts[next_start] : begin]
                initial = initial or not any(ch.isalnum() for ch in between)
                next_start += 1
            upcoming = starts[next_start] if next_start < count else len(text) + 1
        if last is None:
            initial = initial or not any(ch.isalnum() for ch in text[:begin])
        elif not initial and not (begin - last_end == 1 and text[last_end] == " "):
            gap = text[last_end:begin]
            if not _END_CHARS.isdisjoint(gap) and not last.is_acronym:
                initial = search_end(gap) is not None
        last = Token(match.group(), begin, end, initial)
        last_end = end
        append(last)
    return tokens


_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"}
)


@lru_cache(maxsize=1 << 18)
def strip_accents(text: str) -> str:
    """Remove diacritics, keep case: "Adıyaman Łódź" -> "Adiyaman Lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Case-fold, strip diacritics and dots: "Andrés" -> "andres", "U.S." -> "us"."""
    return strip_accents(text).replace(".", "").replace("’", "'").casefold()


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Snowball stem of the folded word ("studies" -> "studi")."""
    return _STEMMER.stem(fold(word))


@cache
def function_words() -> frozenset[str]:
    """English function words and sentence openers (lower case)."""
    return frozenset(data_lines("checks_function_words.txt"))


@cache
def title_words() -> frozenset[str]:
    """Titles written before names ("professor", "minister")."""
    return frozenset(w for w in data_lines("checks_titles.txt") if not w.startswith("+"))


@cache
def title_modifiers() -> frozenset[str]:
    """Words that may precede a title ("deputy", "foreign")."""
    return frozenset(w[1:] for w in data_lines("checks_titles.txt") if w.startswith("+"))


@cache
def head_words() -> dict[str, str]:
    """Organisation/place head words mapped to one canonical spelling."""
    heads: dict[str, str] = {}
    for line in data_lines("checks_entity_heads.txt"):
        spellings = line.split()
        for spelling in spellings:
            heads[spelling] = spellings[0]
    return heads


@cache
def alias_groups() -> dict[str, int]:
    """Folded alias -> group number, from ``checks_aliases.txt``."""
    groups: dict[str, int] = {}
    for number, line in enumerate(data_lines("checks_aliases.txt")):
        for alias in line.split("|"):
            groups[fold(alias)] = number
    return groups


@cache
def alias_members() -> dict[int, tuple[str, ...]]:
    """Alias group number -> its names as written ("US", "United States", ...)."""
    members: dict[int, tuple[str, ...]] = {}
    for number, line in enumerate(data_lines("checks_aliases.txt")):
        members[number] = tuple(line.split("|"))
    return members


@cache
def boilerplate_phrases() -> tuple[str, ...]:
    """Lower-case web boilerplate phrases ("share this", "read more")."""
    return data_lines("checks_boilerplate.txt")


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)


def is_calendar_word(word: str) -> bool:
    """Month or weekday names (full or abbreviated), which are dates, not names."""
    folded = fold(word)
    return folded in WEEKDAYS or (folded in MONTHS and len(folded) >= 3 and folded != "may")


@lru_cache(maxsize=1 << 18)
def is_content_word(word: str) -> bool:
    """A word that carries meaning: not a function word and at least two letters."""
    folded = fold(word)
    return len(folded) >= 2 and folded not in function_words() and not folded.isdigit()
