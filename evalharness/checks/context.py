"""What every check may look at: the whole document, built once per system."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from evalharness.checks.text.entities import (
    DocumentLexicon,
    Entity,
    analyse_document,
    extract_entities,
)
from evalharness.checks.text.entity_match import EntityLink, SegmentNames, link_segment
from evalharness.checks.text.glossary_file import Glossary
from evalharness.checks.text.language_rules import keep_names
from evalharness.checks.text.lexicon import Token, tokenize
from evalharness.lang.profiles import LanguagePair, LanguageProfile
from evalharness.records import AlignedSegment, MetricResult, Sentence

T = TypeVar("T")


def sentence_starts(sentences: Sequence[Sentence]) -> tuple[int, ...]:
    """Offsets where each sentence starts in the sentences joined by one space."""
    starts: list[int] = []
    offset = 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence.text) + 1
    return tuple(starts)


def line_segments(
    refs: Sequence[str], hyps: Sequence[str], srcs: Sequence[str] | None = None
) -> tuple[AlignedSegment, ...]:
    """Segments of line-aligned texts: line ``i`` of each side is segment ``i``.

    An empty reference line makes a hypothesis-only (``0-1``) segment, an empty
    hypothesis line a reference-only (``1-0``) one.

    Raises:
        ValueError: the sides have different numbers of lines.
    """
    if len(refs) != len(hyps) or (srcs is not None and len(srcs) != len(refs)):
        raise ValueError("line_segments needs the same number of lines on every side")

    def side(text: str, line: int) -> tuple[Sentence, ...]:
        return (Sentence(text, 0, len(text), line),) if text else ()

    return tuple(
        AlignedSegment(
            i, side(ref, i + 1), side(hyp, i + 1), side(srcs[i], i + 1) if srcs is not None else ()
        )
        for i, (ref, hyp) in enumerate(zip(refs, hyps, strict=True))
    )


MAX_SEGMENT_CHARS = 10_000
"""Segments with both sides and more characters than this on either side (an
unsegmented talk, a whole file on one line) get only the checks that mark
themselves ``any_length = True``: name, number and coverage checks compare
words pairwise and would take minutes on a megabyte. ``--resegment`` cuts such
hypotheses into reference segments instead."""


def oversized(segment: AlignedSegment) -> bool:
    """True when the checks that compare words pairwise skip ``segment``."""
    if not (segment.ref and segment.hyp):
        return False
    # The length of ref_text / hyp_text (sentences joined by one space), without joining.
    longest = max(sum(len(s.text) + 1 for s in side) - 1 for side in (segment.ref, segment.hyp))
    return longest > MAX_SEGMENT_CHARS


def is_removed(segment: AlignedSegment) -> bool:
    """True for a hypothesis-only segment of text that cleaning removed."""
    return not segment.ref and bool(segment.hyp) and all(s.removed for s in segment.hyp)


def is_removed_reference(segment: AlignedSegment) -> bool:
    """True for a reference-only segment of text that cleaning removed (markup, credits)."""
    return not segment.hyp and bool(segment.ref) and all(s.removed for s in segment.ref)


def removal_reason(segment: AlignedSegment) -> str | None:
    """Why cleaning removed the segment's hypothesis text (first reason), or None."""
    for sentence in segment.hyp:
        if sentence.removed:
            return sentence.removed
    return None


