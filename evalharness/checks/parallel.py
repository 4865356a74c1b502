"""The checks of a large document over chunks of segments, on all cores.

Only what needs the whole document stays in the calling process: the lower-case
words and the other word statistics of the :class:`DocumentLexicon` (merged from
per-chunk sets), and the checks without ``per_segment = True`` (consistency,
plugins), which run after every name has been linked. Tokens, names, links and
the per-segment checks are computed in forked workers, chunk by chunk, and never
held for the whole document. The findings equal :func:`run_serial`'s.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from evalharness.checks.context import (
    DocumentContext,
    names_by_capitals,
    neighbours,
    oversized,
    segment_names,
    sentence_starts,
    side_tokens,
)
from evalharness.checks.text.entities import (
    DocumentLexicon,
    Entity,
    extract_entities,
)
from evalharness.checks.text.entity_match import EntityLink, link_segment
from evalharness.checks.text.glossary_file import Glossary
from evalharness.checks.text.headlines import is_headline, titled_name_words
from evalharness.checks.text.language_rules import keep_names
from evalharness.checks.text.lexicon import Token, is_content_word
from evalharness.lang.profiles import LanguagePair
from evalharness.records import AlignedSegment, Finding, MetricResult

T = TypeVar("T")
CHUNK_SEGMENTS = 2_000
"""Segments per task: small enough to balance the cores and bound a worker's memory."""

PerCheck = list[list[Finding]]
"""One list of findings per active check, in the order the checks run."""

# What the forked workers read: set by the parent just before it forks.
_STATE: dict[str, Any] = {}


