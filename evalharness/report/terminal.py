"""The readable terminal summary of a run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evalharness.metrics.base import metric_info
from evalharness.metrics.info import MetricInfo


def format_summary(report: Mapping[str, Any], findings_limit: int = 10) -> str:
    """Scores per system (with intervals and p-values), alignment and findings."""
    lines = [_scores_table(report), ""]
    for system in report["systems"]:
        counts = system["alignment"]["counts"]
        desc = ", ".join(f"{k}: {v}" for k, v in counts.items())
        lines.append(f"{system['name']}: {system['alignment']['segments']} segments ({desc})")
        comet = system["metrics"].get("comet")
        if comet and comet.get("status") != "ok":
            lines.append(f"  COMET {comet.get('status')}: {comet.get('reason', '')}")
        for warning in (comet or {}).get("warnings") or ():
            lines.append(f"  COMET warning: {warning}")
        try:
            from evalharness.report.findings import format_findings_summary
        except ImportError:
            continue
        lines.append(format_findings_summary(system, limit=findings_limit))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _scores_table(report: Mapping[str, Any]) -> str:
    systems = report["systems"]
    names = [n for n in report["options"]["metrics"]]
    infos = [metric_info(n) for n in names]
    header = ["system"] + [i.label if i.higher_is_better else f"{i.label} (lower is better)" for i in infos]
    rows = [header]
    for system in systems:
        row = [system["name"]]
        sig = (system.get("significance") or {}).get("metrics", {})
        for name, info in zip(names, infos, strict=True):
            m = system["metrics"].get(name, {})
            row.append(_cell(m, sig.get(name), info))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    notes = []
    for name in names:
        sig = next(
            (s["metrics"][name].get("signature") for s in systems if name in s["metrics"]), ""
        )
        if sig:
            notes.append(f"{name}: {sig}")
    if len(systems) > 1:
        notes.append(f"p: paired bootstrap vs {systems[0]['name']} (* p < 0.05)")
    return "\n".join(out + [""] + notes)


def _cell(metric: Mapping[str, Any], paired: Mapping[str, Any] | None, info: MetricInfo) -> str:
    if metric.get("status", "ok") != "ok" or metric.get("score") is None:
        return "n/a"
    text = info.format(metric["score"])
    ci = metric.get("ci95")
    if ci:
        text += f" [{info.format(ci[0])}, {info.format(ci[1])}]"
    if paired:
        star = "*" if paired["p_value"] < 0.05 else ""
        text += f" (p={paired['p_value']:.4f}{star})"
    return text
