"""Bootstrap intervals and paired significance tests on sufficient statistics.

These reproduce sacrebleu 2.6.0 (``sacrebleu/significance.py``) with the same
random streams, vectorised:

* :func:`bootstrap_ci` is ``--confidence``: ``default_rng(seed).choice(n,
  (n_samples, n))`` row indices, the score of each resample's column sums, and
  sacrebleu's interval: sort, take the ``n//40``-th lowest and highest, report
  ``mean ± half`` their distance (:attr:`BootstrapCI.sacrebleu_interval`).
  :attr:`BootstrapCI.ci95` is the percentile interval, always in range.
* :func:`paired_bootstrap` is ``--paired-bs`` and :func:`paired_randomization`
  is ``--paired-ar``: same resamples/permutation masks, same test statistic,
  same ``(c + 1) / (n + 1)`` p-value.

How the draws are vectorised and shared between metrics is described in
``docs/metrics.md`` ("Bootstrap intervals and paired tests").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from evalharness.errors import UsageError

if TYPE_CHECKING:
    from evalharness.metrics.base import Metric

DEFAULT_SEED = 12345
# Resample rows materialised at once: chunk_rows * n_segments <= this.
_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True)
class BootstrapCI:
    """A bootstrap estimate of a score, as sacrebleu reports it (``μ = mean ± half_width``).

    Attributes:
        mean: Mean of the resampled scores.
        half_width: Half the distance between the 2.5% and 97.5% resampled scores.
        percentile_lo: The ``n//40``-th lowest resampled score.
        percentile_hi: The ``n//40``-th highest resampled score.
        n_samples: Number of resamples.
        seed: Seed of the resampling (``None``: unseeded).
    """

    mean: float
    half_width: float
    percentile_lo: float
    percentile_hi: float
    n_samples: int
    seed: int | None

    @property
    def ci95(self) -> tuple[float, float]:
        """The 95% percentile interval: the ``n//40``-th lowest and highest resampled scores.

        Unlike ``mean ± half_width`` it never leaves the metric's range (a chrF
        interval of ``[-2.0, 12.7]`` on a tiny input is impossible).
        """
        return (self.percentile_lo, self.percentile_hi)

    @property
    def sacrebleu_interval(self) -> tuple[float, float]:
        """The interval sacrebleu prints: ``(mean - half_width, mean + half_width)``."""
        return (self.mean - self.half_width, self.mean + self.half_width)


@dataclass(frozen=True)
class PairedTestResult:
    """A candidate system compared with a baseline on the same segments.

    Attributes:
        method: ``"bootstrap"`` (paired bootstrap) or ``"randomization"`` (approximate randomization).
        baseline_score: Corpus score of the baseline.
        candidate_score: Corpus score of the candidate.
        delta: ``candidate_score - baseline_score``.
        p_value: sacrebleu's p-value of ``|delta|`` under the null hypothesis.
        candidate_ci: Bootstrap estimate of the candidate's score (``None`` for
            randomization without confidence resamples).
        delta_ci: Bootstrap estimate of ``delta`` from the same resamples.
        n_samples: Number of resamples (bootstrap) or trials (randomization).
        seed: Seed of the random stream.
    """

    method: str
    baseline_score: float
    candidate_score: float
    delta: float
    p_value: float
    candidate_ci: BootstrapCI | None
    delta_ci: BootstrapCI | None
    n_samples: int
    seed: int | None

    @property
    def ci95(self) -> tuple[float, float] | None:
        """95% percentile interval of ``delta``, if estimated."""
        return None if self.delta_ci is None else self.delta_ci.ci95


def estimate_ci(scores: np.ndarray, seed: int | None) -> BootstrapCI:
    """The ``estimate_ci`` of sacrebleu, applied to resampled scores."""
    ordered = np.sort(np.asarray(scores, dtype=np.float64))
    n = len(ordered)
    lower_idx = n // 40
    lower, upper = ordered[lower_idx], ordered[n - lower_idx - 1]
    return BootstrapCI(
        mean=float(ordered.mean()), half_width=float(0.5 * (upper - lower)),
        percentile_lo=float(lower), percentile_hi=float(upper),
        n_samples=n, seed=seed,
    )


def _as_stats(stats: object) -> np.ndarray:
    rows = np.asarray(stats, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] == 0:
        raise UsageError("statistics must be a non-empty 2-D array (segments x statistics)")
    return rows


def _chunk_rows(n_segments: int, n_samples: int, multiple: int = 1) -> int:
    rows = max(1, min(n_samples, _CHUNK_CELLS // max(1, n_segments)))
    return max(multiple, rows - rows % multiple)


def resample_indices(n_segments: int, n_samples: int,
                     rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Bootstrap row indices, in chunks of resamples (rows = resamples).

    Draws exactly the stream of ``rng.choice(n_segments, (n_samples, n_segments))``
    (chunked draws of ``Generator.choice`` continue the same stream).
    """
    step = _chunk_rows(n_segments, n_samples)
    for start in range(0, n_samples, step):
        rows = min(step, n_samples - start)
        yield rng.choice(n_segments, size=(rows, n_segments), replace=True)


