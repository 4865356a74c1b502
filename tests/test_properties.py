"""Property-based robustness: random Unicode through every stage, no crash, full coverage."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evalharness.align.sentences import align_sentences
from evalharness.errors import InputError
from evalharness.inputs import formats as eio
from evalharness.inputs.clean import clean_document
from evalharness.inputs.sentences import split_sentences
from evalharness.metrics import get_metric
from evalharness.records import Document

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

WORDS = st.sampled_from(
    ["the", "Prof.", "U.S.", "Dr", "said", "15,000", "“Quote”", "Maria", "élan", "naïve",
     "北京", "東京", "مرحبا", "שלום", "Привет", "!", "?", ".", ",", "—", "e.g.", "St.", "A24",
     "\u200f", "👍", "x" * 300]
)  # fmt: skip
SENTENCE = st.lists(WORDS, min_size=0, max_size=25).map(" ".join)
LINE = st.one_of(SENTENCE, st.text(max_size=200), st.just(""), st.just("   "))
DOCUMENT = st.lists(LINE, min_size=0, max_size=30).map("\n".join)


def _document(text: str, role: str = "ref") -> Document:
    return Document(path=f"<{role}>", text=text, format="text", role=role)  # type: ignore[arg-type]


def _covered(doc_text: str, spans: list[tuple[int, int]]) -> None:
    """Every non-whitespace character lies in exactly one span, spans in order."""
    last = 0
    for start, end in spans:
        assert last <= start <= end <= len(doc_text)
        assert not doc_text[last:start].strip(), repr(doc_text[last:start])
        last = end
    assert not doc_text[last:].strip()


@SETTINGS
@given(DOCUMENT)
def test_cleaning_and_splitting_cover_every_character(text: str) -> None:
    doc = _document(text)
    cleaned = clean_document(doc)
    _covered(text, [(b.start, b.end) for b in cleaned.blocks])
    sentences = split_sentences(cleaned)
    _covered(text, [(s.start, s.end) for s in sentences])
    for s in sentences:
        assert s.text.strip()
        assert s.line == doc.line_of(s.start)


@SETTINGS
@given(DOCUMENT, DOCUMENT)
def test_alignment_uses_every_sentence_once_in_order(ref_text: str, hyp_text: str) -> None:
    ref = split_sentences(clean_document(_document(ref_text)))
    hyp = split_sentences(clean_document(_document(hyp_text, "hyp")))
    segments = align_sentences(ref, hyp)
    assert [s for seg in segments for s in seg.ref] == list(ref)
    assert [s for seg in segments for s in seg.hyp] == list(hyp)
    assert [seg.id for seg in segments] == list(range(len(segments)))
    for seg in segments:
        assert re.fullmatch(r"[0-9]+-[0-9]+", seg.alignment)
        assert seg.ref or seg.hyp


@SETTINGS
@given(st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=12))
def test_metrics_stay_in_range(pairs: list[tuple[str, str]]) -> None:
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    for name in ("bleu", "chrf", "chrf++", "ter"):
        result = get_metric(name).compute(hyps, refs)
        assert result.score is not None and result.score >= 0
        if name != "ter":
            assert result.score <= 100 + 1e-9
        assert len(result.segment_scores) == len(pairs)
        for score in result.segment_scores:
            assert score is not None and score >= 0


@SETTINGS
@given(st.binary(max_size=400))
def test_loader_accepts_or_rejects_cleanly(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("bin")) / "input.txt"
    path.write_bytes(data)
    for fmt in ("auto", "text", "lines", "jsonl", "tsv"):
        try:
            doc = eio.load_document(path, fmt, "ref")
        except InputError as exc:
            assert str(path) in str(exc) and "\n" not in str(exc)
        else:
            assert "\r" not in doc.text


@SETTINGS
@given(DOCUMENT, DOCUMENT)
def test_checks_never_crash_and_spans_match_offsets(ref_text: str, hyp_text: str) -> None:
    from evalharness.checks import find_errors

    ref = split_sentences(clean_document(_document(ref_text)))
    hyp = split_sentences(clean_document(_document(hyp_text, "hyp")))
    segments = align_sentences(ref, hyp)
    assume(segments)
    metrics = {"chrf": get_metric("chrf").compute(
        [s.hyp_text for s in segments], [s.ref_text for s in segments]
    )}
    findings = find_errors(segments, metrics)
    assert len(findings) == len(segments)
    for segment, found in zip(segments, findings, strict=True):
        for f in found:
            assert f.severity in ("minor", "major", "critical")
            if f.hyp_start is not None and f.hyp_end is not None:
                assert segment.hyp_text[f.hyp_start : f.hyp_end] == f.hyp_span
            if f.ref_start is not None and f.ref_end is not None:
                assert segment.ref_text[f.ref_start : f.ref_end] == f.ref_span
