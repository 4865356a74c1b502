"""Check ``unrelated``: a reference sentence replaced by unrelated content.

A segment whose two sides are both long enough to share something (at least
:data:`MIN_WORDS` words and :data:`MIN_CONTENT` content words each) but share no
content word (same stem, or the same word with another ending), no number, and
have a low character similarity (sentence chrF below :data:`MAX_CHRF`) is not a
translation of its reference: a major accuracy/mistranslation, critical when
both sides have :data:`CRITICAL_CONTENT` content words or more (too long for a
paraphrase to share nothing). A paraphrase keeps some content words, a number or
a name; a short sentence may be rendered with synonyms only, so short ones are
left to ``low_score``. Thresholds were set on shuffled WMT21 TED segments (see
``docs/checks.md``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalharness.checks.base import register_check, whole_segment_finding
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.checks.text.lexicon import Token, is_content_word, stem
from evalharness.checks.text.negation import same_word
from evalharness.records import AlignedSegment, Finding, Severity

MIN_WORDS = 6
"""Fewer words on either side: too short to judge."""
MIN_CONTENT = 4
"""Fewer content words on either side: too short to judge."""
CRITICAL_CONTENT = 8
"""Both sides with this many content words and nothing shared: critical."""
MAX_CHRF = 25.0
"""Unrelated sentences of one language score about 10-25 chrF (function words and
common letter sequences); translations of the same sentence score higher."""
_DIGITS = re.compile(r"\d+")


class UnrelatedCheck:
    """Hypothesis sentences that have nothing in common with their reference."""

    id = "unrelated"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A major or critical finding when the two sides are unrelated."""
        if not segment.ref or not segment.hyp or is_removed(segment):
            return []
        if context.languages is not None and not context.languages.target.spaces_between_words:
            return []
        index = context.index(segment)
        ref_words, hyp_words = context.ref_tokens[index], context.hyp_tokens[index]
        if min(len(ref_words), len(hyp_words)) < MIN_WORDS:
            return []
        ref_content, hyp_content = _content(ref_words), _content(hyp_words)
        if min(len(ref_content), len(hyp_content)) < MIN_CONTENT:
            return []
        if _shares_content(ref_content, hyp_content):
            return []
        if set(_DIGITS.findall(segment.ref_text)) & set(_DIGITS.findall(segment.hyp_text)):
            return []
        chrf = _chrf(segment, context, index)
        if chrf >= MAX_CHRF:
            return []
        critical = min(len(ref_content), len(hyp_content)) >= CRITICAL_CONTENT
        return [_finding(segment, chrf, "critical" if critical else "major")]


def _content(tokens: Sequence[Token]) -> set[str]:
    return {token.folded for token in tokens if is_content_word(token.text)}


def _shares_content(ref: set[str], hyp: set[str]) -> bool:
    if ref & hyp or {stem(w) for w in ref} & {stem(w) for w in hyp}:
        return True
    return any(same_word(r, h, "") for r in ref for h in hyp)


def _chrf(segment: AlignedSegment, context: DocumentContext, index: int) -> float:
    """The segment's sentence chrF: the run's when it computed, else sacrebleu's."""
    scores = context.scores("chrf")
    if scores is not None and scores[index] is not None:
        return float(scores[index])  # type: ignore[arg-type]
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(segment.hyp_text, [segment.ref_text]).score)


def _finding(segment: AlignedSegment, chrf: float, severity: Severity) -> Finding:
    message = ("The hypothesis is unrelated to its reference sentence: no content word or "
               f"number in common, chrF {chrf:.1f}. The reference sentence is not translated here.")
    return whole_segment_finding(
        segment, "unrelated", "accuracy/mistranslation", severity, message, 0.8
    )


register_check(UnrelatedCheck())
