"""sacrebleu's BLEU, chrF, chrF++ and TER behind the :class:`~evalharness.metrics.base.Metric` interface.

Each segment's sufficient statistics are extracted once (sacrebleu's own
``_extract_corpus_statistics``; for TER, sacrebleu's tokenizer followed by the
compiled search of :mod:`evalharness.metrics.ter_fast`). The corpus score, the
segment scores and the bootstrap interval are then all computed from those rows:

* corpus score: sacrebleu's ``_compute_score_from_stats`` of the column sums;
* segment scores: the same function of each row, which is exactly what
  ``sentence_bleu`` (exp smoothing, effective order), ``sentence_chrf`` and
  ``sentence_ter`` compute (BLEU's statistics do not depend on effective order);
* ``ci95``: sacrebleu's ``--confidence`` bootstrap (see :mod:`evalharness.metrics.stats`).

Constructors accept sacrebleu's keyword parameters (``tokenize``, ``lowercase``,
``smooth_method``, ``beta``, ``char_order``, ``word_order``, ``normalized``, ...).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any, cast

import numpy as np
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.metrics.base import Metric as SacrebleuMetric

from evalharness.errors import InputError, UsageError
from evalharness.metrics import lexical_scores
from evalharness.metrics.base import register_metric
from evalharness.metrics.stats import DEFAULT_SEED, bootstrap_ci
from evalharness.types import MetricResult

# Below this many segments a process pool costs more than it saves.
PARALLEL_MIN_SEGMENTS = 20_000

RefStreams = Sequence[Sequence[str | None]]


class LexicalMetric:
    """Common machinery of the sacrebleu-backed metrics (not registered itself).

    Args:
        n_bootstrap: Bootstrap resamples for ``ci95`` (0 disables it).
        seed: Seed of the bootstrap resampling (sacrebleu's default, 12345).
        n_jobs: Worker processes for statistics extraction on large inputs;
            ``None`` uses every core, 1 disables the pool.
        **params: Keyword parameters of the sacrebleu metric class.

    Raises:
        UsageError: for a parameter that sacrebleu does not accept.
    """

    name = "lexical"
    higher_is_better = True

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

    def compute_multi(self, hyps: Sequence[str], ref_streams: RefStreams) -> MetricResult:
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
        )

    def segment_statistics(self, hyps: Sequence[str], ref_streams: RefStreams) -> np.ndarray:
        """Sufficient statistics, one row per segment, in sacrebleu's column layout."""
        rows = _map_chunks(_extract_statistics, self, list(hyps),
                           [list(s) for s in ref_streams], self.n_jobs)
        return np.asarray(rows, dtype=self._stats_dtype).reshape(len(hyps), self._width())

    _stats_dtype: Any = np.int64

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

    def scores_from_sums(self, sums: np.ndarray) -> np.ndarray:
        """One chrF per row of summed statistics."""
        return lexical_scores.chrf_scores(sums, self.settings)

    def _width(self) -> int:
        return 3 * (self.settings.char_order + self.settings.word_order)


class TerMetric(LexicalMetric):
    """sacrebleu TER with the compiled shift search (lower is better).

    Args:
        engine: ``"numba"`` (default, :mod:`evalharness.metrics.ter_fast`) or
            ``"sacrebleu"`` (its pure-Python search, the reference).
        **kwargs: As for :class:`LexicalMetric`.
    """

    name = "ter"
    higher_is_better = False
    _stats_dtype = np.float64

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

    def _rows(self, hyps: list[str], ref_streams: list[list[str | None]]) -> list[list[float]]:
        if self.engine == "sacrebleu":
            return super()._rows(hyps, ref_streams)
        from evalharness.metrics.ter_fast import pair_edits

        metric = self.sacrebleu_metric
        ref_cache = metric._cache_references(cast(Any, ref_streams))
        pairs: list[tuple[list[str], list[str]]] = []
        for hyp, info in zip(hyps, ref_cache, strict=True):
            words = self.tokenize(hyp).split()
            pairs.extend((words, ref_words) for ref_words in info["ref_words"])
        edits = iter(pair_edits(pairs).tolist())
        rows: list[list[float]] = []
        for info in ref_cache:
            refs = info["ref_words"]
            best = min((next(edits) for _ in refs), default=int(1e16))
            rows.append([best, sum(len(r) for r in refs) / len(refs)])
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


def _map_chunks(fn: Callable[..., list[list[float]]], metric: LexicalMetric, hyps: list[str],
                ref_streams: list[list[str | None]], n_jobs: int | None) -> list[list[float]]:
    """Apply ``fn`` to the whole input, or to chunks in a forked process pool when large."""
    workers = n_jobs if n_jobs is not None else (os.cpu_count() or 1)
    if (len(hyps) < PARALLEL_MIN_SEGMENTS or workers <= 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return fn(metric, hyps, ref_streams)
    n_chunks = workers * 4
    bounds = np.linspace(0, len(hyps), n_chunks + 1).astype(int)
    spans = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = pool.map(fn, [metric] * len(spans), [hyps[a:b] for a, b in spans],
                         [[s[a:b] for s in ref_streams] for a, b in spans])
        return [row for part in parts for row in part]


register_metric("bleu", BleuMetric)
register_metric("chrf", ChrfMetric)
register_metric("chrf++", lambda **kwargs: ChrfMetric(**{"word_order": 2, **kwargs}))
register_metric("ter", TerMetric)
