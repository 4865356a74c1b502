"""Aligning the content words of a reference and a hypothesis sentence.

Content words are matched leniently (same stem, same first five letters, a
close Jaro-Winkler similarity, aliases, names with a spelling variant, acronyms
spelling out several words), first in order (longest common subsequence), then
one-to-one across reorderings. Words left without a partner form *stretches*
between in-order anchors; a stretch facing nothing on the other side, in a
segment whose one side has clearly more unmatched content, is an omission (or
an addition, the other way round).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from evalharness.checks.lexicon import (
    Token,
    alias_groups,
    fold,
    is_content_word,
    stem,
    title_words,
    tokenize,
)
from evalharness.checks.names import ACCEPTABLE, compare_words

MINOR_RUN = 3
"""Content words a one-sided stretch needs to be reported (calibrated on WMT21 TED)."""
MAJOR_RUN = 4
"""Content words that make a one-sided stretch a major error (calibrated on WMT21 TED)."""
MIN_DEFICIT = 2
"""Net one-sided content words a segment needs before any stretch is reported."""
SIMILAR = 0.92
"""Jaro-Winkler similarity above which two words of four or more letters match."""

_NAMEISH = ACCEPTABLE | {"misspelled"}
_HYPHENS = re.compile(r"([-‐–])")


@dataclass(frozen=True)
class Word:
    """A content word with its folded and stemmed forms."""

    token: Token
    folded: str
    stem: str


def content_words(text: str) -> list[Word]:
    """The content words of ``text``; hyphenated words are split, acronyms kept."""
    words = []
    for token in tokenize(text):
        offset = token.start
        for part in _HYPHENS.split(token.base):
            if part and part not in "-‐–" and (is_content_word(part) or token.is_acronym):
                piece = Token(part, offset, offset + len(part), token.initial)
                words.append(Word(piece, fold(part), stem(part)))
            offset += len(part)
    return words


@lru_cache(maxsize=1 << 18)
def _similar_names(a: str, b: str) -> bool:
    return compare_words(a, b) in _NAMEISH


def equality_matrix(mine: Sequence[Word], theirs: Sequence[Word]) -> np.ndarray:
    """``[i, j]`` is True when ``mine[i]`` and ``theirs[j]`` count as the same word.

    Lenient on purpose: a word counted as present is never reported, and
    paraphrase must not look like omission.
    """
    if not mine or not theirs:
        return np.zeros((len(mine), len(theirs)), dtype=bool)
    a = np.array([w.folded for w in mine])
    b = np.array([w.folded for w in theirs])
    shortest = np.minimum.outer(np.char.str_len(a), np.char.str_len(b))
    same_stem = np.equal.outer(np.array([w.stem for w in mine]), np.array([w.stem for w in theirs]))
    prefix = np.equal.outer(np.char.ljust(a, 4).astype("<U4"), np.char.ljust(b, 4).astype("<U4"))
    jaro = cdist(list(a), list(b), scorer=JaroWinkler.similarity, dtype=np.float32)
    equal = same_stem | (np.equal.outer(a, b))
    equal |= prefix & (shortest >= 5)
    equal |= (jaro >= SIMILAR) & (shortest >= 4)
    _add_special(equal, mine, theirs, prefix & (shortest == 4))
    return equal


def _add_special(
    equal: np.ndarray, mine: Sequence[Word], theirs: Sequence[Word], short_prefix: np.ndarray
) -> None:
    """Titles ("Prof"/"Professor"), aliases ("American"/"US") and name spellings."""
    groups = alias_groups()
    titles = title_words()
    for i, j in zip(*np.nonzero(short_prefix), strict=True):
        if mine[i].folded in titles or theirs[j].folded in titles:
            equal[i, j] = True
    for i, word in enumerate(mine):
        group = groups.get(word.folded)
        capital = word.token.capitalised
        if group is None and not capital:
            continue
        for j, other in enumerate(theirs):
            if equal[i, j]:
                continue
            if group is not None and groups.get(other.folded) == group or capital and other.token.capitalised and _similar_names(word.folded, other.folded):
                equal[i, j] = True


def lcs_anchors(equal: np.ndarray) -> list[tuple[int, int]]:
    """In-order matched pairs: a longest common subsequence under ``equal``."""
    n, m = equal.shape
    table = [[0] * (m + 1) for _ in range(n + 1)]
    rows = equal.tolist()
    for i in range(n - 1, -1, -1):
        row, below, here = rows[i], table[i + 1], table[i]
        for j in range(m - 1, -1, -1):
            here[j] = below[j + 1] + 1 if row[j] else max(below[j], here[j + 1])
    anchors: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if rows[i][j] and table[i][j] == table[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return anchors


def _absent(equal: np.ndarray, anchors: list[tuple[int, int]]) -> tuple[list[bool], list[bool]]:
    """Words left without a partner after the anchors and one-to-one reordered matches."""
    n, m = equal.shape
    used_mine = {i for i, _ in anchors}
    used_theirs = {j for _, j in anchors}
    for i in range(n):
        if i in used_mine:
            continue
        for j in np.nonzero(equal[i])[0]:
            if int(j) not in used_theirs:
                used_mine.add(i)
                used_theirs.add(int(j))
                break
    return [i not in used_mine for i in range(n)], [j not in used_theirs for j in range(m)]


def _acronym_cover(mine: Sequence[Word], theirs: Sequence[Word]) -> set[int]:
    """Indices of ``mine`` spelt out by an acronym of ``theirs`` ("NASA"), and ``mine``'s acronyms.

    An acronym found in the other side's initials covers itself as well.
    """
    covered: set[int] = set()
    initials = "".join(w.folded[0] for w in mine)
    for word in theirs:
        letters = word.folded
        if not (word.token.text.isupper() and len(letters) >= 2):
            continue
        start = initials.find(letters)
        if start >= 0:
            covered.update(range(start, start + len(letters)))
    other_initials = "".join(w.folded[0] for w in theirs)
    for index, word in enumerate(mine):
        if word.token.text.isupper() and len(word.folded) >= 2 and word.folded in other_initials:
            covered.add(index)
    return covered


@dataclass(frozen=True)
class Stretch:
    """Words of one side without a partner, between two in-order anchors.

    Attributes:
        words: The unmatched words, in order.
        facing: Unmatched words of the other side between the same anchors.
        deficit: Over the whole segment, how many more of this side's words are
            unmatched than the other side's (or how many more content words this
            side has, if that is more); paraphrase and reordering keep it near
            zero, a dropped clause raises it by about the clause's length.
    """

    words: tuple[Word, ...]
    facing: int
    deficit: int

    @property
    def start(self) -> int:
        """Offset of the first word."""
        return self.words[0].token.start

    @property
    def end(self) -> int:
        """Offset one past the last word."""
        return self.words[-1].token.end


def _stretches(mine: Sequence[Word], theirs: Sequence[Word], equal: np.ndarray) -> list[Stretch]:
    anchors = lcs_anchors(equal)
    absent_mine, absent_theirs = _absent(equal, anchors)
    for index in _acronym_cover(mine, theirs):
        absent_mine[index] = False
    for index in _acronym_cover(theirs, mine):
        absent_theirs[index] = False
    deficit = max(sum(absent_mine) - sum(absent_theirs), len(mine) - len(theirs))
    if deficit < MIN_DEFICIT:
        return []
    bounds = [(-1, -1), *anchors, (len(mine), len(theirs))]
    stretches = []
    for (i1, j1), (i2, j2) in pairwise(bounds):
        missing = tuple(mine[k] for k in range(i1 + 1, i2) if absent_mine[k])
        facing = sum(absent_theirs[k] for k in range(j1 + 1, j2))
        if len(missing) >= MINOR_RUN and facing * 3 <= len(missing):
            stretches.append(Stretch(missing, facing, deficit))
    return stretches


@dataclass(frozen=True)
class Coverage:
    """One-sided stretches of a segment: reference words not rendered, hypothesis words added."""

    ref_stretches: tuple[Stretch, ...]
    hyp_stretches: tuple[Stretch, ...]


def align_content(ref_text: str, hyp_text: str) -> Coverage:
    """Align the content words of both sides and return the one-sided stretches."""
    ref, hyp = content_words(ref_text), content_words(hyp_text)
    equal = equality_matrix(ref, hyp)
    return Coverage(
        tuple(_stretches(ref, hyp, equal)), tuple(_stretches(hyp, ref, equal.T.copy()))
    )
