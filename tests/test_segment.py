"""Sentence splitting: abbreviations, quotes, line breaks, coverage, seed and long-form data."""

from __future__ import annotations

import random
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalharness.inputs.clean import clean_document
from evalharness.inputs.formats import load_document
from evalharness.inputs.sentences import (
    build_tokenizer,
    is_hard_wrapped,
    split_sentences,
    split_text,
)
from evalharness.records import Document, Sentence

ROOT = Path(__file__).resolve().parents[1]
LONGFORM = ROOT / "tests" / "data" / "acl6060_en-de"


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_text(text)]


def assert_spans_cover(text: str, spans: Sequence[tuple[int, int]]) -> None:
    """Spans are ordered, stripped, disjoint, and cover every non-whitespace character."""
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        assert text[position:start].strip() == ""
        assert text[start].strip() and text[end - 1].strip()
        position = end
    assert text[position:].strip() == ""


def assert_sentences_cover(doc: Document, sentences: Sequence[Sentence]) -> None:
    assert_spans_cover(doc.text, [(s.start, s.end) for s in sentences])
    for sentence in sentences:
        assert sentence.line == doc.line_of(sentence.start)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prof. Smith said it. Then he left.", ["Prof. Smith said it.", "Then he left."]),
        ("The U.S. economy grew. Prices rose.", ["The U.S. economy grew.", "Prices rose."]),
        ("Use a tool, e.g. this one. It works.", ["Use a tool, e.g. this one.", "It works."]),
        (
            "He lives at No. 10 Downing Street. It is old.",
            ["He lives at No. 10 Downing Street.", "It is old."],
        ),
        (
            "Dr. Who said who he was. Mr. Smith agreed.",
            ["Dr. Who said who he was.", "Mr. Smith agreed."],
        ),
        (
            "She met Gen. Smith at 5 p.m. on Monday. They talked.",
            ["She met Gen. Smith at 5 p.m. on Monday.", "They talked."],
        ),
        (
            "Mrs. Jones and St. John arrived. They sat down.",
            ["Mrs. Jones and St. John arrived.", "They sat down."],
        ),
        (
            "It was sold by Acme Inc. The buyer paid cash.",
            ["It was sold by Acme Inc.", "The buyer paid cash."],
        ),
        ("He arrived at 5 p.m. The meeting began.", ["He arrived at 5 p.m.", "The meeting began."]),
        (
            "They moved to the U.S. The move was hard.",
            ["They moved to the U.S.", "The move was hard."],
        ),
        (
            "Prices rose approx. 5 per cent in Jan. and Feb. this year.",
            ["Prices rose approx. 5 per cent in Jan. and Feb. this year."],
        ),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“This is it,” he said. Next one.", ["“This is it,” he said.", "Next one."]),
        ("He said: “It is over.” Then he left.", ["He said: “It is over.”", "Then he left."]),
        ('She wrote "Goodbye." Then she left.', ['She wrote "Goodbye."', "Then she left."]),
        ("(This is inside.) Next.", ["(This is inside.)", "Next."]),
        ("She said “Stop!” and left. He stayed.", ["She said “Stop!” and left.", "He stayed."]),
        ("“Why?” she asked. Nobody answered.", ["“Why?” she asked.", "Nobody answered."]),
        ("Il a dit « Non. » Puis il est parti.", ["Il a dit « Non. »", "Puis il est parti."]),
    ],
)
def test_closing_quotes_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Title line\nFirst sentence here. Second one.",
            ["Title line", "First sentence here.", "Second one."],
        ),
        (
            "First paragraph.\n\nSecond paragraph here.",
            ["First paragraph.", "Second paragraph here."],
        ),
        (
            "A line without a stop\nAnother line without one",
            ["A line without a stop", "Another line without one"],
        ),
        (
            "A line that ends without a stop\nand one that starts in lower case",
            ["A line that ends without a stop", "and one that starts in lower case"],
        ),
        ("1. First item here.\n2. Second item.", ["1. First item here.", "2. Second item."]),
        ("我们走吧。他说好！明天见？", ["我们走吧。", "他说好！", "明天见？"]),
        ("Wait... what happened? Nobody knows!", ["Wait... what happened?", "Nobody knows!"]),
    ],
)
def test_line_breaks_lists_and_cjk(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


WRAPPED = """\
The council met on Tuesday to discuss the budget for the coming year, and
the mayor said that the city would have to cut spending on roads, parks and
libraries. Several members objected to the plan. They said that the cuts
would hurt the poorest districts most, and asked for a vote before the end
of the month.

- A list item stays apart
# A heading stays apart
The second paragraph is short.
"""


def test_hard_wrapped_paragraphs_are_joined() -> None:
    sentences = [" ".join(s.split()) for s in _sentences(WRAPPED)]
    assert sentences == [
        "The council met on Tuesday to discuss the budget for the coming year, and the mayor "
        "said that the city would have to cut spending on roads, parks and libraries.",
        "Several members objected to the plan.",
        "They said that the cuts would hurt the poorest districts most, and asked for a vote "
        "before the end of the month.",
        "- A list item stays apart",
        "# A heading stays apart",
        "The second paragraph is short.",
    ]


def test_wrapping_the_seed_reference_does_not_change_its_sentences() -> None:
    doc = load_document(ROOT / "references" / "bbc.md", "markdown", "ref")
    paragraphs = [p for p in doc.text.split("\n\n") if p.strip()]
    wrapped = "\n\n".join(textwrap.fill(p.strip(), width=72) for p in paragraphs)
    assert is_hard_wrapped(wrapped)
    expected = [" ".join(doc.text[s:e].split()) for s, e in split_text(doc.text)]
    assert [" ".join(wrapped[s:e].split()) for s, e in split_text(wrapped)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "One sentence per line.\nAnother one follows here.\nAnd a third one.\nAnd a fourth.",
        "Short item one\nShort item two\nShort item three\nShort item four",
        (ROOT / "hypotheses" / "bbc-garbled.txt").read_text(encoding="utf-8"),
    ],
)
def test_line_per_sentence_text_is_not_wrapped(text: str) -> None:
    assert not is_hard_wrapped(text)
    assert all("\n" not in text[s:e] for s, e in split_text(text))


