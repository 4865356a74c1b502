"""Monotonic sentence alignment of a hypothesis to a reference.

:func:`align_sentences` finds the best monotonic path through the (reference x
hypothesis) sentence grid with the moves 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 by
dynamic programming. A move scores the similarity of the texts it pairs (see
:func:`sentence_similarity`), weighted by the number of sentences it covers,
less the similarity the sentences have by chance, a baseline, a Gale-Church
length cost and a merge penalty; a skip (1-0, 0-1) costs a small penalty, none
for text that cleaning removed. A merge must be more similar than each of its
sentence pairs. Afterwards a 2-2 whose sentence boundaries agree (both diagonal
pairs good, both crossing pairs clearly worse) becomes two 1-1 segments.

The grid is searched in a band around an expected path. The expected path
comes from anchors: rare character 6-grams shared by a reference and a
hypothesis sentence, of which the longest monotonic chain is kept and
interpolated. Where the best path runs along the band's edge, the band is
re-centred on that path and doubled around those rows, so a wrong guess costs
one more pass, not a wrong alignment.

The similarity is chrF with beta = 1 (character 1- to 6-grams, whitespace
removed): symmetric, in 0..1. N-grams are hashed to 64-bit keys and compared
with numba. The overlap of every sentence pair in the band is computed once; a
merge move is first bounded from above by the sum of its pairwise overlaps,
and its exact overlap (n-gram counts of the merged sentences) is computed only
when that bound could beat the best move so far.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

from evalharness.errors import InputError, UsageError
from evalharness.types import AlignedSegment, Sentence

ORDER = 6
"""Character n-gram orders 1..ORDER, as in chrF."""

# Move codes: index -> (reference sentences, hypothesis sentences). 1-1 comes
# first so that ties go to the plainest alignment.
_MOVES = np.array([[0, 0], [1, 1], [1, 2], [2, 1], [2, 2], [1, 0], [0, 1]], dtype=np.int64)
_MOVE_ORDER = np.array([1, 5, 6, 2, 3, 4], dtype=np.int64)  # cheap moves first: better pruning
_MOVE_22 = 4
_DEFAULT_BAND = 8
_MAX_BAND_CELLS = 6_000_000  # stop widening beyond this many cells in all
_MAX_ROUNDS = 6  # band passes at most
_MAX_REPEAT = 8  # an anchor n-gram may occur in this many sentences per side
_MAX_ANCHOR_POINTS = 2_000_000  # sample anchor n-grams beyond this many candidate pairs


@dataclass(frozen=True)
class AlignParams:
    """Scoring of the alignment moves.

    A content move scores
    ``weight * (similarity - chance_weight * chance - baseline) - penalty - length``
    where ``weight`` is half the number of sentences it covers, ``chance`` the
    mean similarity of its sentences to their other neighbours in the band, and
    ``length`` the capped, weighted Gale-Church cost. A merge must therefore
    match better than the 1-1 alignment it replaces plus a skip. The defaults
    were chosen on WMT23 documents with random merges, splits, drops and
    insertions (``bench/align.py``) and checked by hand on the seed pair.

    Attributes:
        baseline: Similarity of unrelated sentences; pairs below it score negative.
        merge_penalty: Penalty of a 1-2 or 2-1 move.
        merge22_penalty: Penalty of a 2-2 move.
        skip_penalty: Penalty of a 1-0 or 0-1 move (none for removed sentences).
        length_weight: Weight of the Gale-Church length cost.
        length_variance: Gale-Church variance per character.
        length_cap: Upper bound of the length cost (in nats), so that a very short
            or very long translation is not forced out of its pair.
        chance_weight: Weight of the chance similarity.
        merge_gain: A merge must be more similar than the best of its sentence
            pairs by more than this, or it is not considered: an unrelated
            sentence lowers the similarity of the sentences it joins.
        split_margin: A 2-2 segment becomes two 1-1 segments when both diagonal
            pairs would score as 1-1 moves and each is more similar than both
            crossing pairs by this margin: the sentence boundaries agree, so
            nothing crosses them.
    """

    baseline: float = 0.2
    merge_penalty: float = 0.2
    merge22_penalty: float = 0.6
    skip_penalty: float = 0.15
    length_weight: float = 0.02
    length_variance: float = 6.8
    length_cap: float = 10.0
    chance_weight: float = 1.0
    merge_gain: float = 0.0
    split_margin: float = 0.1

    def as_array(self, ratio: float) -> np.ndarray:
        """The parameters as the float array the DP kernel reads."""
        return np.array(
            [self.baseline, self.merge_penalty, self.merge22_penalty, self.skip_penalty,
             self.length_weight, self.length_variance, ratio, self.length_cap, self.chance_weight,
             self.merge_gain],
            dtype=np.float64,
        )  # fmt: skip


@dataclass(frozen=True)
class _Features:
    """Hashed character n-gram counts of several texts (CSR layout)."""

    keys: np.ndarray  # int64, sorted within each text; low 3 bits = order - 1
    counts: np.ndarray  # int32
    indptr: np.ndarray  # int64, len = texts + 1
    totals: np.ndarray  # int64 (texts, ORDER): n-grams per order
    lengths: np.ndarray  # float64, characters without whitespace


def _features(texts: Sequence[str]) -> _Features:
    stripped = ["".join(t.split()) for t in texts]
    lengths = np.array([len(s) for s in stripped], dtype=np.int64)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    cps = np.frombuffer("".join(stripped).encode("utf-32-le"), dtype=np.uint32)
    keys, counts, indptr, totals = _extract_ngrams(cps.astype(np.int64), offsets, ORDER)
    return _Features(keys, counts, indptr, totals, lengths.astype(np.float64))


@njit(cache=True)
def _extract_ngrams(cps, offsets, order):  # type: ignore[no-untyped-def,unused-ignore]
    n_texts = len(offsets) - 1
    bound = 0
    longest = 0
    for t in range(n_texts):
        length = offsets[t + 1] - offsets[t]
        bound += length * order
        longest = max(longest, length * order)
    keys = np.empty(bound, dtype=np.int64)
    counts = np.empty(bound, dtype=np.int32)
    indptr = np.zeros(n_texts + 1, dtype=np.int64)
    totals = np.zeros((n_texts, order), dtype=np.int64)
    buf = np.empty(max(longest, 1), dtype=np.int64)
    out = 0
    for t in range(n_texts):
        start, length = offsets[t], offsets[t + 1] - offsets[t]
        m = 0
        for i in range(length):
            h = np.uint64(14695981039346656037)
            for k in range(min(order, length - i)):
                h = (h ^ np.uint64(cps[start + i + k])) * np.uint64(1099511628211)
                buf[m] = np.int64((h >> np.uint64(3)) << np.uint64(3)) | k
                totals[t, k] += 1
                m += 1
        run = np.sort(buf[:m])
        j = 0
        while j < m:
            e = j + 1
            while e < m and run[e] == run[j]:
                e += 1
            keys[out] = run[j]
            counts[out] = e - j
            out += 1
            j = e
        indptr[t + 1] = out
    return keys[:out].copy(), counts[:out].copy(), indptr, totals


@njit(cache=True)
def _add_overlap(ka, ca, a0, a1, kb, cb, b0, b1, out):  # type: ignore[no-untyped-def,unused-ignore]
    # Branch-light merge of two sorted key runs: both indices advance on a match.
    i, j = a0, b0
    while i < a1 and j < b1:
        x, y = ka[i], kb[j]
        if x == y:
            out[x & 7] += min(ca[i], cb[j])
        i += x <= y
        j += y <= x


@njit(cache=True)
def _f1(overlap, tot_a, tot_b):  # type: ignore[no-untyped-def,unused-ignore]
    # chrF's effective-order average of precision and recall, then F1.
    prec, rec, eff = 0.0, 0.0, 0
    for k in range(len(overlap)):
        if tot_a[k] > 0 and tot_b[k] > 0:
            hit = min(overlap[k], tot_a[k], tot_b[k])
            prec += hit / tot_b[k]
            rec += hit / tot_a[k]
            eff += 1
    if eff == 0 or prec + rec == 0.0:
        return 0.0
    prec /= eff
    rec /= eff
    return 2.0 * prec * rec / (prec + rec)


@njit(cache=True)
def _pair_similarities(ka, ca, pa, ta, kb, cb, pb, tb, ia, ib):  # type: ignore[no-untyped-def,unused-ignore]
    sims = np.zeros(len(ia), dtype=np.float64)
    ov = np.zeros(ta.shape[1], dtype=np.int64)
    for p in range(len(ia)):
        a, b = ia[p], ib[p]
        ov[:] = 0
        _add_overlap(ka, ca, pa[a], pa[a + 1], kb, cb, pb[b], pb[b + 1], ov)
        sims[p] = _f1(ov, ta[a], tb[b])
    return sims


def _similarities(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    fa, fb = _features(a_texts), _features(b_texts)
    idx = np.arange(len(a_texts), dtype=np.int64)
    return _pair_similarities(
        fa.keys, fa.counts, fa.indptr, fa.totals, fb.keys, fb.counts, fb.indptr, fb.totals,
        idx, idx,
    )  # fmt: skip


def pair_similarities(a_texts: Sequence[str], b_texts: Sequence[str]) -> list[float]:
    """:func:`sentence_similarity` of ``a_texts[k]`` and ``b_texts[k]`` for every k, in one pass."""
    if len(a_texts) != len(b_texts):
        raise ValueError("pair_similarities needs two lists of the same length")
    return [float(v) for v in _similarities(a_texts, b_texts)]


def sentence_similarity(a: str, b: str) -> float:
    """Character n-gram similarity of two texts, in 0..1, symmetric.

    Equal to sacrebleu's sentence chrF with ``beta=1`` (orders 1..6, no word
    n-grams, whitespace ignored) divided by 100; 1.0 for identical texts, 0.0
    when either text has no characters.
    """
    return float(_similarities([a], [b])[0])


@njit(cache=True)
def _length_cost(len_r, len_h, ratio, variance):  # type: ignore[no-untyped-def,unused-ignore]
    mean = (ratio * len_r + len_h) / 2.0
    if mean <= 0.0:
        return 0.0
    delta = abs(len_h - ratio * len_r) / math.sqrt(variance * mean)
    tail = math.erfc(delta / math.sqrt(2.0))
    return -math.log(max(tail, 1e-12))


@njit(cache=True)
def _band_overlaps(rk, rc, rp, hk, hc, hp, lo, hi, off, old_lo, old_hi, old_off, old_ov):  # type: ignore[no-untyped-def,unused-ignore]
    # Per-order n-gram overlap of every sentence pair in the band: cell (i, j)
    # pairs reference sentence i-1 with hypothesis sentence j-1. The reference
    # sentence's n-grams go into a small open-addressing table, probed with the
    # n-grams of each hypothesis sentence in its row. Cells of the previous
    # band (old_*, empty in the first pass) are copied.
    ov = np.zeros((off[len(off) - 1], ORDER), dtype=np.int64)
    longest = 1
    for t in range(len(rp) - 1):
        longest = max(longest, rp[t + 1] - rp[t])
    size = 1
    while size < 2 * longest:
        size *= 2
    table_k = np.zeros(size, dtype=np.int64)
    table_c = np.zeros(size, dtype=np.int32)
    for i in range(1, len(lo)):
        a0, a1 = rp[i - 1], rp[i]
        if a1 == a0:
            continue
        mask = 1
        while mask < 2 * (a1 - a0):
            mask *= 2
        mask -= 1
        todo = 0
        for j in range(max(lo[i], 1), hi[i] + 1):
            if len(old_lo) and old_lo[i] <= j <= old_hi[i]:
                ov[off[i] + j - lo[i]] = old_ov[old_off[i] + j - old_lo[i]]
            else:
                todo += 1
        if todo == 0:
            continue
        table_c[: mask + 1] = 0
        for a in range(a0, a1):
            slot = (rk[a] >> 3) & mask
            while table_c[slot] != 0:
                slot = (slot + 1) & mask
            table_k[slot] = rk[a]
            table_c[slot] = rc[a]
        for j in range(max(lo[i], 1), hi[i] + 1):
            if len(old_lo) and old_lo[i] <= j <= old_hi[i]:
                continue
            out = ov[off[i] + j - lo[i]]
            for b in range(hp[j - 1], hp[j]):
                key = hk[b]
                slot = (key >> 3) & mask
                while table_c[slot] != 0:
                    if table_k[slot] == key:
                        out[key & 7] += min(table_c[slot], hc[b])
                        break
                    slot = (slot + 1) & mask
    return ov


@njit(cache=True)
def _chance_similarity(ov, off, lo, hi, rt, ht):  # type: ignore[no-untyped-def,unused-ignore]
    # Mean similarity of each sentence to the other side's sentences in its band,
    # leaving out the best one: how much a sentence matches by chance.
    n, m = len(lo) - 1, hi[len(hi) - 1]
    stats_r = np.zeros((n, 3))
    stats_h = np.zeros((m, 3))
    for i in range(1, n + 1):
        for j in range(max(lo[i], 1), hi[i] + 1):
            sim = _f1(ov[off[i] + j - lo[i]], rt[i - 1], ht[j - 1])
            for st in (stats_r[i - 1], stats_h[j - 1]):
                st[0] += sim
                st[1] += 1.0
                st[2] = max(st[2], sim)
    return _mean_but_best(stats_r), _mean_but_best(stats_h)


@njit(cache=True)
def _mean_but_best(stats):  # type: ignore[no-untyped-def,unused-ignore]
    out = np.zeros(len(stats))
    for k in range(len(stats)):
        if stats[k, 1] > 1.0:
            out[k] = (stats[k, 0] - stats[k, 2]) / (stats[k, 1] - 1.0)
    return out


@njit(cache=True)
def _in_band(i, j, lo, hi):  # type: ignore[no-untyped-def,unused-ignore]
    return 1 <= i < len(lo) and j >= 1 and lo[i] <= j <= hi[i]


@njit(cache=True)
def _merge_run(k1, c1, a0, a1, b0, b1, out_k, out_c):  # type: ignore[no-untyped-def,unused-ignore]
    # Merge two sorted runs of one feature table, adding the counts of equal keys.
    i, j, n = a0, b0, 0
    while i < a1 or j < b1:
        if j >= b1 or (i < a1 and k1[i] < k1[j]):
            out_k[n], out_c[n] = k1[i], c1[i]
            i += 1
        elif i >= a1 or k1[j] < k1[i]:
            out_k[n], out_c[n] = k1[j], c1[j]
            j += 1
        else:
            out_k[n], out_c[n] = k1[i], c1[i] + c1[j]
            i += 1
            j += 1
        n += 1
    return n


@njit(cache=True)
def _group_overlap(rk, rc, rp, i, di, hk, hc, hp, j, dj, buf_k, buf_c, out):  # type: ignore[no-untyped-def,unused-ignore]
    # Exact overlap of the di reference sentences ending before i with the dj
    # hypothesis sentences ending before j (counts of a group are summed).
    out[:] = 0
    half = len(buf_k) // 2
    if di == 2:
        na = _merge_run(rk, rc, rp[i - 2], rp[i - 1], rp[i - 1], rp[i], buf_k[:half], buf_c[:half])
        ak, ac, a0, a1 = buf_k[:half], buf_c[:half], 0, na
    else:
        ak, ac, a0, a1 = rk, rc, rp[i - 1], rp[i]
    if dj == 2:
        nb = _merge_run(hk, hc, hp[j - 2], hp[j - 1], hp[j - 1], hp[j], buf_k[half:], buf_c[half:])
        bk, bc, b0, b1 = buf_k[half:], buf_c[half:], 0, nb
    else:
        bk, bc, b0, b1 = hk, hc, hp[j - 1], hp[j]
    _add_overlap(ak, ac, a0, a1, bk, bc, b0, b1, out)


@njit(cache=True)
def _banded_dp(fr, fh, r_chance, h_chance, r_rm, h_rm, lo, hi, off, ov, params):  # type: ignore[no-untyped-def,unused-ignore]
    rk, rc, rp, rt, rl = fr
    hk, hc, hp, ht, hl = fh
    n = len(lo) - 1
    score = np.full(off[n + 1], -np.inf)
    move = np.zeros(off[n + 1], dtype=np.uint8)
    score[0] = 0.0
    longest = 1
    for t in range(len(rp) - 1):
        longest = max(longest, rp[t + 1] - rp[t])
    for t in range(len(hp) - 1):
        longest = max(longest, hp[t + 1] - hp[t])
    buf_k = np.empty(4 * longest, dtype=np.int64)
    buf_c = np.empty(4 * longest, dtype=np.int32)
    bound = np.zeros(ORDER, dtype=np.int64)
    exact = np.zeros(ORDER, dtype=np.int64)
    tot_r = np.zeros(ORDER, dtype=np.int64)
    tot_h = np.zeros(ORDER, dtype=np.int64)
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


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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


def _kernel_args(f: _Features) -> tuple[np.ndarray, ...]:
    return f.keys, f.counts, f.indptr, f.totals, f.lengths


def align_sentences(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    *,
    band: int | None = None,
    params: AlignParams | None = None,
) -> tuple[AlignedSegment, ...]:
    """Align hypothesis sentences to reference sentences monotonically.

    Every sentence of both sides lands in exactly one segment, in order; segment
    ids run 0..n-1. Sentences with ``removed`` set become their own 1-0 or 0-1
    segments and are never merged with content.

    Args:
        ref: Reference sentences in document order.
        hyp: Hypothesis sentences in document order.
        band: Initial half-width of the search band in sentences (default 8);
            where the best path runs along the band's edge, the band is
            re-centred on the path and doubled around those rows, and the
            search runs again.
        params: Move scoring; :class:`AlignParams` defaults when ``None``.

    Returns:
        The aligned segments; ``similarity`` is :func:`sentence_similarity` of
        the joined texts (0.0 for one-sided segments).

    Raises:
        UsageError: if ``band`` is smaller than 1.
    """
    if band is not None and band < 1:
        raise UsageError(f"alignment band must be at least 1, got {band}")
    params = params or AlignParams()
    n, m = len(ref), len(hyp)
    fr, fh = _features([s.text for s in ref]), _features([s.text for s in hyp])
    r_rm = np.array([s.removed is not None for s in ref], dtype=np.bool_)
    h_rm = np.array([s.removed is not None for s in hyp], dtype=np.bool_)
    ratio = (fh.lengths.sum() + 1.0) / (fr.lengths.sum() + 1.0)
    width = np.full(n + 1, band or _DEFAULT_BAND, dtype=np.int64)
    centre = _anchor_centre(fr, fh) if n and m else np.zeros(n + 1, dtype=np.int64)
    r_args, h_args = _kernel_args(fr), _kernel_args(fh)
    none = np.zeros(0, dtype=np.int64)
    lo, hi, off, ov = none, none, none, np.zeros((0, ORDER), dtype=np.int64)
    for _round in range(_MAX_ROUNDS):
        old = (lo, hi, off, ov)
        lo, hi, off = _band(centre, m, width)
        ov = _band_overlaps(
            fr.keys, fr.counts, fr.indptr, fh.keys, fh.counts, fh.indptr, lo, hi, off, *old
        )
        r_chance, h_chance = _chance_similarity(ov, off, lo, hi, fr.totals, fh.totals)
        move = _banded_dp(
            r_args, h_args, r_chance, h_chance, r_rm, h_rm, lo, hi, off, ov,
            params.as_array(ratio),
        )  # fmt: skip
        path = _backtrack(move, off, lo, n, m)
        edge = _edge_rows(path, lo, hi, m)
        if not edge or off[-1] > _MAX_BAND_CELLS:
            break
        # Re-centre on the path; double the width around each place it ran along the edge.
        centre = _path_centre(path, n)
        wider = width.copy()
        for i in edge:
            span = 4 * int(width[i])
            wider[max(0, i - span) : i + span + 1] = np.maximum(
                wider[max(0, i - span) : i + span + 1], 2 * width[i]
            )
        width = np.minimum(wider, m)
    path = _split_crossing_free(path, fr, fh, r_chance, h_chance, params)
    return _segments(ref, hyp, path, fr, fh)


def _split_crossing_free(
    path: list[tuple[int, int, int]],
    fr: _Features,
    fh: _Features,
    r_chance: np.ndarray,
    h_chance: np.ndarray,
    params: AlignParams,
) -> list[tuple[int, int, int]]:
    """Replace each 2-2 move whose sentence boundaries agree by two 1-1 moves.

    The merged texts of a 2-2 move share more n-grams by chance than its two
    pairs do, so the DP takes it even where the second reference sentence
    plainly starts where the second hypothesis sentence does. When both
    diagonal pairs score as 1-1 moves and each beats both crossing pairs by
    ``split_margin``, nothing crosses the boundary and two 1-1 segments say so.
    """
    moves22 = [(i, j) for i, j, mv in path if mv == _MOVE_22]
    if not moves22:
        return path
    ia, ib = [], []
    for i, j in moves22:  # diagonal 1, diagonal 2, crossing 1-2, crossing 2-1
        ia += [i - 2, i - 1, i - 2, i - 1]
        ib += [j - 2, j - 1, j - 1, j - 2]
    sims = _pair_similarities(
        fr.keys, fr.counts, fr.indptr, fr.totals, fh.keys, fh.counts, fh.indptr, fh.totals,
        np.array(ia, dtype=np.int64), np.array(ib, dtype=np.int64),
    ).reshape(-1, 4)  # fmt: skip
    split = set()
    for (i, j), (d1, d2, c1, c2) in zip(moves22, sims, strict=True):
        good = all(
            d - params.chance_weight * 0.5 * (r_chance[a] + h_chance[b]) - params.baseline > 0
            for d, a, b in ((d1, i - 2, j - 2), (d2, i - 1, j - 1))
        )
        if good and min(d1, d2) >= max(c1, c2) + params.split_margin:
            split.add((i, j))
    out = []
    for i, j, mv in path:
        if mv == _MOVE_22 and (i, j) in split:
            out += [(i - 1, j - 1, 1), (i, j, 1)]
        else:
            out.append((i, j, mv))
    return out


def _segments(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    path: list[tuple[int, int, int]],
    fr: _Features,
    fh: _Features,
) -> tuple[AlignedSegment, ...]:
    """Segments of the path, with the similarity of their joined texts."""
    groups = []
    sims = np.zeros(len(path))
    single_k, single_r, single_h, merged_k = [], [], [], []
    for k, (i, j, mv) in enumerate(path):
        di, dj = int(_MOVES[mv, 0]), int(_MOVES[mv, 1])
        groups.append((tuple(ref[i - di : i]), tuple(hyp[j - dj : j])))
        if di == 1 and dj == 1:  # the sentence features already hold the pair
            single_k.append(k)
            single_r.append(i - 1)
            single_h.append(j - 1)
        elif di and dj:
            merged_k.append(k)
    if single_k:
        sims[single_k] = _pair_similarities(
            fr.keys, fr.counts, fr.indptr, fr.totals, fh.keys, fh.counts, fh.indptr, fh.totals,
            np.array(single_r, dtype=np.int64), np.array(single_h, dtype=np.int64),
        )  # fmt: skip
    if merged_k:
        sims[merged_k] = _similarities(
            [" ".join(s.text for s in groups[k][0]) for k in merged_k],
            [" ".join(s.text for s in groups[k][1]) for k in merged_k],
        )
    return tuple(
        AlignedSegment(id=k, ref=r, hyp=h, similarity=float(sims[k]))
        for k, (r, h) in enumerate(groups)
    )


def align_by_position(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    src: Sequence[Sentence] | None = None,
) -> tuple[AlignedSegment, ...]:
    """Pair line-aligned inputs one to one (segment k = line k of each side).

    Raises:
        InputError: if the sides have different numbers of segments.
    """
    if len(ref) != len(hyp) or (src is not None and len(src) != len(ref)):
        counts = f"{len(ref)} reference, {len(hyp)} hypothesis"
        if src is not None:
            counts += f", {len(src)} source"
        raise InputError(f"line-aligned inputs differ in length: {counts} segments")
    sims = _similarities([s.text for s in ref], [s.text for s in hyp])
    return tuple(
        AlignedSegment(
            id=k,
            ref=(ref[k],),
            hyp=(hyp[k],),
            src=(src[k],) if src is not None else (),
            similarity=float(sims[k]),
        )
        for k in range(len(ref))
    )