def _draw_counts(idx: np.ndarray) -> np.ndarray:
    """How often each row was drawn in each resample (float64, ready for a BLAS product)."""
    n_draws, n = idx.shape
    counts = np.empty((n_draws, n), np.float64)
    for k in range(n_draws):
        counts[k] = np.bincount(idx[k], minlength=n)
    return counts


def _scores_of_draws(metric: Metric, rows: np.ndarray, idx: np.ndarray,
                     counts: np.ndarray | None = None) -> np.ndarray:
    """Score of each resample ``rows[idx[k]]``: one matrix product when the metric is vectorised."""
    score_sums = getattr(metric, "scores_from_sums", None)
    if score_sums is None:
        return np.array([metric.score_from_stats(rows[i]) for i in idx], dtype=np.float64)
    if counts is None:
        counts = _draw_counts(idx)
    return np.asarray(score_sums(counts @ rows), dtype=np.float64)


def _resampled_scores(items: Sequence[tuple[Metric, np.ndarray]], n_samples: int,
                      rng: np.random.Generator) -> list[np.ndarray]:
    """Scores of every (metric, rows) item under the same ``n_samples`` resamples.

    The resamples are those of ``rng.choice(n, (n_samples, n))``; items must all
    have ``n`` rows. Chunk ``k`` is counted and scored on a worker thread while
    chunk ``k + 1`` is drawn.
    """
    n = len(items[0][1])

    def score(idx: np.ndarray) -> list[np.ndarray]:
        vectorised = any(hasattr(m, "scores_from_sums") for m, _ in items)
        counts = _draw_counts(idx) if vectorised else None
        return [_scores_of_draws(m, rows, idx, counts) for m, rows in items]

    if _chunk_rows(n, n_samples) >= n_samples:
        return score(next(resample_indices(n, n_samples, rng)))
    parts: list[list[np.ndarray]] = []
    with ThreadPoolExecutor(1) as pool:
        pending = None
        for idx in resample_indices(n, n_samples, rng):
            job = pool.submit(score, idx)
            if pending is not None:
                parts.append(pending.result())
            pending = job
        if pending is not None:
            parts.append(pending.result())
    return [np.concatenate([p[i] for p in parts]) for i in range(len(items))]


def _scores_of_mixes(metric: Metric, base: np.ndarray, cand: np.ndarray,
                     keep: np.ndarray) -> np.ndarray:
    """Score of each pseudo-system taking ``base`` rows where ``keep`` and ``cand`` rows elsewhere."""
    score_sums = getattr(metric, "scores_from_sums", None)
    if score_sums is None:
        return np.array([metric.score_from_stats(np.where(k[:, None], base, cand)) for k in keep],
                        dtype=np.float64)
    sums = cand.sum(axis=0) + keep.astype(np.float64) @ (base - cand)
    return np.asarray(score_sums(sums), dtype=np.float64)


def bootstrap_scores(metric: Metric, stats: object, n_samples: int = 1000,
                     seed: int | None = DEFAULT_SEED) -> np.ndarray:
    """Scores of ``n_samples`` bootstrap resamples of the rows of ``stats``.

    Args:
        metric: The metric whose statistics these are; its ``scores_from_sums``
            is used when it has one (lexical metrics), else ``score_from_stats``
            on each resample.
        stats: Per-segment sufficient statistics (segments x statistics).
        n_samples: Number of resamples.
        seed: Seed of ``numpy.random.default_rng``.

    Raises:
        UsageError: for empty or non 2-D statistics or ``n_samples < 1``.
    """
    rows = _as_stats(stats)
    if n_samples < 1:
        raise UsageError("bootstrap needs at least one resample")
    return _resampled_scores([(metric, rows)], n_samples, np.random.default_rng(seed))[0]