@dataclass(frozen=True)
class DocumentContext:
    """One document (one system's hypothesis against the reference), prepared once.

    Attributes:
        segments: All aligned segments, in order.
        metrics: Metric results by name; ``segment_scores`` follow ``segments``.
        has_source: True when the segments carry source sentences.
        lexicon: Word statistics of the whole document (both sides).
        ref_entities: Reference names per segment.
        hyp_entities: Hypothesis names per segment.
        entity_links: Per segment, how each reference name is rendered.
        ref_tokens: Per segment, the reference side's words (empty when not analysed).
        hyp_tokens: Per segment, the hypothesis side's words (empty when not analysed).
        languages: The run's languages (``None``: not known; checks assume nothing
            language-specific beyond their script-generic rules).
        glossary: The run's glossary (``--glossary``), or ``None``.
        memo: Per-document results that a check computes once (see :meth:`remember`).
    """

    segments: tuple[AlignedSegment, ...]
    metrics: Mapping[str, MetricResult]
    has_source: bool
    lexicon: DocumentLexicon
    ref_entities: tuple[tuple[Entity, ...], ...]
    hyp_entities: tuple[tuple[Entity, ...], ...]
    entity_links: tuple[tuple[EntityLink, ...], ...]
    ref_tokens: tuple[tuple[Token, ...], ...] = ()
    hyp_tokens: tuple[tuple[Token, ...], ...] = ()
    languages: LanguagePair | None = None
    glossary: Glossary | None = None
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def index(self, segment: AlignedSegment) -> int:
        """Position of ``segment`` in :attr:`segments`.

        Raises:
            KeyError: the segment is not part of this document.
        """
        by_object = self.remember(
            "_by_object", lambda: {id(s): i for i, s in enumerate(self.segments)}
        )
        if id(segment) in by_object:
            return int(by_object[id(segment)])
        by_id = self.remember("_by_id", lambda: {s.id: i for i, s in enumerate(self.segments)})
        return int(by_id[segment.id])

    def scores(self, metric: str) -> tuple[float | None, ...] | None:
        """Per-segment scores of a metric that computed, else None."""
        result = self.metrics.get(metric)
        if result is None or result.status != "ok":
            return None
        if len(result.segment_scores) != len(self.segments):
            return None
        return result.segment_scores

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a per-document value once and keep it for the other segments."""
        if key not in self.memo:
            self.memo[key] = compute()
        value: T = self.memo[key]
        return value


def target_profile(context: DocumentContext) -> LanguageProfile | None:
    """The target language's profile, or None when the run's languages are unknown."""
    return None if context.languages is None else context.languages.target


def build_context(
    segments: Sequence[AlignedSegment],
    metrics: Mapping[str, MetricResult],
    *,
    has_source: bool = False,
    languages: LanguagePair | None = None,
    glossary: Glossary | None = None,
) -> DocumentContext:
    """Tokenize both sides of every segment once, extract names and link them.

    Args:
        segments: The aligned segments of one document.
        metrics: Metric results for these segments.
        has_source: Whether segments carry the source text.
        languages: The run's languages, when known.
        glossary: The run's glossary, when one is given.
    """
    segments = tuple(segments)
    target = None if languages is None else languages.target
    ref_tokens: list[tuple[Token, ...]] = []
    hyp_tokens: list[tuple[Token, ...]] = []
    texts: list[tuple[str, tuple[Token, ...]]] = []
    slots: list[tuple[int, str]] = []
    for index, segment in enumerate(segments):
        ref, hyp = side_tokens(segment)
        if ref is not None:
            texts.append((segment.ref_text, ref))
            slots.append((index, "ref"))
        if hyp is not None:
            texts.append((segment.hyp_text, hyp))
            slots.append((index, "hyp"))
        ref, hyp = ref or (), hyp or ()
        ref_tokens.append(ref)
        hyp_tokens.append(hyp)
    lexicon, flags = analyse_document(texts)
    found: dict[tuple[int, str], tuple[Entity, ...]] = {}
    for (index, side), (text, tokens), headline in zip(slots, texts, flags, strict=True):
        segment = segments[index]
        starts = sentence_starts(segment.ref if side == "ref" else segment.hyp)
        entities = extract_entities(text, starts, lexicon, tokens, headline)
        source = segment.src_text if segment.src else None
        found[index, side] = keep_names(entities, target, source)
    refs = tuple(found.get((i, "ref"), ()) for i in range(len(segments)))
    hyps = tuple(found.get((i, "hyp"), ()) for i in range(len(segments)))
    strict = names_by_capitals(languages)
    links = tuple(
        link_segment(segment_names(segments, refs, hyps, i), strict_neighbours=strict)
        for i in range(len(segments))
    )
    return DocumentContext(
        segments, metrics, has_source, lexicon, refs, hyps, links,
        tuple(ref_tokens), tuple(hyp_tokens), languages, glossary,
    )


def names_by_capitals(languages: LanguagePair | None) -> bool:
    """True unless the target is known not to mark names by capitals (German nouns).

    Linking is then strict about names in neighbouring segments: a neighbour that
    names a name on both sides does not excuse it here.
    """
    return languages is None or languages.target.capitalised_names


def side_tokens(
    segment: AlignedSegment,
) -> tuple[tuple[Token, ...] | None, tuple[Token, ...] | None]:
    """The words of each side that the checks analyse; None for a side they skip."""
    long = oversized(segment)
    ref = hyp = None
    if segment.ref and not long and not is_removed_reference(segment):
        ref = tuple(tokenize(segment.ref_text, sentence_starts(segment.ref)))
    if segment.hyp and not long and not is_removed(segment):
        hyp = tuple(tokenize(segment.hyp_text, sentence_starts(segment.hyp)))
    return ref, hyp


def neighbours(segments: Sequence[AlignedSegment], index: int) -> list[int]:
    """The segments whose names :func:`segment_names` pools with those of ``index``.

    The nearest content segment on each side, plus any 1-0/0-1 segments in between.
    """
    chosen: list[int] = []
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(segments):
            if not is_removed(segments[position]) and not is_removed_reference(segments[position]):
                chosen.append(position)
                if segments[position].ref and segments[position].hyp:
                    break
            position += step
    return chosen


def segment_names(
    segments: Sequence[AlignedSegment],
    refs: Sequence[Sequence[Entity]],
    hyps: Sequence[Sequence[Entity]],
    index: int,
) -> SegmentNames:
    """The names of segment ``index`` and of its neighbours, ready to link."""
    around = neighbours(segments, index)
    return SegmentNames(
        ref=refs[index],
        hyp=hyps[index],
        ref_text=segments[index].ref_text,
        hyp_text=segments[index].hyp_text,
        neighbour_ref=[e for i in around for e in refs[i]],
        neighbour_hyp=[e for i in around for e in hyps[i]],
    )
