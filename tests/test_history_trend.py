"""The trend page from points: series, drift marks, gate marks, escaping, edge cases."""

from __future__ import annotations

import re

from evalharness.history.runs import TrendPoint
from evalharness.history.trend import build_series, render_trend


def point(
    run: int, score: float | None, signature: str = "tok:13a|version:2.6.0", **kw: object
) -> TrendPoint:
    base: dict[str, object] = {
        "run_id": run, "created": f"2026-01-{run:02d}T00:00:00+00:00", "suite": "news",
        "system": "mt", "metric": "bleu", "status": "ok" if score is not None else "unavailable",
        "score": score, "ci95": None if score is None else (score - 1, score + 1),
        "signature": signature, "gate_status": None, "git_commit": "abc123", "git_branch": "main",
        "findings_total": 0,
    }  # fmt: skip
    base.update(kw)
    return TrendPoint(**base)  # type: ignore[arg-type]


def test_drift_is_where_the_signature_differs_from_the_previous_run() -> None:
    points = [point(1, 30.0), point(2, 31.0), point(3, 29.0, "tok:intl|version:2.6.0"),
              point(4, 29.5, "tok:intl|version:2.6.0"), point(5, 30.0)]  # fmt: skip
    (series,) = build_series(points)
    assert series.drift() == [2, 4]
    html = render_trend(points)
    assert re.findall(r'class="signature-change" data-run="(\d+)"', html) == ["3", "5"]


def test_gate_failures_are_ringed_and_unavailable_runs_left_out() -> None:
    points = [point(1, 30.0, gate_status="pass"), point(2, None),
              point(3, 25.0, gate_status="regression"), point(4, 26.0, gate_status="refused")]  # fmt: skip
    html = render_trend(points)
    assert re.findall(r'class="gate-failed" data-run="(\d+)"', html) == ["3", "4"]
    assert html.count('class="point"') == 3
    assert "<p>4 runs, 1 charts." in html


def test_text_is_escaped_and_a_single_run_draws() -> None:
    hostile = '<script>alert("x")</script>'
    html = render_trend([point(1, 30.0, suite=hostile, system="a&b", git_branch=hostile)])
    assert "<script>" not in html and "&lt;script&gt;" in html and "a&amp;b" in html
    assert html.count('class="point"') == 1 and "nan" not in html.lower()


def test_no_points_is_a_page_that_says_so() -> None:
    assert "No scored runs match." in render_trend([])


def test_flat_series_gets_a_visible_range() -> None:
    html = render_trend([point(1, 50.0, ci95=None), point(2, 50.0, ci95=None)])
    ys = {
        float(y) for y in re.findall(r'class="point" data-run="\d" cx="[\d.]+" cy="([\d.]+)"', html)
    }
    assert len(ys) == 1 and 16 < ys.pop() < 200


def test_direction_comes_from_the_recorded_run() -> None:
    html = render_trend([point(1, 40.0, metric="ter", higher_is_better=False)])
    assert "TER (lower is better)" in html
    html = render_trend([point(1, 40.0, metric="plugin", higher_is_better=True)])
    assert "plugin (higher is better)" in html
