"""Check ``glossary``: required, forbidden and do-not-translate terms (``--glossary FILE``).

* **required**: when the source (the reference when there is no source)
  contains the source term, the hypothesis must contain the target term, in any
  inflected form (see :mod:`evalharness.checks.text.terms`);
* **forbidden**: the target term must not appear in the hypothesis;
* **dnt**: a do-not-translate term of the source must appear unchanged.

A missing required term whose place a forbidden term of the same source took is
one finding, not two. Every finding is ``terminology/wrong-term`` and major;
its message names the term, the glossary line and what the hypothesis has instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.checks.text.glossary_file import Glossary, GlossaryEntry
from evalharness.checks.text.markup import mask_items
from evalharness.checks.text.terms import TermFinder
from evalharness.records import AlignedSegment, Finding

CATEGORY = "terminology/wrong-term"
FUZZY_INSTEAD = 75.0
"""rapidfuzz ratio above which a hypothesis phrase is named as the term's misspelling."""


@dataclass(frozen=True)
class _Finders:
    source: TermFinder
    target: TermFinder
    name: str


@dataclass(frozen=True)
class _Texts:
    """Texts to search, with URLs, e-mails, tags, placeholders and code blanked out."""

    trigger: str
    trigger_finder: TermFinder
    hyp: str
    ref: str
    hyp_raw: str
    ref_raw: str


class GlossaryCheck:
    """Terms of the run's glossary that the hypothesis misses, misuses or translates."""

    id = "glossary"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """Findings for the glossary entries that ``segment`` violates."""
        glossary = context.glossary
        if glossary is None or not segment.hyp or is_removed(segment):
            return []
        finders = context.remember("glossary_finders", lambda: _finders(context, glossary))
        with_source = bool(segment.src)
        # "orders@shop.example" or href="/account" is no use of a term
        texts = _Texts(
            trigger=mask_items(segment.src_text if with_source else segment.ref_text),
            trigger_finder=finders.source if with_source else finders.target,
            hyp=mask_items(segment.hyp_text),
            ref=mask_items(segment.ref_text),
            hyp_raw=segment.hyp_text,
            ref_raw=segment.ref_text,
        )
        forbidden = [
            (entry, hit)
            for entry in glossary.of_type("forbidden")
            for hit in finders.target.find(entry.target, texts.hyp, case_sensitive=entry.case_sensitive)
        ]
        used: set[tuple[int, int]] = set()
        findings = []
        for entry in glossary.of_type("required"):
            finding = _required(entry, texts, finders, forbidden, used)
            if finding is not None:
                findings.append(finding)
        for entry in glossary.of_type("dnt"):
            findings.extend(_dnt(entry, texts, finders))
        for entry, (start, end) in forbidden:
            if (start, end) not in used:
                findings.append(_forbidden(entry, texts, start, end, finders, glossary))
        return findings


def _finders(context: DocumentContext, glossary: Glossary) -> _Finders:
    languages = context.languages
    source = languages.source.code if languages and languages.source else glossary.source_lang
    target = languages.target.code if languages else glossary.target_lang
    return _Finders(
        TermFinder(source), TermFinder(target, open_ended=True), Path(glossary.path).name
    )


def _where(entry: GlossaryEntry, finders: _Finders) -> str:
    return f"glossary {finders.name} line {entry.line}"


def _required(
    entry: GlossaryEntry,
    texts: _Texts,
    finders: _Finders,
    forbidden: Sequence[tuple[GlossaryEntry, tuple[int, int]]],
    used: set[tuple[int, int]],
) -> Finding | None:
    finder = texts.trigger_finder
    term = entry.source if finder is finders.source else entry.target
    if not finder.find(term, texts.trigger, case_sensitive=entry.case_sensitive):
        return None
    if finders.target.find(entry.target, texts.hyp, case_sensitive=entry.case_sensitive):
        return None
    ref_span = _first(finders.target.find(entry.target, texts.ref))
    head = f"{entry.source!r} must be translated as {entry.target!r} ({_where(entry, finders)})"
    span, instead = _instead(entry, texts, finders, forbidden, used)
    return _finding(texts, span, ref_span, f"{head}; {instead}")


