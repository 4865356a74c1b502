"""Agreement statistics between a metric and human scores, in numpy.

Every function takes *oriented* scores (higher = better on both sides; a
lower-is-better metric such as TER is negated before it gets here) and, where
resampling needs it, non-negative integer weights: weight ``k`` means the item
was drawn ``k`` times, so a weighted statistic equals the plain statistic of
the repeated vector.

- :func:`pearson` and :func:`kendall_tau_b` follow ``scipy.stats.pearsonr`` and
  ``scipy.stats.kendalltau(variant="b")``; tau-b counts discordant pairs as
  inversions with a vectorised bottom-up merge sort over the distinct items,
  O(r n log n) for ``r`` resamples given as weights.
- :func:`grouped_pairs` lists the pairs of items that share a group (a segment
  scored for several systems); :func:`grouped_tau_b` averages tau-b over
  groups, :func:`acc_eq` is pairwise accuracy with tie calibration
  (Deutsch, Foster and Freitag 2023, "Ties Matter"), averaged over groups with
  one threshold for all.
- :func:`pairwise_accuracy` is the system-level accuracy of Kocmi et al. 2021.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TIE_DECIMALS = 9
"""Human scores are rounded to this many decimals before ties are decided, so that
the same errors averaged in a different order are still a tie."""


def pearson(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Pearson's r of ``x`` and ``y``, for each row of ``weights`` (or unweighted).

    Args:
        x: Scores, shape ``(n,)``.
        y: Scores, shape ``(n,)``.
        weights: ``(n,)`` or ``(r, n)`` item weights (draw counts).

    Returns:
        A 0-d array (no weights) or shape ``(r,)``; NaN where a side is constant.
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    w = np.ones((1, len(x))) if weights is None else np.atleast_2d(np.asarray(weights, np.float64))
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        dx = x[None, :] - ((w @ x) / total)[:, None]
        dy = y[None, :] - ((w @ y) / total)[:, None]
        sxy = (w * dx * dy).sum(axis=1)
        sxx = (w * dx * dx).sum(axis=1)
        syy = (w * dy * dy).sum(axis=1)
        r = sxy / np.sqrt(sxx * syy)
    r = np.where((sxx > 0) & (syy > 0), np.clip(r, -1.0, 1.0), np.nan)
    return r[0] if weights is None or np.ndim(weights) == 1 else r


def _dense_ranks(values: np.ndarray) -> np.ndarray:
    return np.unique(values, return_inverse=True)[1].astype(np.int64)


def _tied_pairs(ranks: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Pairs with equal ``ranks``, per row of ``weights`` (``S (S - 1) / 2`` per value)."""
    order = np.argsort(ranks, kind="stable")
    sorted_ranks = ranks[order]
    starts = np.flatnonzero(np.r_[True, sorted_ranks[1:] != sorted_ranks[:-1]])
    per_value = np.add.reduceat(weights[:, order], starts, axis=1)
    return (per_value * (per_value - 1) / 2.0).sum(axis=1)


