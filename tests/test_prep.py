"""Cleaning: content and removed blocks on synthetic news pages and on the seed pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalharness.inputs.clean import (
    clean_document,
    is_byline,
    is_sentence_like,
    strip_inline_markup,
)
from evalharness.inputs.formats import load_document
from evalharness.records import Block, CleanedDocument, Document

ROOT = Path(__file__).resolve().parents[1]
WMT = ROOT / "tests" / "data" / "wmt23_zhen"


def _doc(text: str, fmt: str = "text", role: str = "hyp") -> Document:
    return Document(path="<test>", text=text, format=fmt, role=role)  # type: ignore[arg-type]


def _removed(cleaned: CleanedDocument) -> list[tuple[str | None, str]]:
    return [(b.removed, b.text) for b in cleaned.blocks if b.removed is not None]


def _content_text(cleaned: CleanedDocument) -> str:
    return "\n".join(b.text for b in cleaned.blocks if b.removed is None)


def assert_covers(text: str, blocks: tuple[Block, ...]) -> None:
    """Every non-whitespace character lies in exactly one block, blocks in order."""
    owner = [0] * len(text)
    previous_end = 0
    for block in blocks:
        assert previous_end <= block.start < block.end <= len(text)
        assert text[block.start].strip() and text[block.end - 1].strip()
        for i in range(block.start, block.end):
            owner[i] += 1
        previous_end = block.end
    for i, char in enumerate(text):
        if not char.isspace():
            assert owner[i] == 1, f"character {i} {char!r} covered {owner[i]} times"


NEWS_PAGE = """\
Mailing Address
12 Harbour Road
Springfield, IL 62704
Mailing Address
12 Harbour Road
Springfield, IL 62704

By Maria Lopez

ReutersThe central bank raised interest rates on Tuesday, surprising analysts.
Officials said inflation remained too high.
AFP via Getty ImagesProtesters gathered outside the parliament building.
Share this
Read more: Markets slide after rate decision
Advertisement
The minister, who lives at 10 Elm Street, declined to comment.
Getty Images photographers captured the scene from a nearby roof.
"""


def test_news_page_removals_with_reasons() -> None:
    cleaned = clean_document(_doc(NEWS_PAGE))
    address = "Mailing Address\n12 Harbour Road\nSpringfield, IL 62704"
    assert _removed(cleaned) == [
        ("address", address),
        ("address", address),
        ("byline", "By Maria Lopez"),
        ("credit", "Reuters"),
        ("credit", "AFP via Getty Images"),
        ("boilerplate", "Share this\nRead more: Markets slide after rate decision\nAdvertisement"),
    ]
    content = _content_text(cleaned)
    assert content.startswith("The central bank raised interest rates")
    assert "Protesters gathered outside the parliament building." in content
    assert "The minister, who lives at 10 Elm Street, declined to comment." in content
    assert "Getty Images photographers captured the scene" in content
    assert_covers(NEWS_PAGE, cleaned.blocks)


def test_blocks_point_into_the_text() -> None:
    cleaned = clean_document(_doc(NEWS_PAGE))
    for block in cleaned.blocks:
        assert NEWS_PAGE[block.start : block.end].strip() == block.text


REPEATED_NAVIGATION = """\
World | Business | Sport | Culture
Subscribe to our weekly newsletter

Heavy rain flooded the old town on Sunday.
Firefighters rescued twelve people from their homes.

Firefighters rescued twelve people from their homes.

