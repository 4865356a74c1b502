"""Tokenisation and word alignment of :mod:`evalharness.align.resegment`.

Words are NFKC-normalised, lower-cased and split Moses-style
(:func:`tokenize_word`); :func:`align_words` aligns the hypothesis tokens of
one document monotonically to its reference tokens, maximising the summed
Jaccard similarity of the matched tokens' character sets (punctuation only
matches punctuation), and gives every hypothesis word the owner of the
reference token its first token was matched or attached to. The alignment is
an O(tokens^2) dynamic program in numba over 64-bit character masks; grids over
:data:`MAX_CELLS` are searched in a diagonal band of that many cells.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evalharness.lazyjit import lazy_njit

MAX_CELLS = 60_000_000
"""Largest (reference tokens x hypothesis tokens) grid searched in full; larger
documents are searched in a band around the diagonal with this many cells."""

PUNCTUATION = frozenset(".!?,;:-()。！？，；：—（）ー")
"""Tokens that only match each other (OmniSTEval's set, with its CJK forms)."""

# Runs kept together: letters, digits and the marks Moses leaves attached
# (. , ' ` -), or any other single symbol.
_SPLIT = re.compile(r"[\w.,'`\-]+|[^\w\s]")
# A comma not between digits, or a hyphen between letters or digits.
_INNER_SPLIT = re.compile(r"((?<!\d),|,(?!\d)|(?<=\w)-(?=\w))")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class _Tokens:
    """Tokens of one side of one document, each with its segment or word index."""

    chars: np.ndarray  # int64 sorted unique code points of each token, CSR
    indptr: np.ndarray  # int64, len = tokens + 1
    punct: np.ndarray  # bool: the token is a punctuation mark
    owner: np.ndarray  # int64: reference segment / hypothesis word of each token
    main: np.ndarray  # bool: first token of its word


def tokenize_word(word: str) -> list[str]:
    """Tokens of one whitespace-delimited word, Moses-style, lower-cased NFKC.

    Symbols other than ``. , ' ` -`` are split off; a comma is split off unless
    it sits between digits; a hyphen between letters or digits is a token of
    its own; a final period is split off unless the word is an abbreviation
    with inner periods and a letter (``z.b.``); a run of periods (``...``) is
    one token.

    >>> tokenize_word("Modellen.")
    ['modellen', '.']
    >>> tokenize_word("„Online-Kurs,")
    ['„', 'online', '-', 'kurs', ',']
    >>> tokenize_word("z.B.")
    ['z.b.']
    """
    text = unicodedata.normalize("NFKC", word).lower()
    tokens: list[str] = []
    for part in _SPLIT.findall(text):
        final = ""
        body = part.rstrip(".")
        if body and len(part) - len(body) >= 3:
            part, final = body, part[len(body) :]
        elif body and part.endswith(".") and not ("." in part[:-1] and _LETTER.search(part)):
            part, final = part[:-1], "."
        tokens += [t for t in _INNER_SPLIT.split(part) if t]
        if final:
            tokens.append(final)
    return tokens or [text]


def _is_punct(token: str) -> bool:
    return token in PUNCTUATION


def _side_tokens(words: Sequence[tuple[str, int]]) -> _Tokens:
    """Tokens of (word, owner) pairs, in order."""
    chars: list[int] = []
    indptr = [0]
    punct: list[bool] = []
    owner: list[int] = []
    main: list[bool] = []
    for word, who in words:
        for k, token in enumerate(tokenize_word(word)):
            chars.extend(sorted({ord(c) for c in token}))
            indptr.append(len(chars))
            punct.append(_is_punct(token))
            owner.append(who)
            main.append(k == 0)
    return _Tokens(
        np.array(chars, dtype=np.int64),
        np.array(indptr, dtype=np.int64),
        np.array(punct, dtype=np.bool_),
        np.array(owner, dtype=np.int64),
        np.array(main, dtype=np.bool_),
    )


@lazy_njit(cache=True)
def _popcount(x):  # type: ignore[no-untyped-def,unused-ignore]
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@lazy_njit(cache=True)
def _token_info(ids, indptr, punct):  # type: ignore[no-untyped-def,unused-ignore]
    # One row per token: character-id masks (ids 0-63, 64-127), set size,
    # punctuation flag, "wide" flag (a character beyond the 128 most frequent),
    # start and end of its code points in the CSR arrays.
    t = len(indptr) - 1
    info = np.zeros((t, 7), dtype=np.uint64)
    for k in range(t):
        for a in range(indptr[k], indptr[k + 1]):
            c = ids[a]
            if c < 64:
                info[k, 0] |= np.uint64(1) << np.uint64(c)
            elif c < 128:
                info[k, 1] |= np.uint64(1) << np.uint64(c - 64)
            else:
                info[k, 4] = 1
        info[k, 2] = indptr[k + 1] - indptr[k]
        info[k, 3] = punct[k]
        info[k, 5] = indptr[k]
        info[k, 6] = indptr[k + 1]
    return info


@lazy_njit(cache=True)
def _similarity(rc, r_info, a, hc, h_info, b):  # type: ignore[no-untyped-def,unused-ignore]
    # Jaccard index of the character sets of reference token a and hypothesis
    # token b; -inf when one is punctuation and the other is not.
    if r_info[a, 3] != h_info[b, 3]:
        return -np.inf
    if r_info[a, 4] or h_info[b, 4]:
        i, j, inter = r_info[a, 5], h_info[b, 5], np.uint64(0)
        while i < r_info[a, 6] and j < h_info[b, 6]:
            x, y = rc[i], hc[j]
            inter += np.uint64(x == y)
            i += np.uint64(x <= y)
            j += np.uint64(y <= x)
    else:
        inter = _popcount(r_info[a, 0] & h_info[b, 0]) + _popcount(r_info[a, 1] & h_info[b, 1])
    union = r_info[a, 2] + h_info[b, 2] - inter
    return float(inter) / float(union) if union else 0.0


@lazy_njit(cache=True)
def _align_tokens(rc, r_info, hc, h_info, lo, hi):  # type: ignore[no-untyped-def,unused-ignore]
    # Row i (reference tokens consumed) spans hypothesis positions lo[i]..hi[i].
    # Returns the reference token matched by each hypothesis token (-1: none)
    # and, for unmatched ones, how many reference tokens precede it on the path.
    n, m = len(r_info), len(h_info)
    off = np.zeros(n + 2, dtype=np.int64)
    for i in range(n + 1):
        off[i + 1] = off[i] + hi[i] - lo[i] + 1
    back = np.zeros(off[n + 1], dtype=np.uint8)
    prev = np.full(m + 1, -np.inf)
    cur = np.full(m + 1, -np.inf)
    for j in range(lo[0], hi[0] + 1):
        prev[j] = 0.0
        back[j - lo[0]] = 3
    for i in range(1, n + 1):
        cur[lo[i] : hi[i] + 1] = -np.inf
        a = i - 1
        punct, wide, size = r_info[a, 3], r_info[a, 4], r_info[a, 2]
        low, high = r_info[a, 0], r_info[a, 1]
        for j in range(lo[i], hi[i] + 1):
            best, how = -np.inf, 0
            if j >= 1 and lo[i - 1] <= j - 1 <= hi[i - 1] and h_info[j - 1, 3] == punct:
                if wide or h_info[j - 1, 4]:
                    sim = _similarity(rc, r_info, a, hc, h_info, j - 1)
                else:
                    inter = _popcount(low & h_info[j - 1, 0]) + _popcount(high & h_info[j - 1, 1])
                    union = size + h_info[j - 1, 2] - inter
                    sim = float(inter) / float(union) if union else 0.0
                best, how = prev[j - 1] + sim, 1
            if lo[i - 1] <= j <= hi[i - 1] and prev[j] > best:
                best, how = prev[j], 2
            if j > lo[i] and cur[j - 1] > best:
                best, how = cur[j - 1], 3
            cur[j] = best
            back[off[i] + j - lo[i]] = how
        prev[lo[i - 1] : hi[i - 1] + 1] = -np.inf
        prev, cur = cur, prev
    return _trace_tokens(back, off, lo, hi, n, m)


@lazy_njit(cache=True)
def _trace_tokens(back, off, lo, hi, n, m):  # type: ignore[no-untyped-def,unused-ignore]
    # Backtrack of _align_tokens: back holds the move into each cell (1 match,
    # 2 reference gap, 3 hypothesis gap); outside the band a reference gap.
    matched = np.full(m, -1, dtype=np.int64)
    row = np.zeros(m, dtype=np.int64)
    i, j = n, m
    while i > 0 or j > 0:
        how = back[off[i] + j - lo[i]] if lo[i] <= j <= hi[i] else 2
        if how == 1:
            matched[j - 1] = i - 1
            i -= 1
            j -= 1
        elif (how == 2 and i > 0) or j == 0:
            i -= 1
        else:
            row[j - 1] = i
            j -= 1
    return matched, row


@lazy_njit(cache=True)
def _assign_gaps(matched, row, rc, r_info, hc, h_info):  # type: ignore[no-untyped-def,unused-ignore]
    # Reference token of every hypothesis token: its match; for a run of
    # unmatched tokens between reference tokens i-1 and i on the path, whichever
    # of the two a token resembles more (ties: the previous one). Once a token
    # picks the next one, the rest of its run follows. A run before the first
    # or after the last reference token takes the only neighbour there is.
    m, n = len(matched), len(r_info)
    out = np.full(m, -1, dtype=np.int64)
    j = 0
    while j < m:
        if matched[j] >= 0:
            out[j] = matched[j]
            j += 1
            continue
        e = j
        while e < m and matched[e] < 0 and row[e] == row[j]:
            e += 1
        last, nxt = row[j] - 1, row[j] if row[j] < n else -1
        k = j
        while k < e:
            s_next = _similarity(rc, r_info, nxt, hc, h_info, k) if nxt >= 0 else -np.inf
            s_prev = _similarity(rc, r_info, last, hc, h_info, k) if last >= 0 else -np.inf
            if s_next > s_prev or last < 0:
                out[k:e] = nxt
                break
            out[k] = last
            k += 1
        j = e
    return out


def _kernel_side(rt: _Tokens, ht: _Tokens, side: _Tokens) -> np.ndarray:
    """Token rows the kernels read (see ``_token_info``), characters ranked by frequency in both sides."""
    codes, counts = np.unique(np.concatenate([rt.chars, ht.chars]), return_counts=True)
    rank = np.empty(len(codes), dtype=np.int64)
    rank[np.argsort(-counts, kind="stable")] = np.arange(len(codes))
    ids = rank[np.searchsorted(codes, side.chars)]
    return _token_info(ids, side.indptr, side.punct)


def _band(n: int, m: int, cells: int) -> tuple[np.ndarray, np.ndarray]:
    """Hypothesis range per reference row: everything, or a diagonal band of about ``cells``."""
    rows = np.arange(n + 1)
    if (n + 1) * (m + 1) <= cells:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    width = max(cells // (2 * (n + 1)), 1)
    centre = rows * m // max(n, 1)
    lo = np.clip(centre - width, 0, m).astype(np.int64)
    hi = np.clip(centre + width, 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    lo = np.minimum(lo, np.concatenate([[0], hi[:-1]]))
    return lo, hi


def align_words(ref: Sequence[tuple[str, int]], hyp: Sequence[str]) -> list[int]:
    """Reference owner of every hypothesis word.

    Args:
        ref: Reference words in order, each with its owner (segment index).
        hyp: Hypothesis words in order.

    Returns:
        For every hypothesis word the owner of the reference token its first
        token was matched or attached to; ``-1`` when the reference has no tokens.
    """
    rt = _side_tokens(ref)
    ht = _side_tokens([(w, k) for k, w in enumerate(hyp)])
    n, m = len(rt.punct), len(ht.punct)
    if n == 0 or m == 0:
        return [-1] * len(hyp)
    lo, hi = _band(n, m, MAX_CELLS)
    r_info, h_info = _kernel_side(rt, ht, rt), _kernel_side(rt, ht, ht)
    matched, row = _align_tokens(rt.chars, r_info, ht.chars, h_info, lo, hi)
    ref_token = _assign_gaps(matched, row, rt.chars, r_info, ht.chars, h_info)
    owners = np.where(ref_token >= 0, rt.owner[np.maximum(ref_token, 0)], -1)
    return [int(o) for o in owners[ht.main]]
