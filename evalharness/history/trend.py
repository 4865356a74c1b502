"""The trend page: one inline SVG line chart per metric per suite and system.

Self-contained (no script, no network): each chart plots the corpus score of
every selected run in run order, with its 95% interval as a whisker. A dashed
line and a triangle mark a run whose signature differs from the run before it
in the same suite (drift: a sacrebleu or COMET version, a tokenizer, a model);
a red ring marks a run whose gate failed or was refused. Hovering any mark
shows its run, time, commit and figures.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby

from evalharness.gate.verdict import display_name, format_score
from evalharness.history.runs import TrendPoint

_W, _H = 760, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 16, 40
_FAILED = ("regression", "refused")

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin:28px 0 4px}
.chart{display:block;margin:6px 0 18px;max-width:100%;height:auto}
.axis{stroke:#8a93a6;stroke-width:1}.grid{stroke:#e4e7ee;stroke-width:1}
.line{fill:none;stroke:#2f6fdb;stroke-width:1.6}
.whisker{stroke:#2f6fdb;stroke-width:1;opacity:.55}
.point{fill:#2f6fdb}.gate-failed{fill:none;stroke:#d0312d;stroke-width:2}
.signature-change{fill:#e08a00}.drift-line{stroke:#e08a00;stroke-dasharray:4 3}
text{font-size:11px;fill:#4a5366}.legend span{margin-right:18px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
"""


@dataclass(frozen=True)
class Series:
    """One chart: a metric of one system of one suite, over runs."""

    suite: str
    system: str
    metric: str
    points: tuple[TrendPoint, ...]

    def drift(self) -> list[int]:
        """Indexes of points whose signature differs from the previous point's."""
        return [
            i
            for i in range(1, len(self.points))
            if self.points[i].signature != self.points[i - 1].signature
        ]


def build_series(points: Sequence[TrendPoint]) -> list[Series]:
    """Group points (ordered by suite, system, metric, run) into chart series.

    Runs where the metric was unavailable are left out of its chart.
    """
    out = []
    for key, group in groupby(points, key=lambda p: (p.suite, p.system, p.metric)):
        scored = tuple(p for p in group if p.status == "ok" and p.score is not None)
        if scored:
            out.append(Series(key[0], key[1], key[2], scored))
    return out


def render_trend(points: Sequence[TrendPoint], title: str = "evalharness history") -> str:
    """The whole page as one HTML string."""
    series = build_series(points)
    runs = len({p.run_id for p in points})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{runs} runs, {len(series)} charts. Whiskers: 95% interval.</p>",
        '<p class="legend"><span><i class="swatch" style="background:#e08a00"></i>'
        "signature changed since the previous run</span><span>"
        '<i class="swatch" style="border:2px solid #d0312d;border-radius:50%"></i>'
        "gate failed or refused</span></p>",
    ]
    if not series:
        parts.append("<p>No scored runs match.</p>")
    directions: dict[str, str] = {}
    for (suite, system), charts in groupby(series, key=lambda s: (s.suite, s.system)):
        parts.append(
            f'<section class="series-group"><h2>{html.escape(suite)} · {html.escape(system)}</h2>'
        )
        for s in charts:
            if s.metric not in directions:
                directions[s.metric] = _direction(s)
            parts.append(_chart(s, directions[s.metric]))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _direction(series: Series) -> str:
    # Recorded with the run; runs stored before schema 4 ask the registry.
    higher = series.points[-1].higher_is_better
    if higher is None:
        from evalharness.history.capture import metric_direction

        higher = metric_direction(series.metric)
    if higher is None:
        return ""
    return " (higher is better)" if higher else " (lower is better)"


def _chart(series: Series, direction: str) -> str:
    pts = series.points
    lows = [p.ci95[0] if p.ci95 else p.score for p in pts]
    highs = [p.ci95[1] if p.ci95 else p.score for p in pts]
    y0, y1 = _y_range([v for v in lows if v is not None], [v for v in highs if v is not None])
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(i: int) -> float:
        return _LEFT + (plot_w / 2 if len(pts) == 1 else plot_w * i / (len(pts) - 1))

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - (v - y0) / (y1 - y0))

    label = f"{display_name(series.metric)}{direction}"
    out = [
        f'<svg class="chart" data-metric="{html.escape(series.metric)}" '
        f'data-suite="{html.escape(series.suite)}" data-system="{html.escape(series.system)}" '
        f'viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" role="img" '
        f'aria-label="{html.escape(label)} over {len(pts)} runs">',
        f"<title>{html.escape(label)}</title>",
    ]
    out += _axes(series.metric, y0, y1, y, pts, x)
    line = " ".join(f"{x(i):.1f},{y(p.score or 0.0):.1f}" for i, p in enumerate(pts))
    out.append(f'<polyline class="line" points="{line}"/>')
    drift = set(series.drift())
    for i, p in enumerate(pts):
        out += _marks(series, i, p, x(i), y, i in drift)
    out.append("</svg>")
    return "\n".join(out)