World | Business | Sport | Culture
Subscribe to our weekly newsletter
"""


def test_repeated_non_prose_groups_are_boilerplate_but_repeated_sentences_stay() -> None:
    cleaned = clean_document(_doc(REPEATED_NAVIGATION))
    menu = "World | Business | Sport | Culture\nSubscribe to our weekly newsletter"
    assert _removed(cleaned) == [("boilerplate", menu), ("boilerplate", menu)]
    assert _content_text(cleaned).count("Firefighters rescued twelve people") == 2
    assert_covers(REPEATED_NAVIGATION, cleaned.blocks)


def test_single_repeated_lines_and_stray_quotes_are_content() -> None:
    text = (
        "The strongest earthquake in sixty years\nIt struck at night.\n”\n"
        "The strongest earthquake in sixty years\nRescuers arrived at dawn.\n”\n"
        "The strongest earthquake in sixty years\n"
    )
    assert _removed(clean_document(_doc(text))) == []


@pytest.mark.parametrize(
    ("line", "credit", "rest"),
    [
        ("Getty ImagesThe president waved to the crowd.", "Getty Images", "The president waved"),
        ("ReutersA man walks past the damaged building.", "Reuters", "A man walks past"),
        ("EPA-EFEOfficials met in Brussels on Monday.", "EPA-EFE", "Officials met"),
        ("AFP via Getty ImagesThe summit ended early.", "AFP via Getty Images", "The summit"),
        ("BloombergShares fell sharply in Tokyo.", "Bloomberg", "Shares fell"),
        ("AFPHe left the building in a hurry.", "AFP", "He left"),
        ("Anadolu via Getty Images“We will win,” he said.", "Anadolu via Getty Images", "“We"),
    ],
)
def test_glued_credit_is_cut_from_the_sentence(line: str, credit: str, rest: str) -> None:
    cleaned = clean_document(_doc(f"Storm hits the coast\n{line}\n"))
    assert _removed(cleaned) == [("credit", credit)]
    content = [b for b in cleaned.blocks if b.removed is None]
    assert content[-1].text.startswith(rest)


@pytest.mark.parametrize(
    "line",
    [
        "Image source, Reuters",
        "Getty Images",
        "AFP via Getty Images",
        "EPA",
        "Reuters/Jane Doe",
        "Photo: John Smith",
        "© AFP",
        "Image source, Jane Doe/BBC",
    ],
)
def test_stand_alone_credit_lines(line: str) -> None:
    text = f"The vote was close.\n{line}\nThe result is due on Friday.\n"
    assert _removed(clean_document(_doc(text))) == [("credit", line)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Getty Images reported record revenue last year.",
        "He said Reuters had seen a copy of the letter.",
        "APIs are changing how news is made.",
        "The company, based at 304 Main Street in Dover, was sold.",
        "Read more about the plan in the report, which was published today.",
        "By the end of the day, the talks had collapsed.",
        "Jane Doe, a former news anchor, joined the campaign.",
        "The Latest News",
        "Additional reporting by Jane Doe",
        "Published in 2019, the book sold a million copies.",
        "March 2020 was a hard month for the airline.",
        "Share prices fell on Monday.",
    ],
)
def test_real_sentences_are_never_removed(sentence: str) -> None:
    cleaned = clean_document(_doc(f"{sentence}\nThe talks resume next week.\n"))
    assert _removed(cleaned) == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", True),
        ("Jane Doe, BBC News", True),
        ("Jane Doeabc news world", True),
        ("Reporter", True),
        ("Senior correspondent", True),
        ("Ahmed Khan, Washington correspondent", True),
        ("Jane Doe and John Roe, Reuters", True),
        ("Maria de la Cruz, CNN", True),
        ("Jane Doe | Staff Writer", True),
        ("Venezuela Crisis Deepens As Allies Retreat", False),
        ("Breaking News", False),
        ("Election Results News", False),
        ("Jane Doe", False),
        ("Jane Doe, 45, was arrested.", False),
        ("Reporters say the war is over", False),
    ],
)
def test_byline_lines(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


def test_byline_only_near_the_top() -> None:
    body = "\n".join(f"Paragraph number {n} says something about the storm." for n in range(8))
    late = clean_document(_doc(f"{body}\nJane Doe, BBC News\n"))
    early = clean_document(_doc(f"Jane Doe, BBC News\n{body}\n"))
    assert _removed(late) == []
    assert _removed(early) == [("byline", "Jane Doe, BBC News")]


def test_navigation_lines() -> None:
    lines = [
        "Share on Facebook | Share on Twitter",
        "Related Topics",
        "Published 2 hours ago",
        "Subscribe",
        "Copy link",
    ]
    text = "Rain is expected tomorrow.\n" + "\n".join(lines) + "\n"
    assert _removed(clean_document(_doc(text))) == [
        ("boilerplate", "\n".join(lines)),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Mon 13 Jan 2025 09.12 GMT",
        "December 13, 2025",
        "5 min read",
        "Listen to this article · 5 min",
        "Follow us on Instagram",
        "© 2025 Example News. All rights reserved.",
        "Watch: The moment the bridge collapsed",
    ],
)
def test_page_furniture_lines(line: str) -> None:
    text = f"Rain is expected tomorrow.\n{line}\nThe storm moves east on Friday.\n"
    assert _removed(clean_document(_doc(text))) == [("boilerplate", line)]


def test_caption_label_is_removed_and_caption_kept() -> None:
    text = "Image source, EPA\nImage caption, Crowds gathered in the square\nThe vote was held.\n"
    cleaned = clean_document(_doc(text))
    assert _removed(cleaned) == [("credit", "Image source, EPA\nImage caption,")]
    assert _content_text(cleaned) == "Crowds gathered in the square\nThe vote was held."


MARKDOWN = """\
# Floods in the north

