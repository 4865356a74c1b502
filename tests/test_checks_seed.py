"""The checks on the seed pair (BBC reference, garbled re-translation) through the pipeline."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def seed(seed_system):  # type: ignore[no-untyped-def]
    return [
        (segment, finding)
        for segment, found in zip(seed_system.segments, seed_system.findings, strict=True)
        for finding in found
    ]


def test_swapped_university_is_found_with_both_spans(seed) -> None:
    (segment, swap), = [(s, f) for s, f in seed if f.hyp_span == "University of Assisi"]
    assert (swap.check, swap.category, swap.severity) == ("entity", "accuracy/mistranslation", "major")
    assert swap.ref_span == "Icesi University"
    assert segment.hyp_text[swap.hyp_start : swap.hyp_end] == "University of Assisi"
    assert segment.ref_text[swap.ref_start : swap.ref_end] == "Icesi University"


def test_major_findings_are_exactly_the_real_errors(seed) -> None:
    majors = sorted({(f.check, f.hyp_span, f.ref_span) for _, f in seed if f.severity == "major"})
    assert majors == [
        ("entity", "BBC World News", "BBC Global Journalism"),
        ("entity", "University of Assisi", "Icesi University"),
        ("name", "Mata", "Matta"),
        ("name", "Ruvinsky", "Rouvinski"),
        ("name", "Ruwinski", "Rouvinski"),
    ]


def test_minor_name_variants_and_inconsistency(seed) -> None:
    minors = {(f.check, f.category, f.hyp_span, f.ref_span) for _, f in seed if f.severity == "minor"}
    assert ("name", "fluency/spelling", "Sergei", "Sergey") in minors
    assert ("name", "fluency/spelling", "Andres", "Andrés") in minors
    assert ("name", "fluency/spelling", "Maria", "María") in minors
    assert ("consistency", "terminology/inconsistent", "Ruwinski", "Rouvinski") in minors


def test_removed_boilerplate_is_a_minor_addition(seed) -> None:
    removed = [(s, f) for s, f in seed if not s.ref and s.hyp and s.hyp[0].removed]
    assert {s.hyp[0].removed for s, _ in removed} >= {"address", "byline", "credit"}
    assert all((f.category, f.severity) == ("accuracy/addition", "minor") for _, f in removed)


def test_offsets_match_the_spans(seed) -> None:
    for segment, finding in seed:
        if finding.hyp_start is not None:
            assert segment.hyp_text[finding.hyp_start : finding.hyp_end] == finding.hyp_span
        if finding.ref_start is not None:
            assert segment.ref_text[finding.ref_start : finding.ref_end] == finding.ref_span
