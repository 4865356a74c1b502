"""Compiled n-gram match counts: sacrebleu's BLEU and chrF statistics without Counters.

sacrebleu extracts each segment's n-grams into ``Counter`` objects (tuples of
words for BLEU, substrings for chrF, joined words for chrF++) and intersects
them in Python. The counts only depend on which n-grams are *equal*, so here
every token (a word or a character) is an integer id, and equal n-grams get
equal ids by exact refinement rather than hashing:

* order 1: the dense rank of the token ids within the segment pair;
* order n: the dense rank of ``(id of the (n-1)-gram at i, id of token i+n-1)``,
  encoded as one int64 (both factors are below the pair's length, so the key
  never overflows and distinct n-grams never collide).

Sorting the keys of the hypothesis and the reference together groups equal
n-grams; each group contributes ``min(count in hyp, count in ref)`` matches,
which is the clipped count of sacrebleu's ``_get_match_statistics`` (chrF) and
``_compute_segment_statistics`` (BLEU). When the highest-order n-gram of every
position fits in an int64 (digit = the token's rank within the pair), one sort
serves every order; otherwise the ids are refined order by order. The compiled
loop releases the GIL, so callers run chunks of segments on threads.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from evalharness.lazyjit import lazy_njit


@lazy_njit(cache=True, nogil=True)
def _refined_counts(hyp, ref, order, out):
    """``out[3*(n-1):3*n] = [hyp n-grams, ref n-grams, clipped matches]`` for n = 1..order.

    Exact for any vocabulary: order-n ids are dense ranks of (order n-1 id, next token id).
    """
    n_h, n_r = hyp.shape[0], ref.shape[0]
    m = n_h + n_r
    ids1 = np.empty(m, np.int64)
    prev = np.empty(m, np.int64)
    keys = np.empty(m, np.int64)
    keys[:n_h] = hyp
    keys[n_h:] = ref
    u1 = 0
    for n in range(1, order + 1):
        k_h = max(0, n_h - n + 1)
        k_r = max(0, n_r - n + 1)
        out[3 * (n - 1)] = k_h
        out[3 * (n - 1) + 1] = k_r
        out[3 * (n - 1) + 2] = 0
        if k_h == 0 or k_r == 0:
            continue  # no match possible at this order or any higher one
        if n > 1:
            # prev holds the (n-1)-gram ids: k_h + 1 hypothesis entries, then the reference's.
            for i in range(k_h):
                keys[i] = prev[i] * u1 + ids1[i + n - 1]
            for j in range(k_r):
                keys[k_h + j] = prev[k_h + 1 + j] * u1 + ids1[n_h + j + n - 1]
        size = k_h + k_r
        idx = np.argsort(keys[:size])
        matches = 0
        group = -1
        in_hyp = 0
        in_ref = 0
        for t in range(size):
            pos = idx[t]
            if t == 0 or keys[pos] != keys[idx[t - 1]]:
                matches += min(in_hyp, in_ref)
                in_hyp = 0
                in_ref = 0
                group += 1
            if pos < k_h:
                in_hyp += 1
            else:
                in_ref += 1
            prev[pos] = group
        matches += min(in_hyp, in_ref)
        out[3 * (n - 1) + 2] = matches
        if n == 1:
            u1 = group + 1
            ids1[:size] = prev[:size]


@lazy_njit(cache=True, nogil=True)
def _segment_counts(hyp, ref, order, out, packed):
    """As :func:`_refined_counts`, with one sort when the n-grams fit in an int64.

    Each position's n-gram of the highest order is packed into one key, digit by
    digit (the token's rank within the pair, 1-based; 0 past the end of its side).
    Sorting the keys makes every group of equal n-grams contiguous for every
    order at once (a shorter string never sorts inside a group of longer ones).
    """
    n_h, n_r = hyp.shape[0], ref.shape[0]
    m = n_h + n_r
    if m == 0 or not packed:
        _refined_counts(hyp, ref, order, out)
        return
    tokens = np.empty(m, np.int64)
    tokens[:n_h] = hyp
    tokens[n_h:] = ref
    idx = np.argsort(tokens)
    rank = np.empty(m, np.int64)
    u = 0
    for t in range(m):
        if t == 0 or tokens[idx[t]] != tokens[idx[t - 1]]:
            u += 1
        rank[idx[t]] = u
    bits = 1
    while (1 << bits) <= u:
        bits += 1
    if bits * order > 62:
        _refined_counts(hyp, ref, order, out)
        return
    keys = np.empty(m, np.int64)
    for p in range(m):
        end = n_h if p < n_h else m
        key = 0
        for k in range(order):
            key <<= bits
            if p + k < end:
                key |= rank[p + k]
        keys[p] = key
    idx = np.argsort(keys)
    for n in range(1, order + 1):
        k_h = max(0, n_h - n + 1)
        k_r = max(0, n_r - n + 1)
        out[3 * (n - 1)] = k_h
        out[3 * (n - 1) + 1] = k_r
        out[3 * (n - 1) + 2] = 0
        if k_h == 0 or k_r == 0:
            continue
        shift = bits * (order - n)
        matches = 0
        in_hyp = 0
        in_ref = 0
        last = -1
        for t in range(m):
            pos = idx[t]
            if pos < n_h:
                if pos >= k_h:
                    continue  # fewer than n tokens left on its side
            elif pos - n_h >= k_r:
                continue
            prefix = keys[pos] >> shift
            if prefix != last:
                matches += min(in_hyp, in_ref)
                in_hyp = 0
                in_ref = 0
                last = prefix
            if pos < n_h:
                in_hyp += 1
            else:
                in_ref += 1
        out[3 * (n - 1) + 2] = matches + min(in_hyp, in_ref)


@lazy_njit(cache=True, nogil=True)
def _batch_counts(hyp_ids, hyp_offsets, ref_ids, ref_offsets, order, out, packed):
    for k in range(out.shape[0]):
        _segment_counts(hyp_ids[hyp_offsets[k]:hyp_offsets[k + 1]],
                        ref_ids[ref_offsets[k]:ref_offsets[k + 1]], order, out[k], packed)


def pair_counts(hyp_ids: np.ndarray, hyp_offsets: np.ndarray, ref_ids: np.ndarray,
                ref_offsets: np.ndarray, order: int, packed: bool = True) -> np.ndarray:
    """N-gram counts of every (hypothesis, reference) pair of token-id sequences.

    The compiled loop releases the GIL, so calls on different pairs may run on
    threads at the same time.

    Args:
        hyp_ids: All hypothesis token ids, concatenated (int64).
        hyp_offsets: Pair ``k``'s hypothesis is ``hyp_ids[hyp_offsets[k]:hyp_offsets[k+1]]``.
        ref_ids: All reference token ids, concatenated, in the same id space.
        ref_offsets: As ``hyp_offsets``, for ``ref_ids``.
        order: Highest n-gram order.
        packed: Use the one-sort path where n-grams fit in an int64 (False
            forces the general path; both give the same counts).

    Returns:
        An int64 array ``(pairs, 3 * order)``: for each order ``n`` the number of
        hypothesis n-grams, of reference n-grams, and of clipped matches.
    """
    out = np.zeros((len(hyp_offsets) - 1, 3 * order), np.int64)
    _batch_counts(np.ascontiguousarray(hyp_ids, np.int64), np.asarray(hyp_offsets, np.int64),
                  np.ascontiguousarray(ref_ids, np.int64), np.asarray(ref_offsets, np.int64),
                  order, out, packed)
    return out


def token_ids(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Token lists -> (concatenated int64 ids, offsets); equal tokens get equal ids.

    Ids are only compared for equality: a token's id is the stream position of
    its first occurrence. Pass hypotheses and references in one call so they
    share the id space.
    """
    offsets = np.zeros(len(token_lists) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, token_lists), np.int64, len(token_lists)), out=offsets[1:])
    vocab: dict[str, int] = {}
    tokens = itertools.chain.from_iterable(token_lists)
    ids = np.fromiter(map(vocab.setdefault, tokens, itertools.count()), np.int64,
                      int(offsets[-1]))
    return ids, offsets