def bootstrap_ci(metric: Metric, stats: object, n_samples: int = 1000,
                 seed: int | None = DEFAULT_SEED) -> BootstrapCI:
    """The ``--confidence`` estimate of a corpus score (see module docs).

    Raises:
        UsageError: for empty or non 2-D statistics or ``n_samples < 1``.
    """
    return estimate_ci(bootstrap_scores(metric, stats, n_samples, seed), seed)


def bootstrap_cis(items: Sequence[tuple[Metric, object]], n_samples: int = 1000,
                  seed: int | None = DEFAULT_SEED) -> list[BootstrapCI]:
    """:func:`bootstrap_ci` of several metrics on the same segments, from one pass of draws.

    Each result equals ``bootstrap_ci(metric, stats, n_samples, seed)``; items
    with the same number of rows share their draws.

    Raises:
        UsageError: for empty or non 2-D statistics, or ``n_samples < 1``.
    """
    rows = [(metric, _as_stats(stats)) for metric, stats in items]
    if n_samples < 1:
        raise UsageError("bootstrap needs at least one resample")
    results: list[BootstrapCI | None] = [None] * len(rows)
    for group in _same_length_groups([r for _, r in rows]):
        scores = _resampled_scores([rows[i] for i in group], n_samples,
                                   np.random.default_rng(seed))
        for i, item_scores in zip(group, scores, strict=True):
            results[i] = estimate_ci(item_scores, seed)
    return [r for r in results if r is not None]


def _same_length_groups(arrays: Sequence[np.ndarray]) -> list[list[int]]:
    """Indices of the arrays, grouped by number of rows (each group shares its resamples)."""
    groups: dict[int, list[int]] = {}
    for i, rows in enumerate(arrays):
        groups.setdefault(len(rows), []).append(i)
    return list(groups.values())


def _p_value(sample_stats: np.ndarray, real_difference: float) -> float:
    """The ``_compute_p_value`` of sacrebleu: ``(count(stat > real) + 1) / (n + 1)``."""
    count = int(np.sum(sample_stats > real_difference))
    return (count + 1) / (len(sample_stats) + 1)


def _pair(baseline: object, candidate: object) -> tuple[np.ndarray, np.ndarray]:
    base, cand = _as_stats(baseline), _as_stats(candidate)
    if base.shape != cand.shape:
        raise UsageError(
            f"paired test needs statistics of the same shape, got {base.shape} and {cand.shape}")
    return base, cand


