"""Word-level re-segmentation of unsegmented hypotheses (``--resegment``).

Speech-translation output often has no usable sentence boundaries: one line per
talk. :func:`resegment_document` re-cuts such a hypothesis into the reference's
segments by aligning hypothesis words to reference words, the SoftSegmenter
alignment described by OmniSTEval (Polák et al. 2025, "Better Late Than Never",
arXiv:2509.17349), implemented here from that description:

1. Words are NFKC-normalised, lower-cased and split Moses-style (see
   :func:`tokenize_word`): symbols, non-numeric commas, inner hyphens and a
   final period become tokens of their own. A hypothesis word's first token
   stands for the word.
2. A monotonic alignment of the hypothesis tokens to the reference tokens of
   one document maximises the summed similarity of matched pairs, where the
   similarity is the Jaccard index of the two tokens' character sets, and a
   punctuation token (:data:`PUNCTUATION`) never matches any other token.
   Gaps cost nothing. Ties go to
   a match, then to a reference gap.
3. A matched hypothesis token takes the segment of its reference token. A run
   of unmatched hypothesis tokens looks at the reference tokens on either side
   of it on the alignment path: if a token is more similar to the next one
   than to the previous one, it and the rest of the run join the next
   segment; otherwise it joins the previous segment and the next token
   decides anew.
4. Each reference segment gets the hypothesis words whose first token landed
   in it, as pieces of the hypothesis document with their offsets and lines.

Scripts written without spaces (Chinese, Japanese, Thai, ...) are aligned
character by character: each such character counts as a word.

Documents: with ``docids`` (one id per reference line, e.g. ``--ref-docids``;
lines such as ``docid=3,segid=0`` are read as id ``3``), reference lines are
grouped by id in order of first appearance and hypothesis line ``k`` is the
``k``-th document. Without ids the whole hypothesis is one document.

On the ACL 60/60 example of OmniSTEval this reproduces its re-segmentation
line for line. The alignment is an O(tokens^2) dynamic program in numba over
64-bit character masks; documents whose grid exceeds ``MAX_CELLS`` are
searched in a diagonal band of that many cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalharness.align.resegment_words import MAX_CELLS, PUNCTUATION, align_words, tokenize_word
from evalharness.errors import InputError
from evalharness.records import AlignedSegment, Document, Sentence

__all__ = [
    "MAX_CELLS",
    "PUNCTUATION",
    "align_words",
    "parse_docid",
    "resegment_document",
    "tokenize_word",
]

_DOCID = re.compile(r"(?:^|,)\s*docid\s*=\s*([^,]*)")
# A word: a run of non-space characters, except that each character of a
# script written without spaces (CJK, kana, Thai, ...) is a word of its own.
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\s{_UNSPACED}]+")

_Span = tuple[int, int, Sentence]
"""A hypothesis word: start and end offset in the document, and its line (unit)."""


def _hypothesis_lines(doc: Document) -> list[Sentence]:
    """The documents of the hypothesis: its given segments, or its non-blank lines."""
    if doc.segments is not None:
        return list(doc.segments)
    lines = []
    start = 0
    for line in doc.text.split("\n"):
        if line.strip():
            lines.append(Sentence(line, start, start + len(line), doc.line_of(start)))
        start += len(line) + 1
    return lines


def parse_docid(line: str) -> str:
    """Document id of one line of a docid file: the ``docid=`` field if any, else the line."""
    match = _DOCID.search(line)
    return match.group(1).strip() if match else line.strip()


def _groups(
    ref_sents: Sequence[Sentence], docids: Sequence[str] | None, docids_path: str | None
) -> list[list[int]]:
    """Reference sentence indices of each document, documents in order of first appearance."""
    if docids is None:
        return [list(range(len(ref_sents)))]
    if len(docids) != len(ref_sents):
        raise InputError(
            f"has {len(docids)} document ids but the reference has {len(ref_sents)} segments; "
            "--ref-docids needs one id per reference line",
            docids_path or "--ref-docids",
        )
    groups: dict[str, list[int]] = {}
    for k, raw in enumerate(docids):
        groups.setdefault(parse_docid(raw), []).append(k)
    return list(groups.values())


def resegment_document(
    ref_sents: Sequence[Sentence],
    hyp_doc: Document,
    docids: Sequence[str] | None = None,
    *,
    docids_path: str | None = None,
) -> tuple[AlignedSegment, ...]:
    """Cut an unsegmented hypothesis into the reference's segments.

    Args:
        ref_sents: Reference segments (lines) in order.
        hyp_doc: The hypothesis: one line (or given segment) per document when
            ``docids`` is given, else one document however it is laid out.
        docids: Document id of each reference segment, or ``None`` for one document.
        docids_path: The file the ids came from, for error messages.

    Returns:
        One segment per reference segment, in reference order, with the
        hypothesis words aligned to it as pieces of ``hyp_doc.text`` (one piece
        per hypothesis line it touches; none when no word landed there). Every
        hypothesis word lies in exactly one segment, in order within each
        document. When the reference has no segments at all, one hypothesis-only
        segment holds the hypothesis.

    Raises:
        InputError: the number of ids differs from the number of reference
            segments, or the number of documents from the number of hypothesis lines.
    """
    groups = _groups(ref_sents, docids, docids_path)
    doc_lines = _document_lines(hyp_doc, groups, docids is None)
    words_of: dict[int, list[_Span]] = {}
    leftovers: list[_Span] = []
    for members, units in zip(groups, doc_lines, strict=True):
        for owner, span in _document_words(ref_sents, hyp_doc, members, units):
            if owner < 0:
                leftovers.append(span)
            else:
                words_of.setdefault(owner, []).append(span)
    segments = [
        AlignedSegment(id=k, ref=(ref,), hyp=_pieces(hyp_doc, words_of.get(k, [])))
        for k, ref in enumerate(ref_sents)
    ]
    if leftovers:
        segments.append(AlignedSegment(id=len(segments), ref=(), hyp=_pieces(hyp_doc, leftovers)))
    return _with_similarity(segments)


def _document_lines(
    hyp_doc: Document, groups: Sequence[Sequence[int]], one_document: bool
) -> list[list[Sentence]]:
    """The hypothesis lines of each document: all of them, or line k for document k."""
    lines = _hypothesis_lines(hyp_doc)
    if one_document:
        return [lines]
    if len(groups) != len(lines):
        raise InputError(
            f"has {len(lines)} lines but --ref-docids names {len(groups)} documents; "
            "with --resegment each hypothesis line is one document, in the order "
            "the ids first appear",
            hyp_doc.path,
        )
    return [[line] for line in lines]


def _document_words(
    ref_sents: Sequence[Sentence],
    hyp_doc: Document,
    members: Sequence[int],
    units: Sequence[Sentence],
) -> list[tuple[int, _Span]]:
    """Every hypothesis word of one document, in order, with its reference segment (-1: none).

    Words the alignment leaves without an owner go to the document's first
    segment; owners never decrease along the hypothesis.
    """
    spans = [
        (unit.start + w.start(), unit.start + w.end(), unit)
        for unit in units
        for w in _WORD.finditer(unit.text)
    ]
    ref_words = [
        (w, k)
        for k in members
        if ref_sents[k].removed is None
        for w in _WORD.findall(ref_sents[k].text)
    ]
    owners = align_words(ref_words, [hyp_doc.text[s:e] for s, e, _ in spans])
    fallback = members[0] if members else None
    floor = -1
    out: list[tuple[int, _Span]] = []
    for span, owner in zip(spans, owners, strict=True):
        if owner < 0:
            owner = fallback if fallback is not None else -1
        if owner < 0:
            out.append((-1, span))
            continue
        floor = max(floor, owner)  # owners never decrease along the hypothesis
        out.append((floor, span))
    return out


def _pieces(doc: Document, words: Sequence[tuple[int, int, Sentence]]) -> tuple[Sentence, ...]:
    """The words of one segment as sentences: one per hypothesis line (unit) they span."""
    pieces: list[Sentence] = []
    k = 0
    while k < len(words):
        start, end, unit = words[k]
        e = k + 1
        while e < len(words) and words[e][2] is unit and "\n" not in doc.text[end : words[e][0]]:
            end = words[e][1]
            e += 1
        line = unit.line if doc.segments is not None else doc.line_of(start)
        pieces.append(Sentence(doc.text[start:end], start, end, line))
        k = e
    return tuple(pieces)


def _with_similarity(segments: Sequence[AlignedSegment]) -> tuple[AlignedSegment, ...]:
    from evalharness.align.sentences import pair_similarities

    both = [k for k, s in enumerate(segments) if s.ref and s.hyp]
    sims = pair_similarities(
        [segments[k].ref_text for k in both], [segments[k].hyp_text for k in both]
    )
    value = dict(zip(both, sims, strict=True))
    return tuple(
        AlignedSegment(id=s.id, ref=s.ref, hyp=s.hyp, similarity=value.get(k, 0.0))
        for k, s in enumerate(segments)
    )
