"""Check ``consistency``: one reference name spelt in different ways across the hypothesis.

Every word of a reference name is followed through the document's entity links;
when the hypothesis renders it with more than one spelling, each segment that
departs from the first spelling gets a minor terminology/inconsistent finding.
"""

from __future__ import annotations

from collections import defaultdict

from evalharness.checks.base import register_check
from evalharness.checks.builtin.entity import word_span
from evalharness.checks.context import DocumentContext
from evalharness.checks.text.entities import Entity
from evalharness.checks.text.lexicon import fold, head_words
from evalharness.checks.text.names import WordPair
from evalharness.records import AlignedSegment, Finding

_FOLLOWED = frozenset({"same", "diacritics", "transliteration", "misspelled"})

_Use = tuple[int, Entity, Entity, WordPair]


class ConsistencyCheck:
    """Different spellings of one reference name in one hypothesis document."""

    id = "consistency"

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """The inconsistent renderings that occur in this segment."""
        table = context.remember("consistency", lambda: _inconsistencies(context))
        return list(table.get(context.index(segment), ()))


def _renderings(context: DocumentContext) -> dict[str, list[_Use]]:
    uses: dict[str, list[_Use]] = defaultdict(list)
    for index, links in enumerate(context.entity_links):
        for link in links:
            if link.hyp is None or not (link.ref.strong or link.hyp.strong):
                continue
            for pair in link.pairs:
                key = fold(pair.ref)
                if pair.verdict not in _FOLLOWED or key in head_words():
                    continue
                if key in context.lexicon.lower:
                    continue
                uses[key].append((index, link.ref, link.hyp, pair))
    return uses


def _inconsistencies(context: DocumentContext) -> dict[int, list[Finding]]:
    findings: dict[int, list[Finding]] = defaultdict(list)
    for uses in _renderings(context).values():
        first_index, _, _, first = uses[0]
        spellings = {use[3].hyp.casefold() for use in uses}
        if len(spellings) < 2:
            continue
        reported: set[tuple[int, str]] = set()
        for index, ref, hyp, pair in uses:
            spelling = pair.hyp.casefold()
            if spelling == first.hyp.casefold() or (index, spelling) in reported:
                continue
            reported.add((index, spelling))
            hyp_span, hyp_start, hyp_end = word_span(hyp, pair.hyp)
            ref_span, ref_start, ref_end = word_span(ref, pair.ref)
            first_id = context.segments[first_index].id
            findings[index].append(Finding(
                check="consistency",
                category="terminology/inconsistent",
                severity="minor",
                hyp_span=hyp_span,
                ref_span=ref_span,
                message=f"{pair.ref!r} is rendered {pair.hyp!r} here but {first.hyp!r} "
                f"in segment {first_id}.",
                confidence=0.8,
                hyp_start=hyp_start,
                hyp_end=hyp_end,
                ref_start=ref_start,
                ref_end=ref_end,
            ))
    return findings


register_check(ConsistencyCheck())