def _paired_draws(metric: Metric, base: np.ndarray, cand: np.ndarray, n_samples: int,
                  rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    scores_base, scores_cand = _resampled_scores([(metric, base), (metric, cand)], n_samples, rng)
    return scores_base, scores_cand


def _paired_result(base_score: float, cand_score: float, scores_base: np.ndarray,
                   scores_cand: np.ndarray, n_samples: int, seed: int | None) -> PairedTestResult:
    sample_diffs = np.abs(scores_cand - scores_base)
    p_value = _p_value(sample_diffs - sample_diffs.mean(), abs(base_score - cand_score))
    return PairedTestResult(
        method="bootstrap", baseline_score=base_score, candidate_score=cand_score,
        delta=cand_score - base_score, p_value=p_value,
        candidate_ci=estimate_ci(scores_cand, seed),
        delta_ci=estimate_ci(scores_cand - scores_base, seed),
        n_samples=n_samples, seed=seed,
    )


def paired_bootstrap(metric: Metric, baseline: object, candidate: object,
                     n_samples: int = 1000, seed: int | None = DEFAULT_SEED) -> PairedTestResult:
    """Paired bootstrap resampling, as sacrebleu's ``_paired_bs_test``.

    Both systems are scored on the same resamples; the p-value counts resamples
    whose centred ``|candidate - baseline|`` exceeds the observed ``|delta|``.

    Raises:
        UsageError: when the two statistics arrays differ in shape or are empty,
            or ``n_samples < 1``.
    """
    return paired_bootstraps([(metric, baseline, candidate)], n_samples, seed)[0]


def paired_bootstraps(items: Sequence[tuple[Metric, object, object]], n_samples: int = 1000,
                      seed: int | None = DEFAULT_SEED) -> list[PairedTestResult]:
    """:func:`paired_bootstrap` of several (metric, baseline, candidate) items, one pass of draws.

    Each result equals ``paired_bootstrap(metric, baseline, candidate, n_samples,
    seed)``; items with the same number of rows share their draws.

    Raises:
        UsageError: when statistics differ in shape or are empty, or ``n_samples < 1``.
    """
    pairs = [(metric, *_pair(base, cand)) for metric, base, cand in items]
    if n_samples < 1:
        raise UsageError("bootstrap needs at least one resample")
    results: list[PairedTestResult | None] = [None] * len(pairs)
    for group in _same_length_groups([base for _, base, _ in pairs]):
        flat = [(pairs[i][0], rows) for i in group for rows in pairs[i][1:]]
        scores = _resampled_scores(flat, n_samples, np.random.default_rng(seed))
        for k, i in enumerate(group):
            metric, base, cand = pairs[i]
            results[i] = _paired_result(
                float(metric.score_from_stats(base)), float(metric.score_from_stats(cand)),
                scores[2 * k], scores[2 * k + 1], n_samples, seed)
    return [r for r in results if r is not None]


def paired_randomization(metric: Metric, baseline: object, candidate: object,
                         n_samples: int = 10000, seed: int | None = DEFAULT_SEED,
                         n_confidence: int = 1000) -> PairedTestResult:
    """Paired approximate randomization, as sacrebleu's ``_paired_ar_test``.

    Each trial swaps the two systems' segments where a fair coin says so; the
    p-value counts trials whose ``|score_a - score_b|`` exceeds the observed
    ``|delta|``. With ``n_confidence > 0`` the intervals come from that many
    bootstrap resamples drawn after the coins, as sacrebleu's
    ``--paired-ar-confidence`` does.

    Raises:
        UsageError: when the two statistics arrays differ in shape or are empty.
    """
    base, cand = _pair(baseline, candidate)
    base_score = float(metric.score_from_stats(base))
    cand_score = float(metric.score_from_stats(cand))
    n = len(base)
    rng = np.random.default_rng(seed)
    # numpy draws 32 coins at a time; whole multiples of 32 per chunk keep the stream.
    step = _chunk_rows(n, n_samples, multiple=32 // math.gcd(n, 32))
    diffs = []
    for start in range(0, n_samples, step):
        keep = rng.integers(2, size=(min(step, n_samples - start), n), dtype=bool)
        diffs.append(np.abs(_scores_of_mixes(metric, base, cand, keep)
                            - _scores_of_mixes(metric, cand, base, keep)))
    p_value = _p_value(np.concatenate(diffs), abs(base_score - cand_score))
    cand_ci = delta_ci = None
    if n_confidence > 0:
        scores_base, scores_cand = _paired_draws(metric, base, cand, n_confidence, rng)
        cand_ci = estimate_ci(scores_cand, seed)
        delta_ci = estimate_ci(scores_cand - scores_base, seed)
    return PairedTestResult(
        method="randomization", baseline_score=base_score, candidate_score=cand_score,
        delta=cand_score - base_score, p_value=p_value, candidate_ci=cand_ci,
        delta_ci=delta_ci, n_samples=n_samples, seed=seed,
    )


def block_stats(stats: object, block_ids: object) -> np.ndarray:
    """Sum the rows of each block (e.g. document) for document-level resampling.

    Args:
        stats: Per-segment statistics (segments x statistics).
        block_ids: One id per row; the rows of a block must be contiguous.

    Returns:
        One row per block, in order of first appearance, keeping the dtype of ``stats``.

    Raises:
        UsageError: when the lengths differ or a block's rows are not contiguous.
    """
    rows = np.asarray(stats)
    ids = np.asarray(block_ids)
    if rows.ndim != 2 or ids.ndim != 1 or len(ids) != len(rows):
        raise UsageError(f"need one block id per row: {len(ids)} ids for {len(rows)} rows")
    if len(rows) == 0:
        return rows.copy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    if len(np.unique(ids)) != len(starts):
        raise UsageError("the rows of each block must be contiguous")
    return np.add.reduceat(rows, starts, axis=0)
