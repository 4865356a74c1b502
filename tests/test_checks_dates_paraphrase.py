"""Dates per language, number words via number-parser, and paraphrase in clitic languages."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.text.dates_locale import local_dates
from evalharness.checks.text.number_mentions import extract_numbers
from evalharness.checks.text.numbers_locale import spelled_values
from evalharness.checks.text.paraphrase import cores, echoed, longer_by_enough
from evalharness.checks.text.wordalign import content_words
from evalharness.lang.profiles import parse_language_pair
from evalharness.records import Finding


def findings(refs: list[str], hyps: list[str], spec: str, checks: list[str]) -> list[Finding]:
    found = find_errors(line_segments(refs, hyps), {}, has_source=False, checks=checks,
                        languages=parse_language_pair(spec), workers=1)
    return [f for fs in found for f in fs]


@pytest.mark.parametrize(("text", "code", "month", "day", "year"), [
    ("Am 16. Mai 2023 kam er.", "de", 5, 16, 2023),
    ("Přijel 3. listopadu.", "cs", 11, 3, None),
    ("会议于2023年5月16日举行。", "zh", 5, 16, 2023),
    ("２０２３年５月１６日", "ja", 5, 16, 2023),
    ("Il est venu le 16 mai 2023.", "fr", 5, 16, 2023),
    ("el 16 de mayo de 2023", "es", 5, 16, 2023),
    ("16 мая 2023 г.", "ru", 5, 16, 2023),
    ("ב-16 במאי 2023", "he", 5, 16, 2023),
    ("2023. május 16.", "hu", 5, 16, 2023),
    ("am 16.05.2023", "de", 5, 16, 2023),
    ("on 05/16/2023", "en", 5, 16, 2023),
    ("le 16/05/2023", "fr", 5, 16, 2023),
    ("2023-05-16", "de", 5, 16, 2023),
])
def test_dates_in_each_language(text: str, code: str, month: int, day: int,
                                year: int | None) -> None:
    (date,) = local_dates(text, code)
    assert (date.month, date.day, date.year) == (month, day, year)


def test_locale_order_decides_ambiguous_numeric_dates() -> None:
    assert local_dates("04/03/2023", "en")[0][2:4] == (4, 3)  # M/d/y: April 3
    assert local_dates("04/03/2023", "fr")[0][2:4] == (3, 4)  # d/M/y: 4 March
    assert local_dates("16/05/2023", "en")[0][2:4] == (5, 16)  # no month 16: read d/M


def test_numbers_that_are_not_dates() -> None:
    assert local_dates("1.500.000 Euro", "de") == []
    assert local_dates("Call 1-800-950-6264", "en") == []
    assert local_dates("im Mai", "de") == []


def test_equal_dates_in_other_formats_are_never_a_finding() -> None:
    refs = ["Am 16. Mai 2023 begann der Prozess.", "Der Vertrag lief bis 3.4.2021."]
    hyps = ["Der Prozess begann am 16.05.2023.", "Der Vertrag lief bis 3. April 2021."]
    assert findings(refs, hyps, "en-de", ["number"]) == []
    assert findings(["会议于2023年5月16日举行。"], ["2023年5月16日举行了会议。"], "en-zh",
                    ["number"]) == []


def test_different_dates_are_number_findings() -> None:
    found = findings(["Am 16. Mai 2023 begann der Prozess."],
                     ["Der Prozess begann am 17. Mai 2023."], "en-de", ["number"])
    assert [(f.check, f.severity, f.ref_span, f.hyp_span) for f in found] == [
        ("number", "major", "16. Mai", "17. Mai")]
    swapped = findings(["Le contrat court jusqu'au 04/03/2023."],
                       ["Le contrat court jusqu'au 03/04/2023."], "en-fr", ["number"])
    assert [f.category for f in swapped] == ["accuracy/mistranslation"]


def test_times_on_the_hour_match_bare_hours() -> None:
    refs = ["ניתן לפנות בימי שני עד שישי, בין השעות 10-22"]
    hyps = ["ניתן ליצור קשר בימים שני עד שישי, 10:00-22:00"]
    assert findings(refs, hyps, "en-he", ["number"]) == []
    changed = findings(refs, ["ניתן ליצור קשר בימים שני עד שישי, 11:00-22:00"], "en-he", ["number"])
    assert {f.ref_span or f.hyp_span for f in changed} == {"10", "11:00"}


def test_number_words_through_number_parser() -> None:
    assert spelled_values("Пришли двадцать пять человек.", "ru") == {25.0}
    assert spelled_values("पच्चीस लोग आए", "hi") == {25.0}
    assert spelled_values("Пришли люди.", "ru") == frozenset()
    refs, hyps = ["Пришли 25 человек."], ["Пришли двадцать пять человек."]
    assert findings(refs, hyps, "en-ru", ["number"]) == []
    assert findings(refs, ["Пришли двадцать шесть человек."], "en-ru", ["number"])


def test_german_dates_do_not_disturb_amounts() -> None:
    found = extract_numbers("10.000 Euro am 16. Mai", ",", False, "de")
    assert [(m.kind, m.key) for m in found] == [("money", "value:10000"), ("date", "date:5-16")]


# --- paraphrase in languages with clitic prefixes -------------------------------------


def test_hebrew_clitics_are_stripped_and_clitic_function_words_are_not_content() -> None:
    assert "טראמפ" in cores("לטראמפ", "he")
    assert cores("לטראמפ", "de") == ("לטראמפ",)
    words = {w.folded for w in content_words("ואז ללא כזה שאתה מכרסמים", language="he")}
    assert words == {"מכרסמים"}


def test_echoes_by_character_bigrams() -> None:
    assert echoed("לתקיפתה", ["בתקיפה", "נוער"], "he")
    assert not echoed("חנינה", ["יחון", "טראמפ"], "he")
    assert echoed("zeitalters", ["zeitalter"], "de")


def test_length_surplus() -> None:
    assert longer_by_enough("a b c d e f g h i j", "a b", ["d e f g"])
    assert not longer_by_enough("a b c d e f", "a b c x y", ["d e f"])


def test_hebrew_paraphrase_is_not_an_addition_but_a_dropped_clause_is() -> None:
    # WMT23 en-he refA/refB line 66 style: the same content in other words.
    ref = "אסור לחזור על זה."
    para = "אסור לתת לזה לקרות שוב."
    assert findings([ref], [para], "en-he", ["addition", "omission"]) == []
    full = ("ארבעה בני נוער בניו ג'רזי הואשמו בתקיפה של נערה בת 14 שלאחר מכן התאבדה "
            "אחרי שסרטון של התקרית פורסם ברשתות החברתיות.")
    short = "ארבעה בני נוער בניו ג'רזי הואשמו בתקיפה של נערה בת 14."
    dropped = findings([full], [short], "en-he", ["omission"])
    assert [f.severity for f in dropped] == ["major"]
