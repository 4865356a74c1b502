"""sacrebleu's BLEU, chrF, chrF++ and TER behind the :class:`~evalharness.metrics.base.Metric` interface.

Each segment's sufficient statistics are extracted once. sacrebleu's own
preprocessing and tokenizers turn each segment into words (BLEU, TER, chrF++)
or characters (chrF); compiled kernels then do the counting that sacrebleu does
with ``Counter`` objects: :mod:`evalharness.metrics.lexical.ngram_kernels` for BLEU and
chrF n-gram matches, :mod:`evalharness.metrics.lexical.ter_kernels` for TER's shift search.
The kernels release the GIL and run on chunks of segments on every core while
the next chunk is tokenized; the rows are the same as sacrebleu's
``_extract_corpus_statistics`` (tests compare them), with one reference or
several (:mod:`evalharness.metrics.lexical.multiref`). ``TerMetric(engine="sacrebleu")``
uses sacrebleu's own extraction, in a process pool for large inputs. The corpus
score, the segment scores and the bootstrap interval all come from those rows:

* corpus score: sacrebleu's ``_compute_score_from_stats`` of the column sums;
* segment scores: the same function of each row, which is exactly what
  ``sentence_bleu`` (exp smoothing, effective order), ``sentence_chrf`` and
  ``sentence_ter`` compute (BLEU's statistics do not depend on effective order);
* ``ci95``: sacrebleu's ``--confidence`` bootstrap (see :mod:`evalharness.metrics.stats`).

Constructors accept sacrebleu's keyword parameters (``tokenize``, ``lowercase``,
``smooth_method``, ``beta``, ``char_order``, ``word_order``, ``normalized``, ...).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacrebleuMetric

from evalharness.errors import InputError, UsageError
from evalharness.metrics.base import register_metric
from evalharness.metrics.info import BUILTIN_INFO
from evalharness.metrics.lexical import multiref
from evalharness.metrics.lexical import scores as lexical_scores
from evalharness.metrics.lexical.chunks import ChunkJob, chunked_rows, map_chunks
from evalharness.metrics.lexical.details import lexical_details
from evalharness.metrics.stats import DEFAULT_SEED, bootstrap_ci
from evalharness.records import MetricResult

RefStreams = Sequence[Sequence[str | None]]


class LexicalMetric:
    """Common machinery of the sacrebleu-backed metrics (not registered itself).

    Args:
        n_bootstrap: Bootstrap resamples for ``ci95`` (0 disables it).
        seed: Seed of the bootstrap resampling (sacrebleu's default, 12345).
        n_jobs: Cores for statistics extraction: threads for the compiled
            kernels, worker processes for sacrebleu's own extraction on large
            inputs; ``None`` uses every core, 1 runs everything on this thread.
        **params: Keyword parameters of the sacrebleu metric class.

    Raises:
        UsageError: for a parameter that sacrebleu does not accept.
    """

    name = "lexical"
    higher_is_better = True
    #: Up to this many segments sacrebleu's own extraction is used, unless numba
    #: is loaded already: importing numba and loading the kernels' machine code
    #: (0.5 s or more) would cost more than it saves. The rows are the same.
    small_input_segments = 1000

    def __init__(self, n_bootstrap: int = 1000, seed: int | None = DEFAULT_SEED,
                 n_jobs: int | None = None, **params: Any) -> None:
        self.n_bootstrap = n_bootstrap
        self.seed = seed
        self.n_jobs = n_jobs
        self.params = dict(params)
        try:
            self.sacrebleu_metric: SacrebleuMetric = self._build(**params)
        except (TypeError, AssertionError, KeyError, ValueError) as exc:
            raise UsageError(f"{self.name}: invalid option ({exc})") from exc

    def _build(self, **params: Any) -> SacrebleuMetric:
        raise NotImplementedError

    def compute(self, hyps: Sequence[str], refs: Sequence[str],
                srcs: Sequence[str] | None = None) -> MetricResult:
        """Score aligned segments against one reference each (``srcs`` is unused).

        Raises:
            InputError: when there are no segments or the counts differ.
        """
        return self.compute_multi(hyps, [refs])

    def compute_multi(self, hyps: Sequence[str], ref_streams: RefStreams,
                      srcs: Sequence[str] | None = None) -> MetricResult:
        """Score segments against one or more reference streams, each aligned to ``hyps``.

        A reference may be ``None`` where a segment has fewer references
        (sacrebleu's variable number of references).

        Raises:
            InputError: when there are no segments or a stream's length differs.
        """
        _check_inputs(hyps, ref_streams)
        stats = self.segment_statistics(hyps, ref_streams)
        ci95 = None
        if self.n_bootstrap > 0:
            ci95 = bootstrap_ci(self, stats, self.n_bootstrap, self.seed).ci95
        return MetricResult(
            name=self.name,
            score=self.score_from_stats(stats),
            signature=self.signature(_num_refs(ref_streams)),
            segment_scores=tuple(float(s) for s in self.sentence_scores(stats)),
            ci95=ci95,
            stats=stats,
            details=lexical_details(self.name, getattr(self, "settings", None), stats.sum(axis=0)),
        )

    def segment_statistics(self, hyps: Sequence[str], ref_streams: RefStreams) -> np.ndarray:
        """Sufficient statistics, one row per segment, in sacrebleu's column layout."""
        hyps = list(hyps)
        streams = [list(s) for s in ref_streams]
        small = len(hyps) <= self.small_input_segments and "numba" not in sys.modules
        if self._compiled(streams) and not small:
            self._warn_tokenized(hyps)
            return chunked_rows(len(hyps), self._width(), self._stats_dtype,
                                 lambda a, b: self._chunk_job(hyps[a:b], [s[a:b] for s in streams]),
                                 self.n_jobs)
        rows = map_chunks(_extract_statistics, self, hyps, streams, self.n_jobs)
        return np.asarray(rows, dtype=self._stats_dtype).reshape(len(hyps), self._width())

    _stats_dtype: Any = np.int64

    def _compiled(self, ref_streams: list[list[str | None]]) -> bool:
        """Whether the compiled kernels handle these inputs (else sacrebleu's extraction)."""
        return True

    def _chunk_job(self, hyps: list[str], ref_streams: list[list[str | None]]) -> ChunkJob:
        raise NotImplementedError

    def _warn_tokenized(self, hyps: list[str]) -> None:
        """Log the warning sacrebleu gives for tokenised hypotheses (BLEU without ``force``)."""
        if getattr(self.sacrebleu_metric, "_force", True):
            return
        if sum(h.endswith(" .") for h in hyps) >= 100:
            logger = logging.getLogger("sacrebleu")
            logger.warning("That's 100 lines that end in a tokenized period ('.')")
            logger.warning("It looks like you forgot to detokenize your test data, "
                           "which may hurt your score.")
            logger.warning("If you insist your data is detokenized, or don't care, "
                           "you can suppress this message with the `force` parameter.")

    def _rows(self, hyps: list[str], ref_streams: list[list[str | None]]) -> list[list[float]]:
        # sacrebleu accepts None for a missing reference although its hints say str.
        rows: list[list[float]] = self.sacrebleu_metric._extract_corpus_statistics(
            hyps, cast(Any, ref_streams))
        return rows

    def score_from_stats(self, stats: Any) -> float:
        """Corpus score of the given rows of sufficient statistics."""
        sums = np.asarray(stats, dtype=np.float64).reshape(-1, self._width()).sum(axis=0)
        return float(self.scores_from_sums(sums[None, :])[0])

    def scores_from_sums(self, sums: np.ndarray) -> np.ndarray:
        """One corpus score per row of summed statistics (vectorised)."""
        raise NotImplementedError

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        """Segment scores from per-segment rows (sacrebleu's ``sentence_*``)."""
        return self.scores_from_sums(stats)

    def signature(self, num_refs: int = 1) -> str:
        """The sacrebleu signature, e.g. ``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0``."""
        self.sacrebleu_metric.num_refs = num_refs
        return str(self.sacrebleu_metric.get_signature())

    def _width(self) -> int:
        raise NotImplementedError


class BleuMetric(LexicalMetric):
    """sacrebleu BLEU (default: 13a tokenizer, exp smoothing, mixed case).

    Segment scores use the same settings with ``effective_order=True``, as
    ``sacrebleu.sentence_bleu`` does.
    """

    name = "bleu"

    def _build(self, **params: Any) -> SacrebleuMetric:
        metric = BLEU(**params)
        self.settings = lexical_scores.BleuSettings(
            smooth_method=metric.smooth_method, smooth_value=metric.smooth_value,
            effective_order=metric.effective_order, max_ngram_order=metric.max_ngram_order)
        self.sentence_settings = replace(self.settings, effective_order=True)
        return metric

    def _chunk_job(self, hyps: list[str], ref_streams: list[list[str | None]]) -> ChunkJob:
        from evalharness.metrics.lexical.ngram_kernels import pair_counts, token_ids

        prep = self.sacrebleu_metric._preprocess_segment
        if len(ref_streams) > 1:
            return multiref.bleu_rows_job(prep, hyps, ref_streams, self.settings.max_ngram_order)
        words = [prep(h).split() for h in hyps]
        words += [prep(cast(str, r)).split() for r in ref_streams[0]]
        ids, offsets = token_ids(words)
        n, order = len(hyps), self.settings.max_ngram_order

        def rows() -> np.ndarray:
            counts = pair_counts(ids, offsets[:n + 1], ids, offsets[n:], order)
            lengths = np.diff(offsets)
            # [sys_len, ref_len, correct_1..N, total_1..N]
            return np.hstack([lengths[:n, None], lengths[n:, None],
                              counts[:, 2::3], counts[:, 0::3]])

        return rows

    def scores_from_sums(self, sums: np.ndarray) -> np.ndarray:
        """One BLEU per row of summed statistics."""
        return lexical_scores.bleu_scores(sums, self.settings)

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        """Sentence BLEU of each row, with effective order."""
        return lexical_scores.bleu_scores(stats, self.sentence_settings)

    def _width(self) -> int:
        return 2 + 2 * self.settings.max_ngram_order


class ChrfMetric(LexicalMetric):
    """sacrebleu chrF; ``word_order=2`` is chrF++ (registered as ``chrf++``)."""

    name = "chrf"

    def _build(self, **params: Any) -> SacrebleuMetric:
        metric = CHRF(**params)
        self.settings = lexical_scores.ChrfSettings(
            char_order=metric.char_order, word_order=metric.word_order,
            beta=metric.beta, eps_smoothing=metric.eps_smoothing)
        self.name = "chrf" + "+" * metric.word_order
        return metric

    def _chunk_job(self, hyps: list[str], ref_streams: list[list[str | None]]) -> ChunkJob:
        from evalharness.metrics.lexical.ngram_kernels import char_ids, pair_counts, token_ids

        metric = cast(CHRF, self.sacrebleu_metric)
        if len(ref_streams) > 1:
            return multiref.chrf_rows_job(metric, self.settings, hyps, ref_streams)
        texts = [metric._preprocess_segment(t) for t in hyps]
        texts += [metric._preprocess_segment(cast(str, r)) for r in ref_streams[0]]
        chars = texts if metric.whitespace else ["".join(t.split()) for t in texts]
        char_data = char_ids(chars)
        word_data = token_ids([metric._remove_punctuation(t) for t in texts]) \
            if self.settings.word_order else None
        n = len(hyps)

        def rows() -> np.ndarray:
            parts = [pair_counts(char_data[0], char_data[1][:n + 1], char_data[0],
                                 char_data[1][n:], self.settings.char_order)]
            if word_data is not None:
                ids, offsets = word_data
                parts.append(pair_counts(ids, offsets[:n + 1], ids, offsets[n:],
                                         self.settings.word_order))
            counts = np.hstack(parts).reshape(n, -1, 3)
            # sacrebleu counts no hypothesis n-grams of an order the reference lacks.
            counts[:, :, 0] *= counts[:, :, 1] > 0
            return counts.reshape(n, -1)

        return rows

    def scores_from_sums(self, sums: np.ndarray) -> np.ndarray:
        """One chrF per row of summed statistics."""
        return lexical_scores.chrf_scores(sums, self.settings)

    def _width(self) -> int:
        return 3 * (self.settings.char_order + self.settings.word_order)


class TerMetric(LexicalMetric):
    """sacrebleu TER with the compiled shift search (lower is better).

    Args:
        engine: ``"numba"`` (default, :mod:`evalharness.metrics.lexical.ter_kernels`) or
            ``"sacrebleu"`` (its pure-Python search, the reference).
        **kwargs: As for :class:`LexicalMetric`.
    """

    name = "ter"
    higher_is_better = False
    _stats_dtype = np.float64
    # sacrebleu's search takes ~20 ms a segment: a few segments only.
    small_input_segments = 16

    def __init__(self, engine: str = "numba", **kwargs: Any) -> None:
        if engine not in ("numba", "sacrebleu"):
            raise UsageError(f"ter: unknown engine {engine!r}; choose numba or sacrebleu")
        self.engine = engine
        super().__init__(**kwargs)

    def _build(self, **params: Any) -> SacrebleuMetric:
        return TER(**params)

    def tokenize(self, text: str) -> str:
        """The TER preprocessing of sacrebleu for one segment (case, normalisation, punctuation)."""
        return str(self.sacrebleu_metric._preprocess_segment(text))

    def _compiled(self, ref_streams: list[list[str | None]]) -> bool:
        return self.engine == "numba"

    def _chunk_job(self, hyps: list[str], ref_streams: list[list[str | None]]) -> ChunkJob:
        from evalharness.metrics.lexical.ngram_kernels import token_ids
        from evalharness.metrics.lexical.ter_kernels import word_list_edits

        # sacrebleu's own reference cache: it tokenises each reference twice.
        ref_cache = self.sacrebleu_metric._cache_references(cast(Any, ref_streams))
        hyp_words = [self.tokenize(h).split() for h in hyps]
        refs_per_segment = np.array([len(info["ref_words"]) for info in ref_cache])
        pair_hyps = [w for w, k in zip(hyp_words, refs_per_segment, strict=True) for _ in range(k)]
        pair_refs = [r for info in ref_cache for r in info["ref_words"]]
        ids, offsets = token_ids(pair_hyps + pair_refs)
        ref_lengths = np.diff(offsets)[len(pair_hyps):].astype(np.float64)

        def rows() -> np.ndarray:
            edits = word_list_edits(pair_hyps, pair_refs, ids, offsets)
            starts = np.concatenate([[0], np.cumsum(refs_per_segment)[:-1]])
            best = np.minimum.reduceat(edits, starts)
            # The mean reference length, divided as sacrebleu divides (exact integer sums).
            mean_length = np.add.reduceat(ref_lengths, starts) / refs_per_segment
            return np.stack([best.astype(np.float64), mean_length], axis=1)

        return rows

    def scores_from_sums(self, sums: np.ndarray) -> np.ndarray:
        """One TER per row of summed statistics."""
        return lexical_scores.ter_scores(sums)

    def _width(self) -> int:
        return 2


def _check_inputs(hyps: Sequence[str], ref_streams: RefStreams) -> None:
    if isinstance(hyps, str) or any(not isinstance(h, str) for h in hyps):
        raise InputError("hypotheses must be a sequence of strings")
    if len(hyps) == 0:
        raise InputError("no segments to score")
    if len(ref_streams) == 0:
        raise InputError("no reference given")
    for k, stream in enumerate(ref_streams):
        if isinstance(stream, str) or len(stream) != len(hyps):
            raise InputError(
                f"reference stream {k + 1} has {len(stream)} segments, "
                f"the hypothesis has {len(hyps)}")
    for i, refs in enumerate(zip(*ref_streams, strict=True)):
        if all(r is None for r in refs):
            raise InputError(f"segment {i + 1} has no reference")


def _num_refs(ref_streams: RefStreams) -> int:
    """The ``num_refs`` of sacrebleu: the reference count, or -1 when it varies by segment."""
    counts = {sum(r is not None for r in refs) for refs in zip(*ref_streams, strict=True)}
    return counts.pop() if len(counts) == 1 else -1


def _extract_statistics(metric: LexicalMetric, hyps: list[str],
                        ref_streams: list[list[str | None]]) -> list[list[float]]:
    return metric._rows(hyps, ref_streams)


register_metric("bleu", BleuMetric, BUILTIN_INFO["bleu"])
register_metric("chrf", ChrfMetric, BUILTIN_INFO["chrf"])
register_metric("chrf++", lambda **kwargs: ChrfMetric(**{"word_order": 2, **kwargs}),
                BUILTIN_INFO["chrf++"])
register_metric("ter", TerMetric, BUILTIN_INFO["ter"])
