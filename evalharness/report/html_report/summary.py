"""Server-side part of the HTML report: summary tables and chart data.

Everything here is computed from the JSON report dict and rendered by the
template as HTML and inline SVG, so the summary and charts need no script and
print as they are. :mod:`evalharness.report.html_report.render` renders the page.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evalharness.metrics.base import metric_info

SEVERITY_RANK = {"minor": 0, "major": 1, "critical": 2}
SEVERITY_NAMES = ("minor", "major", "critical")
METRIC_ORDER = ("bleu", "chrf", "chrf++", "ter", "comet")
HISTOGRAM_BINS = 20
STRIP_BINS = 200


def system_summary(system: Mapping[str, Any], index: int) -> dict[str, Any]:
    """Everything the template shows about one system: metrics, counts, charts."""
    segments = list(system.get("segments") or [])
    metrics = segment_metrics(system)
    return {
        "index": index,
        "name": str(system.get("name", f"system {index + 1}")),
        "path": system.get("path"),
        "metrics": _corpus_metrics(system.get("metrics") or {}),
        "significance": system.get("significance"),
        "segments": len(segments),
        "findings": finding_counts(segments),
        "alignment": alignment_summary(segments),
        "histograms": [histogram(segments, m) for m in metrics],
        "strip": score_strip(segments, _strip_metric(metrics), index),
    }


def _corpus_metrics(metrics: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name in sorted(metrics, key=metric_sort_key):
        entry = metrics[name] if isinstance(metrics[name], Mapping) else {}
        extra = {
            k: v
            for k, v in entry.items()
            if k not in {"score", "signature", "ci95", "status", "reason", "warnings", "details"}
            and v is not None
        }
        info = metric_info(name)
        rows.append({"name": name, "label": info.label, "decimals": info.decimals,
                     "lower_is_better": not info.higher_is_better, **entry, "extra": extra})
    return rows


def finding_counts(segments: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Findings by severity and by category (with a per-severity split), as shown on the page."""
    by_severity: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = {}
    for seg in segments:
        for err in seg.get("errors") or []:
            severity = str(err.get("severity") or "minor")
            category = str(err.get("category") or "other")
            by_severity[severity] += 1
            by_category.setdefault(category, Counter())[severity] += 1
    total = sum(by_severity.values())
    ranked = sorted(by_category.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    categories = [
        {"name": name, "total": sum(c.values()), "by_severity": [c[s] for s in SEVERITY_NAMES]}
        for name, c in ranked
    ]
    return {
        "total": total,
        "by_severity": {s: by_severity[s] for s in SEVERITY_NAMES},
        "categories": categories,
        "max_category": max((sum(c.values()) for _, c in ranked), default=0),
    }


def alignment_summary(segments: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Segment counts: 1-1, merges (1-2, 2-1, ...), hypothesis-only 0-1, reference-only 1-0."""
    counts = Counter(str(seg.get("alignment") or "?") for seg in segments)
    groups = {"one_to_one": 0, "merges": 0, "hyp_only": 0, "ref_only": 0, "other": 0}
    for label, n in counts.items():
        ref_n, _, hyp_n = label.partition("-")
        if label == "1-1":
            groups["one_to_one"] += n
        elif ref_n == "0":
            groups["hyp_only"] += n
        elif hyp_n == "0":
            groups["ref_only"] += n
        elif ref_n.isdigit() and hyp_n.isdigit():
            groups["merges"] += n
        else:
            groups["other"] += n
    return {"groups": groups, "counts": dict(sorted(counts.items()))}


def histogram(segments: Sequence[Mapping[str, Any]], metric: str) -> dict[str, Any]:
    """Sentence-score distribution of one metric in ``HISTOGRAM_BINS`` equal bins."""
    values = [v for v in (_score(s, metric) for s in segments) if v is not None]
    lo, hi = _score_range(metric, values)
    width = (hi - lo) / HISTOGRAM_BINS or 1.0
    counts = [0] * HISTOGRAM_BINS
    for v in values:
        counts[min(HISTOGRAM_BINS - 1, max(0, int((v - lo) / width)))] += 1
    top = max(counts, default=0) or 1
    bins = [
        {"lo": lo + i * width, "hi": lo + (i + 1) * width, "count": c, "height": c / top}
        for i, c in enumerate(counts)
    ]
    info = metric_info(metric)
    return {
        "metric": metric,
        "label": info.label,
        "lo": lo,
        "hi": hi,
        "n": len(values),
        "bins": bins,
        "lower_is_better": not info.higher_is_better,
        "axis_decimals": max(0, info.decimals - 2),
    }


def score_strip(
    segments: Sequence[Mapping[str, Any]], metric: str | None, system_index: int
) -> dict[str, Any]:
    """Segments along the document in at most ``STRIP_BINS`` bins.

    Each bin has the mean score (``height`` 0..1, better is taller), the worst
    finding severity in it and the id of its first segment (the link target).
    """
    n = len(segments)
    per_bin = max(1, math.ceil(n / STRIP_BINS))
    values: list[float | None] = [_score(s, metric) for s in segments] if metric else [None] * n
    known = [v for v in values if v is not None]
    lo, hi = _score_range(metric or "", known)
    bins = []
    for start in range(0, n, per_bin):
        chunk = range(start, min(n, start + per_bin))
        scores = [v for v in (values[i] for i in chunk) if v is not None]
        mean = sum(scores) / len(scores) if scores else None
        height = 0.0 if mean is None else (mean - lo) / ((hi - lo) or 1.0)
        if metric and not metric_info(metric).higher_is_better:
            height = 1.0 - height
        worst = max((_worst(segments[i]) for i in chunk), default=-1)
        bins.append(
            {
                "first": segments[start].get("id", start),
                "last": segments[chunk[-1]].get("id", chunk[-1]),
                "mean": mean,
                "height": min(1.0, max(0.0, height)),
                "worst": SEVERITY_NAMES[worst] if worst >= 0 else "none",
            }
        )
    label = metric_info(metric).label if metric else None
    return {"metric": label, "bins": bins, "system": system_index}


def _worst(seg: Mapping[str, Any]) -> int:
    return max(
        (SEVERITY_RANK.get(str(e.get("severity")), 0) for e in seg.get("errors") or []),
        default=-1,
    )


def _score(seg: Mapping[str, Any], metric: str) -> float | None:
    value = (seg.get("scores") or {}).get(metric)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _score_range(metric: str, values: Sequence[float]) -> tuple[float, float]:
    if metric in {"bleu", "chrf", "chrf++"}:
        return 0.0, 100.0
    if not values:
        return 0.0, 1.0
    if metric == "ter":
        return 0.0, max(100.0, min(max(values), 200.0))
    lo, hi = min(values), max(values)
    if metric == "comet" and lo >= 0.0 and hi <= 1.0:
        return 0.0, 1.0
    return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)


def _strip_metric(metrics: Sequence[str]) -> str | None:
    for preferred in ("chrf", "chrf++", "comet", "bleu", "ter"):
        if preferred in metrics:
            return preferred
    return metrics[0] if metrics else None


def metric_sort_key(name: str) -> tuple[int, str]:
    """Sort key putting metrics in display order (BLEU, chrF, chrF++, TER, COMET, others)."""
    return (METRIC_ORDER.index(name) if name in METRIC_ORDER else len(METRIC_ORDER), name)


def metric_union(systems: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every corpus metric of any system, in display order."""
    names: set[str] = set()
    for system in systems:
        names.update((system.get("metrics") or {}).keys())
    return sorted(names, key=metric_sort_key)


def report_title(report: Mapping[str, Any]) -> str:
    """The page title: the reference's front-matter title, else its path."""
    reference = report.get("reference") or {}
    metadata = reference.get("metadata") or {}
    title = metadata.get("title") if isinstance(metadata, Mapping) else None
    return str(title or reference.get("path") or "evaluation")


def segment_metrics(system: Mapping[str, Any]) -> list[str]:
    """Names of the metrics with segment scores, in display order."""
    seen: set[str] = set()
    for seg in system.get("segments") or []:
        seen.update((seg.get("scores") or {}).keys())
    return sorted(seen, key=metric_sort_key)
