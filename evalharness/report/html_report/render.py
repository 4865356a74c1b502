"""The self-contained HTML report: one file, no network, every input string treated as data.

The page is rendered by Jinja2 (autoescape on) from ``templates/report.html.j2``;
the CSS and JavaScript next to it are inlined and allowed by sha256 hashes in a
Content-Security-Policy meta tag, so nothing else can run or load. The summary
and charts are rendered here, server-side, as HTML and inline SVG (they print
and need no script). The segments are embedded once, compacted, as JSON in a
``<script type="application/json" id="data">`` block and rendered lazily by
``report.js`` with ``textContent`` only.

Compact segment record (one JSON array per segment, see ``report.js``)::

    [id, ref_text_index, hyp, alignment, [scores in metric order], [errors],
     ref_lines, hyp_lines, removed, src_text_index]

Trailing fields at their defaults (``null`` removed, ``-1`` no source) are
left out to keep a 100k-segment page small.

Compact error record::

    [severity (0 minor, 1 major, 2 critical), category_index, check, message,
     hyp_span, ref_span, hyp_start, hyp_end, ref_start, ref_end]

Offsets are UTF-16 code units (JavaScript string indices) or ``null`` when the
span cannot be located; a span's text is kept only then (the page shows it
beside the message), since a located span is visible in the segment text.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2

from evalharness.fsutil import atomic_write_text
from evalharness.metrics.base import metric_info
from evalharness.report.html_report.summary import (
    SEVERITY_RANK,
    metric_union,
    report_title,
    segment_metrics,
    system_summary,
)

# Characters that must not appear raw inside a <script> data block: "<" and ">"
# could close it or open a comment, "&" is escaped for symmetry with JSON
# embedded in HTML attributes, U+2028/U+2029 break older JavaScript parsers.
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def embed_json(value: Any) -> str:
    """Serialise ``value`` as JSON that is safe inside a ``<script>`` element.

    Raises:
        ValueError: ``value`` contains NaN or infinity.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _SCRIPT_ESCAPES:  # str.replace is ~50x faster than str.translate here
        text = text.replace(char, escape)
    return text


def csp_hash(text: str) -> str:
    """The CSP source expression (``'sha256-...'``) allowing an inline element with this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_html(report: Mapping[str, Any]) -> str:
    """Render a JSON report dict (schema ``evalharness.report/1``) as one HTML page.

    Args:
        report: The run's report dict, as written by ``evalharness evaluate --json``.

    Returns:
        A complete HTML document that needs no network and no other file.
    """
    css, js = _asset("report.css"), _asset("report.js")
    systems = list(report.get("systems") or [])
    summaries = [system_summary(s, i) for i, s in enumerate(systems)]
    names = metric_union(systems)
    context = {
        "report": report,
        "title": report_title(report),
        "systems": summaries,
        "metric_names": names,
        "infos": {name: metric_info(name) for name in names},
        "css": css,
        "js": js,
        "csp": (
            "default-src 'none'; img-src data:; "
            f"style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
            "base-uri 'none'; form-action 'none'"
        ),
        "languages": page_languages(report),
        "data_json": embed_json(page_data(systems, page_languages(report))),
    }
    return _environment().get_template("report.html.j2").render(context)


def write_html(report: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Render the report and write it atomically to ``path`` (parents created)."""
    atomic_write_text(path, render_html(report))


# --- embedded segment data -------------------------------------------------