![A flooded street](/assets/flood.jpg)

Rivers **burst** their banks after [days of rain](https://example.org/rain).

---

{% include share.html %}
"""


def test_markdown_markup_lines_and_inline_markup() -> None:
    cleaned = clean_document(_doc(MARKDOWN, fmt="markdown", role="ref"))
    assert [r for r, _ in _removed(cleaned)] == ["markup", "markup", "markup"]
    content = [b.text for b in cleaned.blocks if b.removed is None]
    assert content == [
        "Floods in the north",
        "Rivers burst their banks after days of rain.",
    ]
    assert_covers(MARKDOWN, cleaned.blocks)


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("## A *quiet* day", "A quiet day"),
        ("> quoted `code` here", "quoted code here"),
        ("- a [link][ref] and <b>tag</b>", "a link and tag"),
        ("snake_case_name stays", "snake_case_name stays"),
    ],
)
def test_strip_inline_markup(markup: str, plain: str) -> None:
    assert strip_inline_markup(markup) == plain


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("The result is due on Friday.", True),
        ("Share this", False),
        ("It rained.", False),
    ],
)
def test_is_sentence_like(line: str, expected: bool) -> None:
    assert is_sentence_like(line) is expected


def test_seed_hypothesis_removals() -> None:
    doc = load_document(ROOT / "hypotheses" / "bbc-garbled.txt", "text", "hyp")
    cleaned = clean_document(doc)
    removed = cleaned.removed
    assert [b.removed for b in removed] == [
        "address",
        "address",
        "byline",
        "credit",
        "credit",
        "credit",
    ]
    assert removed[0].text == removed[1].text
    assert len(removed[0].text.splitlines()) == 3
    assert all(b.text == "Getty Images" for b in removed[3:])
    # The sentences the credits were glued to are kept, starting with a capital.
    for credit in removed[3:]:
        following = next(b for b in cleaned.blocks if b.start >= credit.end)
        assert following.removed is None and following.text[:1].isupper()
        assert following.start == credit.end
    assert_covers(doc.text, cleaned.blocks)


def test_seed_reference_keeps_everything() -> None:
    doc = load_document(ROOT / "references" / "bbc.md", "markdown", "ref")
    cleaned = clean_document(doc)
    assert cleaned.removed == ()
    assert_covers(doc.text, cleaned.blocks)
    paragraphs = [p for p in doc.text.split("\n\n") if p.strip()]
    assert len(cleaned.blocks) == len(paragraphs)


@pytest.mark.parametrize(
    "name",
    [
        "generaltest2023.zh-en.ref.refA.en",
        "generaltest2023.zh-en.hyp.GPT4-5shot.en",
        "generaltest2023.zh-en.hyp.NLLB_Greedy.en",
        "generaltest2023.zh-en.src.zh",
    ],
)
def test_real_news_translations_lose_only_address_lines(name: str) -> None:
    path = WMT / name
    text = path.read_text(encoding="utf-8")
    cleaned = clean_document(_doc(text))
    assert all(b.removed == "address" for b in cleaned.removed)
    assert all(b.text.startswith(("Address:", "Phone:")) for b in cleaned.removed)
    assert len(cleaned.removed) <= 2
    assert_covers(text, cleaned.blocks)


def test_whitespace_only_and_empty_text() -> None:
    assert clean_document(_doc("")).blocks == ()
    assert clean_document(_doc("  \n\n \t\n")).blocks == ()
