"""Sentence splitting with NLTK Punkt, fully offline.

No model is loaded from ``nltk_data``: the splitter starts from the shipped
abbreviation list (``evalharness/data/abbreviations.txt``) and trains Punkt on
the text it is about to split, so that abbreviations, collocations and the
capitalisation of words in *this* document inform the decisions. The trained
tokenizer is cached per training text.

Rules on top of Punkt:

- line breaks end a sentence (a title or a line without final punctuation is a
  sentence of its own), unless the text is hard-wrapped (:func:`is_hard_wrapped`):
  then the lines of a paragraph are joined, list items and headings excepted;
- never break after a title abbreviation (``Dr.``, ``Prof.``, ``No.``, ...) or
  after a bare list number (``1.``);
- closing quotes and brackets stay with their sentence;
- script sentence ends (CJK ``。！？``, Devanagari ``।``, Arabic ``؟``, ...) end a
  sentence even without a following space;
- each language's abbreviations, ordinal dates and rules for scripts without
  sentence punctuation (:mod:`evalharness.inputs.sentence_rules`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from evalharness.inputs.clean import MARKUP, strip_inline_markup
from evalharness.inputs.nltk_parts import nltk_parts
from evalharness.inputs.sentence_rules import SCRIPT_STOP, SentenceRules, sentence_rules
from evalharness.inputs.wordlists import data_lines
from evalharness.lang.profiles import LanguageProfile
from evalharness.records import CleanedDocument, Sentence

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

#: Longest learned abbreviation (letters, without internal periods) that is kept.
MAX_LEARNED_ABBREVIATION = 5
#: Hard-wrapped text has no line longer than this.
MAX_WRAP_WIDTH = 120
#: ... nor shorter than this (a column of short list items is not wrapped prose).
MIN_WRAP_WIDTH = 50
#: Runs of non-whitespace longer than this skip Punkt, whose context matching
#: grows quadratically on long runs without spaces; CJK stops still split them.
MAX_PUNKT_RUN = 1000

_LINE_END_PUNCT = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$")
_BLOCK_START = re.compile(r"^(?:[-*+•>]|\d{1,3}[.)]|#{1,6})\s")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[.)]$")
_LAST_WORD = re.compile(r"(\S+)\.$")
_QUOTED_END = re.compile(r"[.!?…][\"'”’»)\]]+$")
_NEWLINE_SPACE = re.compile(r"\s*\n\s*")
_LONG_RUN = re.compile(rf"\S{{{MAX_PUNKT_RUN + 1},}}")
_BARE_WORD = re.compile(r"(?<![\w.])([^\W\d_]+)\b(?!\.)")


@dataclass(frozen=True)
class Abbreviations:
    """The shipped abbreviation list.

    Attributes:
        all: Every abbreviation, lower case, without the final period.
        titles: Those that never end a sentence (they precede a name or number).
    """

    all: frozenset[str]
    titles: frozenset[str]


@lru_cache(maxsize=1)
def shipped_abbreviations() -> Abbreviations:
    """The abbreviations shipped in ``evalharness/data/abbreviations.txt``."""
    names: set[str] = set()
    titles: set[str] = set()
    for line in data_lines("abbreviations.txt"):
        name, *kind = line.split()
        names.add(name.lower())
        if kind == ["title"]:
            titles.add(name.lower())
    return Abbreviations(frozenset(names), frozenset(titles))


@lru_cache(maxsize=16)
def build_tokenizer(training_text: str, language: str | None = None) -> PunktSentenceTokenizer:
    """A Punkt tokenizer: shipped abbreviations plus parameters learned from the text.

    The language's own abbreviations (``z. B.``, ``т.е.``) join the shipped
    English ones. Learned abbreviations are kept when dotted (``"w.h.o"``), or
    short and never written without a period in the text, so a typo such as
    ``"end. and"`` cannot turn a common word into an abbreviation.
    """
    shipped = shipped_abbreviations().all | sentence_rules(language).abbreviations
    parts = nltk_parts()
    trainer = parts.punkt_trainer()
    # Seeding the trainer lets its first pass treat "Prof." as an abbreviation,
    # which keeps the capitalisation statistics of the next word correct.
    trainer.get_params().abbrev_types.update(shipped)
    if training_text.strip():
        for _offset, window, _end in _windows(training_text):
            trainer.train(window, finalize=False)
        trainer.finalize_training()
    params = trainer.get_params()
    candidates = params.abbrev_types - shipped
    bare = _bare_words(training_text) if candidates else frozenset()
    learned = {a for a in candidates if _keep_learned(a, bare)}
    params.abbrev_types = set(shipped) | learned
    params.sent_starters.update(data_lines("sentence_starters.txt"))
    tokenizer: PunktSentenceTokenizer = parts.punkt_tokenizer(params)
    return tokenizer


def _keep_learned(abbreviation: str, bare_words: frozenset[str]) -> bool:
    """Keep dotted abbreviations ("b.p"), and short ones never written without a period."""
    if "." in abbreviation:
        return True
    return len(abbreviation) <= MAX_LEARNED_ABBREVIATION and abbreviation not in bare_words


def _bare_words(text: str) -> frozenset[str]:
    """Lower-cased words that occur somewhere without a following period."""
    return frozenset(m.group(1).lower() for m in _BARE_WORD.finditer(text))


def split_sentences(
    cleaned: CleanedDocument, language: LanguageProfile | None = None
) -> tuple[Sentence, ...]:
    """Split a cleaned document into sentences covering all of it, in order.

    ``language`` selects the rules of :mod:`evalharness.inputs.sentence_rules`
    (abbreviations, ordinal dates, scripts without sentence punctuation);
    without it the generic rules apply.

    Every content block is split into sentences; every removed block becomes
    one sentence carrying its removal reason. Offsets are into
    ``Document.text``; ``line`` is the file line of the first character.
    Whitespace runs containing a line break become one space in
    ``Sentence.text``, and Markdown markup is stripped from it; a content
    sentence that is markup only (an inline image) is marked ``"markup"``.
    """
    doc = cleaned.document
    text = doc.text
    content = [b for b in cleaned.blocks if b.removed is None]
    training_text = "\n\n".join(text[b.start : b.end] for b in content)
    rules = sentence_rules(language.code if language else None)
    tokenizer = build_tokenizer(training_text, rules.language or None)
    wrapped = is_hard_wrapped(training_text)
    markdown = doc.format == "markdown"
    line_of = _line_counter(text, doc.first_line)
    sentences: list[Sentence] = []
    for block in cleaned.blocks:
        if block.removed is not None:
            shown = _NEWLINE_SPACE.sub(" ", block.text)
            line = line_of(block.start)
            sentences.append(Sentence(shown, block.start, block.end, line, block.removed))
            continue
        for start, end in _spans(text, block.start, block.end, tokenizer, wrapped, rules):
            shown = _NEWLINE_SPACE.sub(" ", text[start:end])
            if markdown:
                shown = strip_inline_markup(shown)
            removed = None if shown else MARKUP
            sentences.append(Sentence(shown, start, end, line_of(start), removed))
    return tuple(sentences)


def _line_counter(text: str, first_line: int) -> Callable[[int], int]:
    """``Document.line_of`` for increasing offsets, in linear time over the document."""
    position, line = 0, first_line

    def line_of(offset: int) -> int:
        nonlocal position, line
        if offset < position:
            position, line = 0, first_line
        line += text.count("\n", position, offset)
        position = offset
        return line

    return line_of


def split_text(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of a plain text, with Punkt trained on the text.

    The spans are ordered, do not overlap, carry no surrounding whitespace and
    together cover every non-whitespace character. ``language`` is a code
    (``de``) choosing the language's rules; ``None`` uses the generic ones.
    """
    rules = sentence_rules(language)
    tokenizer = build_tokenizer(text, rules.language or None)
    return list(_spans(text, 0, len(text), tokenizer, is_hard_wrapped(text), rules))


