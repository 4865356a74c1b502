"""Check ``low_score``: segments scored far below the rest of their document.

The score is COMET's when it computed, else sentence chrF. A segment is flagged
when its robust z-score (median and MAD of the document's aligned segments) is
low *and* the score is below an absolute floor, so that a good document does
not get its least-good sentence flagged. Thresholds were chosen on the WMT21
TED MQM data (see ``bench/errors.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from evalharness.checks.base import register_check, whole_segment_finding
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.records import AlignedSegment, Finding, Severity

MIN_SEGMENTS = 5
"""Fewer scored segments than this: absolute floors only, no z-score."""
MIN_WORDS_MAJOR = 8
"""Shorter sentences (both sides) are at most minor: chrF is noisy on a few words."""


@dataclass(frozen=True)
class ScoreRule:
    """Thresholds of one metric; ``z`` is the robust z-score (negative = worse)."""

    metric: str
    minor_z: float
    minor_floor: float
    major_z: float
    major_floor: float
    absolute_major: float


RULES = (
    ScoreRule("comet", -2.0, 0.60, -3.0, 0.45, 0.30),
    ScoreRule("chrf", -2.0, 30.0, -3.0, 18.0, 10.0),
)


def robust_z(scores: list[float]) -> list[float]:
    """``0.6745 * (x - median) / MAD`` for each score (0 when MAD is 0)."""
    centre = median(scores)
    mad = median(abs(s - centre) for s in scores)
    if mad == 0:
        return [0.0] * len(scores)
    return [0.6745 * (s - centre) / mad for s in scores]


class LowScoreCheck:
    """Segments whose metric score is an outlier at the bottom of the document."""

    id = "low_score"
    per_segment = True
    any_length = True

    def prepare(self, context: DocumentContext) -> None:
        """Compute the document's score table once (before the segments are shared out)."""
        context.remember("low_score", lambda: _low_scores(context))

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A finding when this segment's score is far below the document's."""
        self.prepare(context)
        table = context.remember("low_score", lambda: _low_scores(context))
        found = table.get(context.index(segment))
        return [found] if found is not None else []


def _scored(context: DocumentContext, rule: ScoreRule) -> dict[int, float] | None:
    scores = context.scores(rule.metric)
    if scores is None:
        return None
    scored = {
        i: float(score)
        for i, (segment, score) in enumerate(zip(context.segments, scores, strict=True))
        if score is not None and segment.ref and segment.hyp and not is_removed(segment)
    }
    return scored or None


def _low_scores(context: DocumentContext) -> dict[int, Finding]:
    for rule in RULES:
        scored = _scored(context, rule)
        if scored is None:
            continue
        indices = list(scored)
        values = [scored[i] for i in indices]
        zs = robust_z(values) if len(values) >= MIN_SEGMENTS else [0.0] * len(values)
        table = {}
        for index, value, z in zip(indices, values, zs, strict=True):
            severity = _severity(rule, value, z, len(values) >= MIN_SEGMENTS)
            segment = context.segments[index]
            words = max(len(segment.ref_text.split()), len(segment.hyp_text.split()))
            if severity == "major" and words < MIN_WORDS_MAJOR:
                severity = "minor"
            if severity is not None:
                table[index] = _finding(context.segments[index], rule.metric, value, z, severity)
        return table
    return {}


def _severity(rule: ScoreRule, value: float, z: float, use_z: bool) -> Severity | None:
    if value < rule.absolute_major or (use_z and z <= rule.major_z and value < rule.major_floor):
        return "major"
    if use_z and z <= rule.minor_z and value < rule.minor_floor:
        return "minor"
    return None


def _finding(
    segment: AlignedSegment, metric: str, value: float, z: float, severity: Severity
) -> Finding:
    shown = f"{value:.3f}" if metric == "comet" else f"{value:.1f}"
    message = (f"Sentence {metric} {shown} is far below the document's other sentences "
               f"(robust z {z:.1f}).")
    return whole_segment_finding(segment, "low_score", "other", severity, message, 0.5)


register_check(LowScoreCheck())
