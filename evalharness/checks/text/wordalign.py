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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.process import cdist

from evalharness.checks.text.language_rules import is_target_content_word, target_key
from evalharness.checks.text.lexicon import (
    Token,
    alias_groups,
    fold,
    is_content_word,
    stem,
    title_words,
    tokenize,
)
from evalharness.checks.text.names import ACCEPTABLE, compare_words

MINOR_RUN = 3
"""Content words a one-sided stretch needs to be reported (calibrated on WMT21 TED)."""
MAJOR_RUN = 4
"""Content words that make a one-sided stretch a major error (calibrated on WMT21 TED)."""
EDGE_RUN = 2
"""A shorter stretch reported (minor) when it opens or closes the sentence and faces
nothing: a dropped attribution ("Experts said that ...") or tail ("..., he added")."""
MIN_DEFICIT = 2
"""Net one-sided content words a segment needs before any stretch is reported."""
SIMILAR = 0.92
"""Jaro-Winkler similarity above which two words of four or more letters match."""

_NAMEISH = ACCEPTABLE | {"misspelled"}
_HYPHENS = re.compile(r"([-‐–])")


class Word(NamedTuple):
    """A content word with its folded and stemmed forms (a tuple: made by the thousand)."""

    token: Token
    folded: str
    stem: str


def content_words(
    text: str, tokens: Sequence[Token] | None = None, language: str | None = None
) -> list[Word]:
    """The content words of ``text``; hyphenated words are split, acronyms kept.

    Args:
        text: The text.
        tokens: ``tokenize(text)`` (any sentence starts), when already computed.
        language: The text's language code; ``None`` or ``en``: English function
            words and stems, else that language's function words and lemmas.
    """
    english = language in (None, "en")
    words = []
    for token in tokenize(text) if tokens is None else tokens:
        hyphenated = "-" in token.base or "‐" in token.base or "–" in token.base
        parts = _hyphen_parts(token.base, token.start) if hyphenated else [(token.base, token.start)]
        for part, offset in parts:
            folded = fold(part)
            content = is_content_word(part) if english else is_target_content_word(
                folded, str(language))
            if not (token.is_acronym or content):
                continue
            piece = token
            if hyphenated or token.possessive:
                piece = Token(part, offset, offset + len(part), token.initial)
            key = stem(part) if english else target_key(part, str(language))
            words.append(Word(piece, folded, key))
    return words


