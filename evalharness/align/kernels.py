"""Character n-gram features and the numba kernels that compare them.

Sentences are reduced to hashed character 1- to 6-gram counts (whitespace
removed), stored in CSR layout (:class:`_Features`). The kernels here compute
chrF-style similarities (beta = 1) from them: of given sentence pairs, of every
pair in a search band, of merged sentence groups, and the chance similarity of
each sentence to its neighbours in the band. Used by :mod:`evalharness.align.sentences`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evalharness.lazyjit import INTERPRETED_MAX_CHARS, interpreted_kernels, lazy_njit

ORDER = 6
"""Character n-gram orders 1..ORDER, as in chrF."""


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


@lazy_njit(cache=True, nogil=True)
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


@lazy_njit(cache=True)
def _add_overlap(ka, ca, a0, a1, kb, cb, b0, b1, out):  # type: ignore[no-untyped-def,unused-ignore]
    # Branch-light merge of two sorted key runs: both indices advance on a match.
    i, j = a0, b0
    while i < a1 and j < b1:
        x, y = ka[i], kb[j]
        if x == y:
            out[x & 7] += min(ca[i], cb[j])
        i += x <= y
        j += y <= x


@lazy_njit(cache=True)
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


@lazy_njit(cache=True, nogil=True)
def _pair_similarities(ka, ca, pa, ta, kb, cb, pb, tb, ia, ib):  # type: ignore[no-untyped-def,unused-ignore]
    sims = np.zeros(len(ia), dtype=np.float64)
    ov = np.zeros(ta.shape[1], dtype=np.int64)
    for p in range(len(ia)):
        a, b = ia[p], ib[p]
        ov[:] = 0
        _add_overlap(ka, ca, pa[a], pa[a + 1], kb, cb, pb[b], pb[b + 1], ov)
        sims[p] = _f1(ov, ta[a], tb[b])
    return sims


def is_small(*sides: Sequence[str]) -> bool:
    """Whether texts are few and short enough for interpreted kernels (see :mod:`evalharness.lazyjit`)."""
    total = 0
    for texts in sides:
        for text in texts:
            total += len(text)
            if total > INTERPRETED_MAX_CHARS:
                return False
    return True


def _similarities(a_texts: Sequence[str], b_texts: Sequence[str]) -> np.ndarray:
    idx = np.arange(len(a_texts), dtype=np.int64)
    return indexed_similarities(a_texts, b_texts, [(idx, idx)])[0]


def indexed_similarities(
    a_texts: Sequence[str], b_texts: Sequence[str], pairings: Sequence[tuple[np.ndarray, np.ndarray]]
) -> list[np.ndarray]:
    """Similarities of ``a_texts[ia[p]]`` and ``b_texts[ib[p]]`` for each ``(ia, ib)`` of ``pairings``.

    The n-gram features of each text are extracted once for all pairings.
    """
    with interpreted_kernels(is_small(a_texts, b_texts)):
        fa, fb = _features(a_texts), _features(b_texts)
        return [
            _pair_similarities(
                fa.keys, fa.counts, fa.indptr, fa.totals, fb.keys, fb.counts, fb.indptr, fb.totals,
                np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64),
            )  # fmt: skip
            for ia, ib in pairings
        ]


@lazy_njit(cache=True)
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


@lazy_njit(cache=True)
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


@lazy_njit(cache=True)
def _mean_but_best(stats):  # type: ignore[no-untyped-def,unused-ignore]
    out = np.zeros(len(stats))
    for k in range(len(stats)):
        if stats[k, 1] > 1.0:
            out[k] = (stats[k, 0] - stats[k, 2]) / (stats[k, 1] - 1.0)
    return out


@lazy_njit(cache=True)
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


@lazy_njit(cache=True)
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