def _instead(
    entry: GlossaryEntry,
    texts: _Texts,
    finders: _Finders,
    forbidden: Sequence[tuple[GlossaryEntry, tuple[int, int]]],
    used: set[tuple[int, int]],
) -> tuple[tuple[int, int] | None, str]:
    """What the hypothesis has in a missing required term's place, and how to say it.

    A forbidden term of the same source, or one covering the source term left
    untranslated, is named (and not reported again on its own); else the source
    term untranslated; else the phrase most like the term; else nothing.
    """
    untranslated = None
    if entry.source.casefold() != entry.target.casefold():
        untranslated = _first(finders.source.find(entry.source, texts.hyp))
    for other, hit in forbidden:
        same_source = other.source.casefold() == entry.source.casefold()
        covers = untranslated is not None and hit[0] < untranslated[1] and untranslated[0] < hit[1]
        if hit not in used and (same_source or covers):
            used.add(hit)
            found = texts.hyp[hit[0] : hit[1]]
            return hit, f"found the forbidden term {found!r} (glossary line {other.line}) instead."
    if untranslated is not None:
        found = texts.hyp[untranslated[0] : untranslated[1]]
        return untranslated, f"found {found!r} untranslated instead."
    near = _nearest(entry.target, texts.hyp)
    if near is not None:
        return near, f"found {texts.hyp[near[0] : near[1]]!r} instead."
    return None, "the hypothesis does not contain it."


def _dnt(entry: GlossaryEntry, texts: _Texts, finders: _Finders) -> list[Finding]:
    trigger = texts.trigger_finder.find(
        entry.source, texts.trigger, case_sensitive=entry.case_sensitive, inflected=False
    )
    if not trigger:
        return []
    kept = _occurrences(entry.source, texts.hyp, entry.case_sensitive)
    if len(kept) >= len(trigger):
        return []
    head = f"{entry.source!r} must not be translated ({_where(entry, finders)})"
    ref_span = _first(_occurrences(entry.source, texts.ref, entry.case_sensitive))
    near = _nearest(entry.source, texts.hyp, exclude=kept)
    if near is not None:
        instead = texts.hyp[near[0] : near[1]]
        return [_finding(texts, near, ref_span, f"{head}; found {instead!r} instead.")]
    missing = len(trigger) - len(kept)
    count = f"{missing} of {len(trigger)} occurrences are" if len(trigger) > 1 else "it is"
    return [_finding(texts, None, ref_span, f"{head}; {count} missing from the hypothesis.")]


def _forbidden(
    entry: GlossaryEntry,
    texts: _Texts,
    start: int,
    end: int,
    finders: _Finders,
    glossary: Glossary,
) -> Finding:
    found = texts.hyp[start:end]
    better = next(
        (
            e.target
            for e in glossary.of_type("required")
            if entry.source and e.source.casefold() == entry.source.casefold()
        ),
        "",
    )
    advice = f"; use {better!r}" if better else ""
    note = f" ({entry.note})" if entry.note else ""
    message = f"Forbidden term {entry.target!r} found as {found!r} ({_where(entry, finders)}){advice}.{note}"
    return _finding(texts, (start, end), None, message)


def _occurrences(term: str, text: str, case_sensitive: bool) -> list[tuple[int, int]]:
    hay, needle = (text, term) if case_sensitive else (text.casefold(), term.casefold())
    if len(hay) != len(text):
        hay, needle = text.lower(), term.lower()
    found, start = [], hay.find(needle)
    while start >= 0 and needle:
        found.append((start, start + len(needle)))
        start = hay.find(needle, start + len(needle))
    return found


def _nearest(
    term: str, text: str, exclude: Sequence[tuple[int, int]] = ()
) -> tuple[int, int] | None:
    """The phrase of ``text`` (as many words as ``term``) most like ``term``, if alike enough."""
    from rapidfuzz import fuzz

    finder = TermFinder(None)
    words = finder.words(text)
    n = max(1, len(finder.words(term)))
    best, best_score = None, FUZZY_INSTEAD
    for i in range(len(words) - n + 1):
        span = (words[i].start, words[i + n - 1].end)
        if any(s < span[1] and span[0] < e for s, e in exclude):
            continue
        score = fuzz.ratio(term.casefold(), text[span[0] : span[1]].casefold())
        if score > best_score:
            best, best_score = span, score
    return best


def _first(hits: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    return hits[0] if hits else None


def _finding(
    texts: _Texts,
    hyp: tuple[int, int] | None,
    ref: tuple[int, int] | None,
    message: str,
) -> Finding:
    return Finding(
        check="glossary",
        category=CATEGORY,
        severity="major",
        hyp_span=texts.hyp_raw[hyp[0] : hyp[1]] if hyp else "",
        ref_span=texts.ref_raw[ref[0] : ref[1]] if ref else "",
        message=message,
        confidence=0.9,
        hyp_start=hyp[0] if hyp else None,
        hyp_end=hyp[1] if hyp else None,
        ref_start=ref[0] if ref else None,
        ref_end=ref[1] if ref else None,
    )


register_check(GlossaryCheck())
