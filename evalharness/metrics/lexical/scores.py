"""Vectorised BLEU, chrF and TER scores from summed sufficient statistics.

Each function takes a 2-D array whose rows are *summed* statistics (one row per
corpus, resample or segment) and returns one score per row, computed with the
same arithmetic, in the same order, as sacrebleu 2.6.0's
``_compute_score_from_stats`` (``BLEU.compute_bleu``, ``CHRF._compute_f_score``,
``TER._compute_score_from_stats``). Results agree with sacrebleu's to the last
bit for chrF and TER; BLEU uses numpy's ``log``/``exp``, which may differ from
``math.log``/``math.exp`` in the last bit.

Column layouts are sacrebleu's:

* BLEU: ``[sys_len, ref_len, correct_1..N, total_1..N]``;
* chrF: ``[n_hyp, n_ref, n_match]`` per order, character orders first;
* TER: ``[num_edits, ref_length]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# sacrebleu.utils.my_log(0) returns this instead of -inf.
_LOG_ZERO = -9999999999.0
_SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1, "exp": None}
_EPS = 1e-16


@dataclass(frozen=True)
class BleuSettings:
    """The BLEU options that change the score computed from statistics."""

    smooth_method: str = "exp"
    smooth_value: float | None = None
    effective_order: bool = False
    max_ngram_order: int = 4


@dataclass(frozen=True)
class ChrfSettings:
    """The chrF options that change the score computed from statistics."""

    char_order: int = 6
    word_order: int = 0
    beta: float = 2
    eps_smoothing: bool = False


def _as_rows(sums: np.ndarray) -> np.ndarray:
    rows = np.asarray(sums, dtype=np.float64)
    return rows[None, :] if rows.ndim == 1 else rows


def bleu_scores(sums: np.ndarray, settings: BleuSettings) -> np.ndarray:
    """BLEU of each row of summed statistics, as ``BLEU.compute_bleu`` computes it."""
    rows = _as_rows(sums)
    order = settings.max_ngram_order
    sys_len, ref_len = rows[:, 0], rows[:, 1]
    correct = rows[:, 2:2 + order].copy()
    total = rows[:, 2 + order:2 + 2 * order].copy()
    method = settings.smooth_method
    given = settings.smooth_value if settings.smooth_value is not None else _SMOOTH_DEFAULTS[method]
    value = 0.0 if given is None else float(given)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bp = np.where(sys_len < ref_len,
                      np.where(sys_len > 0, np.exp(1 - ref_len / sys_len), 0.0), 1.0)
        any_match = (correct != 0).any(axis=1)
        precisions = np.zeros_like(correct)
        alive = np.ones(len(rows), dtype=bool)
        eff_order = np.full(len(rows), order, dtype=np.int64)
        smooth_mteval = np.ones(len(rows))
        for n in range(order):
            if method == "add-k" and n > 0:
                correct[:, n] += value
                total[:, n] += value
            alive &= total[:, n] != 0
            if settings.effective_order:
                eff_order[alive] = n + 1
            zero = alive & (correct[:, n] == 0)
            if method == "exp":
                smooth_mteval = np.where(zero, smooth_mteval * 2, smooth_mteval)
                precisions[:, n] = np.where(zero, 100.0 / (smooth_mteval * total[:, n]), 0.0)
            elif method == "floor":
                precisions[:, n] = np.where(zero, 100.0 * value / total[:, n], 0.0)
            hit = alive & ~zero
            precisions[:, n] = np.where(hit, 100.0 * correct[:, n] / total[:, n],
                                        precisions[:, n])
        logs = np.where(precisions == 0.0, _LOG_ZERO,
                        np.log(np.where(precisions == 0.0, 1.0, precisions)))
        acc = np.zeros(len(rows))
        for n in range(order):
            acc = np.where(n < eff_order, acc + logs[:, n], acc)
        scores = bp * np.exp(acc / eff_order)
    return np.where(any_match, scores, 0.0)


def chrf_scores(sums: np.ndarray, settings: ChrfSettings) -> np.ndarray:
    """The chrF of each row of summed statistics, as ``CHRF._compute_f_score`` computes it."""
    rows = _as_rows(sums)
    n_orders = settings.char_order + settings.word_order
    factor = settings.beta**2
    score = np.zeros(len(rows))
    avg_prec = np.zeros(len(rows))
    avg_rec = np.zeros(len(rows))
    eff = np.zeros(len(rows))
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(n_orders):
            n_hyp, n_ref, n_match = rows[:, 3 * i], rows[:, 3 * i + 1], rows[:, 3 * i + 2]
            prec = np.where(n_hyp > 0, n_match / n_hyp, _EPS)
            rec = np.where(n_ref > 0, n_match / n_ref, _EPS)
            denom = factor * prec + rec
            score += np.where(denom > 0, (1 + factor) * prec * rec / denom, _EPS)
            both = (n_hyp > 0) & (n_ref > 0)
            avg_prec = np.where(both, avg_prec + prec, avg_prec)
            avg_rec = np.where(both, avg_rec + rec, avg_rec)
            eff += both
        if settings.eps_smoothing:
            return 100 * score / n_orders
        avg_prec = np.where(eff > 0, avg_prec / eff, 0.0)
        avg_rec = np.where(eff > 0, avg_rec / eff, 0.0)
        f = (1 + factor) * avg_prec * avg_rec
        f = f / ((factor * avg_prec) + avg_rec)
    return np.where(avg_prec + avg_rec != 0, 100 * f, 0.0)


def ter_scores(sums: np.ndarray) -> np.ndarray:
    """TER of each row ``[num_edits, ref_length]``, as sacrebleu's TER computes it."""
    rows = _as_rows(sums)
    edits, ref_len = rows[:, 0], rows[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref_len > 0, edits / ref_len, np.where(edits > 0, 1.0, 0.0))
    return 100 * ratio
