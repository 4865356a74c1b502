"""Checks ``omission`` and ``addition``: content present on one side only.

Whole segments: a reference-only segment (``1-0``) is an omission, a
hypothesis-only one (``0-1``: boilerplate, bylines, credits, inserted text) an
addition; major when it carries content, minor for page furniture.

Inside an aligned segment the content words of both sides are aligned
(stem-aware, fuzzy) with a longest common subsequence. Between two aligned
anchors, a stretch of reference words found nowhere in the hypothesis, facing
next to nothing in the hypothesis, is an omission; the reverse is an addition.
A stretch facing other words is a paraphrase and is not reported.
"""

from __future__ import annotations

import re
from collections import Counter

from evalharness.checks.base import register_check
from evalharness.checks.context import (
    DocumentContext,
    is_removed,
    is_removed_reference,
    removal_reason,
    target_profile,
)
from evalharness.checks.text.language_rules import compares_words
from evalharness.checks.text.lexicon import boilerplate_phrases, fold, is_content_word
from evalharness.checks.text.paraphrase import echoed, longer_by_enough
from evalharness.checks.text.wordalign import (
    MAJOR_RUN,
    MINOR_RUN,
    Coverage,
    Stretch,
    align_content,
    content_words,
)
from evalharness.records import AlignedSegment, Finding, Severity

SEGMENT_CONTENT = 3
"""Content words that make a whole one-sided segment a major error."""
SENTENCE_WORDS = 5
"""Words that, with final punctuation, make a one-sided segment a sentence (major)."""


def carries_content(text: str, language: str | None = None) -> bool:
    """True for one-sided text that is a major error: enough content words, or a sentence.

    Args:
        text: The one-sided text.
        language: Its language code (``None``: English rules).
    """
    if len(content_words(text, language=language)) >= SEGMENT_CONTENT:
        return True
    return len(text.split()) >= SENTENCE_WORDS and text.rstrip(" \"'”’)").endswith((".", "!", "?"))


def _coverage(segment: AlignedSegment, context: DocumentContext) -> Coverage:
    """The content-word alignment of a segment, computed once for both checks."""
    table: dict[int, Coverage] = context.remember("coverage", dict)
    index = context.index(segment)
    if index not in table:
        profile = target_profile(context)
        if not compares_words(profile):
            table[index] = Coverage((), ())
        else:
            code = None if profile is None else profile.code
            coverage = align_content(
                segment.ref_text, segment.hyp_text,
                context.ref_tokens[index] or None if context.ref_tokens else None,
                context.hyp_tokens[index] or None if context.hyp_tokens else None,
                code,
            )
            if code not in (None, "en") and (coverage.ref_stretches or coverage.hyp_stretches):
                coverage = _without_paraphrase(coverage, segment.ref_text, segment.hyp_text, code)
            table[index] = coverage
    return table[index]


def _without_paraphrase(coverage: Coverage, ref_text: str, hyp_text: str, code: str) -> Coverage:
    """Drop what a non-English target renders in another form (see ``text.paraphrase``).

    Words echoed by a word of the other side leave their stretch; a stretch
    left with fewer than :data:`MINOR_RUN` words goes; and a side's stretches
    all go when that side is not longer than the other by half their length.
    """
    ref_words = [w.folded for w in content_words(ref_text, language=code)]
    hyp_words = [w.folded for w in content_words(hyp_text, language=code)]

    def keep(stretches: tuple[Stretch, ...], text: str, other: str,
             other_words: list[str]) -> tuple[Stretch, ...]:
        kept = []
        for stretch in stretches:
            words = tuple(w for w in stretch.words if not echoed(w.folded, other_words, code))
            if len(words) == len(stretch.words):
                kept.append(stretch)
            elif len(words) >= MINOR_RUN:
                kept.append(Stretch(words, stretch.facing, stretch.deficit))
        if not longer_by_enough(text, other, [text[s.start : s.end] for s in kept]):
            return ()
        return tuple(kept)

    return Coverage(keep(coverage.ref_stretches, ref_text, hyp_text, hyp_words),
                    keep(coverage.hyp_stretches, hyp_text, ref_text, ref_words))


def _code(context: DocumentContext) -> str | None:
    profile = target_profile(context)
    return None if profile is None else profile.code


def _run_severity(stretch: Stretch) -> Severity:
    count = len(stretch.words)
    if count >= MAJOR_RUN and stretch.deficit >= MAJOR_RUN - 1:
        return "major"
    return "major" if count >= MINOR_RUN and stretch.deficit >= MAJOR_RUN else "minor"


