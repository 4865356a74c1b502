"""Comparing two names: same, acceptable variant, misspelt, or a different name.

Word similarity is fuzzy (rapidfuzz Jaro-Winkler and Levenshtein) and phonetic
(jellyfish Metaphone, NYSIIS and the match-rating codex), so that a misspelt
name is told apart both from the same name and from another name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler, Levenshtein

from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import CONNECTORS, alias_groups, fold, head_words, stem

VERDICTS = ("same", "variant", "diacritics", "transliteration", "misspelled", "different")
"""Word and name verdicts, best first. The first four are acceptable renderings."""
ACCEPTABLE = frozenset(VERDICTS[:4])
_JOINERS = re.compile(r"[-' ]")
_RANK = {verdict: rank for rank, verdict in enumerate(VERDICTS)}

_DEMONYM_ENDINGS = ("ese", "ian", "ish", "ean", "an", "ic", "i", "n", "s")
_SPELLING_RULES = ((r"re$", "er"), (r"our", "or"), (r"is(e|ed|es|ing|ation)$", r"iz\1"),
                   (r"ys(e|ed|es|ing)$", r"yz\1"), (r"ogue$", "og"))
_TRANSLIT_RULES = ((r"(ey|ei|iy|ii|yi|y)$", "i"), (r"ks", "x"), (r"ph", "f"), (r"kh", "h"),
                   (r"ia", "ya"), (r"iu", "yu"), (r"[-' ]", ""))


@dataclass(frozen=True)
class WordPair:
    """Two aligned words of a reference name and its hypothesis rendering."""

    ref: str
    hyp: str
    verdict: str


@dataclass(frozen=True)
class NameComparison:
    """How a hypothesis name renders a reference name.

    Attributes:
        verdict: One of :data:`VERDICTS`.
        pairs: The aligned words (reference word, hypothesis word, verdict).
        shared: Number of reference content words rendered acceptably.
    """

    verdict: str
    pairs: tuple[WordPair, ...] = ()
    shared: int = 0

    @property
    def acceptable(self) -> bool:
        """True for same, variant, diacritics and transliteration."""
        return self.verdict in ACCEPTABLE


def worse(a: str, b: str) -> str:
    """The worse of two verdicts."""
    return a if _RANK[a] >= _RANK[b] else b


def rank(verdict: str) -> int:
    """0 for ``same`` up to 5 for ``different``."""
    return _RANK[verdict]


@lru_cache(maxsize=1 << 18)
def _rewrite(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for pattern, replacement in rules:
        word = _compiled(pattern).sub(replacement, word)
    return word


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def similar_spelling(a: str, b: str) -> bool:
    """True when two different folded words look like one misspelt for the other."""
    jaro = JaroWinkler.similarity(a, b)
    distance = Levenshtein.distance(a, b)
    phonetic = jellyfish.metaphone(a) == jellyfish.metaphone(b) or jellyfish.nysiis(
        a
    ) == jellyfish.nysiis(b)
    if min(len(a), len(b)) < 3:
        return False
    if jaro >= 0.88 and distance <= 3:
        return True
    if phonetic and jaro >= 0.8:
        return True
    return distance <= 2 and min(len(a), len(b)) >= 5 and bool(
        jellyfish.match_rating_comparison(a, b)
    ) and jaro >= 0.75


@lru_cache(maxsize=1 << 18)
def compare_words(ref: str, hyp: str) -> str:
    """Verdict for one reference word against one hypothesis word.

    Returns:
        ``same`` (case, hyphens and apostrophes aside), ``variant`` (alias, stem,
        British/American spelling, demonym), ``diacritics``, ``transliteration``
        (Aleksey/Alexei), ``misspelled`` or ``different``.
    """
    if ref.casefold() == hyp.casefold():
        return "same"
    a, b = fold(ref), fold(hyp)
    if a == b:
        return "diacritics"
    if _JOINERS.sub("", a) == _JOINERS.sub("", b):
        return "same"
    if _rewrite(a, _TRANSLIT_RULES) == _rewrite(b, _TRANSLIT_RULES):
        return "transliteration"
    if _variant_words(a, b):
        return "variant"
    if ref.isupper() and hyp.isupper():
        return "different"
    return "misspelled" if similar_spelling(a, b) else "different"


def _variant_words(a: str, b: str) -> bool:
    groups = alias_groups()
    if a in groups and groups[a] == groups.get(b):
        return True
    heads = head_words()
    if a in heads and heads[a] == heads.get(b):
        return True
    if (stem(a) == stem(b) and _inflected(a, b)) or _rewrite(a, _SPELLING_RULES) == _rewrite(
        b, _SPELLING_RULES
    ):
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if "-" in long_ and short in long_.split("-"):
        return True
    if long_ == short + "y" and short.endswith("an"):
        return True
    if long_ == short + short[-1]:  # a doubled last letter is a typo, not a demonym
        return False
    if 2 <= len(short) <= 4 and len(long_) >= len(short) + 3 and long_.startswith(short):
        return True  # a clipped form: Fed/Federal, Co/Corporation, Prof/Professor
    common = _common_prefix(a, b)
    ends = {a[common:], b[common:]}
    if common >= 5 and "" not in ends and ends <= _NAME_ENDINGS:
        return True  # one base, two endings: Germany/Germans, Italy/Italian
    return (
        len(short) >= 4
        and 1 <= len(long_) - len(short) <= 4
        and long_.startswith(short[:-1] if short.endswith(("a", "e", "y")) else short)
        and long_.endswith(_DEMONYM_ENDINGS)
    )


_INFLECTIONS = frozenset({"", "s", "es", "e", "y", "ies", "ied", "ed", "d", "ing", "'s"})


_NAME_ENDINGS = frozenset({"", "s", "y", "n", "ns", "an", "ans", "ian", "ians", "ese", "ish", "i", "ic"})


def _common_prefix(a: str, b: str) -> int:
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common


def _inflected(a: str, b: str) -> bool:
    """True when two words differ only by inflectional endings ("Study"/"Studies").

    A shared stem alone is not enough for names: "Wales" and "Waled" stem alike.
    """
    common = _common_prefix(a, b)
    ends = {a[common:], b[common:]}
    return ends <= _INFLECTIONS and ends != {"s", "d"} and ends != {"es", "ed"}


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w)


def is_acronym_of(acronym: str, words: tuple[str, ...]) -> bool:
    """True when ``acronym`` spells the initials of consecutive content words.

    ``PLA`` abbreviates ("people", "liberation", "army", "china"); ``USA``
    abbreviates ("united", "states", "america").
    """
    letters = fold(acronym).replace(" ", "")
    if len(letters) < 2 or not letters.isalpha():
        return False
    initials = _initials(words)
    return any(
        initials[i : i + len(letters)] == letters for i in range(len(initials) - len(letters) + 1)
    )


def _strip_article(text: str) -> str:
    folded = fold(text)
    return folded[4:] if folded.startswith("the ") else folded


def compare_names(ref: Entity, hyp: Entity) -> NameComparison:
    """Compare a reference name with a hypothesis name.

    Whole-name checks come first (identical, alias groups, acronyms, parenthesised
    aliases), then a word-by-word alignment that ignores word order: the smaller
    name's words must all be rendered (a partial name is acceptable), and a
    misspelt word makes the whole name misspelt. Only the names' words, kinds and
    aliases matter, so results are cached per pair of names (like words, names
    recur throughout a document).
    """
    return _compare_cached(
        (ref.text, ref.words, ref.kind, ref.alias), (hyp.text, hyp.words, hyp.kind, hyp.alias)
    )


@dataclass(frozen=True)
class _NameKey:
    """What :func:`compare_names` reads of an entity."""

    text: str
    words: tuple[str, ...]
    kind: str
    alias: str | None

    @property
    def content_words(self) -> tuple[str, ...]:
        return tuple(fold(w) for w in self.words if fold(w) not in CONNECTORS)


@lru_cache(maxsize=1 << 16)
def _compare_cached(
    ref_key: tuple[str, tuple[str, ...], str, str | None],
    hyp_key: tuple[str, tuple[str, ...], str, str | None],
) -> NameComparison:
    ref, hyp = _NameKey(*ref_key), _NameKey(*hyp_key)
    r_text, h_text = _strip_article(ref.text), _strip_article(hyp.text)
    if r_text == h_text:
        verdict = "same" if ref.text.casefold() == hyp.text.casefold() else "diacritics"
        pairs = _compare_words_of(ref, hyp).pairs
        return NameComparison(verdict, pairs, shared=len(ref.content_words))
    groups = alias_groups()
    if r_text in groups and groups[r_text] == groups.get(h_text):
        return NameComparison("variant", shared=len(ref.content_words))
    for alias, other in ((ref.alias, h_text), (hyp.alias, r_text)):
        if alias is not None and _strip_article(alias) == other:
            return NameComparison("variant", shared=1)
    if (ref.kind == "acronym" and is_acronym_of(ref.text, hyp.content_words)) or (
        hyp.kind == "acronym" and is_acronym_of(hyp.text, ref.content_words)
    ):
        return NameComparison("variant", shared=1)
    return _compare_words_of(ref, hyp)


def _drop_acronyms(mine: list[str], theirs: list[str]) -> tuple[list[str], list[str], int]:
    """Remove acronyms of ``mine`` that abbreviate consecutive words of ``theirs`` (and those)."""
    if not any(w.isupper() and len(w) >= 2 for w in mine):
        return mine, theirs, 0
    kept: list[str] = []
    matched = 0
    for word in mine:
        letters = fold(word)
        folded = tuple(fold(w) for w in theirs)
        if word.isupper() and len(letters) >= 2 and is_acronym_of(word, folded):
            start = _initials(folded).index(letters)
            theirs = theirs[:start] + theirs[start + len(letters) :]
            matched += 1
        else:
            kept.append(word)
    return kept, theirs, matched


def _compare_words_of(ref: _NameKey, hyp: _NameKey) -> NameComparison:
    r_words = [w for w in ref.words if fold(w) not in CONNECTORS]
    h_words = [w for w in hyp.words if fold(w) not in CONNECTORS]
    h_words, r_words, from_h = _drop_acronyms(h_words, r_words)
    r_words, h_words, from_r = _drop_acronyms(r_words, h_words)
    abbreviated = from_h + from_r
    different = _RANK["different"]
    candidates = sorted(
        (score, i, j)
        for i, r in enumerate(r_words)
        for j, h in enumerate(h_words)
        if (score := _RANK[compare_words(r, h)]) < different
    )
    if not candidates and (abbreviated == 0 or (r_words and h_words)):
        return NameComparison("different", (), abbreviated)
    used_r: set[int] = set()
    used_h: set[int] = set()
    pairs: list[WordPair] = []
    for score, i, j in candidates:
        if i in used_r or j in used_h:
            continue
        used_r.add(i)
        used_h.add(j)
        pairs.append(WordPair(r_words[i], h_words[j], VERDICTS[score]))
    acceptable = [p for p in pairs if p.verdict in ACCEPTABLE]
    shared_names = abbreviated + sum(fold(p.ref) not in head_words() for p in acceptable)
    covered = min(len(r_words), len(h_words))
    verdict = "different"
    if len(pairs) == covered and (pairs or abbreviated):
        worst = "same"
        for pair in pairs:
            worst = worse(worst, pair.verdict)
        partial = len(r_words) != len(h_words) or abbreviated > 0
        if worst == "misspelled" or shared_names or not partial:
            verdict = "variant" if partial and worst == "same" else worst
    return NameComparison(verdict, tuple(pairs), len(acceptable) + abbreviated)
