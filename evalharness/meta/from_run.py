"""Join human DA/TSV scores with a saved run report (``evaluate --json``).

Human rows name a system (the report's system ``name``) and a segment: by
default the 1-based segment number, i.e. the report's segment ``id`` + 1
(``--segment-base 0`` for 0-based ids). Only items present on both sides count.

System scores on the metric side: for BLEU, chrF and TER the statistics are
recomputed from the report's segment texts and used when they reproduce the
report's segment scores (then system scores are corpus scores of the rated
segments, as for MQM files); otherwise, and for COMET, the mean of segment scores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from evalharness.errors import InputError, UsageError
from evalharness.meta.from_mqm import build_metric
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
from evalharness.metrics.base import metric_info

RECOMPUTABLE = ("bleu", "chrf", "chrf++", "ter")
Info = Callable[[str], None]


def _joined(human: HumanJudgements, report: Mapping[str, Any], base: int, path: str
            ) -> list[tuple[Any, dict[str, Any], float]]:
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for system in report.get("systems", []):
        for seg in system.get("segments", []):
            by_key[(str(system.get("name")), str(int(seg["id"]) + base))] = seg
    joined = [(item, by_key[(item.system, item.segment)], item.score)
              for item in human.items if (item.system, item.segment) in by_key]
    if not joined:
        systems = ", ".join(sorted({str(s.get("name")) for s in report.get("systems", [])}))
        raise InputError(
            f"no human item matches a segment of the run {path} (its systems: {systems}; "
            f"segment ids are {'1' if base else '0'}-based, see --segment-base)",
            human.path,
        )
    return joined


def _recomputed(name: str, refs: list[str], hyps: list[str], reported: np.ndarray,
                index: Any) -> tuple[Any, str] | None:
    if name not in RECOMPUTABLE:
        return None
    metric = build_metric(name, None)
    result = metric.compute(hyps, refs, None)
    ours = np.array([np.nan if s is None else s for s in result.segment_scores], np.float64)
    same = np.allclose(ours, reported, atol=1e-6, equal_nan=True)
    if not same or result.stats is None:
        return None
    return StatsScorer(metric, np.asarray(result.stats, np.float64), index), result.signature


def join_run(human: HumanJudgements, report: Mapping[str, Any], *, run_path: str,
             segment_base: int = 1, metric_names: tuple[str, ...] | None = None,
             say: Info | None = None) -> MetaInput:
    """Items with both a human score and the run's scores and findings.

    Raises:
        InputError: nothing matches.
        UsageError: a requested metric is not in the run.
    """
    say = say or (lambda _m: None)
    joined = _joined(human, report, segment_base, run_path)
    if len(joined) < len(human.items):
        say(f"{human.path}: {len(human.items) - len(joined)} of {len(human.items)} human items "
            "have no segment in the run; left out")
    index, systems, segments = item_index([i.system for i, _, _ in joined],
                                          [i.segment for i, _, _ in joined])
    available = list(dict.fromkeys(k for _, seg, _ in joined for k in seg.get("scores", {})))
    names = list(metric_names) if metric_names else available
    missing = [n for n in names if n not in available]
    if missing:
        raise UsageError(f"metric {missing[0]!r} is not in the run {run_path} "
                         f"(it has: {', '.join(available)})")
    refs = [str(seg.get("ref", "")) for _, seg, _ in joined]
    hyps = [str(seg.get("hyp", "")) for _, seg, _ in joined]
    notes: list[str] = []
    metrics: list[ScoredMetric] = []
    signatures = _signatures(report)
    for name in names:
        values = np.array([np.nan if seg["scores"].get(name) is None else seg["scores"][name]
                           for _, seg, _ in joined], np.float64)
        recomputed = _recomputed(name, refs, hyps, values, index)
        scorer: Any = recomputed[0] if recomputed else MeanScorer(values, index)
        if recomputed is None:
            notes.append(f"{name}: system scores are means of segment scores")
        metrics.append(ScoredMetric(
            name, metric_info(name).label, metric_info(name).higher_is_better, values, scorer,
            signatures.get(name, ""),
        ))
    errors = np.array([error_report_score(seg.get("errors", [])) for _, seg, _ in joined])
    metrics.append(ScoredMetric(ERROR_REPORT, "error report", True, errors,
                                MeanScorer(errors, index), "-(25 critical + 5 major + 1 minor)"))
    return MetaInput(
        systems=tuple(systems), segments=tuple(segments), index=index,
        human=np.array([score for _, _, score in joined], np.float64),
        metrics=tuple(metrics), notes=tuple(notes),
    )


def _signatures(report: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for system in report.get("systems", []):
        for name, entry in system.get("metrics", {}).items():
            if isinstance(entry, dict) and entry.get("signature"):
                out.setdefault(name, str(entry["signature"]))
    return out