def _hyphen_parts(base: str, start: int) -> list[tuple[str, int]]:
    parts = []
    offset = start
    for part in _HYPHENS.split(base):
        if part and part not in "-‐–":
            parts.append((part, offset))
        offset += len(part)
    return parts


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
    ids: dict[str, int] = {}

    def codes(keys: Sequence[str]) -> np.ndarray:
        return np.array([ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64)

    a = [w.folded for w in mine]
    b = [w.folded for w in theirs]
    shortest = np.minimum.outer(np.array([len(x) for x in a]), np.array([len(x) for x in b]))
    equal = np.equal.outer(codes([w.stem for w in mine]), codes([w.stem for w in theirs]))
    equal |= np.equal.outer(codes(a), codes(b))
    prefix = np.equal.outer(codes(["\0" + x[:4] for x in a]), codes(["\0" + x[:4] for x in b]))
    jaro = cdist(a, b, scorer=JaroWinkler.similarity, dtype=np.float32)
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
    """In-order matched pairs: a longest common subsequence under ``equal``.

    The suffix LCS lengths are computed bit-parallel (Allison-Dix/Hyyrö, one
    big-integer row per word), then read back with popcounts while walking
    from the start: a match is taken whenever it lies on a longest path, else
    the walk skips a word of ``mine`` when that loses nothing.
    """
    n, m = equal.shape
    if n == 0 or m == 0:
        return []
    rows = equal.tolist()
    # Bit p of masks[i] is equal[i, m - 1 - p]: the columns reversed, so that the
    # prefix rows of the reversed problem are the suffix rows of this one.
    packed = np.packbits(equal[:, ::-1], axis=1, bitorder="little")
    masks = [int.from_bytes(row.tobytes(), "little") for row in packed]
    full = (1 << m) - 1
    vectors = [full] * (n + 1)  # vectors[k]: rows n-k.. of ``mine`` processed
    v = full
    for k in range(1, n + 1):
        u = v & masks[n - k]
        v = ((v + u) | (v - u)) & full
        vectors[k] = v

    def suffix(i: int, j: int) -> int:
        """LCS length of mine[i:] and theirs[j:]."""
        width = m - j
        return width - (vectors[n - i] & ((1 << width) - 1)).bit_count()

    anchors: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if rows[i][j] and suffix(i, j) == suffix(i + 1, j + 1) + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif suffix(i + 1, j) >= suffix(i, j + 1):
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
        where = [k for k in range(i1 + 1, i2) if absent_mine[k]]
        missing = tuple(mine[k] for k in where)
        facing = sum(absent_theirs[k] for k in range(j1 + 1, j2))
        edge = (i1 == -1 and where[:1] == [0]) or (i2 == len(mine) and where[-1:] == [i2 - 1])
        if (len(missing) >= MINOR_RUN and facing * 3 <= len(missing)) or (
            edge and len(missing) == EDGE_RUN and where[-1] - where[0] == 1 and facing == 0
        ):
            stretches.append(Stretch(missing, facing, deficit))
    return stretches


@dataclass(frozen=True)
class Coverage:
    """One-sided stretches of a segment: reference words not rendered, hypothesis words added."""

    ref_stretches: tuple[Stretch, ...]
    hyp_stretches: tuple[Stretch, ...]


def align_content(
    ref_text: str,
    hyp_text: str,
    ref_tokens: Sequence[Token] | None = None,
    hyp_tokens: Sequence[Token] | None = None,
    language: str | None = None,
) -> Coverage:
    """Align the content words of both sides and return the one-sided stretches.

    Args:
        ref_text: The reference side.
        hyp_text: The hypothesis side.
        ref_tokens: ``tokenize(ref_text)``, when already computed.
        hyp_tokens: ``tokenize(hyp_text)``, when already computed.
        language: The target language code (see :func:`content_words`).
    """
    ref = content_words(ref_text, ref_tokens, language)
    hyp = content_words(hyp_text, hyp_tokens, language)
    want_ref, want_hyp = _may_have_stretches(ref, hyp)
    if not (want_ref or want_hyp):
        return Coverage((), ())
    equal = equality_matrix(ref, hyp)
    return Coverage(
        tuple(_stretches(ref, hyp, equal)) if want_ref else (),
        tuple(_stretches(hyp, ref, equal.T.copy())) if want_hyp else (),
    )


def _acronym_letters(words: Sequence[Word]) -> tuple[int, int]:
    """(acronyms, their letters) among ``words``, as :func:`_acronym_cover` sees them."""
    found = [w for w in words if w.token.text.isupper() and len(w.folded) >= 2]
    return len(found), sum(len(w.folded) for w in found)


def _may_have_stretches(ref: Sequence[Word], hyp: Sequence[Word]) -> tuple[bool, bool]:
    """Whether each side can have a stretch at all, decided without aligning.

    Matched words come in pairs, so over a segment the unmatched words of one
    side outnumber the other's by the difference in length, give or take words
    that acronyms cover; a side whose deficit cannot reach :data:`MIN_DEFICIT`
    has no stretch. And a word whose stem occurs on the other side always finds
    a partner, so a side needs :data:`EDGE_RUN` words without one.
    """
    ref_acronyms, ref_letters = _acronym_letters(ref)
    hyp_acronyms, hyp_letters = _acronym_letters(hyp)
    # Words of a side that acronyms may cover: its own acronyms plus the words
    # the other side's acronyms spell out.
    ref_cover = ref_acronyms + hyp_letters
    hyp_cover = hyp_acronyms + ref_letters
    gap = len(ref) - len(hyp)
    want_ref = gap + hyp_cover >= MIN_DEFICIT
    want_hyp = -gap + ref_cover >= MIN_DEFICIT
    if not (want_ref or want_hyp):
        return False, False
    ref_open, hyp_open = _unmatched_upper_bound(ref, hyp)
    shortest = min(MINOR_RUN, EDGE_RUN)
    return want_ref and ref_open >= shortest, want_hyp and hyp_open >= shortest


def _unmatched_upper_bound(ref: Sequence[Word], hyp: Sequence[Word]) -> tuple[int, int]:
    """How many words of each side could be left without a partner, at most.

    A word whose folded form or stem occurs on the other side always finds a
    partner (one-to-one: counts are compared), so only the others can form a
    stretch; fewer than :data:`MINOR_RUN` of them on a side means no stretch there.
    """
    ref_keys = Counter(w.stem for w in ref)
    hyp_keys = Counter(w.stem for w in hyp)
    ref_open = sum((ref_keys - hyp_keys).values())
    hyp_open = sum((hyp_keys - ref_keys).values())
    return ref_open, hyp_open
