"""``history export``: one row per run, system and metric, as CSV (pandas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from evalharness.fsutil import atomic_write_text
from evalharness.history.runs import TrendPoint

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = (
    "run_id", "created", "suite", "git_commit", "git_branch", "gate_status", "system",
    "metric", "status", "score", "ci95_low", "ci95_high", "signature", "findings_total",
)  # fmt: skip


def points_frame(points: Sequence[TrendPoint]) -> pd.DataFrame:
    """The stored points as a DataFrame with :data:`COLUMNS`, ordered by run."""
    import pandas as pd

    rows = [
        (
            p.run_id, p.created, p.suite, p.git_commit, p.git_branch, p.gate_status, p.system,
            p.metric, p.status, p.score, None if p.ci95 is None else p.ci95[0],
            None if p.ci95 is None else p.ci95[1], p.signature, p.findings_total,
        )
        for p in points
    ]  # fmt: skip
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    return frame.sort_values(["run_id", "system", "metric"], kind="stable").reset_index(drop=True)


def write_points_csv(points: Sequence[TrendPoint], path: str) -> int:
    """Write the CSV atomically; returns the number of rows."""
    frame = points_frame(points)
    atomic_write_text(path, frame.to_csv(index=False))
    return len(frame)