def _y_range(lows: list[float], highs: list[float]) -> tuple[float, float]:
    low, high = min(lows), max(highs)
    pad = (high - low) * 0.08 or max(abs(high) * 0.05, 0.5)
    return low - pad, high + pad


def _axes(
    metric: str,
    y0: float,
    y1: float,
    y: Callable[[float], float],
    pts: Sequence[TrendPoint],
    x: Callable[[int], float],
) -> list[str]:
    out = [
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_H - _BOTTOM}"/>',
        f'<line class="axis" x1="{_LEFT}" y1="{_H - _BOTTOM}" x2="{_W - _RIGHT}" '
        f'y2="{_H - _BOTTOM}"/>',
    ]
    for tick in _ticks(y0, y1):
        ty = y(tick)
        out.append(
            f'<line class="grid" x1="{_LEFT}" y1="{ty:.1f}" x2="{_W - _RIGHT}" y2="{ty:.1f}"/>'
        )
        out.append(
            f'<text x="{_LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{html.escape(format_score(metric, tick))}</text>"
        )
    for i in sorted({0, len(pts) - 1}):
        out.append(
            f'<text x="{x(i):.1f}" y="{_H - _BOTTOM + 16}" text-anchor="middle">'
            f"run {pts[i].run_id} · {html.escape(pts[i].created[:10])}</text>"
        )
    return out


def _ticks(y0: float, y1: float, count: int = 4) -> list[float]:
    raw = (y1 - y0) / count
    step = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for factor in (1, 2, 5, 10):
        if raw <= step * factor:
            step *= factor
            break
    start = math.ceil(y0 / step) * step
    return [start + k * step for k in range(count + 2) if start + k * step <= y1]


def _marks(
    series: Series, i: int, p: TrendPoint, px: float, y: Callable[[float], float], drift: bool
) -> list[str]:
    assert p.score is not None  # build_series keeps scored points only
    out = []
    tip = _tooltip(series.metric, p)
    if p.ci95 is not None:
        lo, hi = y(p.ci95[0]), y(p.ci95[1])
        out.append(
            f'<path class="whisker" d="M{px:.1f},{lo:.1f}V{hi:.1f}M{px - 3:.1f},{lo:.1f}'
            f'h6M{px - 3:.1f},{hi:.1f}h6"/>'
        )
    py = y(p.score)
    out.append(
        f'<circle class="point" data-run="{p.run_id}" cx="{px:.1f}" cy="{py:.1f}" r="3">'
        f"<title>{html.escape(tip)}</title></circle>"
    )
    if p.gate_status in _FAILED:
        out.append(
            f'<circle class="gate-failed" data-run="{p.run_id}" cx="{px:.1f}" cy="{py:.1f}" r="7">'
            f"<title>gate {html.escape(p.gate_status or '')}: {html.escape(tip)}</title></circle>"
        )
    if drift:
        before = series.points[i - 1].signature
        text = f"signature changed at run {p.run_id}: {before} -> {p.signature}"
        out.append(
            f'<line class="drift-line" x1="{px:.1f}" y1="{_TOP}" x2="{px:.1f}" '
            f'y2="{_H - _BOTTOM}"/>'
        )
        out.append(
            f'<path class="signature-change" data-run="{p.run_id}" '
            f'd="M{px:.1f},{_TOP + 1}l-6,10h12z"><title>{html.escape(text)}</title></path>'
        )
    return out


def _tooltip(metric: str, p: TrendPoint) -> str:
    ci = (
        ""
        if p.ci95 is None
        else (f" [{format_score(metric, p.ci95[0])}, {format_score(metric, p.ci95[1])}]")
    )
    commit = f" · {p.git_commit[:10]}" if p.git_commit else ""
    branch = f" ({p.git_branch})" if p.git_branch else ""
    return (
        f"run {p.run_id} · {p.created}{commit}{branch}: "
        f"{display_name(metric)} {format_score(metric, p.score)}{ci}"
    )