def _inversions(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted pairs ``i < j`` with ``values[i] > values[j]``, per row of ``weights``.

    Bottom-up merge sort on the distinct items: at width ``w`` each element of
    a right block meets the elements of its left neighbour that are greater
    (found by one ``searchsorted`` of (block, value) keys, the same for every
    row) and adds their summed weight times its own; the blocks are then merged
    by sorting the keys, and the weight columns follow.
    """
    n = len(values)
    n_values = int(values.max()) + 1 if n else 1
    v = values.astype(np.int64)
    w = weights.astype(np.float64)
    position = np.arange(n)
    inversions = np.zeros(w.shape[0])
    width = 1
    while width < n:
        block = position // (2 * width)
        right = (position // width) % 2 == 1
        keys = block * n_values + v
        left_idx, right_idx = np.flatnonzero(~right), np.flatnonzero(right)
        left_keys = keys[left_idx]
        cum = np.concatenate([np.zeros((w.shape[0], 1)), np.cumsum(w[:, left_idx], axis=1)], axis=1)
        hi = np.searchsorted(left_keys, block[right_idx] * n_values + n_values - 1, "right")
        lo = np.searchsorted(left_keys, keys[right_idx], "right")
        inversions += ((cum[:, hi] - cum[:, lo]) * w[:, right_idx]).sum(axis=1)
        merged = np.argsort(keys, kind="stable")
        v = keys[merged] % n_values
        w = w[:, merged]
        width *= 2
    return inversions


def kendall_tau_b(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Kendall's tau-b of ``x`` and ``y`` (ties corrected), for each row of ``weights``.

    ``(C - D) / sqrt((n0 - n1) (n0 - n2))`` with ``n0`` all pairs, ``n1`` pairs tied
    in ``x``, ``n2`` pairs tied in ``y``: scipy's definition. ``C - D`` is
    ``n0 - n1 - n2 + n3 - 2 D`` (``n3`` tied in both), and ``D`` counts the
    inversions of ``y`` once the items are sorted by ``(x, y)``.

    Args:
        x: Scores, shape ``(n,)``.
        y: Scores, shape ``(n,)``.
        weights: ``(n,)`` or ``(r, n)`` non-negative integer draw counts.

    Returns:
        A 0-d array (no weights) or shape ``(r,)``; NaN where a side is constant.
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    w = np.ones((1, len(x))) if weights is None else np.atleast_2d(weights).astype(np.float64)
    rx, ry = _dense_ranks(x), _dense_ranks(y)
    order = np.lexsort((ry, rx))
    rx, ry, w = rx[order], ry[order], w[:, order]
    total = w.sum(axis=1)
    n0 = total * (total - 1) / 2.0
    n1 = _tied_pairs(rx, w)
    n2 = _tied_pairs(ry, w)
    n3 = _tied_pairs(rx * (int(ry.max(initial=0)) + 1) + ry, w)
    discordant = _inversions(ry, w)
    numerator = n0 - n1 - n2 + n3 - 2 * discordant
    denominator = (n0 - n1) * (n0 - n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = numerator / np.sqrt(denominator)
    tau = np.where(denominator > 0, np.clip(tau, -1.0, 1.0), np.nan)
    return tau[0] if weights is None or np.ndim(weights) == 1 else tau


@dataclass(frozen=True)
class GroupedPairs:
    """Every pair of items that share a group (one segment, two systems).

    Attributes:
        group: Group index of each pair.
        metric_diff: Metric score of the first item minus the second's.
        human_diff: Human score of the first item minus the second's (rounded).
        n_groups: Number of groups (segments).
    """

    group: np.ndarray
    metric_diff: np.ndarray
    human_diff: np.ndarray
    n_groups: int

    def pairs_per_group(self) -> np.ndarray:
        """How many pairs each group has."""
        return np.bincount(self.group, minlength=self.n_groups).astype(np.float64)


def grouped_pairs(metric: np.ndarray, human: np.ndarray, group: np.ndarray,
                  n_groups: int) -> GroupedPairs:
    """All within-group pairs of items (``group[i]`` is item ``i``'s group)."""
    group = np.asarray(group, np.int64)
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    starts = np.searchsorted(sorted_groups, np.arange(n_groups))
    ends = np.searchsorted(sorted_groups, np.arange(n_groups), "right")
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for size in np.unique(ends - starts):
        if size < 2:
            continue
        i, j = np.triu_indices(int(size), 1)
        base = starts[(ends - starts) == size]
        firsts.append(order[(base[:, None] + i[None, :]).ravel()])
        seconds.append(order[(base[:, None] + j[None, :]).ravel()])
    a = np.concatenate(firsts) if firsts else np.zeros(0, np.int64)
    b = np.concatenate(seconds) if seconds else np.zeros(0, np.int64)
    human_rounded = np.round(np.asarray(human, np.float64), TIE_DECIMALS)
    metric = np.asarray(metric, np.float64)
    return GroupedPairs(group[a], metric[a] - metric[b], human_rounded[a] - human_rounded[b],
                        n_groups)


def group_taus(pairs: GroupedPairs) -> np.ndarray:
    """Tau-b of each group (NaN where the metric or the humans tie every pair)."""
    sm, sh = np.sign(pairs.metric_diff), np.sign(pairs.human_diff)
    num = np.bincount(pairs.group, weights=sm * sh, minlength=pairs.n_groups)
    den_m = np.bincount(pairs.group, weights=sm * sm, minlength=pairs.n_groups)
    den_h = np.bincount(pairs.group, weights=sh * sh, minlength=pairs.n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = num / np.sqrt(den_m * den_h)
    return np.where(den_m * den_h > 0, tau, np.nan)


def grouped_tau_b(pairs: GroupedPairs, group_weights: np.ndarray | None = None) -> np.ndarray:
    """Mean tau-b over the groups where it is defined, for each row of ``group_weights``."""
    taus = group_taus(pairs)
    defined = ~np.isnan(taus)
    w = np.ones((1, pairs.n_groups)) if group_weights is None else np.atleast_2d(group_weights)
    w = w * defined[None, :]
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (w @ np.where(defined, taus, 0.0)) / total
    mean = np.where(total > 0, mean, np.nan)
    return mean[0] if group_weights is None or np.ndim(group_weights) == 1 else mean


@dataclass(frozen=True)
class TieCalibrated:
    """Pairwise accuracy with tie calibration, per row of group weights.

    Attributes:
        accuracy: The best accuracy, shape ``(r,)``.
        epsilon: The metric threshold that reached it: metric differences
            ``|d| <= epsilon`` count as ties.
    """

    accuracy: np.ndarray
    epsilon: np.ndarray


def acc_eq(pairs: GroupedPairs, group_weights: np.ndarray | None = None) -> TieCalibrated:
    """``acc_eq`` with tie calibration, averaged over groups (one threshold for all).

    A pair is right when both sides tie, or neither ties and both order it the
    same way: ``(C + T_hm) / (C + D + T_h + T_m + T_hm)`` (Deutsch et al. 2023).
    The metric's ties are ``|metric difference| <= epsilon``; epsilon is searched
    over every observed ``|difference|`` (0 included) for the best accuracy.
    Each group's accuracy weighs equally (WMT23's item grouping).
    """
    w = np.ones((1, pairs.n_groups)) if group_weights is None else np.atleast_2d(group_weights)
    w = np.asarray(w, np.float64)
    per_group = pairs.pairs_per_group()
    has_pairs = per_group > 0
    n_scored = (w * has_pairs[None, :]).sum(axis=1)
    if len(pairs.group) == 0:
        nan = np.full(w.shape[0], np.nan)
        return TieCalibrated(nan, nan)
    gap = np.abs(pairs.metric_diff)
    order = np.argsort(gap, kind="stable")
    gap = gap[order]
    group = pairs.group[order]
    human_tie = pairs.human_diff[order] == 0
    agree = (~human_tie) & (np.sign(pairs.metric_diff[order]) == np.sign(pairs.human_diff[order]))
    with np.errstate(invalid="ignore", divide="ignore"):
        pair_w = w[:, group] / per_group[group][None, :] / n_scored[:, None]
    tie_gain = np.cumsum(pair_w * human_tie[None, :], axis=1)
    order_gain = np.cumsum(pair_w * agree[None, :], axis=1)
    # Candidate k: the first k pairs (smallest gaps) are metric ties; k ends a run of equal gaps.
    ends = np.flatnonzero(np.r_[gap[1:] != gap[:-1], True])
    start_zero = np.r_[0.0]
    ties_k = np.concatenate([np.zeros((w.shape[0], 1)), tie_gain[:, ends]], axis=1)
    order_k = np.concatenate([np.zeros((w.shape[0], 1)), order_gain[:, ends]], axis=1)
    accuracy = ties_k + (order_gain[:, -1:] - order_k)
    candidates = np.concatenate([start_zero, gap[ends]])
    if gap[0] == 0:
        # No threshold below 0: exact metric ties are ties.
        accuracy[:, 0] = -np.inf
    best = np.argmax(accuracy, axis=1)
    value = accuracy[np.arange(w.shape[0]), best]
    value = np.where(n_scored > 0, value, np.nan)
    return TieCalibrated(value, candidates[best])


def pairwise_accuracy(metric: np.ndarray, human: np.ndarray) -> np.ndarray:
    """System-level pairwise accuracy: share of system pairs both sides order alike.

    Args:
        metric: Oriented system scores, ``(s,)`` or ``(r, s)``.
        human: Human system scores, same shape.

    Returns:
        A 0-d array or shape ``(r,)``; a human tie is right only for a metric tie.
    """
    m = np.atleast_2d(np.asarray(metric, np.float64))
    h = np.round(np.atleast_2d(np.asarray(human, np.float64)), TIE_DECIMALS)
    i, j = np.triu_indices(m.shape[1], 1)
    if len(i) == 0:
        out = np.full(m.shape[0], np.nan)
    else:
        out = (np.sign(m[:, i] - m[:, j]) == np.sign(h[:, i] - h[:, j])).mean(axis=1)
    return out[0] if np.ndim(metric) == 1 else out
