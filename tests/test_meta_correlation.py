"""Agreement statistics: parity with scipy, and hand-computed accuracy cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from evalharness.meta.correlation import (
    acc_eq,
    grouped_pairs,
    grouped_tau_b,
    kendall_tau_b,
    pairwise_accuracy,
    pearson,
)

scipy_stats = pytest.importorskip("scipy.stats")


def _same(a: float, b: float, tol: float = 1e-9) -> bool:
    return (np.isnan(a) and np.isnan(b)) or abs(a - b) <= tol


def _vectors(seed: int, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(size=n), rng.normal(size=n)),
        (rng.integers(0, 4, n).astype(float), rng.normal(size=n)),  # ties in x
        (rng.normal(size=n), -rng.integers(0, 6, n) * 0.5),  # MQM-like ties in y
        (rng.integers(0, 3, n).astype(float), rng.integers(0, 3, n).astype(float)),
        (np.ones(n), rng.normal(size=n)),  # constant: undefined
    ]


@pytest.mark.parametrize("n", [2, 3, 7, 50, 400])
def test_tau_b_and_pearson_equal_scipy(n: int) -> None:
    for x, y in _vectors(n, n):
        tau = float(kendall_tau_b(x, y))
        assert _same(tau, scipy_stats.kendalltau(x, y, variant="b").statistic)
        if n > 2 and np.ptp(x) > 0 and np.ptp(y) > 0:
            assert _same(float(pearson(x, y)), scipy_stats.pearsonr(x, y).statistic)
        if np.ptp(x) == 0:
            assert np.isnan(float(pearson(x, y)))


def test_weights_equal_repeated_vectors() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 5, 60).astype(float)
    y = rng.normal(size=60).round(1)
    weights = rng.integers(0, 4, (6, 60))
    taus = kendall_tau_b(x, y, weights)
    rs = pearson(x, y, weights)
    for row, tau, r in zip(weights, taus, rs, strict=True):
        xr, yr = np.repeat(x, row), np.repeat(y, row)
        assert _same(float(tau), scipy_stats.kendalltau(xr, yr).statistic)
        assert _same(float(r), scipy_stats.pearsonr(xr, yr).statistic)


def test_acc_eq_hand_case_calibrates_a_tie() -> None:
    # Pairs: (0,1) both say 0 worse; (0,2) both say 0 worse; (1,2) humans tie, metric differs by 0.5.
    pairs = grouped_pairs(np.array([1.0, 2.0, 2.5]), np.array([0.0, 1.0, 1.0]), np.zeros(3, int), 1)
    result = acc_eq(pairs)
    assert result.accuracy[0] == pytest.approx(1.0)
    assert result.epsilon[0] == pytest.approx(0.5)


def test_acc_eq_exact_metric_ties_are_ties() -> None:
    # The metric ties exactly, humans do not: no threshold can make that pair right.
    pairs = grouped_pairs(np.array([1.0, 1.0]), np.array([0.0, -5.0]), np.zeros(2, int), 1)
    result = acc_eq(pairs)
    assert result.accuracy[0] == 0.0
    assert result.epsilon[0] == 0.0


def test_acc_eq_averages_groups_with_one_threshold() -> None:
    # Group 0 (2 items): metric says a > b, humans tie.  Group 1 (3 items): all ordered alike,
    # metric gaps 1 and 2.  eps < 1: group 0 wrong (0), group 1 right (1) -> 0.5.
    # eps in [1, 2): group 0 right (1), group 1 loses its gap-1 pair -> (1 + 2/3) / 2 = 0.8333.
    metric = np.array([1.0, 0.0, 3.0, 2.0, 0.0])
    human = np.array([0.0, 0.0, 3.0, 2.0, 1.0])
    pairs = grouped_pairs(metric, human, np.array([0, 0, 1, 1, 1]), 2)
    result = acc_eq(pairs)
    assert result.accuracy[0] == pytest.approx(5 / 6)
    assert result.epsilon[0] == pytest.approx(1.0)


def _acc_eq_by_definition(metric: np.ndarray, human: np.ndarray, groups: np.ndarray) -> float:
    """Deutsch et al. 2023: (C + T_hm) / (C + D + T_h + T_m + T_hm), best epsilon, group mean."""
    best = -1.0
    gaps = {abs(a - b) for g in set(groups) for a, b in
            itertools.combinations(metric[groups == g], 2)} | {0.0}
    for eps in sorted(gaps):
        accuracies = []
        for g in sorted(set(groups)):
            m, h = metric[groups == g], human[groups == g]
            right = total = 0
            for i, j in itertools.combinations(range(len(m)), 2):
                metric_tie, human_tie = abs(m[i] - m[j]) <= eps, h[i] == h[j]
                same_order = np.sign(m[i] - m[j]) == np.sign(h[i] - h[j])
                right += (metric_tie and human_tie) or (not metric_tie and not human_tie and same_order)
                total += 1
            if total:
                accuracies.append(right / total)
        best = max(best, float(np.mean(accuracies)))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_acc_eq_matches_the_published_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(8), rng.integers(1, 5, 8))
    metric = rng.integers(0, 6, len(groups)) * 0.5
    human = -rng.integers(0, 3, len(groups)).astype(float)
    pairs = grouped_pairs(metric, human, groups, 8)
    assert acc_eq(pairs).accuracy[0] == pytest.approx(_acc_eq_by_definition(metric, human, groups))


def test_grouped_tau_b_means_defined_groups() -> None:
    # Group 0: perfectly ordered (tau 1); group 1: reversed (tau -1); group 2: humans tie (undefined).
    metric = np.array([1.0, 2.0, 3.0, 3.0, 2.0, 1.0, 5.0, 4.0])
    human = np.array([1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 0.0, 0.0])
    pairs = grouped_pairs(metric, human, np.array([0, 0, 0, 1, 1, 1, 2, 2]), 3)
    assert float(grouped_tau_b(pairs)) == pytest.approx(0.0)
    assert float(grouped_tau_b(pairs, np.array([2.0, 1.0, 5.0]))) == pytest.approx(1 / 3)
    for g in (0, 1):
        rows = slice(3 * g, 3 * g + 3)
        expected = scipy_stats.kendalltau(metric[rows], human[rows]).statistic
        single = grouped_pairs(metric[rows], human[rows], np.zeros(3, int), 1)
        assert float(grouped_tau_b(single)) == pytest.approx(expected)


def test_pairwise_accuracy_hand_case() -> None:
    # (A,B): metric A>B, humans B>A: wrong; (A,C): wrong; (B,C): both B>C: right.
    assert float(pairwise_accuracy(np.array([3.0, 2.0, 1.0]), np.array([1.0, 3.0, 2.0]))) == pytest.approx(1 / 3)
    assert float(pairwise_accuracy(np.array([1.0, 2.0]), np.array([-4.0, -1.0]))) == 1.0
    # A human tie is right only for a metric tie.
    both = pairwise_accuracy(np.array([[1.0, 1.0], [1.0, 2.0]]), np.array([[0.0, 0.0], [0.0, 0.0]]))
    assert both.tolist() == [1.0, 0.0]
