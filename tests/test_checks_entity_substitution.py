"""Check ``entity``: a substitution is judged per segment, not excused by the document."""

from __future__ import annotations

from evalharness.checks import find_errors, line_segments
from evalharness.lang.profiles import parse_language_pair

REF = [
    "The federation said the vote was not close, with Braga winning 14 of the 20 ballots.",
    "Officials met on Tuesday to confirm the result.",
    "Porto, which hosted the final in 2019, had been the favourite until late summer.",
]


def entity_findings(refs: list[str], hyps: list[str], pair: str | None = None) -> list[list]:
    languages = None if pair is None else parse_language_pair(pair)
    found = find_errors(line_segments(refs, hyps), {}, checks=["entity"], languages=languages)
    return [[(f.severity, f.hyp_span, f.ref_span) for f in segment] for segment in found]


def test_a_name_the_document_names_elsewhere_does_not_excuse_a_substitution() -> None:
    hyps = [REF[0].replace("Braga", "Porto"), REF[1], REF[2]]
    assert entity_findings(REF, hyps)[0] == [("major", "Porto", "Braga")]


def test_the_next_sentence_naming_it_on_both_sides_does_not_excuse_it() -> None:
    refs = [REF[0], REF[2]]
    hyps = [REF[0].replace("Braga", "Porto"), REF[2]]
    assert entity_findings(refs, hyps)[0] == [("major", "Porto", "Braga")]
    assert entity_findings(refs, hyps, "en-en")[0] == [("major", "Porto", "Braga")]


def test_a_name_moved_across_a_segment_boundary_is_no_substitution() -> None:
    # The hypothesis says "Braga" one sentence early: alignment slack, not a swap.
    refs = ["The vote was not close this time.", "Braga won 14 of the 20 ballots in the end."]
    hyps = ["The vote for Braga was not close this time.", "It won 14 of the 20 ballots in the end."]
    assert [f for segment in entity_findings(refs, hyps) for f in segment if f[0] == "major"] == []


def test_the_faithful_document_has_no_entity_finding() -> None:
    assert entity_findings(REF, list(REF)) == [[], [], []]
