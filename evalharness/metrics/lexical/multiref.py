"""Multi-reference statistics of BLEU and chrF with the compiled kernels, as sacrebleu computes them.

* BLEU (``BLEU._extract_reference_info`` and ``_compute_segment_statistics``):
  the references' n-gram counts are merged by their maximum, matches are
  clipped by that maximum, and the reference length is the one closest to the
  hypothesis length (the shorter one on a tie).
* chrF (``CHRF._compute_segment_statistics``): the statistics are those of the
  single reference with the highest sentence chrF (the first one on a tie).

A reference given as ``None`` is absent for that segment (sacrebleu's variable
number of references); ``""`` is an empty reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from evalharness.metrics.lexical import scores as lexical_scores

ChunkJob = Callable[[], np.ndarray]


def _present(ref_streams: Sequence[Sequence[str | None]], k: int) -> list[str]:
    return [str(stream[k]) for stream in ref_streams if stream[k] is not None]


def closest_ref_lengths(hyp_lengths: np.ndarray, ref_lengths: Sequence[Sequence[int]]) -> np.ndarray:
    """The reference length BLEU uses for each segment, as ``BLEU._get_closest_ref_len`` picks it."""
    closest = [
        min((abs(int(h) - r), r) for r in refs)[1]
        for h, refs in zip(hyp_lengths, ref_lengths, strict=True)
    ]
    return np.array(closest, dtype=np.int64)


def bleu_rows_job(preprocess: Callable[[str], str], hyps: Sequence[str],
                  ref_streams: Sequence[Sequence[str | None]], order: int) -> ChunkJob:
    """Tokenise one chunk now; the returned job counts its BLEU rows (compiled, GIL released)."""
    from evalharness.metrics.lexical.ngram_kernels import multi_reference_counts, token_ids

    words: list[list[str]] = []
    sides = [0]
    ref_lengths: list[list[int]] = []
    for k, hyp in enumerate(hyps):
        refs = [preprocess(r).split() for r in _present(ref_streams, k)]
        words.append(preprocess(hyp).split())
        words.extend(refs)
        ref_lengths.append([len(r) for r in refs])
        sides.append(len(words))
    ids, offsets = token_ids(words)
    side_ptr = np.asarray(sides, np.int64)

    def rows() -> np.ndarray:
        counts = multi_reference_counts(ids, offsets, side_ptr, order)
        hyp_lengths = np.diff(offsets)[side_ptr[:-1]]
        # [sys_len, ref_len, correct_1..N, total_1..N]
        return np.hstack([hyp_lengths[:, None],
                          closest_ref_lengths(hyp_lengths, ref_lengths)[:, None],
                          counts[:, 1::2], counts[:, 0::2]])

    return rows


def chrf_rows_job(metric: Any, settings: lexical_scores.ChrfSettings, hyps: Sequence[str],
                  ref_streams: Sequence[Sequence[str | None]]) -> ChunkJob:
    """As :func:`bleu_rows_job`, for chrF/chrF++ (``metric`` is sacrebleu's ``CHRF``)."""
    from evalharness.metrics.lexical.ngram_kernels import char_ids, pair_counts, token_ids

    prep = metric._preprocess_segment
    pair_hyps: list[str] = []
    pair_refs: list[str] = []
    owner: list[int] = []
    for k, hyp in enumerate(hyps):
        for ref in _present(ref_streams, k):
            pair_hyps.append(prep(hyp))
            pair_refs.append(prep(ref))
            owner.append(k)
    texts = pair_hyps + pair_refs
    chars = texts if metric.whitespace else ["".join(t.split()) for t in texts]
    char_data = char_ids(chars)
    word_data = token_ids([metric._remove_punctuation(t) for t in texts]) \
        if settings.word_order else None
    n, n_segments = len(pair_hyps), len(hyps)

    def rows() -> np.ndarray:
        parts = [pair_counts(char_data[0], char_data[1][:n + 1], char_data[0],
                             char_data[1][n:], settings.char_order)]
        if word_data is not None:
            ids, offsets = word_data
            parts.append(pair_counts(ids, offsets[:n + 1], ids, offsets[n:], settings.word_order))
        counts = np.hstack(parts).reshape(n, -1, 3)
        # sacrebleu counts no hypothesis n-grams of an order the reference lacks.
        counts[:, :, 0] *= counts[:, :, 1] > 0
        counts = counts.reshape(n, -1)
        f_scores = lexical_scores.chrf_scores(counts, settings)
        best = np.full(n_segments, -1)
        best_f = np.full(n_segments, -1.0)
        for pair, (k, f) in enumerate(zip(owner, f_scores, strict=True)):
            if f > best_f[k]:
                best_f[k], best[k] = f, pair
        return counts[best]

    return rows
