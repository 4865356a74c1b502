"""Check ``xcomet``: error spans predicted by an xCOMET model, as findings.

The COMET adapter puts them in ``metrics["comet"].extra["error_spans"]``: one
list per segment of dicts with ``text``, ``severity``, ``confidence``, ``start``
and ``end`` (offsets into the hypothesis).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext
from evalharness.records import AlignedSegment, Finding, Severity

_SEVERITIES: dict[str, Severity] = {"minor": "minor", "major": "major", "critical": "critical"}


def _spans(context: DocumentContext) -> Sequence[Any] | None:
    comet = context.metrics.get("comet")
    if comet is None or comet.status != "ok":
        return None
    spans = comet.extra.get("error_spans")
    if not isinstance(spans, Sequence) or len(spans) != len(context.segments):
        return None
    return spans


def span_finding(span: Mapping[str, Any], hyp_text: str) -> Finding:
    """One xCOMET span as a finding (unknown severities count as minor)."""
    severity = _SEVERITIES.get(str(span.get("severity", "minor")).lower(), "minor")
    start, end = span.get("start"), span.get("end")
    text = str(span.get("text", ""))
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(hyp_text)):
        found = hyp_text.find(text) if text else -1
        start, end = (found, found + len(text)) if found >= 0 else (None, None)
    confidence = span.get("confidence")
    return Finding(
        check="xcomet",
        category="accuracy/mistranslation",
        severity=severity,
        hyp_span=text,
        ref_span="",
        message=f"xCOMET marks {text!r} as a {severity} error.",
        confidence=float(confidence) if isinstance(confidence, (int, float)) else 0.5,
        hyp_start=start,
        hyp_end=end,
    )


class XCometCheck:
    """xCOMET error spans (only when the COMET model produced them)."""

    id = "xcomet"
    per_segment = True
    any_length = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """The spans xCOMET predicted for this segment."""
        spans = _spans(context)
        if spans is None:
            return []
        mine = spans[context.index(segment)] or ()
        return [span_finding(span, segment.hyp_text) for span in mine if isinstance(span, Mapping)]


register_check(XCometCheck())