def is_hard_wrapped(text: str) -> bool:
    """True when the paragraphs of ``text`` are wrapped at a fixed width.

    Wrapped prose has lines of nearly the same length (at least 75% of the
    longest, which is 50 to 120 characters) that mostly break mid-sentence.
    Text with one sentence or paragraph per line is not wrapped.
    """
    inner: list[str] = []  # lines followed by another line of the same paragraph
    longest = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        longest = max([longest, *map(len, lines)])
        inner.extend(
            line
            for line, following in zip(lines, lines[1:], strict=False)
            if not (_BLOCK_START.match(line) or _BLOCK_START.match(following))
        )
        if longest > MAX_WRAP_WIDTH:
            return False
    if len(inner) < 3 or longest < MIN_WRAP_WIDTH:
        return False
    full = sum(len(line) >= 0.75 * longest for line in inner)
    open_ended = sum(_LINE_END_PUNCT.search(line) is None for line in inner)
    return full >= 0.8 * len(inner) and open_ended >= 0.5 * len(inner)


def _spans(
    text: str,
    start: int,
    end: int,
    tokenizer: PunktSentenceTokenizer,
    wrapped: bool,
    rules: SentenceRules,
) -> Iterator[tuple[int, int]]:
    for line_start, line_end in _logical_lines(text, start, end, wrapped):
        if rules.line_breaks_only:
            yield from _split_script_stops(text, line_start, line_end, rules)
            continue
        for s, e in _punkt_spans(text, line_start, line_end, tokenizer, rules):
            yield from _split_script_stops(text, s, e, rules)


def _punkt_spans(
    text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer, rules: SentenceRules
) -> list[tuple[int, int]]:
    """Punkt's spans of one logical line; over-long runs without spaces are spans of their own."""
    spans: list[tuple[int, int]] = []
    pos = start
    for run in _LONG_RUN.finditer(text, start, end):
        spans.extend(_punkt_stretch(text, pos, run.start(), tokenizer, rules))
        spans.append(run.span())
        pos = run.end()
    spans.extend(_punkt_stretch(text, pos, end, tokenizer, rules))
    return spans


