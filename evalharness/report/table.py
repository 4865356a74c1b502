"""Tabular views of a report: one row per segment per system (pandas)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evalharness.fsutil import atomic_write_text
from evalharness.records import SEVERITIES


def segments_frame(report: Mapping[str, Any]) -> pd.DataFrame:
    """One row per segment per system, with scores and finding counts."""
    rows = []
    for system in report["systems"]:
        metric_names = list(system["metrics"])
        for seg in system["segments"]:
            severities = [e["severity"] for e in seg["errors"]]
            row: dict[str, Any] = {
                "system": system["name"],
                "segment": seg["id"],
                "alignment": seg["alignment"],
                "removed": seg["removed"] or "",
                "ref_lines": " ".join(map(str, seg["ref_lines"])),
                "hyp_lines": " ".join(map(str, seg["hyp_lines"])),
                "ref": seg["ref"],
                "hyp": seg["hyp"],
            }
            for name in metric_names:
                row[name] = seg["scores"].get(name)
            row["errors"] = len(severities)
            row["worst_severity"] = next((s for s in reversed(SEVERITIES) if s in severities), "")
            rows.append(row)
    return pd.DataFrame(rows)


def write_segments_csv(report: Mapping[str, Any], path: str | Path) -> None:
    """Write the segment table as CSV (UTF-8, atomic)."""
    atomic_write_text(path, segments_frame(report).to_csv(index=False))
