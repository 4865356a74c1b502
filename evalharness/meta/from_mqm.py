"""Score an MQM file directly: it holds source, hypothesis and reference for every item.

Each metric scores all items in one call (per-item sufficient statistics, so
system scores are corpus scores of any subset). The checks run once per system
over that system's rows in file order, like ``evaluate`` on line-aligned files,
with sentence chrF always available to the ``low_score`` check, so the error
report does not depend on ``--metrics``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from evalharness.errors import MetricUnavailableError
from evalharness.lang.profiles import LanguagePair, parse_language_pair
from evalharness.meta.human import HumanJudgements
from evalharness.meta.scored import (
    ERROR_REPORT,
    MeanScorer,
    MetaInput,
    ScoredMetric,
    StatsScorer,
    error_report_score,
    item_index,
)
from evalharness.metrics.base import get_metric, metric_info
from evalharness.records import Finding, MetricResult

Info = Callable[[str], None]


def metric_params(name: str, languages: LanguagePair | None) -> dict[str, Any]:
    """The settings sacrebleu needs for the target language (BLEU tokenizer, TER Asian support)."""
    if languages is None:
        return {}
    target = languages.target
    if name == "bleu" and target.bleu_tokenizer != "13a":
        return {"tokenize": target.bleu_tokenizer}
    if name == "ter" and target.ter_asian:
        return {"asian_support": True}
    return {}


def build_metric(name: str, languages: LanguagePair | None, comet_model: str | None = None) -> Any:
    """A registered metric, ready to score (bootstrap off: meta resamples itself).

    Raises:
        UsageError: unknown metric.
        MetricUnavailableError: a model-based metric cannot be loaded.
    """
    params = metric_params(name, languages)
    if name == "comet" and comet_model:
        from evalharness.records import CometOptions

        params["options"] = CometOptions(model=comet_model)
    metric = get_metric(name, **params)
    if hasattr(metric, "n_bootstrap"):
        metric.n_bootstrap = 0
    resolve = getattr(metric, "resolve", None)
    if resolve is not None:
        resolve()
    return metric


def _compute(metric: Any, hyps: list[str], refs: list[str], srcs: list[str] | None) -> MetricResult:
    result: MetricResult = metric.compute(hyps, refs, srcs)
    if result.status != "ok":
        raise MetricUnavailableError(metric.name, result.reason or "it could not be computed")
    return result


def _scored(name: str, metric: Any, result: MetricResult, index: Any) -> ScoredMetric:
    values = np.array(
        [np.nan if s is None else float(s) for s in result.segment_scores], np.float64
    )
    stats = np.asarray(result.stats, np.float64) if result.stats is not None else None
    scorer: Any
    if stats is not None and hasattr(metric, "scores_from_sums") and stats.ndim == 2:
        scorer = StatsScorer(metric, stats, index)
    else:
        scorer = MeanScorer(values, index)
    return ScoredMetric(
        name=name, label=metric_info(name).label, higher_is_better=bool(metric.higher_is_better),
        segment_scores=values, system=scorer, signature=result.signature,
    )


def _slice(result: MetricResult, rows: np.ndarray) -> MetricResult:
    scores = tuple(result.segment_scores[i] for i in rows)
    stats = None if result.stats is None else np.asarray(result.stats)[rows]
    return replace(result, segment_scores=scores, stats=stats)


def find_item_errors(
    human: HumanJudgements,
    system_of_item: np.ndarray,
    results: dict[str, MetricResult],
    languages: LanguagePair | None,
) -> tuple[tuple[Finding, ...], ...]:
    """Run every check, one system at a time, and return each item's findings."""
    from evalharness.checks import find_errors, line_segments

    items = human.items
    has_source = any(i.src for i in items)
    found: list[tuple[Finding, ...]] = [() for _ in items]
    for s in np.unique(system_of_item):
        rows = np.flatnonzero(system_of_item == s)
        segments = line_segments(
            [items[i].ref for i in rows], [items[i].hyp for i in rows],
            [items[i].src for i in rows] if has_source else None,
        )
        sliced = {name: _slice(r, rows) for name, r in results.items()}
        per_segment = find_errors(segments, sliced, has_source=has_source, languages=languages)
        for i, findings in zip(rows, per_segment, strict=True):
            found[i] = findings
    return tuple(found)


def score_mqm(
    human: HumanJudgements,
    metric_names: Sequence[str],
    *,
    languages: LanguagePair | None = None,
    run_checks: bool = True,
    say: Info | None = None,
    comet_model: str | None = None,
) -> MetaInput:
    """Score every item of an MQM file with the metrics and (optionally) the checks.

    Args:
        human: The MQM file, read.
        metric_names: Registered metric names.
        languages: Languages of the file (default: its ``lp`` column, if any).
        run_checks: Also run the checks and add the error report's score.
        say: Receives status lines.
        comet_model: COMET model name or path, when ``comet`` is among the metrics.

    Raises:
        UsageError: unknown metric.
        MetricUnavailableError: a metric cannot be computed.
    """
    say = say or (lambda _m: None)
    if languages is None and human.language_pair:
        languages = parse_language_pair(human.language_pair)
    items = human.items
    index, systems, segments = item_index([i.system for i in items], [i.segment for i in items])
    hyps, refs = [i.hyp for i in items], [i.ref for i in items]
    srcs = [i.src for i in items] if any(i.src for i in items) else None
    scored: list[ScoredMetric] = []
    results: dict[str, MetricResult] = {}
    for name in metric_names:
        metric = build_metric(name, languages, comet_model)
        say(f"scoring {len(items)} items with {name}")
        results[name] = _compute(metric, hyps, refs, srcs)
        scored.append(_scored(name, metric, results[name], index))
    findings = None
    if run_checks:
        if "chrf" not in results:
            results["chrf"] = _compute(build_metric("chrf", languages), hyps, refs, srcs)
        say(f"running the checks on {len(items)} items")
        findings = find_item_errors(human, index.system, results, languages)
        values = np.array([error_report_score(f) for f in findings], np.float64)
        scored.append(
            ScoredMetric(
                ERROR_REPORT, "error report", True, values, MeanScorer(values, index),
                "-(25 critical + 5 major + 1 minor) per segment",
            )
        )
    return MetaInput(
        systems=tuple(systems), segments=tuple(segments), index=index,
        human=np.array([i.score for i in items], np.float64), metrics=tuple(scored),
        findings=findings,
    )
