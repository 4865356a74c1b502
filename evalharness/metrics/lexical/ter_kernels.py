"""Compiled TER: sacrebleu's tercom-style shift search, compiled with numba.

This is a transcription of ``sacrebleu.metrics.lib_ter.translation_edit_rate``
(sacrebleu 2.6.0) onto integer word ids, giving the same number of edits for
every segment:

* the same beam edit distance (``_BEAM_WIDTH`` around the length-ratio
  pseudo-diagonal, full last row, the same operation preference on ties);
* the same shift candidates (``_MAX_SHIFT_SIZE``, ``_MAX_SHIFT_DIST``), the
  same filters, the same ranking (edit gain, then length, then earliest start,
  then earliest target) and the same cumulative ``_MAX_SHIFT_CANDIDATES`` cut-off.

sacrebleu memoises edit-distance rows in a prefix trie; here the rows of the
unshifted hypothesis (and of the previous candidate) are reused from the
longest common prefix, which yields identical rows because a row depends only
on its hypothesis prefix and the (fixed) hypothesis length.

Tokenisation is not done here: callers pass words produced by sacrebleu's own
``TercomTokenizer`` (see :mod:`evalharness.metrics.lexical.adapters`). A segment whose
trace cannot be reconstructed (sacrebleu raises there too) is reported as
``-1`` so that the caller can defer to sacrebleu.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit
from sacrebleu.metrics import lib_ter

COST = 1  # sacrebleu's _COST_INS == _COST_DEL == _COST_SUB
MAX_SHIFT_SIZE = lib_ter._MAX_SHIFT_SIZE
MAX_SHIFT_DIST = lib_ter._MAX_SHIFT_DIST
BEAM_WIDTH = lib_ter._BEAM_WIDTH
MAX_SHIFT_CANDIDATES = lib_ter._MAX_SHIFT_CANDIDATES
INF = lib_ter._INT_INFINITY

_NOP, _SUB, _INS, _DEL, _UNDEF = 0, 1, 2, 3, 4


@njit(cache=True)
def _beam_bounds(n_h: int, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """Column range ``[lo[i], hi[i])`` that the beam fills in row ``i``."""
    ratio = n_r / n_h if n_h > 0 else 1.0
    width = BEAM_WIDTH
    if ratio / 2 > BEAM_WIDTH:
        width = int(np.ceil(ratio / 2 + BEAM_WIDTH))
    lo = np.zeros(n_h + 1, np.int64)
    hi = np.zeros(n_h + 1, np.int64)
    for i in range(1, n_h + 1):
        diag = int(np.floor(i * ratio))
        lo[i] = max(0, diag - width)
        hi[i] = min(n_r + 1, diag + width)
        if i == n_h:
            hi[i] = n_r + 1
    return lo, hi


@njit(cache=True)
def _new_matrix(n_h: int, n_r: int) -> tuple[np.ndarray, np.ndarray]:
    """An edit-distance matrix with sacrebleu's first row and infinite cells elsewhere."""
    cost = np.full((n_h + 1, n_r + 1), INF, np.int64)
    ops = np.full((n_h + 1, n_r + 1), _UNDEF, np.int8)
    for j in range(n_r + 1):
        cost[0, j] = j * COST
        ops[0, j] = _INS
    return cost, ops


@njit(cache=True)
def _fill_rows(words, ref, cost, ops, lo, hi, start):
    """Compute rows ``start+1 .. n_h`` of the beam edit distance (rows <= start valid)."""
    n_h = words.shape[0]
    for i in range(start + 1, n_h + 1):
        w = words[i - 1]
        above = cost[i - 1]
        row = cost[i]
        row_ops = ops[i]
        first = lo[i]
        if first == 0:
            row[0] = above[0] + COST
            row_ops[0] = _DEL
            first = 1
        left = row[first - 1]
        for j in range(first, hi[i]):
            # sacrebleu's preference on ties: diagonal, then deletion, then insertion.
            if w == ref[j - 1]:
                best = above[j - 1]
                best_op = _NOP
            else:
                best = above[j - 1] + COST
                best_op = _SUB
            if best >= INF:  # an infinite diagonal is never taken (INF > c fails)
                best = INF
                best_op = _UNDEF
            c = above[j] + COST
            if best > c:
                best, best_op = c, _DEL
            c = left + COST
            if best > c:
                best, best_op = c, _INS
            row[j] = best
            row_ops[j] = best_op
            left = best


@njit(cache=True)
def _common_prefix(a, b, limit):
    k = 0
    while k < limit and a[k] == b[k]:
        k += 1
    return k