def worker_count() -> int:
    """Cores this process may use, or 1 where forking is unavailable or not allowed."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:
        return 1  # a pool's worker may not have children
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


def run_parallel(
    segments: Sequence[AlignedSegment],
    metrics: Mapping[str, MetricResult],
    has_source: bool,
    active: Sequence[Any],
    workers: int,
    languages: LanguagePair | None = None,
    glossary: Glossary | None = None,
) -> list[PerCheck]:
    """Findings per segment and per active check, computed on ``workers`` processes."""
    segments = tuple(segments)
    size = min(CHUNK_SEGMENTS, -(-len(segments) // workers))  # every worker busy on small documents
    chunks = [(start, min(start + size, len(segments))) for start in range(0, len(segments), size)]
    _STATE.update(
        segments=segments, metrics=metrics, has_source=has_source, active=active, languages=languages,
        glossary=glossary,
    )
    try:
        lexicon = _STATE["lexicon"] = _lexicon(chunks, workers)
        _STATE["memo"] = _shared_memo(
            segments, metrics, has_source, lexicon, active, languages, glossary
        )
        parts = _map(_chunk_checks, chunks, workers)
    finally:
        _STATE.clear()
    refs: list[tuple[Entity, ...]] = []
    hyps: list[tuple[Entity, ...]] = []
    links: list[tuple[EntityLink, ...]] = []
    found: list[PerCheck] = []
    for part in parts:
        for ref, hyp, link, per_check in part:
            refs.append(ref)
            hyps.append(hyp)
            links.append(link)
            found.append(per_check)
    context = DocumentContext(
        segments, metrics, has_source, lexicon, tuple(refs), tuple(hyps), tuple(links),
        languages=languages, glossary=glossary,
    )
    _run_checks(context, active, range(len(segments)), found, per_segment=False)
    return found


def _shared_memo(
    segments: tuple[AlignedSegment, ...],
    metrics: Mapping[str, MetricResult],
    has_source: bool,
    lexicon: DocumentLexicon,
    active: Sequence[Any],
    languages: LanguagePair | None = None,
    glossary: Glossary | None = None,
) -> dict[str, Any]:
    """Per-document values every chunk needs, computed once.

    That is the segment index and whatever the checks' ``prepare`` hooks
    remember (low_score's score table).
    """
    context = DocumentContext(
        segments, metrics, has_source, lexicon, (), (), (), languages=languages, glossary=glossary
    )
    if segments:
        context.index(segments[0])
    for check in active:
        prepare = getattr(check, "prepare", None)
        if prepare is not None and getattr(check, "per_segment", False):
            prepare(context)
    return dict(context.memo)


def _map(function: Callable[[tuple[int, int]], T], chunks: list[tuple[int, int]],
         workers: int) -> list[T]:
    """``function`` over the chunks in forked workers that see :data:`_STATE`, in order."""
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(chunks)), initializer=default_signals) as pool:
        return pool.map(function, chunks, chunksize=1)


def default_signals() -> None:
    """In a pool worker: let SIGTERM and SIGHUP end the process again.

    The CLI turns them into an exception in its own process; a forked worker
    inherits that handler, and the pool's ``terminate`` (SIGTERM) could then
    raise inside a queue lock and leave the pool waiting forever.
    """
    import signal

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _chunk_texts(start: int, end: int) -> list[tuple[str, tuple[Token, ...]]]:
    """``(text, tokens)`` of every analysed side in the chunk, in document order."""
    texts: list[tuple[str, tuple[Token, ...]]] = []
    for segment in _STATE["segments"][start:end]:
        ref, hyp = side_tokens(segment)
        if ref is not None:
            texts.append((segment.ref_text, ref))
        if hyp is not None:
            texts.append((segment.hyp_text, hyp))
    return texts


class _Everything(frozenset[str]):
    """A set that holds every word: the most a document's lower-case words can be."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERYTHING = _Everything()
Undecided = tuple[tuple[str, ...], tuple[str, ...]]
"""A sentence whose headline rule needs the document's lower-case words: the
folded capitalised content words after its first word, and the folded words
that count as capitalised inside it unless it is a headline."""


def _chunk_words(chunk: tuple[int, int]) -> tuple[set[str], set[str], set[str], list[Undecided]]:
    """What :func:`analyse_document` collects from a chunk, short of the whole document.

    Returns:
        The lower-case words, titled-name words and words capitalised inside a
        sentence that is no headline whatever the document's lower-case words;
        and the sentences whose headline rule needs those words.
    """
    lower: set[str] = set()
    persons: set[str] = set()
    inside: set[str] = set()
    undecided: list[Undecided] = []
    for text, tokens in _chunk_texts(*chunk):
        lower.update(t.folded for t in tokens if not t.capitalised)
        persons.update(titled_name_words(tokens))
        if sum(t.capitalised and not t.initial for t in tokens) < 2:
            inside.update(t.folded for t in tokens if t.capitalised and not t.initial)
            continue
        for words, tail in _sentences(tokens, text):
            inner = tuple(t.folded for t in words if t.capitalised and not t.initial)
            if is_headline(words, frozenset(), tail):
                continue
            if not is_headline(words, _EVERYTHING, tail):
                inside.update(inner)
                continue
            caps = tuple(
                t.folded for t in words
                if is_content_word(t.base) and not t.is_acronym and t.capitalised
                and not t.initial
            )
            undecided.append((caps, inner))
    return lower, persons, inside, undecided


def _sentences(tokens: Sequence[Token], text: str) -> list[tuple[list[Token], str]]:
    """The sentences of a text as :func:`headline_flags` splits it, with their tails."""
    found: list[tuple[list[Token], str]] = []
    sentence: list[Token] = []
    for index in range(len(tokens) + 1):
        if index == len(tokens) or (tokens[index].initial and sentence):
            end = tokens[index].start if index < len(tokens) else len(text)
            found.append((sentence, text[sentence[-1].end : end] if sentence else ""))
            sentence = []
        if index < len(tokens):
            sentence.append(tokens[index])
    return found


def _lexicon(chunks: list[tuple[int, int]], workers: int) -> DocumentLexicon:
    """The whole document's :class:`DocumentLexicon`, from per-chunk word sets."""
    lower: set[str] = set()
    persons: set[str] = set()
    inside: set[str] = set()
    undecided: list[Undecided] = []
    for chunk_lower, chunk_persons, chunk_inside, chunk_undecided in _map(
        _chunk_words, chunks, workers
    ):
        lower |= chunk_lower
        persons |= chunk_persons
        inside |= chunk_inside
        undecided.extend(chunk_undecided)
    for caps, inner in undecided:
        # is_headline's first rule: most inner capitals are words written in
        # lower case elsewhere (the others cannot hold, or it was decided).
        common = sum(word in lower for word in caps)
        if not (common >= 2 and 2 * common >= len(caps)):
            inside.update(inner)
    return DocumentLexicon(frozenset(lower), frozenset(inside), frozenset(persons))


def _chunk_checks(
    chunk: tuple[int, int],
) -> list[tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[EntityLink, ...], PerCheck]]:
    """Names, links and per-segment findings of the segments in ``chunk``."""
    segments: tuple[AlignedSegment, ...] = _STATE["segments"]
    lexicon: DocumentLexicon = _STATE["lexicon"]
    start, end = chunk
    wanted = set(range(start, end))
    for index in range(start, end):
        wanted.update(neighbours(segments, index))
    count = len(segments)
    refs: list[tuple[Entity, ...]] = [()] * count
    hyps: list[tuple[Entity, ...]] = [()] * count
    ref_tokens: list[tuple[Token, ...]] = [()] * count
    hyp_tokens: list[tuple[Token, ...]] = [()] * count
    for index in sorted(wanted):
        segment = segments[index]
        ref, hyp = side_tokens(segment)
        if ref is not None:
            refs[index] = _entities(segment, "ref", ref, lexicon)
            ref_tokens[index] = ref
        if hyp is not None:
            hyps[index] = _entities(segment, "hyp", hyp, lexicon)
            hyp_tokens[index] = hyp
    links: list[tuple[EntityLink, ...]] = [()] * count
    for index in range(start, end):
        links[index] = link_segment(segment_names(segments, refs, hyps, index),
                                    strict_neighbours=names_by_capitals(_STATE["languages"]))
    context = DocumentContext(
        segments, _STATE["metrics"], _STATE["has_source"], lexicon, tuple(refs), tuple(hyps),
        tuple(links), tuple(ref_tokens), tuple(hyp_tokens), _STATE["languages"],
        _STATE["glossary"], dict(_STATE["memo"]),
    )
    found: list[PerCheck] = [[[] for _ in _STATE["active"]] for _ in range(start, end)]
    _run_checks(context, _STATE["active"], range(start, end), found, per_segment=True,
                offset=start)
    return [
        (refs[index], hyps[index], links[index], found[index - start])
        for index in range(start, end)
    ]


def _entities(segment: AlignedSegment, side: str, tokens: tuple[Token, ...],
              lexicon: DocumentLexicon) -> tuple[Entity, ...]:
    languages: LanguagePair | None = _STATE["languages"]
    text, sentences = (segment.ref_text, segment.ref) if side == "ref" else (
        segment.hyp_text, segment.hyp)
    entities = extract_entities(text, sentence_starts(sentences), lexicon, tokens)
    source = segment.src_text if segment.src else None
    return keep_names(entities, None if languages is None else languages.target, source)


def _run_checks(
    context: DocumentContext,
    active: Sequence[Any],
    indices: range,
    found: list[PerCheck],
    *,
    per_segment: bool,
    offset: int = 0,
) -> None:
    """Add to ``found`` the findings of the active checks with this ``per_segment`` flag."""
    chosen = [
        (position, check) for position, check in enumerate(active)
        if bool(getattr(check, "per_segment", False)) == per_segment
    ]
    if not chosen:
        return
    for index in indices:
        segment = context.segments[index]
        long = oversized(segment)
        slots = found[index - offset]
        for position, check in chosen:
            if not long or getattr(check, "any_length", False):
                slots[position].extend(check.find(segment, context))
