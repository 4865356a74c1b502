"""Ordered number pairs: scores ("2-1"), ranges ("10-12", "2010–2015") and "from X to Y".

The order of such a pair carries meaning: "won 2-1" is not "won 1-2", "rose from
60% to 85%" is not "fell from 85% to 60%". :func:`reversed_pairs` finds a pair of
the reference written in the opposite order in the hypothesis. Pairs joined by
"between X and Y" are left alone: their order says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evalharness.checks.text.number_mentions import NumberMention

_JOINS = re.compile(
    r"\s*(?:[-–—:]|to|till|until|through|bis|auf|zu)\s*", re.IGNORECASE
)
"""What may stand between the two numbers of an ordered pair (English and German)."""
_SYMMETRIC = re.compile(r"\b(?:between|zwischen)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class NumberPair:
    """Two numbers written as an ordered pair."""

    first: NumberMention
    second: NumberMention

    @property
    def key(self) -> tuple[str, str]:
        """The values in written order."""
        return (self.first.key, self.second.key)

    @property
    def text(self) -> tuple[int, int]:
        """Offsets of the whole pair in its text."""
        return (self.first.start, self.second.end)


def ordered_pairs(text: str, mentions: Sequence[NumberMention]) -> list[NumberPair]:
    """Consecutive mentions of one family joined by a dash, colon, "to" or "bis"."""
    pairs = []
    for first, second in zip(mentions, mentions[1:], strict=False):
        if first.family != second.family or first.key == second.key:
            continue
        if not _JOINS.fullmatch(text[first.end : second.start]):
            continue
        if _SYMMETRIC.search(text[: first.start]):
            continue
        pairs.append(NumberPair(first, second))
    return pairs


def reversed_pairs(
    ref_text: str,
    ref: Sequence[NumberMention],
    hyp_text: str,
    hyp: Sequence[NumberMention],
) -> list[tuple[NumberPair, NumberPair]]:
    """Reference pairs that the hypothesis writes in the opposite order (and never as is)."""
    hyp_pairs = ordered_pairs(hyp_text, hyp)
    as_written = {pair.key for pair in hyp_pairs}
    found = []
    for pair in ordered_pairs(ref_text, ref):
        if pair.key in as_written:
            continue
        flipped = next((h for h in hyp_pairs if h.key == pair.key[::-1]), None)
        if flipped is not None:
            found.append((pair, flipped))
    return found
