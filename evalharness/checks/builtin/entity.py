"""Checks ``entity`` (a name rendered as another name, or lost) and ``name`` (spelling).

Severities follow MQM and the project's design: a different entity is a major
mistranslation; a misspelt name is a major spelling error; a dropped diacritic
or a transliteration variant (Aleksey/Alexei) is minor; a reference name with no
rendering at all is a minor omission (it may be paraphrased by a pronoun).
"""

from __future__ import annotations

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext
from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import fold
from evalharness.checks.text.names import WordPair
from evalharness.records import AlignedSegment, Finding, Severity

_SPELLING = {
    "misspelled": ("major", "Name misspelt: {hyp!r} for {ref!r} (reference name {name!r})."),
    "transliteration": ("minor", "Transliteration variant: {hyp!r} for {ref!r}."),
    "diacritics": ("minor", "Diacritics differ: {hyp!r} for {ref!r}."),
}


def word_span(entity: Entity, word: str) -> tuple[str, int, int]:
    """The span of ``word`` inside ``entity`` (the whole entity when not found)."""
    found = entity.text.find(word)
    if found < 0:
        return entity.text, entity.start, entity.end
    return word, entity.start + found, entity.start + found + len(word)


class EntityCheck:
    """Reference names rendered as a different name (swap) or not rendered at all."""

    id = "entity"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """Findings for swapped and missing names of the segment."""
        findings = []
        for link in context.entity_links[context.index(segment)]:
            if link.verdict == "swapped" and link.hyp is not None:
                findings.append(_swap_finding(link.ref, link.hyp, link.confidence))
            elif link.verdict == "missing":
                findings.append(_missing_finding(link.ref, link.confidence))
        return findings


def _swap_finding(ref: Entity, hyp: Entity, confidence: float) -> Finding:
    return Finding(
        check="entity",
        category="accuracy/mistranslation",
        severity="major",
        hyp_span=hyp.text,
        ref_span=ref.text,
        message=f"The reference names {ref.text!r}; the hypothesis has a different name, "
        f"{hyp.text!r}, in its place.",
        confidence=confidence,
        hyp_start=hyp.start,
        hyp_end=hyp.end,
        ref_start=ref.start,
        ref_end=ref.end,
    )


def _missing_finding(ref: Entity, confidence: float) -> Finding:
    return Finding(
        check="entity",
        category="accuracy/omission",
        severity="minor",
        hyp_span="",
        ref_span=ref.text,
        message=f"The reference name {ref.text!r} is not rendered in the hypothesis.",
        confidence=confidence,
        ref_start=ref.start,
        ref_end=ref.end,
    )


class NameCheck:
    """Names rendered with a spelling error, a transliteration variant or lost diacritics."""

    id = "name"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """One finding per reference word rendered with a different spelling."""
        findings = []
        common = context.lexicon.lower
        for link in context.entity_links[context.index(segment)]:
            if link.hyp is None or link.verdict not in _SPELLING:
                continue
            if not (link.ref.strong or link.hyp.strong):
                continue
            for pair in link.pairs:
                if pair.verdict not in _SPELLING:
                    continue
                if fold(pair.ref) in common and fold(pair.hyp) in common:
                    continue
                findings.append(_spelling_finding(link.ref, link.hyp, pair))
        return findings


def _spelling_finding(ref: Entity, hyp: Entity, pair: WordPair) -> Finding:
    severity, template = _SPELLING[pair.verdict]
    hyp_span, hyp_start, hyp_end = word_span(hyp, pair.hyp)
    ref_span, ref_start, ref_end = word_span(ref, pair.ref)
    level: Severity = "major" if severity == "major" else "minor"
    confidence = 0.9 if ref.kind == "person" or hyp.kind == "person" else 0.7
    return Finding(
        check="name",
        category="fluency/spelling",
        severity=level,
        hyp_span=hyp_span,
        ref_span=ref_span,
        message=template.format(hyp=pair.hyp, ref=pair.ref, name=ref.text),
        confidence=confidence,
        hyp_start=hyp_start,
        hyp_end=hyp_end,
        ref_start=ref_start,
        ref_end=ref_end,
    )


register_check(EntityCheck())
register_check(NameCheck())
