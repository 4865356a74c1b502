"""Checks ``entity``, ``name`` and ``consistency`` on realistic news sentences."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.records import Finding


def run(refs: list[str], hyps: list[str], checks: list[str] | None = None):
    return find_errors(line_segments(refs, hyps), {}, checks=checks)


def majors(findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity != "minor"]


def test_institution_swapped_for_another_reports_both_spans() -> None:
    ref = "The study was led by researchers at Makerere University in Kampala."
    hyp = "The study was led by researchers at the University of Nairobi in Kampala."
    (found,) = run([ref], [hyp])
    (swap,) = [f for f in found if f.check == "entity"]
    assert (swap.category, swap.severity) == ("accuracy/mistranslation", "major")
    assert (swap.hyp_span, swap.ref_span) == ("University of Nairobi", "Makerere University")
    assert hyp[swap.hyp_start : swap.hyp_end] == swap.hyp_span
    assert ref[swap.ref_start : swap.ref_end] == swap.ref_span


def test_person_swapped_for_another_person() -> None:
    ref = "Foreign Minister Annalena Baerbock arrived in Kyiv on Friday."
    hyp = "Foreign Minister Nancy Faeser arrived in Kyiv on Friday."
    (found,) = run([ref], [hyp])
    assert [(f.check, f.hyp_span, f.ref_span) for f in majors(found)] == [
        ("entity", "Nancy Faeser", "Annalena Baerbock")
    ]


def test_place_swapped_in_the_same_position() -> None:
    ref = "Flooding has displaced thousands of families in Mozambique since March."
    hyp = "Flooding has displaced thousands of families in Madagascar since March."
    (found,) = run([ref], [hyp])
    assert [(f.hyp_span, f.ref_span) for f in majors(found)] == [("Madagascar", "Mozambique")]


def test_misspelt_person_name_is_major_spelling() -> None:
    ref = "The report was written by Dr Reinhold Kowalczyk of the Hamburg Institute."
    hyp = "The report was written by Dr Reinhold Kowalcyk of the Hamburg Institute."
    (found,) = run([ref], [hyp])
    (spelling,) = majors(found)
    assert (spelling.check, spelling.category) == ("name", "fluency/spelling")
    assert (spelling.hyp_span, spelling.ref_span) == ("Kowalcyk", "Kowalczyk")
    assert hyp[spelling.hyp_start : spelling.hyp_end] == "Kowalcyk"


def test_second_mention_misspelt_after_a_correct_one() -> None:
    ref = "Ghana exports cocoa, and Ghana imports rice."
    hyp = "Ghana exports cocoa, and Ghanna imports rice."
    (found,) = run([ref], [hyp])
    assert [(f.check, f.hyp_span) for f in majors(found)] == [("name", "Ghanna")]


@pytest.mark.parametrize(
    ("ref", "hyp", "check", "span"),
    [
        ("Russian envoy Sergey Lavrov met them.", "Russian envoy Sergei Lavrov met them.", "name",
         "Sergei"),
        ("The talks were hosted by José Núñez in Lima.", "The talks were hosted by Jose Nunez in Lima.",
         "name", "Jose"),
    ],
)
def test_transliteration_and_diacritics_are_minor(ref: str, hyp: str, check: str, span: str) -> None:
    (found,) = run([ref], [hyp])
    assert not majors(found)
    assert (check, span) in [(f.check, f.hyp_span) for f in found]


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        ("Sanctions were imposed by the US in May.", "Sanctions were imposed by the United States in May."),
        ("The UK said it would respond.", "The United Kingdom said it would respond."),
        ("He spoke to The Guardian on Monday.", "He spoke to the Guardian on Monday."),
        ("Xi Jinping met the delegation in Beijing.", "Xi met the delegation in Beijing."),
        ("She directs the Centre for Asian Studies at Leeds.",
         "She directs the Asian Studies Center at Leeds."),
        ("Prof Hanna Berg disagreed.", "Professor Hanna Berg disagreed."),
        ("The World Health Organization issued a warning.", "The WHO issued a warning."),
        ("The Chinese PLA held drills near the strait.",
         "The People's Liberation Army of China held drills near the strait."),
        ("The simulation was done by the National Aeronautics and Space Administration Goddard group.",
         "The simulation was done by NASA Goddard's group."),
        ("The American seizure of the tanker angered Caracas.",
         "The seizure of the tanker by the U.S. angered Caracas."),
        ("Officials in Ankara and Tehran met.", "Officials in Tehran and Ankara met."),
    ],
)
def test_acceptable_variation_is_not_major(ref: str, hyp: str) -> None:
    (found,) = run([ref], [hyp])
    assert majors(found) == []


def test_name_missing_from_the_hypothesis_is_a_minor_omission() -> None:
    (found,) = run(["Police in Lagos arrested the suspect."], ["Police arrested the suspect."])
    assert [(f.check, f.category, f.severity, f.ref_span) for f in found] == [
        ("entity", "accuracy/omission", "minor", "Lagos")
    ]


def test_name_rendered_in_the_next_segment_is_not_missing() -> None:
    refs = ["Talks resumed in Doha on Sunday.", "Both sides attended."]
    hyps = ["Talks resumed on Sunday.", "Both sides attended in Doha."]
    assert run(refs, hyps, checks=["entity"]) == ((), ())


def test_inconsistent_spellings_of_one_name_across_the_document() -> None:
    refs = [
        "Prof Tomasz Wiśniewski leads the team.",
        "Wiśniewski said the data were clear.",
        "Critics of Wiśniewski were not convinced.",
    ]
    hyps = [
        "Professor Tomasz Wisniewski leads the team.",
        "Wisniewski said the data were clear.",
        "Critics of Wisnewski were not convinced.",
    ]
    found = run(refs, hyps, checks=["consistency"])
    assert found[0] == found[1] == ()
    (inconsistent,) = found[2]
    assert inconsistent.category == "terminology/inconsistent"
    assert inconsistent.severity == "minor"
    assert (inconsistent.hyp_span, inconsistent.ref_span) == ("Wisnewski", "Wiśniewski")
    assert "Wisniewski" in inconsistent.message


def test_consistent_rendering_reports_nothing() -> None:
    refs = ["Ms Ama Mensah spoke first.", "Mensah then left."]
    hyps = ["Ms Ama Mensah spoke first.", "Mensah then left."]
    assert run(refs, hyps) == ((), ())
