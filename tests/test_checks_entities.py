"""Name candidates without a model: runs of capitals, titles, acronyms, sentence starts."""

from __future__ import annotations

import pytest

from evalharness.checks.text.entities import build_lexicon, extract_entities
from evalharness.checks.text.lexicon import tokenize


def entities(text: str, *context: str):
    lexicon = build_lexicon([(t, [0]) for t in (text, *context)])
    return extract_entities(text, [0], lexicon)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Prime Minister Jacinda Ardern met officials of the Bank of England in London on Tuesday.",
            ["Jacinda Ardern", "Bank of England", "London"],
        ),
        ("Officials in Syria and Iran have backed the Ministry of Science and Technology.",
         ["Syria", "Iran", "Ministry of Science and Technology"]),
        ("Fighting spread from Central Asia and the Russian Federation last year.",
         ["Central Asia", "Russian Federation"]),
        ("However, Dr Amara Okafor disagreed with the Nigerian Senate.",
         ["Amara Okafor", "Nigerian Senate"]),
        ("I think the Kremlin's envoy will fly to Ankara.", ["Kremlin", "Ankara"]),
        ("The announcement was made by US President Joe Biden in Delaware.",
         ["US", "Joe Biden", "Delaware"]),
        ("Investors sold Sino-U.S. ventures.", ["Sino", "U.S."]),
    ],
)
def test_extracts_names(sentence: str, expected: list[str]) -> None:
    assert [e.text for e in entities(sentence) if e.strong] == expected


def test_title_makes_a_person_and_is_kept_apart() -> None:
    (envoy,) = [e for e in entities("Deputy Foreign Minister Olena Kovalenko spoke.") if e.kind == "person"]
    assert envoy.text == "Olena Kovalenko"
    assert envoy.title == "Deputy Foreign Minister"


def test_titled_surname_makes_later_mentions_persons() -> None:
    later = entities("Kovalenko said the talks failed.", "Prof Olena Kovalenko spoke on Monday.")
    assert [(e.text, e.kind) for e in later] == [("Kovalenko", "person")]


def test_head_word_and_parenthesised_acronym() -> None:
    found = entities("The World Health Organization (WHO) warned the Lagos State Ministry of Health.")
    who, acronym, ministry = found
    assert (who.text, who.head, who.alias) == ("World Health Organization", "organisation", "WHO")
    assert (acronym.kind, acronym.alias) == ("acronym", "World Health Organization")
    assert (ministry.text, ministry.head) == ("Lagos State Ministry of Health", "ministry")


@pytest.mark.parametrize(
    ("sentence", "context"),
    [
        ("Analysts expect a rate cut.", "Many analysts disagree."),
        ("Once rock solid, the coalition now looks shaky.", ""),
        ("According to officials, nothing changed.", ""),
    ],
)
def test_capital_that_only_opens_a_sentence_is_no_name(sentence: str, context: str) -> None:
    assert entities(sentence, context) == ()


def test_unknown_sentence_opener_is_weak_but_known_one_is_strong() -> None:
    unknown = entities("Rescuers searched the rubble.")
    known = entities("Lisbon is calm.", "The mayor of Lisbon spoke.")
    assert [(e.text, e.strong) for e in unknown] == [("Rescuers", False)]
    assert [(e.text, e.strong) for e in known] == [("Lisbon", True)]


def test_headline_capitals_are_weak() -> None:
    found = entities(
        "Storm Damage Leaves Thousands Without Power",
        "The storm caused damage; thousands of homes lost power.",
    )
    assert found and not any(e.strong for e in found)


def test_sentence_starts_inside_a_segment_string() -> None:
    text = "The vote failed. Analysts were surprised. Berlin said nothing."
    starts = [0, text.index("Analysts"), text.index("Berlin")]
    assert [t.text for t in tokenize(text, tuple(starts)) if t.initial] == ["The", "Analysts", "Berlin"]
    lexicon = build_lexicon([(text, starts), ("Several analysts in Berlin agreed.", [0])])
    assert [e.text for e in extract_entities(text, starts, lexicon)] == ["Berlin"]


def test_offsets_point_into_the_text() -> None:
    text = "Talks between Kenya's Treasury and the IMF resumed."
    for entity in entities(text):
        assert text[entity.start : entity.end] == entity.text
    assert entities(text)[1].words == ("Kenya", "Treasury")
    assert [(e.text, e.strong) for e in entities(text)] == [
        ("Talks", False), ("Kenya's Treasury", True), ("IMF", True)
    ]
