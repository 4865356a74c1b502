"""Findings views of the JSON report: one CSV row per finding, and a terminal summary.

Both read the report dictionary (schema ``evalharness.report/1``), so they work
on a run in memory (``RunResult.to_dict()``) and on a report read back from disk.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from evalharness.fsutil import atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = (
    "system",
    "segment",
    "alignment",
    "ref_lines",
    "hyp_lines",
    "check",
    "category",
    "severity",
    "hyp_span",
    "ref_span",
    "message",
    "confidence",
    "hyp_start",
    "hyp_end",
    "ref_start",
    "ref_end",
)
"""Columns of the findings CSV, in order."""

_SEVERITY_ORDER = ("critical", "major", "minor")
_SPAN_WIDTH = 60


def _rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for system in report.get("systems", ()):
        for segment in system.get("segments", ()):
            for error in segment.get("errors", ()):
                yield {
                    "system": system.get("name", ""),
                    "segment": segment.get("id"),
                    "alignment": segment.get("alignment", ""),
                    "ref_lines": " ".join(str(n) for n in segment.get("ref_lines", ())),
                    "hyp_lines": " ".join(str(n) for n in segment.get("hyp_lines", ())),
                    **{key: error.get(key) for key in FINDING_COLUMNS[5:]},
                }


def findings_frame(report: Mapping[str, Any]) -> pd.DataFrame:
    """All findings of all systems, one row each, columns :data:`FINDING_COLUMNS`.

    Offsets are nullable integers; a finding without a span on one side has
    empty offsets there.
    """
    import pandas as pd  # only the CSV needs it: ~1 s of import for every run otherwise

    frame = pd.DataFrame(list(_rows(report)), columns=list(FINDING_COLUMNS))
    for column in ("segment", "hyp_start", "hyp_end", "ref_start", "ref_end"):
        frame[column] = frame[column].astype("Int64")
    frame["confidence"] = frame["confidence"].astype("float64")
    return frame


def write_findings_csv(report: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write one CSV row per finding (see :data:`FINDING_COLUMNS`), atomically.

    A run without findings gives a file with the header only.

    Raises:
        OSError: the file cannot be written (the previous file, if any, is kept).
    """
    atomic_write_text(path, findings_frame(report).to_csv(index=False))


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _SPAN_WIDTH else text[: _SPAN_WIDTH - 1] + "…"


def _findings(system: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    return [
        (segment, error)
        for segment in system.get("segments", ())
        for error in segment.get("errors", ())
    ]


def _worst_first(item: tuple[Mapping[str, Any], Mapping[str, Any]]) -> tuple[int, float]:
    _, error = item
    severity = error.get("severity", "minor")
    rank = _SEVERITY_ORDER.index(severity) if severity in _SEVERITY_ORDER else len(_SEVERITY_ORDER)
    return rank, -float(error.get("confidence") or 0.0)


def format_findings_summary(system: Mapping[str, Any], limit: int = 10) -> str:
    """Counts by severity and category, then the worst findings with both spans.

    Args:
        system: One entry of the report's ``systems`` list.
        limit: How many findings to list (0: counts only).

    Returns:
        Lines of plain text (no trailing newline).
    """
    found = _findings(system)
    if not found:
        return "  findings: none"
    severities = Counter(error.get("severity", "minor") for _, error in found)
    categories = Counter(error.get("category", "other") for _, error in found)
    by_severity = ", ".join(f"{s} {severities[s]}" for s in _SEVERITY_ORDER if severities[s])
    lines = [f"  findings: {len(found)} ({by_severity})"]
    lines += [f"    {category}: {count}" for category, count in sorted(categories.items())]
    worst = sorted(found, key=_worst_first)[: max(limit, 0)]
    if worst:
        lines.append(f"  worst {len(worst)}:")
    for segment, error in worst:
        lines.append(_finding_line(segment, error))
    return "\n".join(lines)


def _finding_line(segment: Mapping[str, Any], error: Mapping[str, Any]) -> str:
    where = f"#{segment.get('id')}"
    lines = segment.get("hyp_lines") or segment.get("ref_lines")
    if lines:
        where += f" (line {lines[0]})"
    spans = []
    if error.get("hyp_span"):
        spans.append(f"hyp {_short(error['hyp_span'])!r}")
    if error.get("ref_span"):
        spans.append(f"ref {_short(error['ref_span'])!r}")
    text = (
        f"    [{error.get('severity', 'minor')}] {where} {error.get('check', '')} "
        f"{error.get('category', '')}: {'; '.join(spans)}"
    )
    message = error.get("message")
    return f"{text}\n      {message}" if message else text
