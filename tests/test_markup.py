"""What must survive translation: placeholders, tags, links, code, URLs; punctuation and numbers."""

from __future__ import annotations

import pytest

from evalharness.checks.text.markup import format_items, tag_errors
from evalharness.checks.text.punctuation import final_class, number_value, unbalanced
from evalharness.lang.profiles import get_profile


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Delete {0} of {count}", [("placeholder", "{0}"), ("placeholder", "{count}")]),
        ("{0:N2} EUR", [("placeholder", "{0}")]),
        ("%s and %d and %1$s and %(name)s and %@", [("placeholder", p) for p in ("%s", "%d", "%1$s", "%(name)s", "%@")]),
        ("Hi {{ user }} and ${var}", [("placeholder", "{{user}}"), ("placeholder", "${var}")]),
        ("{n, plural, one {# file} other {# files}}", [("placeholder", "{n, plural, other}")]),
        ("{n, plural, =0 {none} one {# Datei} few {# x} other {# Dateien}}", [("placeholder", "{n, plural, other}")]),
        ("{g, select, male {He} female {She} other {They}}", [("placeholder", "{g, select, female male other}")]),
        ("{when, date, short}", [("placeholder", "{when, date}")]),
        ('<a href="/x" title="Open">go</a><br/>', [("tag", "<a href='/x' title>"), ("tag", "</a>"), ("tag", "<br/>")]),
        ("[docs](https://a.example/d) and `rm -rf {x}`", [("link", "https://a.example/d"), ("code", "rm -rf {x}")]),
        ("See https://a.example/x?y=1, or www.a.example.", [("url", "https://a.example/x?y=1"), ("url", "www.a.example")]),
        ("Mail help@a.example.", [("email", "help@a.example")]),
        # no placeholders: percentages, prose braces, maths
        ("50% off, 100 % sure, 5%d", []),
        ("{ this is prose }", []),
        ("a < b and c > d", []),
    ],
)
def test_format_items(text: str, items: list[tuple[str, str]]) -> None:
    assert [(i.kind, i.key) for i in format_items(text)] == items


def test_items_carry_offsets() -> None:
    text = "Open <b>{name}</b>"
    for item in format_items(text):
        assert text[item.start : item.end] == item.text


def test_attribute_order_and_translated_attributes_do_not_change_the_key() -> None:
    a = format_items('<img src="a.png" alt="A cat" class="x">')
    b = format_items('<img class="x" alt="Eine Katze" src="a.png">')
    assert [i.key for i in a] == [i.key for i in b]
    c = format_items('<img class="y" alt="A cat" src="a.png">')
    assert [i.key for i in a] != [i.key for i in c]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("<b>bold <i>both</i></b>", []),
        ("<i>moved</i> and <b>bold</b>", []),
        ("line<br>break <img src=x>", []),
        ("<b>bold <i>both</b></i>", ["<i> is not closed before </b>"]),
        ("<b>bold", ["<b> is never closed"]),
        ("bold</b>", ["</b> closes a tag that is not open"]),
    ],
)
def test_tag_errors(text: str, problems: list[str]) -> None:
    assert [p for _, p in tag_errors(format_items(text))] == problems


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("Delete?", None, "question"),
        ("削除しますか？", "ja", "question"),
        ("هل تريد الحذف؟", "ar", "question"),
        ("Διαγραφή;", "el", "question"),
        ("Gespeichert.", None, "stop"),
        ("保存しました。", "ja", "stop"),
        ("Loading...", None, "ellipsis"),
        ("Laden…", None, "ellipsis"),
        ("Name:", None, "colon"),
        ("Click <b>Save</b>.", None, "stop"),
        ('He said "yes."', None, "stop"),
        ("Save", None, "none"),
    ],
)
def test_final_class(text: str, language: str | None, kind: str) -> None:
    assert final_class(text, language) == kind


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("„Entwürfe“", []), ("„Entwürfe”", []), ("«Brouillons»", []), ("»Entwürfe«", []),
        ("“Drafts”", []), ('"Drafts"', []), ("(optional) [x]", []), ("don't", []),
        ("「下書き」", []),
        ("„Entwürfe", [(0, "„")]), ("(optional", [(0, "(")]), ("optional)", [(8, ")")]),
        ("«Brouillons", [(0, "«")]),
    ],
)  # fmt: skip
def test_unbalanced_brackets_and_quotes(text: str, problems: list[tuple[int, str]]) -> None:
    assert unbalanced(text) == problems


@pytest.mark.parametrize(
    ("token", "lang", "value"),
    [("2.5", "en", 2.5), ("2.5", "de", None), ("2,5", "de", 2.5), ("1,000", "en", 1000.0),
     ("1,000", "de", 1.0), ("1.234,5", "de", 1234.5), ("1.234,5", "en", None)],
)  # fmt: skip
def test_number_value(token: str, lang: str, value: float | None) -> None:
    assert number_value(token, get_profile(lang)) == value
