"""Monotonic sentence alignment of a hypothesis to a reference.

:func:`align_sentences` finds the best monotonic path through the (reference x
hypothesis) sentence grid with the moves 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 by
dynamic programming. A move scores the similarity of the texts it pairs (see
:func:`sentence_similarity`), weighted by the number of sentences it covers,
minus a Gale-Church length prior and move penalties. The grid is searched in a
band around the diagonal of cumulative character length, widened when the best
path touches the band's edge, so long documents stay fast.

The similarity is chrF with beta = 1 (character 1- to 6-grams, whitespace
removed): symmetric, in 0..1. N-grams are hashed to 64-bit keys and compared as
sorted arrays with numba; merged groups reuse the pairwise overlaps.
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
_DEFAULT_BAND = 16
_MAX_BAND_CELLS = 4_000_000  # stop widening beyond this many half-band cells
_MAX_REPEAT = 4  # anchor n-grams may repeat this often (documents with repeated lines)


@dataclass(frozen=True)
class AlignParams:
    """Scoring of the alignment moves.

    A content move scores ``weight * (similarity - baseline) - penalty - length``
    where ``weight`` is half the number of sentences it covers, so a merge must
    match better than the 1-1 alignment it replaces plus a skip.

    Attributes:
        baseline: Similarity of unrelated sentences; pairs below it score negative.
        merge_penalty: Penalty of a 1-2 or 2-1 move.
        merge22_penalty: Penalty of a 2-2 move.
        skip_penalty: Penalty of a 1-0 or 0-1 move (none for removed sentences).
        length_weight: Weight of the Gale-Church length cost.
        length_variance: Gale-Church variance per character.
        length_cap: Upper bound of the length cost (in nats), so that a very short
            or very long translation is not forced out of its pair.
    """

    baseline: float = 0.2
    merge_penalty: float = 0.05
    merge22_penalty: float = 0.1
    skip_penalty: float = 0.0
    length_weight: float = 0.02
    length_variance: float = 6.8
    length_cap: float = 10.0
    chance_weight: float = 1.0

    def as_array(self, ratio: float) -> np.ndarray:
        """The parameters as the float array the DP kernel reads."""
        return np.array(
            [self.baseline, self.merge_penalty, self.merge22_penalty, self.skip_penalty,
             self.length_weight, self.length_variance, ratio, self.length_cap, self.chance_weight],
            dtype=np.float64,
        )


@dataclass(frozen=True)
class _Features:
    """Hashed character n-gram counts of several texts (CSR layout)."""

    keys: np.ndarray  # int64, sorted within each text; low 3 bits = order - 1
    counts: np.ndarray  # int32
    indptr: np.ndarray  # int64, len = texts + 1
    totals: np.ndarray  # int32 (texts, ORDER): n-grams per order
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
    for t in range(n_texts):
        length = offsets[t + 1] - offsets[t]
        bound += length * order
    keys = np.empty(bound, dtype=np.int64)
    counts = np.empty(bound, dtype=np.int32)
    indptr = np.zeros(n_texts + 1, dtype=np.int64)
    totals = np.zeros((n_texts, order), dtype=np.int32)
    buf = np.empty(max(bound, 1), dtype=np.int64)
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
        chunk = buf[:m]
        run = chunk[np.argsort(chunk, kind="mergesort")]
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
    i, j = a0, b0
    while i < a1 and j < b1:
        if ka[i] < kb[j]:
            i += 1
        elif ka[i] > kb[j]:
            j += 1
        else:
            out[ka[i] & 7] += min(ca[i], cb[j])
            i += 1
            j += 1


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
    )


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
def _group_row(i, d, n_single):  # type: ignore[no-untyped-def,unused-ignore]
    # Feature row of the group of d sentences ending before i: singles first, then pairs.
    return i - 1 if d == 1 else n_single + i - 2


@njit(cache=True)
def _move_score(mv, i, j, fr, fh, r_rm, h_rm, params):  # type: ignore[no-untyped-def,unused-ignore]
    di, dj = _MOVES[mv, 0], _MOVES[mv, 1]
    if dj == 0:
        return 0.0 if r_rm[i - 1] else -params[3]
    if di == 0:
        return 0.0 if h_rm[j - 1] else -params[3]
    if r_rm[i - 1] or h_rm[j - 1] or (di == 2 and r_rm[i - 2]) or (dj == 2 and h_rm[j - 2]):
        return -np.inf
    rk, rc, rp, rt, rl, rb = fr
    hk, hc, hp, ht, hl, hb = fh
    a, b = _group_row(i, di, len(r_rm)), _group_row(j, dj, len(h_rm))
    ov = np.zeros(rt.shape[1], dtype=np.int64)
    _add_overlap(rk, rc, rp[a], rp[a + 1], hk, hc, hp[b], hp[b + 1], ov)
    chance = 0.5 * (rb[i - di : i].mean() + hb[j - dj : j].mean())
    score = 0.5 * (di + dj) * (_f1(ov, rt[a], ht[b]) - params[8] * chance - params[0])
    if di + dj == 3:
        score -= params[1]
    elif di + dj == 4:
        score -= params[2]
    return score - params[4] * min(_length_cost(rl[a], hl[b], params[6], params[5]), params[7])


@njit(cache=True)
def _chance_similarity(fr, fh, lo, hi):  # type: ignore[no-untyped-def,unused-ignore]
    # Mean similarity of each sentence to the other side's sentences in its band,
    # leaving out the best one: how much a sentence matches by chance.
    rk, rc, rp, rt = fr[0], fr[1], fr[2], fr[3]
    hk, hc, hp, ht = fh[0], fh[1], fh[2], fh[3]
    n, m = len(lo) - 1, hi[len(hi) - 1]
    stats_r = np.zeros((n, 3))
    stats_h = np.zeros((m, 3))
    ov = np.zeros(rt.shape[1], dtype=np.int64)
    for i in range(1, n + 1):
        for j in range(max(lo[i], 1), hi[i] + 1):
            ov[:] = 0
            _add_overlap(rk, rc, rp[i - 1], rp[i], hk, hc, hp[j - 1], hp[j], ov)
            sim = _f1(ov, rt[i - 1], ht[j - 1])
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
def _banded_dp(fr, fh, r_rm, h_rm, lo, hi, params):  # type: ignore[no-untyped-def,unused-ignore]
    n, _m = len(lo) - 1, hi[len(hi) - 1]
    off = np.zeros(n + 2, dtype=np.int64)
    for i in range(n + 1):
        off[i + 1] = off[i] + hi[i] - lo[i] + 1
    score = np.full(off[n + 1], -np.inf)
    move = np.zeros(off[n + 1], dtype=np.uint8)
    score[0] = 0.0
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            c = off[i] + j - lo[i]
            for mv in range(1, len(_MOVES)):
                pi, pj = i - _MOVES[mv, 0], j - _MOVES[mv, 1]
                if pi < 0 or pj < 0 or pj < lo[pi] or pj > hi[pi]:
                    continue
                prev = score[off[pi] + pj - lo[pi]]
                if prev == -np.inf:
                    continue
                s = prev + _move_score(mv, i, j, fr, fh, r_rm, h_rm, params)
                if s > score[c]:
                    score[c] = s
                    move[c] = mv
    return move, off


def _band(centre: np.ndarray, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Hypothesis index range [lo, hi] per reference row, ``width`` around ``centre``."""
    n = len(centre) - 1
    lo = np.clip(centre - width, 0, m).astype(np.int64)
    hi = np.clip(centre + width, 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    for i in range(1, n + 1):  # every row must be reachable from the one above
        lo[i] = min(lo[i], hi[i - 1])
    return lo, hi


def _anchor_centre(fr: _Features, n: int, fh: _Features, m: int) -> np.ndarray:
    """Expected hypothesis position of each reference row, from rare shared n-grams.

    Character n-grams of the highest order that occur in as many reference as
    hypothesis sentences (at most ``_MAX_REPEAT``) pair their occurrences in
    order; the longest monotonic chain of those pairs is interpolated. Without
    anchors the centre is the diagonal of cumulative length.
    """
    r_key, r_sent = _top_order_occurrences(fr, n)
    h_key, h_sent = _top_order_occurrences(fh, m)
    uk_r, cnt_r = np.unique(r_key, return_counts=True)
    uk_h, cnt_h = np.unique(h_key, return_counts=True)
    common, ir, ih = np.intersect1d(uk_r, uk_h, assume_unique=True, return_indices=True)
    keep = common[(cnt_r[ir] == cnt_h[ih]) & (cnt_r[ir] <= _MAX_REPEAT)]
    sel_r, sel_h = np.isin(r_key, keep), np.isin(h_key, keep)
    order_r = np.lexsort((r_sent[sel_r], r_key[sel_r]))
    order_h = np.lexsort((h_sent[sel_h], h_key[sel_h]))
    points = np.unique(r_sent[sel_r][order_r] * (m + 1) + h_sent[sel_h][order_h])
    chain = points[_longest_chain(points % (m + 1))] if len(points) else points
    xs, ys = chain // (m + 1), chain % (m + 1)
    ux, first = np.unique(xs, return_index=True)
    r_cum = np.concatenate([[0.0], np.cumsum(fr.lengths[:n] + 1.0)])
    h_cum = np.concatenate([[0.0], np.cumsum(fh.lengths[:m] + 1.0)])
    if len(ux) == 0:
        return np.searchsorted(h_cum / h_cum[-1], r_cum / r_cum[-1]).astype(np.int64)
    xp = np.concatenate([[0.0], ux + 0.5, [float(n)]])
    fp = np.concatenate([[0.0], ys[first] + 0.5, [float(m)]])
    return np.rint(np.interp(np.arange(n + 1), xp, fp)).astype(np.int64)


def _top_order_occurrences(f: _Features, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the highest-order n-grams of the first ``count`` texts, with their text index."""
    end = int(f.indptr[count])
    sent = np.repeat(np.arange(count, dtype=np.int64), np.diff(f.indptr[: count + 1]))
    top = (f.keys[:end] & 7) == ORDER - 1
    return f.keys[:end][top], sent[top]


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


def _backtrack(move: np.ndarray, off: np.ndarray, lo: np.ndarray, n: int, m: int) -> list[tuple[int, int, int]]:
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


def _touches_edge(path: list[tuple[int, int, int]], lo: np.ndarray, hi: np.ndarray, m: int) -> bool:
    return any(
        (j <= lo[i] + 1 and lo[i] > 0) or (j >= hi[i] - 1 and hi[i] < m) for i, j, _ in path
    )


def _group_features(sentences: Sequence[Sentence]) -> tuple[_Features, np.ndarray]:
    """Features of every sentence, then of every adjacent pair; and the removed flags."""
    texts = [s.text for s in sentences]
    pairs = [f"{a} {b}" for a, b in zip(texts, texts[1:], strict=False)]
    removed = np.array([s.removed is not None for s in sentences], dtype=np.bool_)
    return _features(texts + pairs), removed


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
        band: Initial half-width of the search band in sentences (default 16);
            the band doubles while the best path touches its edge.
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
    (fr, r_rm), (fh, h_rm) = _group_features(ref), _group_features(hyp)
    r_len, h_len = fr.lengths[:n], fh.lengths[:m]
    ratio = (h_len.sum() + 1.0) / (r_len.sum() + 1.0)
    width = band or _DEFAULT_BAND
    centre = _anchor_centre(fr, n, fh, m) if n and m else np.zeros(n + 1, dtype=np.int64)
    while True:
        lo, hi = _band(centre, m, width)
        r_args, h_args = _kernel_args(fr), _kernel_args(fh)
        r_chance, h_chance = _chance_similarity(r_args, h_args, lo, hi)
        move, off = _banded_dp(
            (*r_args, r_chance), (*h_args, h_chance), r_rm, h_rm, lo, hi,
            params.as_array(ratio),
        )
        path = _backtrack(move, off, lo, n, m)
        if width >= m or n * width > _MAX_BAND_CELLS or not _touches_edge(path, lo, hi, m):
            break
        width *= 2
    return _segments(ref, hyp, path)


def _segments(
    ref: Sequence[Sentence], hyp: Sequence[Sentence], path: list[tuple[int, int, int]]
) -> tuple[AlignedSegment, ...]:
    groups = []
    for i, j, mv in path:
        di, dj = int(_MOVES[mv, 0]), int(_MOVES[mv, 1])
        groups.append((tuple(ref[i - di : i]), tuple(hyp[j - dj : j])))
    sims = _group_similarities(groups)
    return tuple(
        AlignedSegment(id=k, ref=r, hyp=h, similarity=sims[k]) for k, (r, h) in enumerate(groups)
    )


def _group_similarities(
    groups: Sequence[tuple[tuple[Sentence, ...], tuple[Sentence, ...]]],
) -> list[float]:
    both = [k for k, (r, h) in enumerate(groups) if r and h]
    sims = [0.0] * len(groups)
    values = _similarities(
        [" ".join(s.text for s in groups[k][0]) for k in both],
        [" ".join(s.text for s in groups[k][1]) for k in both],
    )
    for k, value in zip(both, values, strict=False):
        sims[k] = float(value)
    return sims


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