@njit(cache=True)
def _alignment(ops, n_h, n_r):
    """The ``trace_to_alignment(_flip_trace(trace))`` of sacrebleu, from the ops matrix.

    Returns (ok, align, ref_err, hyp_err); ``ok`` is False when the trace meets
    an undefined cell (sacrebleu raises there).
    """
    align = np.full(n_r, -1, np.int64)
    ref_err = np.zeros(n_r, np.int64)
    hyp_err = np.zeros(n_h, np.int64)
    trace = np.empty(n_h + n_r, np.int8)
    n_ops = 0
    i, j = n_h, n_r
    while i > 0 or j > 0:
        op = ops[i, j]
        trace[n_ops] = op
        n_ops += 1
        if op in (_NOP, _SUB):
            i -= 1
            j -= 1
        elif op == _INS:
            j -= 1
        elif op == _DEL:
            i -= 1
        else:
            return False, align, ref_err, hyp_err
    pos_h, pos_r = -1, -1
    for k in range(n_ops - 1, -1, -1):
        op = trace[k]
        if op in (_NOP, _SUB):
            pos_h += 1
            pos_r += 1
            align[pos_r] = pos_h
            err = 1 if op == _SUB else 0
            hyp_err[pos_h] = err
            ref_err[pos_r] = err
        elif op == _DEL:  # flipped to an insertion: a hypothesis word
            pos_h += 1
            hyp_err[pos_h] = 1
        else:  # an insertion, flipped to a deletion: a reference word
            pos_r += 1
            align[pos_r] = pos_h
            ref_err[pos_r] = 1
    return True, align, ref_err, hyp_err


@njit(cache=True)
def _perform_shift(words, start, length, target, out):
    """The ``_perform_shift`` of sacrebleu, written into ``out``."""
    n = words.shape[0]
    k = 0
    if target < start:
        parts = ((0, target), (start, start + length), (target, start), (start + length, n))
    elif target > start + length:
        parts = ((0, start), (start + length, target), (start, start + length), (target, n))
    else:
        parts = ((0, start), (start + length, length + target), (start, start + length),
                 (length + target, n))
    for a, b in parts:
        for p in range(a, b):
            out[k] = words[p]
            k += 1


@njit(cache=True)
def _candidate_distance(cand, ref, base_words, base_cost, base_ops, work, lo, hi):
    """Edit distance of ``cand``, reusing rows of the base or of the previous candidate.

    ``work`` holds the previous candidate and its (fully valid) matrix.
    """
    work_words, work_cost, work_ops, _ = work
    n_h = cand.shape[0]
    from_work = _common_prefix(work_words, cand, n_h)
    from_base = _common_prefix(base_words, cand, n_h)
    if from_base > from_work:
        # Cells outside the beam stay infinite/undefined in both matrices.
        for i in range(from_work + 1, from_base + 1):
            work_cost[i, lo[i]:hi[i]] = base_cost[i, lo[i]:hi[i]]
            work_ops[i, lo[i]:hi[i]] = base_ops[i, lo[i]:hi[i]]
        from_work = from_base
    if from_work < n_h:
        _fill_rows(cand, ref, work_cost, work_ops, lo, hi, from_work)
    work_words[:] = cand
    return work_cost[n_h, ref.shape[0]]


@njit(cache=True)
def _try_targets(words, ref, block, align, base_cost, base_ops, work, lo, hi, best):
    """The inner loop of sacrebleu's ``_shift`` over the targets of one matching block.

    ``block`` is (start_h, start_r, length); ``best`` is (found, gain, length,
    start, target) of the best shift so far. Returns the updated ``best`` and the
    number of candidates evaluated.
    """
    start_h, start_r, length = block
    n_h, n_r = words.shape[0], ref.shape[0]
    cand = work[3]
    pre_score = base_cost[n_h, n_r]
    checked = 0
    prev_idx = -1
    for offset in range(-1, length):
        if start_r + offset == -1:
            idx = 0
        elif start_r + offset < n_r:
            idx = align[start_r + offset] + 1
        else:
            break
        if idx == prev_idx:
            continue
        prev_idx = idx
        _perform_shift(words, start_h, length, idx, cand)
        gain = pre_score - _candidate_distance(cand, ref, words, base_cost, base_ops,
                                               work, lo, hi)
        checked += 1
        if best[0] == 0 or (gain, length, -start_h, -idx) > (best[1], best[2], -best[3],
                                                             -best[4]):
            best = (1, gain, length, start_h, idx)
    return best, checked


