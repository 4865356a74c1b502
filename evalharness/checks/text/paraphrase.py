"""Telling paraphrase from omission in languages other than English.

Three general rules, applied to every target other than English (whose
original rules stay as calibrated):

- **Clitic prefixes.** Hebrew and Arabic glue conjunctions, articles and
  prepositions to the next word (Hebrew ו ה ב ל מ ש כ: "וכשאתה" is "and when
  you"; Arabic و ف ب ك ل ال). A word is compared through its *core*, the word
  without them, and a clitic plus a function word ("ואז", "ללא", "وفي") is a
  function word.
- **Echoes.** A one-sided word whose core shares most of its character
  bigrams with some word anywhere on the other side (Dice ≥ :data:`ECHO`) has
  a counterpart in another form (an inflection, a derivation, a compound part
  in German) and is not reported.
- **Length.** Text dropped or added shows in the length of the sentence: the
  side with the one-sided stretches must be longer than the other by at least
  half their characters (:data:`SURPLUS_SHARE`). A side as long as the other
  rephrased what it "misses"; its stretches are paraphrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

CLITIC_PREFIXES: dict[str, tuple[str, ...]] = {
    "he": ("ו", "ה", "ב", "ל", "מ", "ש", "כ"),
    "yi": ("ו", "ה", "ב", "ל", "מ", "ש", "כ"),
    "ar": ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ك", "ل", "س"),
}
"""Prefixes glued to the next word, per language (longest first where they overlap)."""
MAX_CLITICS = 3
"""Clitic prefixes stripped from one word at most ("וכשה": and + when + the)."""
CORE_LETTERS = 3
"""Letters a core keeps at least (Semitic roots have three)."""
ECHO = 0.5
"""Character-bigram Dice of two cores at which a word has a counterpart."""
SURPLUS_SHARE = 0.5
"""Share of its stretches' characters by which a side must be the longer one."""


def has_clitics(code: str | None) -> bool:
    """True when language ``code`` glues clitic prefixes to words."""
    return code in CLITIC_PREFIXES


def cores(word: str, code: str | None, keep: int = CORE_LETTERS) -> tuple[str, ...]:
    """``word`` and its forms without up to :data:`MAX_CLITICS` clitic prefixes.

    Args:
        word: A folded word.
        code: Its language code.
        keep: Letters each form keeps at least.

    Returns:
        The word first, then shorter forms; only the word for languages without clitics.
    """
    prefixes = CLITIC_PREFIXES.get(code or "")
    found = [word]
    if not prefixes:
        return (word,)
    frontier = [word]
    for _ in range(MAX_CLITICS):
        frontier = [
            rest[len(p):] for rest in frontier for p in prefixes
            if rest.startswith(p) and len(rest) - len(p) >= keep
        ]
        found.extend(f for f in frontier if f not in found)
    return tuple(found)


def core(word: str, code: str | None) -> str:
    """The shortest form of ``word`` without clitics that keeps :data:`CORE_LETTERS` letters."""
    return min(cores(word, code), key=len)


def is_clitic_function_word(word: str, code: str | None, function_words: frozenset[str]) -> bool:
    """True for a clitic plus a function word ("ואז" = and + then, "ללא" = to + no)."""
    return any(form in function_words for form in cores(word, code, keep=2)[1:])


def _bigrams(word: str) -> frozenset[str]:
    padded = f"<{word}>"
    return frozenset(padded[i : i + 2] for i in range(len(padded) - 1))


@lru_cache(maxsize=1 << 16)
def _core_bigrams(word: str, code: str | None) -> frozenset[str]:
    return _bigrams(core(word, code))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two sets (0 when both are empty)."""
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def echoed(word: str, others: Iterable[str], code: str | None) -> bool:
    """True when a word of ``others`` shares :data:`ECHO` of ``word``'s core bigrams."""
    mine = _core_bigrams(word, code)
    return any(dice(mine, _core_bigrams(other, code)) >= ECHO for other in others)


def letters(text: str) -> int:
    """Characters of ``text`` that are not white space."""
    return sum(not c.isspace() for c in text)


def longer_by_enough(side: str, other: str, spans: Sequence[str]) -> bool:
    """True when ``side`` is longer than ``other`` by :data:`SURPLUS_SHARE` of ``spans``."""
    return letters(side) - letters(other) >= SURPLUS_SHARE * sum(letters(s) for s in spans)
