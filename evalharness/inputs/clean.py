"""Cleaning: split a document into content blocks and recorded non-content blocks.

:func:`clean_document` never drops text silently: every non-whitespace character
of ``Document.text`` lies in exactly one :class:`~evalharness.records.Block`, and a
block that is not content says why (``"boilerplate"``, ``"address"``,
``"byline"``, ``"credit"`` or ``"markup"``). Removed hypothesis text is later
reported as an addition, so the rules are conservative: a line that reads as a
sentence is only ever removed by the anchored address and credit patterns, and
a glued credit takes away the credit alone, never the sentence after it.

The word lists and address patterns live in ``evalharness/data``
(``boilerplate.txt``, ``boilerplate_patterns.txt``, ``bylines.txt``,
``addresses.txt``); credits are :mod:`evalharness.inputs.credits`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from evalharness.inputs.credits import (
    NAME_PARTICLES,
    SENTENCE_END,
    is_credit_line,
    split_glued_credits,
)
from evalharness.inputs.wordlists import compiled_patterns, data_lines
from evalharness.records import Block, CleanedDocument, Document

BOILERPLATE = "boilerplate"
ADDRESS = "address"
BYLINE = "byline"
CREDIT = "credit"
MARKUP = "markup"

#: How many lines (not removed by other rules) at the top may hold a byline.
BYLINE_WINDOW = 6

_MARKUP_LINE = re.compile(
    r"""^(?:
        (?:\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?\s*)+   # image(s), maybe linked
      | ([-*_])(?:\s*\1){2,}                               # horizontal rule
      | </?[A-Za-z][^>]*>(?:\s*</?[A-Za-z][^>]*>)*         # HTML tags only
      | <!--.*?-->                                         # HTML comment
      | \{[%{].*[%}]\}                                     # Liquid tag
      | \{:.*\}                                            # kramdown attribute list
      | \[[^\]]+\]:\s+\S+.*                                # link reference definition
      | `{3,}.*|~{3,}.*                                    # code fence
      | \|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?        # table rule
    )$""",
    re.VERBOSE,
)
_NAV_SEPARATORS = re.compile(r"\s*[|•·]\s*")
_NAV_STRIP = " \t-–—*•·|>›»→:#"
_HAS_WORD = re.compile(r"\w")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_TITLE_WORD = re.compile(r"^[A-Z][\w'’.-]*$")
_NAME_CONNECTORS = frozenset({"and", "&", ","})
_TAIL_MARKS = frozenset({",", "-", "–", "—", "|", "&"})
_INLINE_MARKUP = (
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),
    (re.compile(r"\s+#+\s*$"), ""),
    (re.compile(r"^(?:\s*>)+\s?"), ""),
    (re.compile(r"^\s*[-*+]\s+"), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),
)


@dataclass(frozen=True)
class _Line:
    """One non-blank line: its stripped text, offsets and paragraph number."""

    text: str
    start: int
    end: int
    para: int


@dataclass(frozen=True)
class _Piece:
    """A classified stretch of one line."""

    start: int
    end: int
    removed: str | None
    line: int


def clean_document(doc: Document) -> CleanedDocument:
    """Split a document into content and removed blocks, in order, covering all of it.

    Args:
        doc: A loaded document (front matter already taken out by the loader).

    Returns:
        The blocks: content blocks (``removed=None``) are runs of consecutive
        content lines of one paragraph; removed blocks are runs of lines removed
        for the same reason (a repeated copy starts a new block), or a credit
        glued to a sentence.
    """
    markdown = doc.format == "markdown"
    lines = _split_lines(doc.text)
    reasons: list[str | None] = [_line_reason(line.text) for line in lines]
    _mark_bylines(lines, reasons)
    _mark_repeated(lines, reasons)
    pieces: list[_Piece] = []
    for index, (line, reason) in enumerate(zip(lines, reasons, strict=True)):
        if reason is not None:
            pieces.append(_Piece(line.start, line.end, reason, index))
            continue
        for start, end, credit in split_glued_credits(line.text):
            removed = CREDIT if credit else None
            pieces.append(_Piece(line.start + start, line.start + end, removed, index))
    blocks = _merge_pieces(doc.text, lines, pieces, markdown)
    return CleanedDocument(document=doc, blocks=tuple(blocks))


def strip_inline_markup(text: str) -> str:
    """Markdown text without its markup: heading and list markers, emphasis, links, tags.

    Link texts and image-free text are kept; link targets and images are dropped.
    """
    for pattern, replacement in _INLINE_MARKUP:
        text = pattern.sub(replacement, text)
    return text.strip()


def is_sentence_like(text: str) -> bool:
    """True when a line reads as prose: long, or several words ending in sentence punctuation."""
    # CJK text has no spaces: count two ideographs or kana as one word.
    words = len(text.split()) + len(_CJK.findall(text)) // 2
    return words >= 12 or (words >= 4 and SENTENCE_END.search(text) is not None)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    para = 0
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            lines.append(_Line(stripped, start, start + len(stripped), para))
        else:
            para += 1
        pos += len(raw) + 1
    return lines


def _line_reason(text: str) -> str | None:
    """Why a whole line is non-content, judged on the line alone (no context)."""
    if _MARKUP_LINE.match(text):
        return MARKUP
    if _is_navigation(text):
        return BOILERPLATE
    if is_credit_line(text):
        return CREDIT
    if any(p.match(text) for p in compiled_patterns("addresses.txt")):
        return ADDRESS
    return None


def _is_navigation(text: str) -> bool:
    if any(p.match(text) for p in compiled_patterns("boilerplate_patterns.txt")):
        return True
    phrases = data_lines("boilerplate.txt")
    if len(text.split()) > 20 or is_sentence_like(text) and ":" not in text:
        return False
    parts = [_normal(p) for p in _NAV_SEPARATORS.split(text)]
    parts = [p for p in parts if p]
    if parts and all(p in phrases for p in parts):
        return True
    head, sep, tail = text.partition(":")
    return bool(sep) and _normal(head) in phrases and not is_sentence_like(tail.strip())


def _normal(text: str) -> str:
    return " ".join(text.strip(_NAV_STRIP).casefold().split())


def _mark_bylines(lines: Sequence[_Line], reasons: list[str | None]) -> None:
    """Mark byline lines among the first lines that no other rule removed."""
    seen = 0
    for index, line in enumerate(lines):
        if reasons[index] is not None:
            continue
        if seen >= BYLINE_WINDOW:
            return
        seen += 1
        if is_byline(line.text):
            reasons[index] = BYLINE


def is_byline(text: str) -> bool:
    """True for a short line naming an author with an outlet or role, or a bare role line.

    Examples: ``"By Jane Doe"``, ``"Jane Doe, BBC News"``, ``"Jane Doebbc news
    world"`` (outlet glued on), ``"Senior correspondent"``.
    """
    words = text.replace(",", " , ").split()
    if not words or len(words) > 12 or is_sentence_like(text) or SENTENCE_END.search(text):
        return False
    if words[0] == "By" and len(words) > 2 and all(_TITLE_WORD.match(w) for w in words[1:3]):
        return True
    vocab = _byline_vocabulary()
    cut = len(words)
    while cut > 0 and (words[cut - 1] in _TAIL_MARKS or _tail_kind(words[cut - 1], vocab)):
        cut -= 1
    name, tail = words[:cut], words[cut:]
    kinds = {_tail_kind(w, vocab) for w in tail}
    if not name:
        return "role" in kinds or {"outlet", "acronym"} <= kinds
    if not _is_name(name) or not tail:
        return False
    if "role" in kinds:
        return True
    glued = tail[0][:1].islower()
    if tail[0] in _TAIL_MARKS:
        return bool(kinds & {"outlet", "acronym"})
    return "outlet" in kinds and (glued or "acronym" in kinds)


def _tail_kind(word: str, vocab: dict[str, str]) -> str | None:
    """``role``, ``outlet`` or ``join`` for a byline tail word, ``acronym``, else None."""
    if _is_acronym(word):
        return "acronym"
    if word in data_lines("credits.txt"):
        return "outlet"
    return vocab.get(word.casefold().rstrip("."))


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _is_name(words: Sequence[str]) -> bool:
    capitalised = [w for w in words if w not in NAME_PARTICLES | _NAME_CONNECTORS]
    return 2 <= len(capitalised) <= 6 and all(
        _TITLE_WORD.match(w) and not w.isupper() for w in capitalised
    )


def _mark_repeated(lines: Sequence[_Line], reasons: list[str | None]) -> None:
    """Mark non-prose line groups that the document repeats verbatim as boilerplate.

    A pair of consecutive lines seen twice or more marks both lines. Prose lines
    and lines without a letter or digit (a stray quote mark) never count, and a
    single repeated line does not either: a repeated heading is content.
    """
    keys = [" ".join(line.text.split()) for line in lines]
    eligible = [
        reasons[i] is None and not is_sentence_like(key) and _HAS_WORD.search(key) is not None
        for i, key in enumerate(keys)
    ]
    pairs = Counter(
        (keys[i], keys[i + 1]) for i in range(len(keys) - 1) if eligible[i] and eligible[i + 1]
    )
    for i in range(len(lines)):
        after = i + 1 < len(lines) and pairs[keys[i], keys[i + 1]] > 1
        before = i > 0 and pairs[keys[i - 1], keys[i]] > 1
        if eligible[i] and (after or before):
            reasons[i] = BOILERPLATE


def _merge_pieces(
    text: str, lines: Sequence[_Line], pieces: Sequence[_Piece], markdown: bool
) -> list[Block]:
    """Join pieces into blocks: runs of one kind within one paragraph."""
    blocks: list[Block] = []
    run: list[_Piece] = []

    def flush() -> None:
        if run:
            blocks.append(_block(text, run[0].start, run[-1].end, run[0].removed, markdown))
            run.clear()

    for piece in pieces:
        if run and not _continues(run, piece, lines):
            flush()
        run.append(piece)
    flush()
    return blocks


def _continues(run: Sequence[_Piece], piece: _Piece, lines: Sequence[_Line]) -> bool:
    last = run[-1]
    if piece.removed != last.removed or lines[piece.line].para != lines[last.line].para:
        return False
    if piece.line != last.line and piece.line != last.line + 1:
        return False
    # A repeated copy of a removed group starts a new block ("both copies").
    first_key = lines[run[0].line].text
    return not (piece.removed and piece.line != run[0].line and lines[piece.line].text == first_key)


def _block(text: str, start: int, end: int, removed: str | None, markdown: bool) -> Block:
    raw = text[start:end]
    if markdown and removed is None:
        shown = "\n".join(filter(None, (strip_inline_markup(x) for x in raw.split("\n"))))
    else:
        shown = raw.strip()
    return Block(text=shown, start=start, end=end, removed=removed)


@cache
def _byline_vocabulary() -> dict[str, str]:
    pairs = (line.split() for line in data_lines("bylines.txt"))
    return {word: kind for word, kind in pairs}