def test_no_punctuation_is_one_sentence() -> None:
    text = "  just some words without any punctuation at all  "
    assert split_text(text) == [(2, len(text) - 2)]


def test_empty_text_has_no_sentences() -> None:
    assert split_text("") == []
    assert split_text(" \n\n\t ") == []


def test_one_megabyte_single_line() -> None:
    rng = random.Random(7)
    words = [
        "".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(1, 9)))
        for _ in range(3000)
    ]
    line = " ".join(rng.choice(words) for _ in range(190_000))[:1_000_000].strip()
    assert split_text(line) == [(0, len(line))]
    dotted = line[:200_000].replace(" a ", ". A ").strip()
    spans = split_text(dotted)
    assert len(spans) > 100
    assert_spans_cover(dotted, spans)


def test_long_run_without_spaces_is_covered() -> None:
    text = "Start here. " + "x.)" * 2000 + " End here."
    assert_spans_cover(text, split_text(text))


def test_training_learns_dotted_abbreviations_but_not_words() -> None:
    text = (
        "The plan was backed by the w.h.o. and officials agreed. "
        "Later the w.h.o. officials met in Geneva. The talks came to an end. and then "
        "they left. In the end they went home."
    )
    abbreviations = build_tokenizer(text)._params.abbrev_types
    assert "w.h.o" in abbreviations
    assert "end" not in abbreviations
    assert _sentences(text)[1] == "Later the w.h.o. officials met in Geneva."


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Word",
                "word",
                "U.S.",
                "Dr.",
                ".",
                "!",
                "?",
                "”",
                "“",
                ")",
                "(",
                " ",
                "  ",
                "\n",
                "\n\n",
                "。",
                "1.",
                "x.)",
            ]
        ),
        max_size=60,
    )
)
def test_spans_always_cover_the_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert_spans_cover(text, split_text(text))


def test_seed_reference_sentences() -> None:
    doc = load_document(ROOT / "references" / "bbc.md", "markdown", "ref")
    sentences = split_sentences(clean_document(doc))
    assert_sentences_cover(doc, sentences)
    assert all(s.removed is None for s in sentences)
    alone = [s for s in sentences if s.text.startswith('"This time, Maduro is completely alone,"')]
    assert len(alone) == 1
    assert alone[0].text.endswith('"running out".')
    # Lines in the file: the sentence's first characters are on its line.
    lines = (ROOT / "references" / "bbc.md").read_text(encoding="utf-8").split("\n")
    for sentence in sentences:
        assert sentence.text[:30] in lines[sentence.line - 1]
    # Two sentences in one paragraph are split; "Prof Rouvinski" is not a break.
    texts = [s.text for s in sentences]
    assert "It has also faced sweeping Western sanctions." in texts


def test_seed_hypothesis_sentences() -> None:
    doc = load_document(ROOT / "hypotheses" / "bbc-garbled.txt", "text", "hyp")
    cleaned = clean_document(doc)
    sentences = split_sentences(cleaned)
    assert_sentences_cover(doc, sentences)
    removed = [s for s in sentences if s.removed is not None]
    assert [(s.removed, s.start, s.end) for s in removed] == [
        (b.removed, b.start, b.end) for b in cleaned.removed
    ]
    assert "\n" not in removed[0].text
    texts = [s.text for s in sentences if s.removed is None]
    assert texts[0].startswith("Venezuelan President")
    quote = next(i for i, t in enumerate(texts) if "This time, Maduro is completely alone." in t)
    assert texts[quote].endswith("alone.”")
    assert texts[quote + 1].endswith("“running out.”")
    assert any("after the U.S. seized the tanker." in t for t in texts)


def test_markdown_sentences_lose_markup_but_keep_offsets() -> None:
    text = (
        "## A **quiet** day\n\nIt rained in [the north](https://example.org/n). Then it stopped.\n"
    )
    doc = Document(path="<t>", text=text, format="markdown", role="ref")
    sentences = split_sentences(clean_document(doc))
    assert [s.text for s in sentences] == [
        "A quiet day",
        "It rained in the north.",
        "Then it stopped.",
    ]
    assert [s.line for s in sentences] == [1, 3, 3]
    assert text[sentences[1].start : sentences[1].end].startswith("It rained in [the north]")


def test_longform_references_are_covered() -> None:
    text = (LONGFORM / "references.txt").read_text(encoding="utf-8")
    spans = split_text(text)
    assert_spans_cover(text, spans)
    # One reference per line, each ending in punctuation: no span crosses a line.
    assert all("\n" not in text[s:e] for s, e in spans)
    assert len(spans) >= len(text.strip().split("\n"))


def test_longform_hypothesis_is_split_into_many_sentences() -> None:
    text = (LONGFORM / "hypotheses.txt").read_text(encoding="utf-8")
    spans = split_text(text)
    assert_spans_cover(text, spans)
    assert len(spans) > 10 * len(text.strip().split("\n"))


def test_splitting_never_downloads_or_reads_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"nltk data access: {args!r}")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    doc = load_document(ROOT / "references" / "bbc.md", "markdown", "ref")
    sentences = split_sentences(clean_document(doc))
    assert len(sentences) > 20
