"""Photo and wire credits: lines that are credits, and credits glued to a sentence.

"Getty ImagesThe president ...", "Reuters/Jane DoeThe minister ..." and
"AFP/Getty Images The ..." lose their credit, never the sentence after it. The
credit names live in ``evalharness/data/credits.txt``; sentence openers in
``sentence_starters.txt``.
"""

from __future__ import annotations

import re
from functools import cache

from evalharness.inputs.wordlists import data_lines

SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
_CAPTION_LABEL = re.compile(r"^(?:(?:Image|Photo|Video|Media)\s+caption|Caption)\s*[,:]\s*")
_LABELLED_CREDIT = re.compile(
    r"^(?:(?:Image|Photo|Picture|Video|Photograph|Illustration)"
    r"(?:\s+(?:source|credit|courtesy))?|Credit|Photo credit|Courtesy|Source)\s*[:,]\s*"
    r"[^\s.!?][^.!?]{0,80}$"
)
_SHORT_STARTS = frozenset({"He", "It", "In", "On", "At", "As", "An", "We", "If", "By", "So", "To"})
NAME_PARTICLES = frozenset({"de", "del", "da", "di", "van", "von", "der", "al", "bin", "la", "le"})


def is_credit_line(text: str) -> bool:
    """A whole line that is a credit ("Getty Images", "Photo: Jane Doe/AFP")."""
    if _standalone_credit_pattern().match(text):
        return True
    return len(text.split()) <= 12 and _LABELLED_CREDIT.match(text) is not None


def split_glued_credits(text: str) -> list[tuple[int, int, bool]]:
    """Cut credits glued to the start of a sentence, and caption labels, out of a line.

    Returns ``(start, end, is_credit)`` pieces covering the line, offsets
    relative to it. A credit counts as glued when it starts the line or follows
    sentence-final punctuation, and the next sentence begins right after it with
    no space ("Getty ImagesThe president ..."), or, for a credit with a slash
    ("AFP/Getty Images", "Reuters/Jane Doe"), after a space with a sentence opener
    ("The", "He", ...). A leading "Image caption," label is residue too; the
    caption after it is kept.
    """
    pieces: list[tuple[int, int, bool]] = []
    pos = 0
    label = _CAPTION_LABEL.match(text)
    if label and label.end() < len(text):
        pieces.append((0, len(label.group(0).rstrip()), True))
        pos = label.end()
    for start, end in _glued_credit_spans(text):
        if start < pos:
            continue
        if start > pos:
            pieces.append((pos, pos + len(text[pos:start].rstrip()), False))
        pieces.append((start, end, True))
        pos = end + len(text[end:]) - len(text[end:].lstrip())
    if pos < len(text):
        pieces.append((pos, len(text), False))
    return [p for p in pieces if text[p[0] : p[1]].strip()]


def _glued_credit_spans(text: str) -> list[tuple[int, int]]:
    """Spans of glued credits in a line: known credit names, and wire credits.

    A wire credit is an agency (a known credit name or any capitalised word), a
    slash and a person's name of two or three capitalised words, before a sentence
    that starts glued to the name ("Reuters/Jane DoeThe minister ...") or after a
    space with a sentence opener ("AP/John Smith The ...").
    """
    spans = [
        (m.start(), m.end()) for m in _wire_credit_pattern().finditer(text)
        if _follows_sentence_end(text, m.start())
    ]
    spans += [
        (m.start(), m.end()) for m in _glued_credit_pattern().finditer(text)
        if _credit_is_glued(text, m.start(), m.end(), m.group(0))
    ]
    spans.sort(key=lambda span: (span[0], -span[1]))
    return spans


def _follows_sentence_end(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or SENTENCE_END.search(before) is not None


def _credit_is_glued(text: str, start: int, end: int, credit: str) -> bool:
    if not _follows_sentence_end(text, start):
        return False
    rest = text[end:]
    if "/" in credit and _spaced_opener().match(rest):
        return True
    if credit[-1].islower():
        return re.match(r"[A-Z0-9“\"‘(]", rest) is not None
    # An acronym credit ("AFP") glued to "APIs" must not be cut: the word after
    # it must be a real sentence start, three letters or a short function word.
    word = re.match(r"[A-Z][a-z]+", rest)
    if word is None:
        return False
    return len(word.group(0)) >= 3 or word.group(0) in _SHORT_STARTS


@cache
def _credit_unit() -> str:
    names = sorted(data_lines("credits.txt"), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) + ")"


@cache
def _glued_credit_pattern() -> re.Pattern[str]:
    unit = _credit_unit()
    return re.compile(rf"(?<![\w-]){unit}(?:\s*(?:/|via|and|&)\s*{unit})*")


@cache
def _opener_words() -> str:
    return "|".join(re.escape(w.capitalize()) for w in data_lines("sentence_starters.txt"))


@cache
def _spaced_opener() -> re.Pattern[str]:
    """A sentence opener after a space ("AFP/Getty Images The minister")."""
    return re.compile(rf"\s+(?:{_opener_words()})\b")


@cache
def _wire_credit_pattern() -> re.Pattern[str]:
    unit = _credit_unit()
    name = r"[A-Z][a-z'’-]+"
    particles = "|".join(sorted(NAME_PARTICLES))
    agency = rf"(?:{unit}|[A-Z][A-Za-z]+)(?:\s*/\s*{unit})*"
    person = rf"{name}(?:\s+(?:(?:{particles})\s+)*{name}){{1,2}}?"
    glued = rf"(?=[A-Z][a-z]|[\"“‘(])|(?={_spaced_opener().pattern})"
    return re.compile(rf"(?<![\w/-]){agency}\s*/\s*{person}(?:{glued})")


@cache
def _standalone_credit_pattern() -> re.Pattern[str]:
    unit = _credit_unit()
    person = r"(?:\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?"
    return re.compile(
        rf"^(?:(?:©|\(c\)|Copyright)\s*)?{unit}(?:\s*(?:/|via|and|&|,)\s*{unit})*{person}$"
    )
