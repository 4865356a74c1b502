"""Name comparison: acceptable variants, spelling errors and different names."""

from __future__ import annotations

import pytest

from evalharness.checks.entities import build_lexicon, extract_entities
from evalharness.checks.names import compare_names, compare_words


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
