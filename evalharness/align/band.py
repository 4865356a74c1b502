"""The search band of the sentence alignment and the anchors that place it.

The band gives every reference row a range of hypothesis positions around an
expected path. The first expected path comes from anchors: rare character
6-grams shared by a reference and a hypothesis sentence, of which the longest
monotonic chain is kept and interpolated. Where the best path runs along the
band's edge, the band is re-centred on that path and widened around those rows
(:func:`_path_centre`, :func:`_widen`). Used by :mod:`evalharness.align.sentences`.
"""

from __future__ import annotations

import numpy as np

from evalharness.align.dp import _MOVES
from evalharness.align.kernels import ORDER, _Features
from evalharness.lazyjit import lazy_njit

_MAX_REPEAT = 8  # an anchor n-gram may occur in this many sentences per side
_MAX_ANCHOR_POINTS = 2_000_000  # sample anchor n-grams beyond this many candidate pairs


def _band(
    centre: np.ndarray, m: int, width: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hypothesis index range [lo, hi] per reference row, ``width[i]`` around ``centre[i]``; row offsets."""
    n = len(centre) - 1
    lo = np.clip(centre - width, 0, m).astype(np.int64)
    hi = np.clip(centre + width, 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    lo = np.minimum(lo, np.concatenate([[0], hi[:-1]]))  # every row reachable from the one above
    off = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(hi - lo + 1, out=off[1:])
    return lo, hi, off


def _anchor_centre(fr: _Features, fh: _Features) -> np.ndarray:
    """Expected hypothesis position of each reference row, from rare shared n-grams.

    Every pair of a reference and a hypothesis sentence that share a character
    n-gram of the highest order occurring in at most ``_MAX_REPEAT`` sentences
    of each side is a candidate point (n-grams are sampled by hash when there
    are too many points); the longest monotonic chain of the points is
    interpolated. Without anchors the centre is the diagonal of cumulative length.
    """
    n, m = len(fr.lengths), len(fh.lengths)
    r_key, r_sent = _top_order_occurrences(fr)
    h_key, h_sent = _top_order_occurrences(fh)
    points = _anchor_points(r_key, r_sent, h_key, h_sent, _MAX_REPEAT, _MAX_ANCHOR_POINTS, m + 1)
    points = np.unique(points)
    r_cum = np.concatenate([[0.0], np.cumsum(fr.lengths + 1.0)])
    h_cum = np.concatenate([[0.0], np.cumsum(fh.lengths + 1.0)])
    if len(points) == 0:
        return np.searchsorted(h_cum / h_cum[-1], r_cum / r_cum[-1]).astype(np.int64)
    chain = points[_longest_chain(points % (m + 1))]
    xs, ys = chain // (m + 1), chain % (m + 1)
    ux, first = np.unique(xs, return_index=True)
    xp = np.concatenate([[0.0], ux + 0.5, [float(n)]])
    fp = np.concatenate([[0.0], ys[first] + 0.5, [float(m)]])
    return np.rint(np.interp(np.arange(n + 1), xp, fp)).astype(np.int64)


def _top_order_occurrences(f: _Features) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the highest-order n-grams of every text (sorted by key), with their text index."""
    keys, sent = _top_order_keys(f.keys, f.indptr)
    order = np.argsort(keys)
    return keys[order], sent[order]


@lazy_njit(cache=True)
def _top_order_keys(keys, indptr):  # type: ignore[no-untyped-def,unused-ignore]
    size = 0
    for k in keys:
        size += (k & 7) == ORDER - 1
    out_k = np.empty(size, dtype=np.int64)
    out_s = np.empty(size, dtype=np.int64)
    p = 0
    for t in range(len(indptr) - 1):
        for a in range(indptr[t], indptr[t + 1]):
            if (keys[a] & 7) == ORDER - 1:
                out_k[p] = keys[a]
                out_s[p] = t
                p += 1
    return out_k, out_s


@lazy_njit(cache=True)
def _anchor_points(rk, rs, hk, hs, max_repeat, max_points, stride):  # type: ignore[no-untyped-def,unused-ignore]
    # Both key arrays sorted. Every (reference, hypothesis) sentence pair that
    # shares a key occurring at most max_repeat times on each side, as
    # reference * stride + hypothesis; keys are sampled by hash (the same keys
    # on both sides) when there would be more than max_points pairs.
    total = 0
    for p in range(2):
        if p == 1:
            threshold = 65536 if total <= max_points else int(65536 * max_points / total)
            out = np.empty(min(total, max_points + 65536), dtype=np.int64)
        i, j, size = 0, 0, 0
        while i < len(rk) and j < len(hk):
            if rk[i] < hk[j]:
                i += 1
            elif rk[i] > hk[j]:
                j += 1
            else:
                e, f = i, j
                while e < len(rk) and rk[e] == rk[i]:
                    e += 1
                while f < len(hk) and hk[f] == hk[j]:
                    f += 1
                if e - i <= max_repeat and f - j <= max_repeat:
                    if p == 0:
                        total += (e - i) * (f - j)
                    elif ((rk[i] >> 3) & 0xFFFF) < threshold:
                        for a in range(i, e):
                            for b in range(j, f):
                                if size < len(out):
                                    out[size] = rs[a] * stride + hs[b]
                                    size += 1
                i, j = e, f
    return out[:size]


@lazy_njit(cache=True)
def _longest_chain(ys):  # type: ignore[no-untyped-def,unused-ignore]
    # Indices of a longest non-decreasing subsequence of ys (patience sorting).
    tails = np.empty(len(ys), dtype=np.int64)
    parent = np.full(len(ys), -1, dtype=np.int64)
    size = 0
    for k in range(len(ys)):
        a, b = 0, size
        while a < b:
            mid = (a + b) // 2
            if ys[tails[mid]] <= ys[k]:
                a = mid + 1
            else:
                b = mid
        if a > 0:
            parent[k] = tails[a - 1]
        tails[a] = k
        if a == size:
            size += 1
    out = np.empty(size, dtype=np.int64)
    k = tails[size - 1] if size else -1
    for pos in range(size - 1, -1, -1):
        out[pos] = k
        k = parent[k]
    return out


def _edge_rows(
    path: list[tuple[int, int, int]], lo: np.ndarray, hi: np.ndarray, m: int
) -> list[int]:
    """Rows where the path runs along the band's edge (the band may have cut it off)."""
    return [
        i for i, j, _ in path if (j <= lo[i] + 1 and lo[i] > 0) or (j >= hi[i] - 1 and hi[i] < m)
    ]


def _path_centre(path: list[tuple[int, int, int]], n: int) -> np.ndarray:
    """Hypothesis position of the path at every reference row (rows inside a 2-x move interpolated)."""
    centre = np.zeros(n + 1, dtype=np.int64)
    for i, j, mv in path:
        centre[i] = j
        if _MOVES[mv, 0] == 2:
            centre[i - 1] = j - int(_MOVES[mv, 1]) // 2
    return centre


def _widen(width: np.ndarray, edge: list[int], m: int) -> np.ndarray:
    """Double the width around each row where the path ran along the band's edge."""
    wider = width.copy()
    for i in edge:
        span = 4 * int(width[i])
        wider[max(0, i - span) : i + span + 1] = np.maximum(
            wider[max(0, i - span) : i + span + 1], 2 * width[i]
        )
    return np.minimum(wider, m)
