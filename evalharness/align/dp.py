"""The banded dynamic program of :func:`evalharness.align.sentences.align_sentences`.

The DP runs over the (reference x hypothesis) sentence grid inside a band (row
``i`` spans hypothesis positions ``lo[i]..hi[i]``, cell offsets ``off``) with
the moves of :data:`_MOVES`. A skip costs a penalty (none for removed text); a
content move scores its similarity, weighted by the sentences it covers, less
chance similarity, baseline, length cost and merge penalty. A merge must be
more similar than each of its sentence pairs; the sum of its pairwise overlaps
bounds its overlap from above, so the exact overlap is computed only when the
merge could win. The kernel returns the best move into every cell;
:func:`_backtrack` reads the path off it.
"""

from __future__ import annotations

import math

import numpy as np

from evalharness.align.kernels import ORDER, _f1, _Features, _group_overlap
from evalharness.lazyjit import lazy_njit

# Move codes: index -> (reference sentences, hypothesis sentences). 1-1 comes
# first so that ties go to the plainest alignment.
_MOVES = np.array([[0, 0], [1, 1], [1, 2], [2, 1], [2, 2], [1, 0], [0, 1]], dtype=np.int64)
_MOVE_ORDER = np.array([1, 5, 6, 2, 3, 4], dtype=np.int64)  # cheap moves first: better pruning
_MOVE_22 = 4


def _kernel_args(f: _Features) -> tuple[np.ndarray, ...]:
    return f.keys, f.counts, f.indptr, f.totals, f.lengths


@lazy_njit(cache=True)
def _length_cost(len_r, len_h, ratio, variance):  # type: ignore[no-untyped-def,unused-ignore]
    mean = (ratio * len_r + len_h) / 2.0
    if mean <= 0.0:
        return 0.0
    delta = abs(len_h - ratio * len_r) / math.sqrt(variance * mean)
    tail = math.erfc(delta / math.sqrt(2.0))
    return -math.log(max(tail, 1e-12))


@lazy_njit(cache=True)
def _in_band(i, j, lo, hi):  # type: ignore[no-untyped-def,unused-ignore]
    return 1 <= i < len(lo) and j >= 1 and lo[i] <= j <= hi[i]


@lazy_njit(cache=True)
def _scratch(rp, hp):  # type: ignore[no-untyped-def,unused-ignore]
    # Work arrays of the DP: merge buffers for the longest sentence pair, then
    # the overlap bound, the exact overlap and the reference/hypothesis totals.
    longest = 1
    for t in range(len(rp) - 1):
        longest = max(longest, rp[t + 1] - rp[t])
    for t in range(len(hp) - 1):
        longest = max(longest, hp[t + 1] - hp[t])
    return (
        np.empty(4 * longest, dtype=np.int64),
        np.empty(4 * longest, dtype=np.int32),
        np.zeros(ORDER, dtype=np.int64),
        np.zeros(ORDER, dtype=np.int64),
        np.zeros(ORDER, dtype=np.int64),
        np.zeros(ORDER, dtype=np.int64),
    )


@lazy_njit(cache=True)
def _banded_dp(fr, fh, r_chance, h_chance, r_rm, h_rm, lo, hi, off, ov, params):  # type: ignore[no-untyped-def,unused-ignore]
    # Best move into every cell of the band (0: unreachable). Kept in one piece:
    # splitting the per-move scoring into helper kernels made it 2-3x slower.
    rk, rc, rp, rt, rl = fr
    hk, hc, hp, ht, hl = fh
    n = len(lo) - 1
    score = np.full(off[n + 1], -np.inf)
    move = np.zeros(off[n + 1], dtype=np.uint8)
    score[0] = 0.0
    buf_k, buf_c, bound, exact, tot_r, tot_h = _scratch(rp, hp)
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            for mv in _MOVE_ORDER:
                di, dj = _MOVES[mv, 0], _MOVES[mv, 1]
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = score[off[pi] + pj - lo[pi]]
                if prev == -np.inf:
                    continue
                if dj == 0:
                    s = prev + (0.0 if r_rm[i - 1] else -params[3])
                elif di == 0:
                    s = prev + (0.0 if h_rm[j - 1] else -params[3])
                else:
                    if (
                        r_rm[i - 1]
                        or h_rm[j - 1]
                        or (di == 2 and r_rm[i - 2])
                        or (dj == 2 and h_rm[j - 2])
                    ):
                        continue
                    tot_r[:] = rt[i - 1]
                    len_r = rl[i - 1]
                    chance = r_chance[i - 1]
                    if di == 2:
                        tot_r += rt[i - 2]
                        len_r += rl[i - 2]
                        chance += r_chance[i - 2]
                    tot_h[:] = ht[j - 1]
                    len_h = hl[j - 1]
                    chance_h = h_chance[j - 1]
                    if dj == 2:
                        tot_h += ht[j - 2]
                        len_h += hl[j - 2]
                        chance_h += h_chance[j - 2]
                    chance = 0.5 * (chance / di + chance_h / dj)
                    fixed = -params[4] * min(
                        _length_cost(len_r, len_h, params[6], params[5]), params[7]
                    )
                    if di + dj == 3:
                        fixed -= params[1]
                    elif di + dj == 4:
                        fixed -= params[2]
                    weight = 0.5 * (di + dj)
                    if di == 1 and dj == 1:
                        sim = _f1(ov[c], tot_r, tot_h)
                    else:
                        # A merge must be more similar than each of its sentence pairs
                        # (else it only drags an unrelated sentence along). The sum of
                        # the pairwise overlaps bounds its overlap from above, so the
                        # exact overlap is computed only when the merge could win.
                        bound[:] = 0
                        best_pair = 0.0
                        known = True
                        for a in range(di):
                            for b in range(dj):
                                if _in_band(i - a, j - b, lo, hi):
                                    cell = ov[off[i - a] + j - b - lo[i - a]]
                                    bound += cell
                                    best_pair = max(
                                        best_pair, _f1(cell, rt[i - 1 - a], ht[j - 1 - b])
                                    )
                                else:
                                    known = False
                        if known:
                            ub_sim = _f1(bound, tot_r, tot_h)
                            ub = weight * (ub_sim - params[8] * chance - params[0])
                            if prev + ub + fixed <= score[c] or ub_sim <= best_pair + params[9]:
                                continue
                        _group_overlap(rk, rc, rp, i, di, hk, hc, hp, j, dj, buf_k, buf_c, exact)
                        sim = _f1(exact, tot_r, tot_h)
                        if known and sim <= best_pair + params[9]:
                            continue
                    s = prev + weight * (sim - params[8] * chance - params[0]) + fixed
                if s > score[c]:
                    score[c] = s
                    move[c] = mv
    return move


def _backtrack(
    move: np.ndarray, off: np.ndarray, lo: np.ndarray, n: int, m: int
) -> list[tuple[int, int, int]]:
    """The best path as (reference end, hypothesis end, move) triples, in order."""
    path = []
    i, j = n, m
    while i > 0 or j > 0:
        mv = int(move[off[i] + j - lo[i]])
        if mv == 0:
            raise AssertionError("alignment path broken")  # internal invariant
        path.append((i, j, mv))
        i, j = i - int(_MOVES[mv, 0]), j - int(_MOVES[mv, 1])
    path.reverse()
    return path
