"""The one small interface every check implements, the registry, and the entry point."""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from evalharness.checks.context import MAX_SEGMENT_CHARS, DocumentContext, build_context, oversized
from evalharness.checks.parallel import run_parallel, worker_count
from evalharness.checks.text.glossary_file import Glossary
from evalharness.errors import UsageError
from evalharness.lang.profiles import LanguagePair
from evalharness.records import SEVERITIES, AlignedSegment, Finding, MetricResult, Severity


@runtime_checkable
class Check(Protocol):
    """A per-segment error detector.

    ``find`` looks at one segment, and at whatever else of the document it needs
    through the :class:`DocumentContext`, and returns its findings. Offsets in a
    finding point into ``segment.hyp_text`` and ``segment.ref_text``.
    """

    id: str

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """The findings of this check in ``segment``."""
        ...


_REGISTRY: dict[str, Check] = {}
PARALLEL_MIN_SEGMENTS = 1_000
"""Smaller documents are checked in this process: forking would cost more than it saves."""
__all__ = [
    "MAX_SEGMENT_CHARS", "Check", "find_errors", "get_checks", "language_support", "oversized",
    "register_check",
]


def whole_segment_finding(
    segment: AlignedSegment, check: str, category: str, severity: Severity, message: str,
    confidence: float,
) -> Finding:
    """A finding that spans the whole hypothesis and the whole reference of ``segment``."""
    return Finding(
        check=check, category=category, severity=severity,
        hyp_span=segment.hyp_text, ref_span=segment.ref_text, message=message,
        confidence=confidence, hyp_start=0, hyp_end=len(segment.hyp_text),
        ref_start=0, ref_end=len(segment.ref_text),
    )


def register_check(check: Check) -> None:
    """Add a check to the registry under its ``id`` (replacing one with that id)."""
    _REGISTRY[check.id] = check


def check_ids() -> list[str]:
    """Ids of the registered checks, in the order they run."""
    _load_builtin()
    return list(_REGISTRY)


def get_checks(ids: Sequence[str] | None = None) -> tuple[Check, ...]:
    """The registered checks with these ids (all when ``ids`` is None).

    Raises:
        UsageError: for an unknown check id.
    """
    _load_builtin()
    if ids is None:
        return tuple(_REGISTRY.values())
    unknown = [i for i in ids if i not in _REGISTRY]
    if unknown:
        raise UsageError(
            f"unknown check {unknown[0]!r}; choose from: {', '.join(_REGISTRY)}"
        )
    return tuple(_REGISTRY[i] for i in ids)


def _load_builtin() -> None:
    # Importing the modules registers their checks.
    from evalharness.checks.builtin import (  # noqa: F401
        consistency,
        coverage,
        entity,
        format,
        glossary,
        language,
        low_score,
        number,
        polarity,
        unrelated,
        untranslated,
        xcomet,
    )


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(reversed(SEVERITIES))}


def _order(finding: Finding) -> tuple[int, int, int]:
    position = finding.hyp_start if finding.hyp_start is not None else finding.ref_start
    return (_SEVERITY_RANK[finding.severity], -1 if position is None else position, 0)


def find_errors(
    segments: Sequence[AlignedSegment],
    metrics: Mapping[str, MetricResult],
    *,
    has_source: bool = False,
    checks: Sequence[str] | None = None,
    parallel_min_segments: int = PARALLEL_MIN_SEGMENTS,
    workers: int | None = None,
    languages: LanguagePair | None = None,
    glossary: Glossary | None = None,
) -> tuple[tuple[Finding, ...], ...]:
    """Run the checks over one document.

    Args:
        segments: The aligned segments of one hypothesis document, in order.
        metrics: Metric results by name (``chrf``, ``comet``, ...); their
            ``segment_scores`` follow ``segments``. Missing or unavailable
            metrics are skipped by the checks that use them.
        has_source: True when segments carry source sentences (enables the
            untranslated-text check).
        Segments that :func:`oversized` flags get only ``any_length`` checks.
        checks: Ids of the checks to run (default: all registered).
        parallel_min_segments: Documents with at least this many segments are
            checked in chunks on forked worker processes (same findings).
        workers: Processes to use (default: the cores available; 1 = serial).
        languages: The run's languages; language-sensitive checks read the
            target profile from it (``None``: unknown).
        glossary: Terms for the ``glossary`` check (``None``: it finds nothing).

    Returns:
        One tuple of findings per segment, in segment order; within a segment,
        most severe first, then by position.

    Raises:
        UsageError: for an unknown check id.
    """
    active = get_checks(checks)
    workers = worker_count() if workers is None else workers
    # The checks allocate many small objects (words, names) and make no reference
    # cycles; pausing the cyclic collector spares it rescanning the growing heap
    # on a 100k-segment document (about a sixth of the checks' time).
    paused = gc.isenabled()
    gc.disable()
    try:
        if workers > 1 and len(segments) >= parallel_min_segments:
            per_check = run_parallel(
                segments, metrics, has_source, active, workers, languages, glossary
            )
            return tuple(_sorted([f for found in slots for f in found]) for slots in per_check)
        context = build_context(
            segments, metrics, has_source=has_source, languages=languages, glossary=glossary
        )
        results: list[tuple[Finding, ...]] = []
        for segment in context.segments:
            found: list[Finding] = []
            long = oversized(segment)
            for check in active:
                if not long or getattr(check, "any_length", False):
                    found.extend(check.find(segment, context))
            results.append(_sorted(found))
    finally:
        if paused:
            gc.enable()
    return tuple(results)


def _sorted(found: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(found, key=_order)) if found else ()


LANGUAGE_SPECIFIC = "language-specific"
GENERIC = "generic"
SKIPPED = "skipped"


def language_support(languages: LanguagePair | None) -> dict[str, str]:
    """How each built-in check treats the run's target language, for the report.

    Values: ``language-specific`` (rules and word lists of the target),
    ``generic`` (script-generic rules, or rules that need no language) or
    ``skipped`` (the check cannot run for this target).
    With ``languages`` None the checks apply their English rules, reported as
    ``generic``, and the ``language`` check is skipped.
    """
    from evalharness.lang.detect import supported_languages
    from evalharness.lang.words import has_frequencies

    support = {check: GENERIC for check in check_ids()}
    if languages is None:
        support["language"] = SKIPPED
        return support
    target = languages.target
    english = target.code == "en"
    names = english or (target.known and target.cased)
    for check in ("entity", "name", "consistency"):
        support[check] = LANGUAGE_SPECIFIC if names else GENERIC
    support["number"] = LANGUAGE_SPECIFIC if target.known else GENERIC
    words = target.spaces_between_words and (english or has_frequencies(target.code))
    for check in ("omission", "addition"):
        support[check] = LANGUAGE_SPECIFIC if words else GENERIC
    support["language"] = LANGUAGE_SPECIFIC if target.code in supported_languages() else SKIPPED
    return support
