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
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import JaroWinkler

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed, removal_reason
from evalharness.checks.lexicon import (
    Token,
    alias_groups,
    boilerplate_phrases,
    fold,
    is_content_word,
    stem,
    title_words,
    tokenize,
)
from evalharness.checks.names import ACCEPTABLE, compare_words
from evalharness.types import AlignedSegment, Finding, Severity

MINOR_RUN = 3
"""Content words a one-sided stretch needs to be reported (calibrated on WMT21 TED)."""
MAJOR_RUN = 4
"""Content words that make a one-sided stretch a major error (calibrated on WMT21 TED)."""
MIN_DEFICIT = 2
"""Net one-sided content words a segment needs before any stretch is reported."""
SEGMENT_CONTENT = 3
"""Content words that make a whole one-sided segment a major error."""


_NAMEISH = ACCEPTABLE | {"misspelled"}


@dataclass(frozen=True)
class _Word:
    token: Token
    folded: str
    stem: str


def content_words(text: str) -> list[_Word]:
    """The content words of ``text`` (hyphenated words split) with folded and stemmed forms."""
    words = []
    for token in tokenize(text):
        offset = token.start
        for part in re.split(r"([-‐–])", token.base):
            if part and part not in "-‐–" and is_content_word(part):
                piece = Token(part, offset, offset + len(part), token.initial)
                words.append(_Word(piece, fold(part), stem(part)))
            offset += len(part)
    return words


def same_word(a: _Word, b: _Word) -> bool:
    """Stem-aware, fuzzy word identity ("militarily" ~ "military", "Prof" ~ "Professor").

    Lenient on purpose: a word counted as present is never reported, and
    paraphrase must not look like omission.
    """
    if a.stem == b.stem or a.folded == b.folded:
        return True
    shortest = min(len(a.folded), len(b.folded))
    if shortest >= 4 and a.folded[:4] == b.folded[:4]:
        return shortest >= 5 or a.folded in title_words() or b.folded in title_words()
    groups = alias_groups()
    if a.folded in groups and groups[a.folded] == groups.get(b.folded):
        return True
    if a.token.capitalised and b.token.capitalised and compare_words(a.folded, b.folded) in _NAMEISH:
        return True
    return shortest >= 4 and JaroWinkler.similarity(a.folded, b.folded) >= 0.92


def _lcs_anchors(equal: list[list[bool]], n: int, m: int) -> list[tuple[int, int]]:
    """Longest common subsequence of two word lists, given their equality matrix."""
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if equal[i][j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    anchors: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if equal[i][j] and table[i][j] == table[i + 1][j + 1] + 1:
            anchors.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return anchors


def _absent(
    equal: list[list[bool]], anchors: list[tuple[int, int]], n: int, m: int
) -> tuple[list[bool], list[bool]]:
    """Words left without a partner after the in-order anchors and one-to-one reordered matches."""
    used_mine = {i for i, _ in anchors}
    used_theirs = {j for _, j in anchors}
    for i in range(n):
        if i in used_mine:
            continue
        for j in range(m):
            if j not in used_theirs and equal[i][j]:
                used_mine.add(i)
                used_theirs.add(j)
                break
    return [i not in used_mine for i in range(n)], [j not in used_theirs for j in range(m)]


@dataclass(frozen=True)
class Stretch:
    """Words of one side found nowhere on the other, between two anchors."""

    words: tuple[_Word, ...]
    facing: int
    deficit: int

    @property
    def start(self) -> int:
        """Offset of the first word."""
        return self.words[0].token.start

    @property
    def end(self) -> int:
        """Offset one past the last word."""
        return self.words[-1].token.end


def one_sided_stretches(mine: Sequence[_Word], theirs: Sequence[_Word]) -> list[Stretch]:
    """Stretches of ``mine`` absent from ``theirs`` that face few unmatched words there.

    ``deficit`` is how many more of ``mine``'s words are absent from ``theirs``
    than the reverse, over the whole segment: paraphrase (and reordering) keeps
    it near zero, a dropped clause raises it by the clause's length.
    """
    n, m = len(mine), len(theirs)
    equal = [[same_word(a, b) for b in theirs] for a in mine]
    forward = _lcs_anchors(equal, n, m)
    absent_mine, absent_theirs = _absent(equal, forward, n, m)
    deficit = sum(absent_mine) - sum(absent_theirs)
    bounds = [(-1, -1), *forward, (len(mine), len(theirs))]
    stretches = []
    for (i1, j1), (i2, j2) in pairwise(bounds):
        missing = tuple(mine[k] for k in range(i1 + 1, i2) if absent_mine[k])
        facing = sum(absent_theirs[k] for k in range(j1 + 1, j2))
        if len(missing) >= MINOR_RUN and facing * 3 <= len(missing) and deficit >= MIN_DEFICIT:
            stretches.append(Stretch(missing, facing, deficit))
    return stretches


def _run_severity(stretch: Stretch) -> Severity:
    count = len(stretch.words)
    return "major" if count >= MAJOR_RUN and stretch.deficit >= MAJOR_RUN - 1 else "minor"


class OmissionCheck:
    """Reference content missing from the hypothesis."""

    id = "omission"

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A finding for a reference-only segment, or for one-sided stretches."""
        ref_text = segment.ref_text
        if segment.ref and not segment.hyp:
            count = len(content_words(ref_text))
            severity: Severity = "major" if count >= SEGMENT_CONTENT else "minor"
            return [Finding("omission", "accuracy/omission", severity, "", ref_text,
                            "The reference sentence has no counterpart in the hypothesis.",
                            0.8, None, None, 0, len(ref_text))]
        if not segment.ref or is_removed(segment):
            return []
        findings = []
        for stretch in one_sided_stretches(content_words(ref_text), content_words(segment.hyp_text)):
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

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A finding for a hypothesis-only segment, or for one-sided stretches."""
        hyp_text = segment.hyp_text
        if segment.hyp and not segment.ref:
            return [_added_segment(segment)]
        if not segment.hyp or is_removed(segment):
            return []
        findings = []
        for stretch in one_sided_stretches(content_words(hyp_text), content_words(segment.ref_text)):
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
    tokens = list(_ANY_WORD_RE.finditer(text))
    words = [fold(t.group()) for t in tokens]
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


def _added_segment(segment: AlignedSegment) -> Finding:
    text = segment.hyp_text
    reason = removal_reason(segment)
    phrase = boilerplate_in(text)
    count = len(content_words(text))
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
        severity = "major" if count >= SEGMENT_CONTENT else "minor"
        message = "The hypothesis sentence has no counterpart in the reference."
    return Finding("addition", "accuracy/addition", severity, text, "", message, 0.8,
                   0, len(text), None, None)


register_check(OmissionCheck())
register_check(AdditionCheck())
