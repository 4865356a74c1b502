"""Cleaning: wire credits ("Agency/Photographer") glued to a sentence start."""

from __future__ import annotations

import pytest

from evalharness.inputs.clean import clean_document
from evalharness.records import Document


def _removed(text: str) -> list[tuple[str | None, str]]:
    cleaned = clean_document(Document(path="x.txt", text=text, format="text", role="hyp"))
    return [(b.removed, b.text) for b in cleaned.blocks if b.removed]


def _kept(text: str) -> list[str]:
    cleaned = clean_document(Document(path="x.txt", text=text, format="text", role="hyp"))
    return [b.text for b in cleaned.blocks if not b.removed]


@pytest.mark.parametrize(
    ("line", "credit", "rest"),
    [
        ("Reuters/Jane DoeThe minister said the talks would resume.", "Reuters/Jane Doe",
         "The minister said the talks would resume."),
        ("AFP/Getty ImagesThe minister said the talks would resume.", "AFP/Getty Images",
         "The minister said the talks would resume."),
        ("AFP/Getty Images The minister said the talks would resume.", "AFP/Getty Images",
         "The minister said the talks would resume."),
        # An agency the credit list does not know, and a three-word name.
        ("Sputnik/Ivan Petrov SokolovThe Kremlin said the talks would resume.",
         "Sputnik/Ivan Petrov Sokolov", "The Kremlin said the talks would resume."),
        ("EPA-EFE/Lola de la Cruz\"We will win,\" the coach said after training.",
         "EPA-EFE/Lola de la Cruz", "\"We will win,\" the coach said after training."),
        ("AP/John Smith He left the building before noon on Friday.", "AP/John Smith",
         "He left the building before noon on Friday."),
    ],
)
def test_a_wire_credit_is_split_off_the_sentence(line: str, credit: str, rest: str) -> None:
    assert _removed(line) == [("credit", credit)]
    assert _kept(line) == [rest]


@pytest.mark.parametrize(
    "line",
    [
        "Reuters/Ipsos polls show support for the plan has grown this year.",
        "The price/earnings ratio of Acme Corp rose sharply in the third quarter.",
        "Input/Output rates rose in the third quarter of the year, the firm said.",
        "He met Reuters/Jane Doe at the airport on Monday morning.",
    ],
)
def test_sentences_with_slashes_are_kept_whole(line: str) -> None:
    assert _removed(line) == []
