"""Check ``number``: values compared across wordings; changed, missing and added numbers."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.text.number_mentions import extract_numbers


def keys(text: str) -> list[str]:
    return [m.key for m in extract_numbers(text)]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("15,000 troops", "15000 troops"),
        ("15,000 troops", "15 thousand troops"),
        ("fifteen thousand troops", "15,000 troops"),
        ("on 29 September", "on September 29th"),
        ("on 3 Oct.", "on October 3"),
        ("rose 5%", "rose 5 per cent"),
        ("rose 5 percent", "rose 5%"),
        ("a $5bn loan", "a 5 billion dollar loan"),
        ("1.2 million people", "1,200,000 people"),
        ("2.5m viewers", "two and a half million viewers"),
        ("half a million", "500,000"),
        ("two ministers", "2 ministers"),
        ("the A24 motorway", "the A-24 motorway"),
        ("the 1990s", "the '90s"),
        ("the 3rd round", "the third round"),
    ],
)
def test_same_value_in_other_words(a: str, b: str) -> None:
    assert keys(a) == keys(b) != []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Avoid placing the device near heat.", []),
        ("1. Charge it before use.", []),
        ("15 people died.", ["value:15"]),
        ("The COVID-19 rules may change.", ["code:COVID19"]),
        ("one of them", []),
        ("Prices may rise 4 percent.", ["value:4"]),
        ("In May 2023 it rained.", ["month:5", "value:2023"]),
        ("It opened in May.", ["month:5"]),
    ],
)
def test_what_is_not_a_quantity(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def findings(ref: str, hyp: str):
    (found,) = find_errors(line_segments([ref], [hyp]), {}, checks=["number"])
    return found


@pytest.mark.parametrize(
    ("ref", "hyp", "ref_span", "hyp_span"),
    [
        ("The quake killed 1,250 people.", "The quake killed 1,520 people.", "1,250", "1,520"),
        ("Prices rose 4.8% in March.", "Prices rose 8.4% in March.", "4.8%", "8.4%"),
        ("The vote is on 12 June.", "The vote is on 21 June.", "12 June", "21 June"),
        ("The vote is in June.", "The vote is in July.", "June", "July"),
        ("Inflation peaked in 2019.", "Inflation peaked in 2018.", "2019", "2018"),
        ("It cost $3bn.", "It cost $3m.", "$3bn", "$3m"),
    ],
)
def test_changed_value_is_major_mistranslation(ref: str, hyp: str, ref_span: str, hyp_span: str) -> None:
    (changed,) = findings(ref, hyp)
    assert (changed.category, changed.severity) == ("accuracy/mistranslation", "major")
    assert (changed.ref_span, changed.hyp_span) == (ref_span, hyp_span)
    assert hyp[changed.hyp_start : changed.hyp_end] == hyp_span
    assert ref[changed.ref_start : changed.ref_end] == ref_span


def test_currency_change_with_the_same_value() -> None:
    (changed,) = findings("It raised $40 million.", "It raised 40 million yuan.")
    assert changed.severity == "major"
    assert "Unit changed" in changed.message


def test_reordered_numbers_pair_by_digits_not_position() -> None:
    ref = "In 2009 there were 0.210 billion users and in 2018 0.269 billion."
    hyp = "In 2018 there were 2.69 billion users and in 2009 2.1 billion."
    pairs = sorted((f.ref_span, f.hyp_span) for f in findings(ref, hyp))
    assert pairs == [("0.210 billion", "2.1 billion"), ("0.269 billion", "2.69 billion")]


@pytest.mark.parametrize(
    ("ref", "hyp", "category", "severity"),
    [
        ("Police detained 340 protesters.", "Police detained protesters.", "accuracy/omission", "major"),
        ("Police detained two protesters.", "Police detained protesters.", "accuracy/omission", "minor"),
        ("Police detained protesters.", "Police detained 340 protesters.", "accuracy/addition", "major"),
        ("It happened last year.", "It happened in 2022.", "accuracy/addition", "minor"),
    ],
)
def test_number_on_one_side_only(ref: str, hyp: str, category: str, severity: str) -> None:
    (only,) = findings(ref, hyp)
    assert (only.category, only.severity) == (category, severity)


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        ("US forces deployed 15,000 troops.", "The US deployed 15000 troops."),
        ("Talks resume on 29 September.", "Talks resume on September 29."),
        ("It borrowed $5bn.", "It borrowed 5 billion dollars."),
        ("Two ministers resigned.", "2 ministers resigned."),
        ("Turnout was 61 per cent.", "Turnout was 61%."),
        ("3 Keep the device dry.", "Please keep the device dry."),
    ],
)
def test_equivalent_numbers_report_nothing(ref: str, hyp: str) -> None:
    assert findings(ref, hyp) == ()


def test_number_in_the_neighbouring_segment_is_not_missing() -> None:
    refs = ["Rescuers found 42 survivors.", "More were missing."]
    hyps = ["Rescuers found survivors.", "42 were found, more were missing."]
    assert find_errors(line_segments(refs, hyps), {}, checks=["number"]) == ((), ())


def test_two_rendered_as_neither_or_both_is_not_missing() -> None:
    from evalharness.checks import find_errors, line_segments

    (found,) = find_errors(line_segments(
        ["He does not think either of the two parties will agree."],
        ["He believes neither party will agree."]), {}, checks=["number"])
    assert found == ()