def page_languages(report: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """``lang`` and ``dir`` of the source and target text, from the report's ``languages``.

    A side whose language is unknown (an old report, no ``--src``) gets no
    ``lang`` and ``dir="auto"``, so the browser takes the direction from the
    text itself.
    """
    from evalharness.lang.profiles import RTL_LANGUAGES

    languages = report.get("languages") or {}
    out: dict[str, dict[str, str]] = {}
    for side in ("source", "target"):
        code = languages.get(side) if isinstance(languages, Mapping) else None
        if isinstance(code, str) and code and code != "und":
            out[side] = {"lang": code, "dir": "rtl" if code in RTL_LANGUAGES else "ltr"}
        else:
            out[side] = {"lang": "", "dir": "auto"}
    return out


def page_data(
    systems: Sequence[Mapping[str, Any]], languages: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The compact data the page script renders (no sufficient statistics).

    Reference and source texts are stored once in ``texts`` and referenced by
    index, so several systems over the same reference do not repeat it.
    ``langs`` gives the ``lang`` and ``dir`` of source and target text.
    """
    texts: dict[str, int] = {}
    categories: dict[str, int] = {}
    out_systems = []
    for system in systems:
        segments = list(system.get("segments") or [])
        metrics = segment_metrics(system)
        records = [_segment_record(seg, metrics, texts, categories) for seg in segments]
        out_systems.append(
            {
                "name": str(system.get("name", "")),
                "metrics": metrics,
                "labels": [metric_info(m).label for m in metrics],
                "lower": [not metric_info(m).higher_is_better for m in metrics],
                "segs": records,
            }
        )
    return {
        "texts": list(texts),
        "categories": list(categories),
        "systems": out_systems,
        "langs": dict(languages or {}),
    }


def _segment_record(
    seg: Mapping[str, Any],
    metrics: Sequence[str],
    texts: dict[str, int],
    categories: dict[str, int],
) -> list[Any]:
    ref, hyp = str(seg.get("ref") or ""), str(seg.get("hyp") or "")
    scores = seg.get("scores") or {}
    errors = [
        _error_record(err, ref, hyp, categories)
        for err in seg.get("errors") or []
        if isinstance(err, Mapping)
    ]
    src = seg.get("src") or ""
    record = [
        seg.get("id"),
        texts.setdefault(ref, len(texts)),
        hyp,
        str(seg.get("alignment") or ""),
        [_round_score(m, scores.get(m)) for m in metrics],
        errors,
        list(seg.get("ref_lines") or []),
        list(seg.get("hyp_lines") or []),
        seg.get("removed") or None,
        texts.setdefault(src, len(texts)) if src else -1,
    ]
    if record[9] == -1:
        del record[9]
        if record[8] is None:
            del record[8]
    return record


def _error_record(
    err: Mapping[str, Any], ref: str, hyp: str, categories: dict[str, int]
) -> list[Any]:
    hyp_span, ref_span = str(err.get("hyp_span") or ""), str(err.get("ref_span") or "")
    hyp_range = locate_span(hyp, hyp_span, err.get("hyp_start"), err.get("hyp_end"))
    ref_range = locate_span(ref, ref_span, err.get("ref_start"), err.get("ref_end"))
    category = str(err.get("category") or "other")
    return [
        SEVERITY_RANK.get(str(err.get("severity")), 0),
        categories.setdefault(category, len(categories)),
        str(err.get("check") or ""),
        str(err.get("message") or ""),
        "" if hyp_range else hyp_span,
        "" if ref_range else ref_span,
        *_utf16_range(hyp, hyp_range),
        *_utf16_range(ref, ref_range),
    ]


def locate_span(text: str, span: str, start: Any, end: Any) -> tuple[int, int] | None:
    """Where a finding's span lies in ``text``, as code-point offsets.

    Given offsets win when they are in range and (for a non-empty span) cover
    exactly ``span``; otherwise the span text is searched, first exactly, then
    case-insensitively. ``None`` when neither locates it.
    """
    in_range = isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
    if in_range and (not span or text[start:end] == span):
        return start, end
    if not span:
        return None
    found = text.find(span)
    if found < 0:
        folded_text, folded_span = text.casefold(), span.casefold()
        if len(folded_text) == len(text) and len(folded_span) == len(span):
            found = folded_text.find(folded_span)
    return (found, found + len(span)) if found >= 0 else None


def _utf16_range(text: str, span: tuple[int, int] | None) -> tuple[int | None, int | None]:
    if span is None:
        return None, None
    if text.isascii() or max(text) <= "\uffff":
        return span

    def convert(offset: int) -> int:
        return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)

    return convert(span[0]), convert(span[1])


def _round_score(metric: str, value: Any) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return None
    return round(float(value), metric_info(metric).decimals)


# --- templates --------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("evalharness.report.html_report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = format_number
    return env


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    text = resources.files("evalharness.report.html_report").joinpath("templates", name).read_text("utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower() or "<!--" in text:
        raise RuntimeError(f"templates/{name} must not contain {closing!r} or '<!--'")
    return text


def format_number(value: Any, digits: int = 2) -> str:
    """A score for display: fixed decimals, an en dash for missing values."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}"
