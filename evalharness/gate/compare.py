"""CI regression gate: compare a candidate run with a baseline run.

Both sides are ``evaluate`` JSON reports (a saved baseline, or a run made just
now). The gate refuses runs that are not comparable (another metric signature,
another reference); otherwise it pairs their segments, runs a seeded paired
significance test on the per-segment sufficient statistics and checks every
threshold. :mod:`evalharness.report.junit` and :mod:`evalharness.report.markdown`
render the resulting :class:`GateVerdict`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from evalharness.errors import GateRefusal, MetricUnavailableError
from evalharness.gate.categories import category_matches
from evalharness.gate.snapshot import (
    SystemSnapshot,
    check_reference_sets,
    check_signatures,
    pair_segments,
    system_snapshot,
)
from evalharness.gate.thresholds import Thresholds
from evalharness.gate.verdict import (
    GATE_SCHEMA,
    TEST_NAMES,
    CheckResult,
    FindingsVerdict,
    GateVerdict,
    MetricVerdict,
    SuiteVerdict,
    display_name,
    format_score,
)
from evalharness.metrics.base import get_metric, metric_info
from evalharness.records import SEVERITIES

__all__ = [
    "GATE_SCHEMA",
    "CheckResult",
    "FindingsVerdict",
    "GateVerdict",
    "MetricVerdict",
    "SuiteVerdict",
    "SystemSnapshot",
    "check_signatures",
    "compare",
    "display_name",
    "format_score",
    "pair_segments",
    "system_snapshot",
]


def compare(
    name: str,
    base: SystemSnapshot,
    cand: SystemSnapshot,
    thresholds: Thresholds,
    candidate_path: str = "",
) -> SuiteVerdict:
    """Compare a candidate with its baseline under ``thresholds``.

    Raises:
        GateRefusal: signatures or references differ, a threshold names a metric
            the baseline lacks, or per-segment statistics are missing.
        MetricUnavailableError: a threshold names a metric the candidate lacks.
    """
    for metric in sorted(thresholds.named_metrics() - set(cand.scores)):
        reason = cand.unavailable.get(metric, "it was not computed for the candidate")
        raise MetricUnavailableError(metric, reason)
    common = [m for m in cand.scores if m in base.scores]
    check_reference_sets(base, cand)
    notes = check_signatures(base, cand, common)
    base_ids, cand_ids = pair_segments(base, cand)
    by_segment = all(n == 1 for n in base.ref_counts + cand.ref_counts)
    verdicts = []
    for metric in cand.scores:
        paired = None
        if metric in base.scores:
            paired = _paired_test(metric, base, cand, base_ids, cand_ids, thresholds)
        elif thresholds.max_drop.get(metric) is not None:
            raise GateRefusal(f"the baseline ({base.origin}) has no {display_name(metric)} score")
        else:
            notes.append(f"the baseline has no {display_name(metric)} score; drop not checked")
        verdicts.append(_metric_verdict(metric, base, cand, paired, thresholds))
    notes += [
        f"baseline has {display_name(m)}, the candidate run does not"
        for m in base.scores
        if m not in cand.scores
    ]
    return SuiteVerdict(
        name=name,
        baseline=base.origin,
        candidate=candidate_path or cand.origin,
        metrics=tuple(verdicts),
        findings=_findings_verdict(base, cand, thresholds),
        pairing="segment" if by_segment else "block",
        notes=tuple(notes),
    )


def _paired_test(
    metric: str,
    base: SystemSnapshot,
    cand: SystemSnapshot,
    base_ids: np.ndarray,
    cand_ids: np.ndarray,
    thresholds: Thresholds,
) -> Any:
    from evalharness.metrics import stats as mstats

    a, b = base.stats.get(metric), cand.stats.get(metric)
    if a is None or b is None:
        missing = base.origin if a is None else cand.origin
        raise GateRefusal(
            f"{display_name(metric)}: no per-segment statistics in {missing}; "
            "regenerate the baseline with evalharness baseline update"
        )
    test = (
        mstats.paired_bootstrap if thresholds.test == "bootstrap" else mstats.paired_randomization
    )
    return test(
        get_metric(metric),
        mstats.block_stats(a, base_ids),
        mstats.block_stats(b, cand_ids),
        n_samples=thresholds.paired_samples,
        seed=thresholds.seed,
    )


def _metric_verdict(
    metric: str, base: SystemSnapshot, cand: SystemSnapshot, paired: Any, thresholds: Thresholds
) -> MetricVerdict:
    higher = metric_info(metric).higher_is_better
    score, baseline = cand.scores[metric], base.scores.get(metric)
    ci = getattr(paired, "ci95", None) if paired is not None else None
    verdict = MetricVerdict(
        metric=metric,
        baseline=baseline,
        candidate=score,
        delta=None if baseline is None else score - baseline,
        ci95=None if ci is None else (float(ci[0]), float(ci[1])),
        p_value=None if paired is None else float(paired.p_value),
        test=thresholds.test,
        samples=thresholds.paired_samples,
        higher_is_better=higher,
        checks=(),
    )
    checks = _floor_checks(metric, score, thresholds)
    tolerance = thresholds.drop_tolerance(metric)
    if paired is not None and tolerance is not None:
        checks.append(_drop_check(verdict, tolerance, thresholds.alpha))
    return replace(verdict, checks=tuple(checks))


def _floor_checks(metric: str, score: float, thresholds: Thresholds) -> list[CheckResult]:
    checks = []
    name, shown = display_name(metric), format_score(metric, score)
    if metric in thresholds.min_score:
        floor = thresholds.min_score[metric]
        ok = score >= floor
        word = "at or above" if ok else "below"
        checks.append(
            CheckResult("min", floor, ok, f"{name} {shown} is {word} the floor {floor:g}")
        )
    if metric in thresholds.max_score:
        ceiling = thresholds.max_score[metric]
        ok = score <= ceiling
        word = "at or below" if ok else "above"
        checks.append(
            CheckResult("max", ceiling, ok, f"{name} {shown} is {word} the ceiling {ceiling:g}")
        )
    return checks


def _drop_check(v: MetricVerdict, tolerance: float, alpha: float) -> CheckResult:
    assert v.delta is not None and v.p_value is not None  # set together with the paired test

    def fmt(value: float | None, signed: bool = False) -> str:
        return format_score(v.metric, value, signed)

    name = display_name(v.metric)
    drop = -v.delta if v.higher_is_better else v.delta
    failed = drop > tolerance and v.p_value < alpha
    ci = "n/a" if v.ci95 is None else f"[{fmt(v.ci95[0], True)}, {fmt(v.ci95[1], True)}]"
    figures = (
        f"baseline {fmt(v.baseline)}, candidate {fmt(v.candidate)}, delta {fmt(v.delta, True)}, "
        f"95% CI {ci}, p = {v.p_value:.4f} ({TEST_NAMES[v.test]}, {v.samples} samples)"
    )
    worse = "rose" if not v.higher_is_better else "dropped"
    if failed:
        verdict = (
            f"{worse} by {fmt(drop)}, more than the tolerated {tolerance:g}, "
            f"and significantly (p < {alpha:g})"
        )
    elif drop > tolerance:
        verdict = (
            f"{worse} by {fmt(drop)}, more than the tolerated {tolerance:g}, "
            f"but not significantly (p >= {alpha:g})"
        )
    else:
        verdict = f"within the tolerated drop of {tolerance:g}"
    return CheckResult("max_drop", tolerance, not failed, f"{name} {verdict}: {figures}")


MAX_LISTED_FINDINGS = 50
"""Findings a failed threshold lists (JUnit text, CI annotations); the count names them all."""


def _max_findings(cand: SystemSnapshot, key: str, limit: int) -> CheckResult:
    """One ``max_findings`` threshold: a severity (that or worse) or a category pattern."""
    if key in SEVERITIES:
        worse = SEVERITIES[SEVERITIES.index(key) :]
        count = cand.findings.get(key, 0)
        counted = [f for f in cand.finding_refs if f.severity in worse]
        what = f"of severity {key} or worse"
    else:
        count = sum(n for c, n in cand.categories.items() if category_matches(c, key))
        counted = [f for f in cand.finding_refs if category_matches(f.category, key)]
        what = f"in categories {key}"
    ok = count <= limit
    message = f"{count} findings {what}; at most {limit} allowed"
    if not ok and counted:
        first = counted[0]
        line = f" line {first.line}" if first.line is not None else ""
        message += f" (first: segment {first.segment}{line}, {first.message})"
    listed = () if ok else tuple(counted[:MAX_LISTED_FINDINGS])
    return CheckResult("max_findings", limit, ok, message, listed)


def _findings_verdict(
    base: SystemSnapshot, cand: SystemSnapshot, thresholds: Thresholds
) -> FindingsVerdict | None:
    checks = [_max_findings(cand, key, limit) for key, limit in thresholds.max_findings.items()]
    if thresholds.no_more_findings:
        before, after = base.findings.get("major", 0), cand.findings.get("major", 0)
        ok = after <= before
        checks.append(
            CheckResult(
                "no_more_findings",
                before,
                ok,
                f"{after} major-or-critical findings, baseline {before}"
                + ("" if ok else f": {after - before} more than the baseline"),
            )
        )
    if not checks:
        return None
    return FindingsVerdict(dict(base.findings), dict(cand.findings), tuple(checks))
