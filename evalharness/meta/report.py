"""The meta-evaluation's JSON (schema ``evalharness.meta/1``) and Markdown table."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Any

from evalharness.meta.analysis import SEGMENT_STATS, SYSTEM_STATS, Estimate, MetaResult

SCHEMA = "evalharness.meta/1"
COLUMN_TITLES = {
    ("segment", "pearson"): "seg Pearson",
    ("segment", "kendall_tau_b"): "seg tau-b",
    ("segment", "kendall_tau_b_grouped"): "seg tau-b (by segment)",
    ("segment", "acc_eq"): "seg acc_eq",
    ("system", "pearson"): "sys Pearson",
    ("system", "pairwise_accuracy"): "sys pairwise acc",
}


def meta_to_dict(result: MetaResult, human: Mapping[str, Any],
                 spans: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document: ``metrics.<name>.segment.<stat>`` and ``.system.<stat>``.

    Args:
        result: The statistics.
        human: Description of the human side (path, format, weights ...).
        spans: Span-level agreement of the error report, when computed.
    """
    from evalharness import __version__

    metrics: dict[str, Any] = {}
    for m in result.metrics:
        segment = {k: m.segment[k].to_dict() for k in SEGMENT_STATS}
        segment["acc_eq"]["epsilon"] = m.acc_eq_epsilon
        metrics[m.name] = {
            "label": m.label,
            "higher_is_better": m.higher_is_better,
            "signature": m.signature,
            "items": m.items,
            "segment": segment,
            "system": {k: m.system[k].to_dict() for k in SYSTEM_STATS},
            "system_scores": dict(m.system_scores),
        }
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": {"evalharness": __version__},
        "human": {
            **human,
            "systems": list(result.systems),
            "segments": result.n_segments,
            "items": result.n_items,
            "system_scores": dict(result.human_system_scores),
        },
        "bootstrap": {"samples": result.samples, "seed": result.seed, "resampled": "segments"},
        "metrics": metrics,
        "notes": list(result.notes),
    }
    if spans is not None:
        out["spans"] = spans
    return out


def _cell(estimate: Estimate, with_ci: bool) -> str:
    if estimate.value is None:
        return "n/a"
    text = f"{estimate.value:.3f}"
    if with_ci and estimate.ci95 is not None:
        text += f" [{estimate.ci95[0]:.3f}, {estimate.ci95[1]:.3f}]"
    return text


def markdown_table(result: MetaResult, with_ci: bool = True) -> str:
    """One row per metric, one column per statistic (95% intervals in brackets)."""
    keys = list(COLUMN_TITLES)
    lines = [
        "| metric | " + " | ".join(COLUMN_TITLES[k] for k in keys) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    for m in result.metrics:
        cells = [_cell((m.segment if level == "segment" else m.system)[stat], with_ci)
                 for level, stat in keys]
        lines.append(f"| {m.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def markdown_report(result: MetaResult, title: str, spans: Mapping[str, Any] | None = None) -> str:
    """A heading, the table, the systems' scores and the span-level summary."""
    parts = [f"### {title}", "", markdown_table(result)]
    human = ", ".join(
        f"{s} {v:.3f}" if v is not None else f"{s} n/a"
        for s, v in result.human_system_scores.items()
    )
    parts.append(
        f"{result.n_items} items ({len(result.systems)} system(s) x {result.n_segments} segments); "
        f"human system scores: {human}. 95% intervals from {result.samples} bootstrap "
        f"resamples of segments (seed {result.seed})."
    )
    if spans is not None:
        overall = spans["overall"]
        parts += ["", "Span level (error report vs MQM target spans, character overlap): "
                  + _prf(overall)]
        for severity, entry in spans["by_severity"].items():
            if entry["gold_chars"] or entry["predicted_chars"]:
                parts.append(f"- {severity}: {_prf(entry)}")
    for note in result.notes:
        parts += ["", f"Note: {note}"]
    return "\n".join(parts) + "\n"


def _prf(entry: Mapping[str, Any]) -> str:
    def fmt(v: Any) -> str:
        return "n/a" if v is None else f"{v:.3f}"

    return (f"P {fmt(entry['precision'])}, R {fmt(entry['recall'])}, F1 {fmt(entry['f1'])} "
            f"({entry['predicted_chars']} marked, {entry['gold_chars']} annotated)")
