"""Sentence splitting with NLTK Punkt, fully offline.

No model is loaded from ``nltk_data``: the splitter starts from the shipped
abbreviation list (``evalharness/data/abbreviations.txt``) and trains Punkt on
the text it is about to split, so that abbreviations, collocations and the
capitalisation of words in *this* document inform the decisions. The trained
tokenizer is cached per training text.

Rules on top of Punkt:

- line breaks end a sentence (a title or a line without final punctuation is a
  sentence of its own), except a soft wrap: a line that does not end in
  sentence punctuation and is followed by a line starting in lower case, or a
  line ending in ``,`` or ``;``, continues on the next line;
- never break after a title abbreviation (``Dr.``, ``Prof.``, ``No.``, ...) or
  after a bare list number (``1.``);
- closing quotes and brackets stay with their sentence;
- CJK full stops (``。！？``) end a sentence even without a following space.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

from evalharness.prep import MARKUP, data_lines, strip_inline_markup
from evalharness.types import CleanedDocument, Sentence

#: Longest learned abbreviation (letters, without internal periods) that is kept.
MAX_LEARNED_ABBREVIATION = 5
#: Runs of non-whitespace longer than this skip Punkt, whose context matching
#: grows quadratically on long runs without spaces; CJK stops still split them.
MAX_PUNKT_RUN = 1000

_HARD_LINE_END = re.compile(r"[.!?…:。！？][\"'”’»)\]]*$")
_SOFT_LINE_END = re.compile(r"[,;]$")
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}|[A-Za-z]|[ivxlcIVXLC]{1,5})[.)]$")
_CJK_STOP = re.compile(r"[。！？]+[”’」』）》\"']*")
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
def build_tokenizer(training_text: str) -> PunktSentenceTokenizer:
    """A Punkt tokenizer: shipped abbreviations plus parameters learned from the text.

    Learned abbreviations are kept only when short or dotted (``"approx"`` must
    come from the shipped list), so a typo such as ``"end. and"`` cannot turn a
    common word into an abbreviation.
    """
    shipped = shipped_abbreviations().all
    trainer = PunktTrainer()
    # Seeding the trainer lets its first pass treat "Prof." as an abbreviation,
    # which keeps the capitalisation statistics of the next word correct.
    trainer.get_params().abbrev_types.update(shipped)
    if training_text.strip():
        trainer.train(training_text, finalize=True)
    params = trainer.get_params()
    candidates = params.abbrev_types - shipped
    bare = _bare_words(training_text) if candidates else frozenset()
    learned = {a for a in candidates if _keep_learned(a, bare)}
    params.abbrev_types = set(shipped) | learned
    params.sent_starters.update(data_lines("sentence_starters.txt"))
    return PunktSentenceTokenizer(params)


def _keep_learned(abbreviation: str, bare_words: frozenset[str]) -> bool:
    """Keep dotted abbreviations ("b.p"), and short ones never written without a period."""
    if "." in abbreviation:
        return True
    return len(abbreviation) <= MAX_LEARNED_ABBREVIATION and abbreviation not in bare_words


def _bare_words(text: str) -> frozenset[str]:
    """Lower-cased words that occur somewhere without a following period."""
    return frozenset(m.group(1).lower() for m in _BARE_WORD.finditer(text))


def split_sentences(cleaned: CleanedDocument) -> tuple[Sentence, ...]:
    """Split a cleaned document into sentences covering all of it, in order.

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
    tokenizer = build_tokenizer("\n\n".join(text[b.start : b.end] for b in content))
    markdown = doc.format == "markdown"
    sentences: list[Sentence] = []
    for block in cleaned.blocks:
        if block.removed is not None:
            shown = _NEWLINE_SPACE.sub(" ", block.text)
            line = doc.line_of(block.start)
            sentences.append(Sentence(shown, block.start, block.end, line, block.removed))
            continue
        for start, end in _spans(text, block.start, block.end, tokenizer):
            shown = _NEWLINE_SPACE.sub(" ", text[start:end])
            if markdown:
                shown = strip_inline_markup(shown)
            removed = None if shown else MARKUP
            sentences.append(Sentence(shown, start, end, doc.line_of(start), removed))
    return tuple(sentences)


def split_text(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of a plain text, with Punkt trained on the text.

    The spans are ordered, do not overlap, carry no surrounding whitespace and
    together cover every non-whitespace character.
    """
    return list(_spans(text, 0, len(text), build_tokenizer(text)))


def _spans(
    text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer
) -> Iterator[tuple[int, int]]:
    for line_start, line_end in _logical_lines(text, start, end):
        for s, e in _punkt_spans(text, line_start, line_end, tokenizer):
            yield from _split_cjk(text, s, e)


def _punkt_spans(
    text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer
) -> list[tuple[int, int]]:
    """Punkt's spans of one logical line; over-long runs without spaces are spans of their own."""
    spans: list[tuple[int, int]] = []
    pos = start
    for run in _LONG_RUN.finditer(text, start, end):
        spans.extend(_punkt_stretch(text, pos, run.start(), tokenizer))
        spans.append(run.span())
        pos = run.end()
    spans.extend(_punkt_stretch(text, pos, end, tokenizer))
    return spans


def _punkt_stretch(
    text: str, start: int, end: int, tokenizer: PunktSentenceTokenizer
) -> list[tuple[int, int]]:
    stretch = text[start:end]
    offset = start + len(stretch) - len(stretch.lstrip())
    stretch = stretch.strip()
    if not stretch:
        return []
    spans = [(offset + s, offset + e) for s, e in tokenizer.span_tokenize(stretch)]
    return _merge_spans(text, spans)


def _logical_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Stripped line spans in ``text[start:end]``, soft-wrapped lines joined."""
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
        if current and _is_soft_wrap(text[current[0] : current[1]], stripped):
            current = (current[0], line_end)
            continue
        if current:
            yield current
        current = (line_start, line_end)
    if current:
        yield current


def _is_soft_wrap(previous: str, line: str) -> bool:
    if _HARD_LINE_END.search(previous):
        return False
    return line[0].islower() or _SOFT_LINE_END.search(previous) is not None


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo Punkt breaks after a title abbreviation, a bare list number, or a quote.

    A quotation ending in ``!``, ``?`` or ``.`` that the sentence goes on after
    (``“Stop!” and he left``) is not a sentence end.
    """
    titles = shipped_abbreviations().titles
    merged: list[tuple[int, int]] = []
    for span in spans:
        previous = text[merged[-1][0] : merged[-1][1]] if merged else ""
        goes_on = text[span[0]].islower() and _QUOTED_END.search(previous) is not None
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


def _split_cjk(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a span after CJK sentence punctuation that Punkt cannot see (no space follows)."""
    pos = start
    for match in _CJK_STOP.finditer(text, start, end):
        if match.end() >= end:
            break
        yield pos, match.end()
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        yield pos, end
