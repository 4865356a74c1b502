"""Per-language rules of the sentence splitter, read from ``data/sentence_rules.txt``.

Punkt stays the engine for scripts that end sentences with ``. ! ?`` and a
space. On top of it every language gets:

- script sentence ends that need no space after them: CJK ``。！？``, Devanagari
  ``।`` ``॥``, Arabic and Urdu ``؟`` ``۔``, Armenian ``։``, Ethiopic ``።`` ``፧``,
  Khmer ``។`` and Burmese ``။``; closing quotes and brackets after them stay
  with their sentence (``」』”）``);
- the language's abbreviations and titles (``z. B.``, ``bzw.``, ``т.е.``);
- ordinal dates where the language writes ordinals with a period: in German,
  Czech, Polish, the Nordic languages, ... ``16.`` followed by a month or a
  lower-case word does not end a sentence ("Am 16. Mai", "3. listopadu");
- Thai, Lao, Khmer and Burmese write no sentence punctuation that Punkt could
  use (Thai and Lao none at all; a space separates clauses as well as
  sentences), so their sentences end at line breaks and at the script's own
  sentence marks (``។``, ``။``) only; spaces never split them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evalharness.inputs.wordlists import data_lines

#: Languages without usable sentence punctuation: line breaks (and ។ ။) only.
LINE_BREAK_LANGUAGES = frozenset({"th", "lo", "km", "my"})

_CLOSERS = "”’」』）》〉】〕\"'»)\\]"
#: A script sentence end with the closing quotes and brackets that stay with it.
SCRIPT_STOP = re.compile(rf"[。！？｡।॥؟۔։።፧។။]+[{_CLOSERS}]*")


@dataclass(frozen=True)
class SentenceRules:
    """What the splitter knows about one language.

    Attributes:
        language: The language code (``""`` for the generic rules).
        abbreviations: Extra Punkt abbreviations (lower case, no final period).
        titles: Abbreviations after which a sentence never ends.
        ordinal_dot: The language writes ordinals with a period ("16. Mai").
        ordinal_words: Capitalised words that follow an ordinal (lower case here).
        line_breaks_only: Sentences end at line breaks and script marks only.
        continues_after_stop: Text after a script stop that continues the same
            sentence (Japanese quotative ``」と``).
    """

    language: str = ""
    abbreviations: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    ordinal_dot: bool = False
    ordinal_words: frozenset[str] = frozenset()
    line_breaks_only: bool = False
    continues_after_stop: re.Pattern[str] | None = None

    def continues_after_ordinal(self, before: str, after: str) -> bool:
        """Whether a break between ``before`` (ending ``16.``) and ``after`` is an ordinal."""
        if not self.ordinal_dot or not _ORDINAL_END.search(before):
            return False
        word = _FIRST_WORD.match(after)
        if word is None:
            return False
        first = word.group(0)
        return first[0].isdigit() or first[0].islower() or first.lower() in self.ordinal_words


_ORDINAL_END = re.compile(r"(?:^|[\s(])\d{1,2}\.$")
_FIRST_WORD = re.compile(r"\w+")
_JAPANESE_QUOTATIVE = re.compile(r"[とっ]")


@lru_cache(maxsize=64)
def sentence_rules(language: str | None) -> SentenceRules:
    """The rules for a language code (``None`` or an unknown code: the generic rules)."""
    code = (language or "").lower()
    entries: dict[str, set[str]] = {"abbrev": set(), "title": set(), "ordinal": set()}
    ordinal = False
    for line in data_lines("sentence_rules.txt"):
        lang, kind, *words = line.split()
        if lang != code:
            continue
        entries[kind].update(w.lower() for w in words)
        ordinal = ordinal or kind == "ordinal"
    return SentenceRules(
        language=code,
        abbreviations=frozenset(entries["abbrev"] | entries["title"]),
        titles=frozenset(entries["title"]),
        ordinal_dot=ordinal,
        ordinal_words=frozenset(entries["ordinal"]),
        line_breaks_only=code in LINE_BREAK_LANGUAGES,
        continues_after_stop=_JAPANESE_QUOTATIVE if code == "ja" else None,
    )