@njit(cache=True)
def _best_shift(words, ref, base_cost, base_ops, work, lo, hi, checked):
    """One round of sacrebleu's ``_shift``: the best shift of ``words`` or none.

    Returns (status, gain, start, length, target, checked); status 0 = ok,
    1 = no candidate, -1 = undefined trace.
    """
    n_h, n_r = words.shape[0], ref.shape[0]
    ok, align, ref_err, hyp_err = _alignment(base_ops, n_h, n_r)
    if not ok:
        return -1, 0, 0, 0, 0, checked
    best = (0, 0, 0, 0, 0)
    for start_h in range(n_h):
        for start_r in range(max(0, start_h - MAX_SHIFT_DIST),
                             min(n_r, start_h + MAX_SHIFT_DIST + 1)):
            length = 0
            while (length < MAX_SHIFT_SIZE and start_h + length < n_h
                   and start_r + length < n_r
                   and words[start_h + length] == ref[start_r + length]):
                length += 1
                # Shift only a block that is wrong where it is and missing where it goes.
                if hyp_err[start_h:start_h + length].sum() == 0:
                    continue
                if ref_err[start_r:start_r + length].sum() == 0:
                    continue
                if start_h <= align[start_r] < start_h + length:
                    continue
                best, n_checked = _try_targets(words, ref, (start_h, start_r, length), align,
                                               base_cost, base_ops, work, lo, hi, best)
                checked += n_checked
                if checked >= MAX_SHIFT_CANDIDATES:
                    return (1 - best[0], best[1], best[3], best[2], best[4], checked)
    return (1 - best[0], best[1], best[3], best[2], best[4], checked)


@njit(cache=True)
def segment_edits(hyp, ref):
    """Number of TER edits (shifts + edit distance) of one tokenised segment.

    Args:
        hyp: Hypothesis word ids (int array).
        ref: Reference word ids, same id space.

    Returns:
        The edit count, or -1 where sacrebleu's trace reconstruction would fail.
    """
    n_h = hyp.shape[0]
    n_r = ref.shape[0]
    if n_r == 0:
        return n_h
    lo, hi = _beam_bounds(n_h, n_r)
    base_cost, base_ops = _new_matrix(n_h, n_r)
    words = hyp.copy()
    base_words = hyp.copy()
    _fill_rows(words, ref, base_cost, base_ops, lo, hi, 0)
    # (words, matrix) of the last candidate, plus a buffer for the next candidate.
    work = (hyp.copy(), base_cost.copy(), base_ops.copy(), np.empty(n_h, np.int64))
    shifts = 0
    checked = 0
    while True:
        status, gain, start, length, idx, checked = _best_shift(
            words, ref, base_cost, base_ops, work, lo, hi, checked)
        if status < 0:
            return -1
        if checked >= MAX_SHIFT_CANDIDATES or status == 1 or gain <= 0:
            break
        shifts += 1
        _perform_shift(base_words, start, length, idx, words)
        keep = _common_prefix(base_words, words, n_h)
        if keep < n_h:
            _fill_rows(words, ref, base_cost, base_ops, lo, hi, keep)
        base_words[:] = words
    return shifts + base_cost[n_h, n_r]


@njit(cache=True, nogil=True)
def batch_edits(hyp_ids, hyp_offsets, ref_ids, ref_offsets):
    """:func:`segment_edits` for many (hypothesis, reference) pairs stored flat.

    Pair ``k`` is ``hyp_ids[hyp_offsets[k]:hyp_offsets[k+1]]`` against
    ``ref_ids[ref_offsets[k]:ref_offsets[k+1]]``.
    """
    n = hyp_offsets.shape[0] - 1
    out = np.empty(n, np.int64)
    for k in range(n):
        out[k] = segment_edits(hyp_ids[hyp_offsets[k]:hyp_offsets[k + 1]],
                               ref_ids[ref_offsets[k]:ref_offsets[k + 1]])
    return out


def pair_edits(pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> np.ndarray:
    """TER edit counts of tokenised (hypothesis words, reference words) pairs.

    Pairs whose trace cannot be reconstructed are recomputed with sacrebleu's
    own ``translation_edit_rate`` (which raises for them, as sacrebleu does).

    Args:
        pairs: Word lists as sacrebleu's ``TercomTokenizer(...).split()`` gives them.

    Returns:
        An int64 array with one edit count per pair.
    """
    from evalharness.metrics.lexical.ngram_kernels import token_ids

    hyps = [list(h) for h, _ in pairs]
    refs = [list(r) for _, r in pairs]
    ids, offsets = token_ids(hyps + refs)
    return word_list_edits(hyps, refs, ids, offsets)


def word_list_edits(hyps: Sequence[list[str]], refs: Sequence[list[str]], ids: np.ndarray,
                    offsets: np.ndarray) -> np.ndarray:
    """Edit counts of ``hyps[k]`` against ``refs[k]``, given their word ids.

    ``ids``/``offsets`` are :func:`evalharness.metrics.lexical.ngram_kernels.token_ids` of
    ``hyps + refs``. The compiled search releases the GIL; the rare pair it
    cannot trace goes to sacrebleu's ``translation_edit_rate`` (which raises there).
    """
    n = len(hyps)
    edits = batch_edits(ids, offsets[:n + 1], ids, offsets[n:])
    for k in np.flatnonzero(edits < 0):
        edits[k] = lib_ter.translation_edit_rate(hyps[int(k)], refs[int(k)])[0]
    return edits