class OmissionCheck:
    """Reference content missing from the hypothesis."""

    id = "omission"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A finding for a reference-only segment, or for one-sided stretches."""
        ref_text = segment.ref_text
        if segment.ref and not segment.hyp:
            if is_removed_reference(segment):
                return []  # page furniture of the reference (image, credit): not content
            severity: Severity = "major" if carries_content(ref_text, _code(context)) else "minor"
            return [Finding("omission", "accuracy/omission", severity, "", ref_text,
                            "The reference sentence has no counterpart in the hypothesis.",
                            0.8, None, None, 0, len(ref_text))]
        if not segment.ref or is_removed(segment):
            return []
        findings = []
        for stretch in _coverage(segment, context).ref_stretches:
            span = ref_text[stretch.start : stretch.end]
            findings.append(Finding(
                "omission", "accuracy/omission", _run_severity(stretch), "", span,
                f"{len(stretch.words)} content words of the reference are not rendered: {span!r}.",
                0.6, None, None, stretch.start, stretch.end))
        return findings


def boilerplate_in(text: str) -> str | None:
    """The first web-boilerplate phrase found in ``text`` (case-insensitive), or None."""
    lowered = f" {' '.join(text.lower().split())} "
    for phrase in boilerplate_phrases():
        if f" {phrase}" in lowered:
            return phrase
    return None


class AdditionCheck:
    """Hypothesis content with no counterpart in the reference."""

    id = "addition"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A finding for a hypothesis-only segment, or for one-sided stretches."""
        hyp_text = segment.hyp_text
        if segment.hyp and not segment.ref:
            return [_added_segment(segment, _code(context))]
        if not segment.hyp or is_removed(segment):
            return []
        findings = []
        for stretch in _coverage(segment, context).hyp_stretches:
            span = hyp_text[stretch.start : stretch.end]
            findings.append(Finding(
                "addition", "accuracy/addition", _run_severity(stretch), span, "",
                f"{len(stretch.words)} content words have no counterpart in the reference: "
                f"{span!r}.", 0.6, stretch.start, stretch.end))
        findings.extend(_repetitions(hyp_text, segment.ref_text))
        phrase = boilerplate_in(hyp_text)
        if phrase and " " in phrase and phrase not in " ".join(segment.ref_text.lower().split()):
            start = hyp_text.lower().find(phrase)
            findings.append(Finding(
                "addition", "accuracy/addition", "minor", hyp_text[start : start + len(phrase)],
                "", f"Web boilerplate ({phrase!r}) inside a sentence.", 0.8,
                start, start + len(phrase)))
        return findings


_ANY_WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
REPEATS = 3
"""Consecutive copies of a phrase that make a repetition (a typical MT hallucination)."""


def repeated_phrase(text: str) -> tuple[int, int, str] | None:
    """The first phrase of 1-6 words repeated :data:`REPEATS`+ times in a row.

    Returns:
        ``(start, end, phrase)``: the span of the extra copies and the phrase.
    """
    # Every copy holds a content word, so some content word occurs REPEATS times.
    counts = Counter(map(fold, _ANY_WORD_RE.findall(text)))
    if not any(n >= REPEATS and is_content_word(w) for w, n in counts.items() if n >= REPEATS):
        return None
    words = [fold(w) for w in _ANY_WORD_RE.findall(text)]
    tokens = list(_ANY_WORD_RE.finditer(text))
    for i in range(len(words)):
        for size in range(1, 7):
            unit = words[i : i + size]
            if len(unit) < size or not any(is_content_word(w) for w in unit):
                continue
            copies = 1
            while words[i + copies * size : i + (copies + 1) * size] == unit:
                copies += 1
            if copies >= REPEATS:
                end = tokens[i + copies * size - 1].end()
                return tokens[i + size].start(), end, " ".join(unit)
    return None


def _repetitions(hyp_text: str, ref_text: str) -> list[Finding]:
    found = repeated_phrase(hyp_text)
    if found is None:
        return []
    start, end, phrase = found
    in_ref = repeated_phrase(ref_text)
    if in_ref is not None and in_ref[2] == phrase:
        return []
    return [Finding("addition", "accuracy/addition", "major", hyp_text[start:end], "",
                    f"The phrase {phrase!r} is repeated again and again.", 0.8, start, end)]


def looks_like_byline(text: str) -> bool:
    """A short line of names: "By Jane Doe, Staff Reporter", "John Smith BBC News"."""
    words = text.split()
    if not words or len(words) > 8 or text.rstrip().endswith((".", "!", "?", '"', "”")):
        return False
    if words[0].lower() == "by" and len(words) >= 2 and words[1][:1].isupper():
        return True
    capitalised = sum(w[:1].isupper() for w in words)
    return len(words) <= 6 and capitalised * 2 >= len(words)


def _added_segment(segment: AlignedSegment, language: str | None) -> Finding:
    text = segment.hyp_text
    reason = removal_reason(segment)
    phrase = boilerplate_in(text)
    count = len(content_words(text, language=language))
    if reason is not None:
        severity: Severity = "minor"
        message = f"Non-content text ({reason}) in the hypothesis, not in the reference."
    elif phrase is not None and count <= 8:
        severity = "minor"
        message = f"Web boilerplate ({phrase!r}) in the hypothesis, not in the reference."
    elif looks_like_byline(text):
        severity = "minor"
        message = "A byline or credit line in the hypothesis, not in the reference."
    else:
        severity = "major" if carries_content(text, language) else "minor"
        message = "The hypothesis sentence has no counterpart in the reference."
    return Finding("addition", "accuracy/addition", severity, text, "", message, 0.8,
                   0, len(text), None, None)


register_check(OmissionCheck())
register_check(AdditionCheck())