def _punkt_stretch(
    text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer, rules: SentenceRules
) -> list[tuple[int, int]]:
    stretch = text[start:end]
    offset = start + len(stretch) - len(stretch.lstrip())
    stretch = stretch.strip()
    if not stretch:
        return []
    spans: list[tuple[int, int]] = []
    joined = False  # the previous window was cut mid-sentence: join across the cut
    for base, window, sentence_end in _windows(stretch):
        pieces = [(offset + base + s, offset + base + e) for s, e in tokenizer.span_tokenize(window)]
        if joined and spans and pieces:
            spans[-1] = (spans[-1][0], pieces[0][1])
            pieces = pieces[1:]
        spans.extend(pieces)
        joined = not sentence_end
    return _merge_spans(text, spans, rules)


PUNKT_WINDOW = 50_000
"""Punkt reads at most this many characters at once: its regexes are linear in
practice but NLTK bounds each match in time, and a 50 MB line would exceed it."""
_WINDOW_CUT = re.compile(r"[.!?\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s+|\s+")


def _windows(stretch: str) -> Iterator[tuple[int, str, bool]]:
    """``(offset, text, ends_sentence)`` pieces of at most :data:`PUNKT_WINDOW` characters.

    A cut goes after the last sentence end in the window's second half, else
    after its last space, else (no space at all) at the limit; ``ends_sentence``
    says whether the piece was cut at a sentence end (the last piece: True).
    """
    start = 0
    while len(stretch) - start > PUNKT_WINDOW:
        limit = start + PUNKT_WINDOW
        sentence_cut = space_cut = None
        for match in _WINDOW_CUT.finditer(stretch, start + PUNKT_WINDOW // 2, limit):
            if match.group().strip():
                sentence_cut = match.end()
            space_cut = match.end()
        cut = sentence_cut or space_cut or limit
        yield start, stretch[start:cut].rstrip(), cut == sentence_cut
        start = cut
    yield start, stretch[start:], True


def _logical_lines(text: str, start: int, end: int, wrapped: bool) -> Iterator[tuple[int, int]]:
    """Stripped line spans in ``text[start:end]``; in wrapped text, paragraphs instead."""
    current: tuple[int, int] | None = None
    pos = start
    for raw in text[start:end].split("\n"):
        line_start, line_end = pos, pos + len(raw)
        pos = line_end + 1
        stripped = raw.strip()
        if not stripped:
            if current:
                yield current
            current = None
            continue
        line_start += len(raw) - len(raw.lstrip())
        line_end = line_start + len(stripped)
        if current and wrapped and _joins(text[current[0] : current[1]], stripped):
            current = (current[0], line_end)
            continue
        if current:
            yield current
        current = (line_start, line_end)
    if current:
        yield current


def _joins(previous: str, line: str) -> bool:
    """In wrapped text, whether ``line`` continues the (logical) line before it.

    Headings stand alone; a list item starts anew after a list item or a line
    that ends in punctuation (a dash that wrapping put at the start of a line
    continues the sentence).
    """
    if previous.startswith("#") or line.startswith("#"):
        return False
    if not _BLOCK_START.match(line):
        return True
    return not (_BLOCK_START.match(previous) or _LINE_END_PUNCT.search(previous))


def _merge_spans(
    text: str, spans: list[tuple[int, int]], rules: SentenceRules
) -> list[tuple[int, int]]:
    """Undo Punkt breaks after a title abbreviation, a bare list number, a quote or an ordinal.

    A quotation ending in ``!``, ``?`` or ``.`` that the sentence goes on after
    (``“Stop!” and he left``) is not a sentence end; nor is ``16.`` before a
    month in a language that writes ordinals with a period (``Am 16. Mai``).
    """
    titles = shipped_abbreviations().titles | rules.titles
    merged: list[tuple[int, int]] = []
    for span in spans:
        previous = text[merged[-1][0] : merged[-1][1]] if merged else ""
        following = text[span[0] : span[1]]
        goes_on = text[span[0]].islower() and _QUOTED_END.search(previous) is not None
        goes_on = goes_on or rules.continues_after_ordinal(previous, following)
        if merged and (goes_on or _must_continue(previous, titles)):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


def _must_continue(sentence: str, titles: frozenset[str]) -> bool:
    if _ENUMERATOR.match(sentence):
        return True
    last = _LAST_WORD.search(sentence)
    return last is not None and last.group(1).lstrip("(\"'“‘").lower() in titles


def _split_script_stops(
    text: str, start: int, end: int, rules: SentenceRules
) -> Iterator[tuple[int, int]]:
    """Split a span after script sentence ends that Punkt cannot see (``。``, ``।``, ``؟`` ...)."""
    pos = start
    for match in SCRIPT_STOP.finditer(text, start, end):
        if match.end() >= end:
            break
        if rules.continues_after_stop and rules.continues_after_stop.match(text, match.end()):
            continue
        yield pos, match.end()
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        yield pos, end
