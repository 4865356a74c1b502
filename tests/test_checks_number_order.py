"""Check ``number``: ordered pairs (scores, ranges, "from X to Y") written in reverse."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.text.number_mentions import extract_numbers
from evalharness.checks.text.number_order import ordered_pairs, reversed_pairs


def number_findings(ref: str, hyp: str) -> list:
    return list(find_errors(line_segments([ref], [hyp]), {}, checks=["number"])[0])


@pytest.mark.parametrize(
    ("ref", "hyp", "ref_span", "hyp_span"),
    [
        ("Braga beat Guimarães 2-1 on Sunday.", "Braga defeated Guimarães 1-2 on Sunday.",
         "2-1", "1-2"),
        ("Occupancy will rise from 60% to 85% in May.", "Occupancy will climb from 85% to 60% in May.",
         "60% to 85%", "85% to 60%"),
        ("The works ran from 2010–2015.", "The works ran from 2015–2010.", "2010–2015", "2015–2010"),
        ("Das Spiel endete 3:1.", "Das Spiel endete 1:3.", "3:1", "1:3"),
        ("Die Quote stieg von 60 auf 85 Prozent.", "Die Quote stieg von 85 auf 60 Prozent.",
         "60 auf 85 Prozent", "85 auf 60 Prozent"),
    ],
)
def test_a_reversed_pair_is_a_number_finding(ref: str, hyp: str, ref_span: str, hyp_span: str) -> None:
    found = number_findings(ref, hyp)
    assert [(f.check, f.category, f.severity, f.ref_span, f.hyp_span) for f in found] == [
        ("number", "accuracy/mistranslation", "major", ref_span, hyp_span)
    ]
    assert "order" in found[0].message


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        ("Braga beat Guimarães 2-1 on Sunday.", "On Sunday Braga won 2-1 against Guimarães."),
        ("The tournament grew from 16 to 24 teams.", "The tournament went from 16 to 24 teams."),
        # "between X and Y" says nothing by its order.
        ("It will cost between 8 and 12 euros.", "It will cost between 12 and 8 euros."),
        # Two separate numbers in another order are a paraphrase.
        ("It killed 80 people and injured 15.", "It injured 15 and killed 80 people."),
        # Both orders in the hypothesis: the reference's pair is there.
        ("The score went 2-1.", "The score went 2-1, not 1-2."),
    ],
)
def test_same_order_and_unordered_pairs_stay_unflagged(ref: str, hyp: str) -> None:
    assert [f for f in number_findings(ref, hyp) if "order" in f.message] == []


def test_pairs_need_a_join_between_consecutive_numbers() -> None:
    text = "Scores 2-1 and 3 4, from 5 to 7, between 8 and 9"
    assert [(p.first.text, p.second.text) for p in ordered_pairs(text, extract_numbers(text))] == [
        ("2", "1"), ("5", "7")]
    ref, hyp = "won 2-1", "won 1-2"
    assert len(reversed_pairs(ref, extract_numbers(ref), hyp, extract_numbers(hyp))) == 1
