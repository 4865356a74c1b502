"""Typed corpus-level details of the lexical metrics, from their summed statistics."""

from __future__ import annotations

from typing import Any

import numpy as np
from sacrebleu.metrics import BLEU

from evalharness.metrics.lexical.scores import BleuSettings, ChrfSettings
from evalharness.records import BleuDetails, ChrfDetails, MetricDetails, TerDetails


def lexical_details(name: str, settings: Any, sums: np.ndarray) -> MetricDetails | None:
    """The details of metric ``name`` (``bleu``, ``chrf``, ``chrf++``, ``ter``) from summed stats."""
    if name == "bleu" and isinstance(settings, BleuSettings):
        return bleu_details(sums, settings)
    if name.startswith("chrf") and isinstance(settings, ChrfSettings):
        return chrf_details(sums, settings)
    if name == "ter":
        return TerDetails(edits=float(sums[0]), ref_length=float(sums[1]))
    return None


def bleu_details(sums: np.ndarray, settings: BleuSettings) -> BleuDetails:
    """Brevity penalty, precisions and lengths, as sacrebleu's ``BLEU.compute_bleu`` gives them."""
    order = settings.max_ngram_order
    counts = [int(x) for x in sums]
    score = BLEU.compute_bleu(
        counts[2 : 2 + order], counts[2 + order : 2 + 2 * order], counts[0], counts[1],
        settings.smooth_method, settings.smooth_value, settings.effective_order, order,
    )  # fmt: skip
    return BleuDetails(float(score.bp), tuple(float(p) for p in score.precisions),
                       int(score.sys_len), int(score.ref_len))  # fmt: skip


def chrf_details(sums: np.ndarray, settings: ChrfSettings) -> ChrfDetails:
    """Precision and recall averaged over the n-gram orders that both sides have (sacrebleu's rule)."""
    rows = np.asarray(sums, dtype=np.float64).reshape(-1, 3)  # [hyp, ref, match] per order
    both = (rows[:, 0] > 0) & (rows[:, 1] > 0)
    if not both.any():
        return ChrfDetails(0.0, 0.0, float(settings.beta))
    precision = float(np.mean(rows[both, 2] / rows[both, 0]))
    recall = float(np.mean(rows[both, 2] / rows[both, 1]))
    return ChrfDetails(100 * precision, 100 * recall, float(settings.beta))
