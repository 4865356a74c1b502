"""Name comparison: acceptable variants, spelling errors and different names."""

from __future__ import annotations

import pytest

from evalharness.checks.text.entities import build_lexicon, extract_entities
from evalharness.checks.text.names import compare_names, compare_words


def name(text: str):
    sentence = f"They met {text} there."
    (entity,) = extract_entities(sentence, [0], build_lexicon([(sentence, [0])]))
    return entity


@pytest.mark.parametrize(
    ("ref", "hyp", "verdict"),
    [
        ("Lavrov", "Lavrov", "same"),
        ("Núñez", "Nunez", "diacritics"),
        ("Adıyaman", "Adiyaman", "diacritics"),
        ("Sergey", "Sergei", "transliteration"),
        ("Dmitry", "Dmitri", "transliteration"),
        ("Aleksandr", "Alexandr", "transliteration"),
        ("Centre", "Center", "variant"),
        ("Organisation", "Organization", "variant"),
        ("China", "Chinese", "variant"),
        ("Russia", "Russian", "variant"),
        ("German", "Germany", "variant"),
        ("Kowalczyk", "Kowalcyk", "misspelled"),
        ("Okafor", "Okafur", "misspelled"),
        ("Modrow", "Modro", "misspelled"),
        ("Nairobi", "Kampala", "different"),
        ("SLR", "DSLR", "different"),
    ],
)
def test_compare_words(ref: str, hyp: str, verdict: str) -> None:
    assert compare_words(ref, hyp) == verdict


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        ("the US", "the United States"),
        ("the U.S.", "the US"),
        ("the UK", "the United Kingdom"),
        ("The Guardian", "the Guardian"),
        ("Xi Jinping", "Xi"),
        ("Centre for Asian Studies", "Asian Studies Center"),
        ("Laboratory of Marine Biology", "Marine Biology Laboratory"),
        ("World Health Organization", "WHO"),
        ("Federal Bureau of Investigation", "FBI"),
        ("European Central Bank Governing Council", "ECB Governing Council"),
        ("Ministry of Foreign Affairs", "Foreign Ministry"),
        ("José Núñez", "Jose Nunez"),
        ("Yevgeny Prigozhin", "Yevgeniy Prigozhin"),
    ],
)
def test_acceptable_variation(ref: str, hyp: str) -> None:
    assert compare_names(name(ref), name(hyp)).acceptable


@pytest.mark.parametrize(
    ("ref", "hyp", "verdict"),
    [
        ("Ngozi Okonjo-Iweala", "Ngozi Okonjo-Iwela", "misspelled"),
        ("Reinhold Kowalczyk", "Kowalcyk", "misspelled"),
        ("Bank of England", "Bank of Japan", "different"),
        ("North Korea", "South Korea", "different"),
        ("Makerere University", "University of Nairobi", "different"),
        ("Hanna Berg", "Anders Lund", "different"),
    ],
)
def test_unacceptable_renderings(ref: str, hyp: str, verdict: str) -> None:
    comparison = compare_names(name(ref), name(hyp))
    assert comparison.verdict == verdict
    assert not comparison.acceptable


def test_misspelling_names_the_words() -> None:
    comparison = compare_names(name("Reinhold Kowalczyk"), name("Reinhold Kowalcyk"))
    assert [(p.ref, p.hyp, p.verdict) for p in comparison.pairs] == [
        ("Reinhold", "Reinhold", "same"),
        ("Kowalczyk", "Kowalcyk", "misspelled"),
    ]


@pytest.mark.parametrize(
    ("ref", "hyp", "verdict"),
    [
        ("Federal", "Fed", "variant"),
        ("Corporation", "Co", "variant"),
        ("Germany", "Germans", "variant"),
        ("Studies", "Study", "variant"),
        ("Wales", "Waled", "misspelled"),
        ("Sweden", "Swedenn", "misspelled"),
        ("Norway", "Norwa", "misspelled"),
        ("Smith", "Smit", "misspelled"),
    ],
)
def test_clipped_forms_and_endings_are_variants_but_typos_are_not(ref, hyp, verdict) -> None:
    assert compare_words(ref, hyp) == verdict


def test_sentence_with_a_multiword_name_is_not_a_headline() -> None:
    from evalharness.checks.text.entities import build_lexicon, extract_entities

    text = ("This short animation made by my friend at Proton Studio shows the scene of "
            "watching the Big Bang from the outside.")
    other = "The big bang of a studio door woke us."
    lexicon = build_lexicon([(text, [0]), (other, [0])])
    names = {e.text: e.strong for e in extract_entities(text, [0], lexicon)}
    assert names["Proton Studio"] is True