def char_ids(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts -> (concatenated code points as int64, offsets): one id per character."""
    offsets = np.zeros(len(texts) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)), out=offsets[1:])
    data = "".join(texts).encode("utf-32-le", errors="surrogatepass")
    return np.frombuffer(data, np.uint32).astype(np.int64), offsets


@lazy_njit(cache=True, nogil=True)
def _multi_counts(tokens, bounds, order, out):
    """BLEU's multi-reference counts of one segment: side 0 is the hypothesis, sides 1.. references.

    ``out[2*(n-1)]`` = hypothesis n-grams, ``out[2*(n-1)+1]`` = matches clipped
    by the *largest* count of the n-gram in any one reference (sacrebleu merges
    the references' n-gram counters with ``max``). Order-n ids are dense ranks
    of (order n-1 id, next token id), exactly as in :func:`_refined_counts`.
    """
    m = tokens.shape[0]
    n_sides = bounds.shape[0] - 1
    side = np.empty(m, np.int64)
    for s in range(n_sides):
        side[bounds[s]:bounds[s + 1]] = s
    idx = np.argsort(tokens)
    ids1 = np.empty(m, np.int64)
    u1 = 0
    for t in range(m):
        if t > 0 and tokens[idx[t]] != tokens[idx[t - 1]]:
            u1 += 1
        ids1[idx[t]] = u1
    u1 += 1
    cur = ids1.copy()
    pos = np.empty(m, np.int64)
    keys = np.empty(m, np.int64)
    per_ref = np.zeros(n_sides, np.int64)
    for n in range(1, order + 1):
        k_h = max(0, bounds[1] - n + 1)
        out[2 * (n - 1)] = k_h
        out[2 * (n - 1) + 1] = 0
        if k_h == 0:
            continue
        cnt = 0
        for p in range(m):
            if p + n - 1 < bounds[side[p] + 1]:
                pos[cnt] = p
                keys[cnt] = ids1[p] if n == 1 else cur[p] * u1 + ids1[p + n - 1]
                cnt += 1
        order_idx = np.argsort(keys[:cnt])
        matches = 0
        in_hyp = 0
        group = -1
        for t in range(cnt):
            q = order_idx[t]
            if t == 0 or keys[q] != keys[order_idx[t - 1]]:
                if t > 0:
                    matches += min(in_hyp, per_ref.max())
                    per_ref[:] = 0
                    in_hyp = 0
                group += 1
            p = pos[q]
            if side[p] == 0:
                in_hyp += 1
            else:
                per_ref[side[p]] += 1
            cur[p] = group
        out[2 * (n - 1) + 1] = matches + min(in_hyp, per_ref.max())
        per_ref[:] = 0


@lazy_njit(cache=True, nogil=True)
def _batch_multi_counts(tokens, bounds, side_ptr, order, out):
    for k in range(out.shape[0]):
        first, last = side_ptr[k], side_ptr[k + 1]
        start = bounds[first]
        _multi_counts(tokens[start:bounds[last]], bounds[first:last + 1] - start, order, out[k])


def multi_reference_counts(ids: np.ndarray, offsets: np.ndarray, sides: np.ndarray,
                           order: int) -> np.ndarray:
    """BLEU n-gram counts of each segment against all of its references at once.

    The compiled loop releases the GIL.

    Args:
        ids: Token ids of every side of every segment, concatenated: segment
            ``k`` is its hypothesis followed by its references.
        offsets: Start of every side in ``ids``, plus the end (as from :func:`token_ids`).
        sides: Segment ``k`` owns sides ``sides[k]`` to ``sides[k + 1] - 1``; the
            first of them is the hypothesis.
        order: Highest n-gram order.

    Returns:
        An int64 array ``(segments, 2 * order)``: for each order ``n`` the number
        of hypothesis n-grams and the matches clipped by the maximum reference count.
    """
    out = np.zeros((len(sides) - 1, 2 * order), np.int64)
    _batch_multi_counts(np.ascontiguousarray(ids, np.int64), np.asarray(offsets, np.int64),
                        np.asarray(sides, np.int64), order, out)
    return out
