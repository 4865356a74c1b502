"""Golden test: the sentence alignment of the seed pair, pinned in tests/cases/bbc/alignment.json.

Every segment of that file was read side by side and checked by hand. The
pipeline (load, clean, split, align) must reproduce it exactly; the issue's
acceptance items are asserted on their own as well, so a failure says which
property broke.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evalharness
from evalharness.inputs import formats as eio
from evalharness.pipeline import document_sentences
from evalharness.records import AlignedSegment, Document

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "cases" / "bbc" / "alignment.json"
REF = ROOT / "references" / "bbc.md"
HYP = ROOT / "hypotheses" / "bbc-garbled.txt"


@pytest.fixture(scope="module")
def run() -> tuple[tuple[AlignedSegment, ...], Document]:
    result = evalharness.evaluate(REF, [HYP], metrics="bleu", run_checks=False, bootstrap_samples=1)
    system = result.systems[0]
    return system.segments, system.document


def _as_golden(seg: AlignedSegment) -> dict[str, Any]:
    return {
        "id": seg.id,
        "alignment": seg.alignment,
        "ref_lines": seg.ref_lines,
        "hyp_lines": seg.hyp_lines,
        "removed": next((s.removed for s in seg.hyp if s.removed), None),
        "ref": [s.text for s in seg.ref],
        "hyp": [s.text for s in seg.hyp],
    }


def test_alignment_matches_the_hand_checked_golden_file(run) -> None:  # type: ignore[no-untyped-def]
    segments, _ = run
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["segments"]
    got = [_as_golden(seg) for seg in segments]
    for expected, actual in zip(golden, got, strict=False):
        assert actual == expected, f"segment {expected['id']} differs"
    assert len(got) == len(golden)


def test_every_reference_sentence_in_exactly_one_segment_in_order(run) -> None:  # type: ignore[no-untyped-def]
    segments, _ = run
    ref_sents = document_sentences(eio.load_document(REF, "markdown", "ref"))
    assert [s for seg in segments for s in seg.ref] == list(ref_sents)


def test_every_hypothesis_character_in_exactly_one_segment_in_order(run) -> None:  # type: ignore[no-untyped-def]
    segments, doc = run
    spans = [(s.start, s.end) for seg in segments for s in seg.hyp]
    last = 0
    for start, end in spans:
        assert last <= start <= end, "hypothesis pieces overlap or go backwards"
        assert not doc.text[last:start].strip(), f"uncovered text: {doc.text[last:start]!r}"
        last = end
    assert not doc.text[last:].strip()
    for seg in segments:
        for s in seg.hyp:
            assert doc.text[s.start : s.end].split() == s.text.split()


def test_boilerplate_and_byline_are_hypothesis_only(run) -> None:  # type: ignore[no-untyped-def]
    segments, _ = run
    address = [seg for seg in segments if "Physical Address" in seg.hyp_text]
    byline = [seg for seg in segments if "Norberto Paredes" in seg.hyp_text]
    assert len(address) == 2 and len(byline) == 1
    for seg in address + byline:
        assert seg.alignment == "0-1" and not seg.ref
        assert all(s.removed for s in seg.hyp)
    assert [seg.hyp[0].removed for seg in address + byline] == ["address", "address", "byline"]


def test_rouvinski_sentence_is_one_segment_with_its_two_renderings(run) -> None:  # type: ignore[no-untyped-def]
    segments, _ = run
    (seg,) = [s for s in segments if "This time, Maduro is completely alone" in s.ref_text]
    assert seg.ref_text == (
        '"This time, Maduro is completely alone," says Prof Rouvinski, '
        'who believes Maduro\'s time is "running out".'
    )
    assert seg.alignment == "1-2"
    assert [s.text for s in seg.hyp] == [
        "Professor Ruwinski said: “This time, Maduro is completely alone.”",
        "He believes that Maduro’s time is “running out.”",
    ]


def test_question_and_attribution_are_two_one_to_one_segments(run) -> None:  # type: ignore[no-untyped-def]
    """Once a 2-2 segment; the sentence boundaries agree, so it is two 1-1 segments."""
    segments, _ = run
    (question,) = [s for s in segments if "what has changed?" in s.ref_text]
    (professor,) = [s for s in segments if s.ref_text.startswith("Prof Fernando Reyes Matta")]
    assert question.alignment == professor.alignment == "1-1"
    assert question.hyp_text.startswith("So what has changed")
    assert professor.hyp_text.startswith("Professor Fernando Reyes Mata")
    assert professor.id == question.id + 1
