"""Check ``polarity``: a negation dropped or added relative to the reference.

Both sides' negations are counted with the equivalence list of
``evalharness/data/negation.txt`` ("refused to" = "would not", "never" = "not
ever", "kein" = "nicht"). Only an odd difference changes the meaning: "nobody
did not cheer" and "everyone cheered" agree. The side with more negations must
also have one whose word (the verb or noun it negates) the other side has with
no negation near it; a negation whose word the other side paraphrases away
("not unusual" / "common") says nothing. Such a flip is a major
accuracy/mistranslation.

When the segment has a source in a language with a list, a hypothesis whose
count has the source's parity is not flagged: the reference departs from the
source there.

Languages: the target's list (the source's for the source) when ``negation.txt`` has one (English, German),
none (the check is skipped) when it has not, and all lists when the run's
languages are unknown.
"""

from __future__ import annotations

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.checks.text.negation import (
    Flip,
    analyse,
    count_unspaced,
    flips,
    may_negate,
    negation_languages,
)
from evalharness.lang.profiles import get_profile
from evalharness.records import AlignedSegment, Finding


def _languages(context: DocumentContext, side: str = "target") -> frozenset[str]:
    """Codes of the lists for one side: its language's, or every spaced one when unknown."""
    known = negation_languages()
    if context.languages is None:
        return frozenset(code for code in known if get_profile(code).spaces_between_words)
    profile = context.languages.target if side == "target" else context.languages.source
    return frozenset() if profile is None else frozenset({profile.code}) & known


class PolarityCheck:
    """Negations dropped from or added to the hypothesis."""

    id = "polarity"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A major finding when the segment's polarity flipped, else nothing."""
        if not segment.ref or not segment.hyp or is_removed(segment):
            return []
        languages = _languages(context)
        if not languages or not get_profile(min(languages)).spaces_between_words:
            return []
        if not (may_negate(segment.ref_text, languages) or may_negate(segment.hyp_text, languages)):
            return []
        ref = analyse(segment.ref_text, languages)
        hyp = analyse(segment.hyp_text, languages)
        if (ref.count - hyp.count) % 2 == 0 or _source_agrees(segment, hyp.count, context):
            return []
        if ref.count > hyp.count:
            return [_flip_finding(flip, dropped=True) for flip in flips(ref, hyp)[:1]]
        return [_flip_finding(flip, dropped=False) for flip in flips(hyp, ref)[:1]]


def _source_agrees(segment: AlignedSegment, hyp_count: int, context: DocumentContext) -> bool:
    """True when the source's negations have the hypothesis's parity.

    The reference then departs from the source (a free or wrong reference), and
    the hypothesis follows the source: no error to report.
    """
    if not segment.src:
        return False
    languages = _languages(context, "source")
    if not languages:
        return False
    source = context.languages.source if context.languages is not None else None
    if source is not None and not source.spaces_between_words:
        return (count_unspaced(segment.src_text, source.code) - hyp_count) % 2 == 0
    return (analyse(segment.src_text, languages).count - hyp_count) % 2 == 0


def _flip_finding(flip: Flip, dropped: bool) -> Finding:
    """A major mistranslation: the negation of ``flip.word`` lost (``dropped``) or gained."""
    negated, plain = (flip.marker, flip.other)
    hyp, ref = (plain, negated) if dropped else (negated, plain)
    side, other = ("reference", "hypothesis") if dropped else ("hypothesis", "reference")
    return Finding(
        check="polarity",
        category="accuracy/mistranslation",
        severity="major",
        hyp_span=hyp.text,
        ref_span=ref.text,
        message=f"Negation {'dropped' if dropped else 'added'}: the {side} negates "
        f"{flip.word.text!r} ({negated.text!r}); the {other} has {plain.text!r} without a negation.",
        confidence=0.7,
        hyp_start=hyp.start,
        hyp_end=hyp.end,
        ref_start=ref.start,
        ref_end=ref.end,
    )


register_check(PolarityCheck())
