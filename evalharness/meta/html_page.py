"""The meta-evaluation as HTML: the table and one scatter plot (metric vs human) per system.

Rendered server-side as inline SVG: no script, no network, every string
escaped. :func:`meta_section` is the ``<section>`` (to embed in another page);
:func:`write_meta_html` wraps it in a self-contained page whose
Content-Security-Policy allows only its own inline style (by hash).
"""

from __future__ import annotations

import base64
import hashlib
import math
from html import escape
from pathlib import Path

import numpy as np

from evalharness.fsutil import atomic_write_text
from evalharness.meta.analysis import MetaResult
from evalharness.meta.correlation import pearson
from evalharness.meta.report import COLUMN_TITLES
from evalharness.meta.scored import MetaInput, ScoredMetric

WIDTH, HEIGHT = 280, 210
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 10, 34
STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;background:#fff}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.ci{color:#667;font-size:.85em}
.plots{display:flex;flex-wrap:wrap;gap:.75rem}
figure{margin:0;border:1px solid #dde;padding:.25rem}
figcaption{font-size:.85em;text-align:center}
svg text{font:10px system-ui,sans-serif;fill:#444}
.dot{fill:#2a62c9;fill-opacity:.35}
.axis{stroke:#889;stroke-width:1}
"""


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if raw <= m * step)
    first = math.ceil(lo / step) * step
    return [first + k * step for k in range(int((hi - first) / step + 1e-9) + 1)]


def _range(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    if hi == lo:
        lo, hi = lo - 1.0, hi + 1.0
    pad = (hi - lo) * 0.04
    return lo - pad, hi + pad


def scatter_svg(human: np.ndarray, metric: np.ndarray, x_label: str, y_label: str) -> str:
    """One scatter plot: human score on x, metric score on y (points with NaN dropped)."""
    keep = np.isfinite(human) & np.isfinite(metric)
    x, y = human[keep], metric[keep]
    if len(x) == 0:
        return f'<svg role="img" width="{WIDTH}" height="{HEIGHT}"></svg>'
    (x0, x1), (y0, y1) = _range(x), _range(y)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(v: float) -> float:
        return LEFT + (v - x0) / (x1 - x0) * pw

    def py(v: float) -> float:
        return TOP + ph - (v - y0) / (y1 - y0) * ph

    parts = [
        f'<svg role="img" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(y_label)} vs {escape(x_label)}</title>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/>',
    ]
    for t in _ticks(x0, x1):
        parts.append(f'<text x="{px(t):.1f}" y="{TOP + ph + 12}" text-anchor="middle">{t:g}</text>')
    for t in _ticks(y0, y1):
        parts.append(f'<text x="{LEFT - 4}" y="{py(t) + 3:.1f}" text-anchor="end">{t:g}</text>')
    parts.append(
        f'<text x="{LEFT + pw / 2:.0f}" y="{HEIGHT - 4}" text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(10 {TOP + ph / 2:.0f}) rotate(-90)" text-anchor="middle">'
        f"{escape(y_label)}</text>"
    )
    parts += [f'<circle class="dot" cx="{px(a):.1f}" cy="{py(b):.1f}" r="2.2"/>'
              for a, b in zip(x.tolist(), y.tolist(), strict=True)]
    parts.append("</svg>")
    return "".join(parts)


def _metric_plots(metric: ScoredMetric, data: MetaInput) -> str:
    figures = []
    for s, system in enumerate(data.systems):
        mine = data.index.system == s
        x, y = data.human[mine], metric.segment_scores[mine]
        valid = np.isfinite(y)
        r = pearson(x[valid], y[valid]) if valid.sum() > 1 else float("nan")
        caption = f"{system}: Pearson {float(r):.3f}" if np.isfinite(r) else f"{system}"
        figures.append(
            f"<figure>{scatter_svg(x, y, 'human score', metric.label)}"
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    return f'<h3>{escape(metric.label)}</h3><div class="plots">{"".join(figures)}</div>'


def _table(result: MetaResult) -> str:
    head = "".join(f"<th>{escape(t)}</th>" for t in COLUMN_TITLES.values())
    rows = []
    for m in result.metrics:
        cells = []
        for level, stat in COLUMN_TITLES:
            est = (m.segment if level == "segment" else m.system)[stat]
            if est.value is None:
                cells.append("<td>n/a</td>")
                continue
            ci = (f' <span class="ci">[{est.ci95[0]:.3f}, {est.ci95[1]:.3f}]</span>'
                  if est.ci95 else "")
            cells.append(f"<td>{est.value:.3f}{ci}</td>")
        rows.append(f"<tr><td>{escape(m.label)}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def meta_section(result: MetaResult, data: MetaInput) -> str:
    """The ``<section id="meta">``: table, then scatter plots per metric, one per system."""
    return (
        '<section id="meta"><h2>Agreement with human judgements</h2>'
        + _table(result)
        + f"<p>95% intervals: {result.samples} bootstrap resamples of segments. "
        "Each point is one segment; x is the human score (higher is better).</p>"
        + "".join(_metric_plots(m, data) for m in data.metrics)
        + "</section>"
    )


def write_meta_html(path: str | Path, result: MetaResult, data: MetaInput, title: str) -> None:
    """Write a self-contained HTML page with :func:`meta_section`."""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    page = (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        f"style-src 'sha256-{digest}'\">"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{meta_section(result, data)}</body></html>\n"
    )
    atomic_write_text(path, page)
