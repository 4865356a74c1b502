"""The error checks per target language (issue 11, item 4), on vendored data in tests/data/langs."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.base import language_support
from evalharness.checks.builtin.language import main_script
from evalharness.checks.text.language_rules import keep_names
from evalharness.checks.text.number_mentions import extract_numbers
from evalharness.checks.text.numbers_locale import cjk_numeral_value, spelled_values
from evalharness.checks.text.wordalign import content_words
from evalharness.lang.profiles import get_profile, parse_language_pair
from evalharness.lang.words import is_international
from evalharness.records import Finding

DATA = Path(__file__).parent / "data" / "langs"


def lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def findings(refs: list[str], hyps: list[str], srcs: list[str] | None, spec: str | None,
             checks: list[str] | None = None) -> list[tuple[Finding, ...]]:
    languages = parse_language_pair(spec) if spec else None
    return list(find_errors(line_segments(refs, hyps, srcs), {}, has_source=srcs is not None,
                            checks=checks, languages=languages, workers=1))


# --- off-target output -----------------------------------------------------------------


@pytest.mark.parametrize("with_source", [True, False])
def test_russian_for_czech_is_flagged_on_most_segments(with_source: bool) -> None:
    src = lines("cs_ru.en") if with_source else None
    found = findings(lines("cs_ru.cs"), lines("cs_ru.ru"), src, "en-cs", ["language"])
    flagged = [f for fs in found for f in fs if f.check == "language"]
    assert len({id(fs) for fs in found if fs}) >= 0.9 * len(found)
    first = flagged[0]
    assert first.severity == "critical"
    assert first.category == "accuracy/wrong-language"
    assert "Czech" in first.message and "Russian" in first.message


@pytest.mark.parametrize("with_source", [True, False])
def test_real_czech_output_gets_no_language_finding(with_source: bool) -> None:
    src = lines("cs_ru.en") if with_source else None
    found = findings(lines("cs_ru.cs"), lines("cs_ru.mt.cs"), src, "en-cs", ["language"])
    assert not any(found)


def test_single_russian_segments_in_a_czech_document_are_flagged() -> None:
    ref, hyp = lines("cs_ru.cs"), lines("cs_ru.mt.cs")
    mixed = list(hyp)
    for i in (3, 11, 20):
        mixed[i] = lines("cs_ru.ru")[i]
    found = findings(ref, mixed, None, "en-cs", ["language"])
    assert {i for i, fs in enumerate(found) if fs} == {3, 11, 20}
    assert found[3][0].message.startswith("This hypothesis segment")


@pytest.mark.parametrize("limit", [0, 10_000])
def test_identifier_first_or_word_list_first_finds_the_same(
    monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    import evalharness.checks.builtin.language as language

    ref, hyp = lines("cs_ru.cs"), lines("cs_ru.mt.cs")
    mixed = list(hyp)
    for i in (3, 11, 20):
        mixed[i] = lines("cs_ru.ru")[i]
    mixed[5] = "Ten dokument je o tom, co se stalo včera v Praze a v Brně, a nic víc."
    monkeypatch.setattr(language, "IDENTIFY_FIRST_SEGMENTS", limit)
    found = findings(ref, mixed, None, "en-cs", ["language"])
    assert {i for i, fs in enumerate(found) if fs} == {3, 11, 20}


@pytest.mark.parametrize("target", ["zh", "ja", "he"])
def test_word_list_first_path_runs_on_wmt23_targets(
    monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """Large documents look words up first; Chinese has no offline word lookup (needs jieba)."""
    import evalharness.checks.builtin.language as language

    wmt = Path(__file__).parent / "data" / "wmt23"
    ref = (wmt / f"ref.{target}").read_text(encoding="utf-8").splitlines()
    hyp = (wmt / f"GPT4-5shot.{target}").read_text(encoding="utf-8").splitlines()
    mixed = list(hyp)
    mixed[7] = "This sentence was left in English by the system and never translated at all."
    found = {}
    for limit in (0, 10_000):
        monkeypatch.setattr(language, "IDENTIFY_FIRST_SEGMENTS", limit)
        result = findings(ref, mixed, None, f"en-{target}", ["language"])
        found[limit] = {i for i, fs in enumerate(result) if fs}
    assert found[0] == found[10_000]
    assert 7 in found[0]


def test_language_check_needs_a_target_language() -> None:
    assert not any(findings(lines("cs_ru.cs"), lines("cs_ru.ru"), None, None, ["language"]))


# --- names -----------------------------------------------------------------------------


def test_german_nouns_are_not_names_but_names_are() -> None:
    assert not is_international("sekunde", "de")
    assert not is_international("zeitalter", "de")
    assert is_international("merkel", "de")
    assert is_international("google", "de")


def test_german_ted_talk_has_far_fewer_entity_majors_with_the_profile() -> None:
    rows = [line.split("\t") for line in lines("ted_ende_talk1.tsv")[1:]]
    src, ref, hyp = ([r[i] for r in rows] for i in (1, 2, 3))

    def entity_majors(spec: str | None) -> int:
        found = findings(ref, hyp, src, spec, ["entity", "name"])
        return sum(f.severity == "major" for fs in found for f in fs)

    english_rules = entity_majors(None)
    assert english_rules >= 10  # capitalised German nouns taken for names
    assert entity_majors("en-de") <= english_rules // 5


def test_keep_names_leaves_caseless_and_english_targets_alone() -> None:
    from evalharness.checks.context import build_context

    segments = line_segments(["Die Sekunde und Angela Merkel."], ["Der Moment und Angela Merkel."])
    context = build_context(segments, {})
    entities = context.ref_entities[0]
    assert keep_names(entities, get_profile("en")) == entities
    assert keep_names(entities, get_profile("he")) == entities
    kept = keep_names(entities, get_profile("de"), "A second and Angela Merkel.")
    assert [e.text for e in kept] == ["Angela Merkel"]


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("10.000 Menschen", 10000.0), ("1,5 Prozent", 1.5), ("10 000 habitants", 10000.0),
     ("12 345,75 Kč", 12345.75)],
)
def test_comma_decimal_numbers(text: str, value: float) -> None:
    assert extract_numbers(text, ",")[0].value == value


def test_equal_values_in_other_formats_are_never_a_finding() -> None:
    found = findings(["Es kamen 10.000 Menschen, das sind 2,5 Prozent."],
                     ["Es kamen 10 000 Menschen, also 2,5 %."], None, "en-de", ["number"])
    assert not any(found)
    changed = findings(["Es kamen 10.000 Menschen."], ["Es kamen 1.000 Menschen."], None,
                       "en-de", ["number"])
    assert changed[0][0].severity == "major"


@pytest.mark.parametrize(
    ("numerals", "value"),
    [("三千五百", 3500.0), ("十二", 12.0), ("二十万", 200000.0), ("二〇二三", 2023.0)],
)
def test_cjk_numerals(numerals: str, value: float) -> None:
    assert cjk_numeral_value(numerals) == value


def test_cjk_numerals_and_full_width_digits_match_digits() -> None:
    found = findings(["他们有3500人，花了２０億元。"], ["他们有三千五百人，花了20億元。"], None,
                     "en-zh", ["number"])
    assert not any(found)


def test_number_words_in_german() -> None:
    assert 2000.0 in spelled_values("Es kamen zweitausend Menschen.", "de")
    found = findings(["Es kamen 2000 Menschen."], ["Es kamen zweitausend Menschen."], None,
                     "en-de", ["number"])
    assert not any(found)


# --- coverage --------------------------------------------------------------------------


def test_german_function_words_are_not_content() -> None:
    words = [w.folded for w in content_words("Der Hund und die Katze sind im Haus.", language="de")]
    assert "und" not in words and "der" not in words
    assert {"hund", "katze", "haus"} <= set(words)


def test_german_lemmas_match_inflected_forms() -> None:
    words = content_words("Die Häuser", language="de")
    assert words[0].stem == content_words("Das Haus", language="de")[0].stem


def test_no_space_languages_get_no_inner_coverage_stretches() -> None:
    ref = ["我们昨天在北京的大学里见到了很多来自世界各地的学生和老师。"]
    hyp = ["我们昨天见到了学生。"]
    found = findings(ref, hyp, None, "en-zh", ["omission", "addition"])
    assert not any(found)


# --- support table ---------------------------------------------------------------------


def test_language_support_names_generic_and_skipped_checks() -> None:
    german = language_support(parse_language_pair("en-de"))
    assert german["entity"] == german["omission"] == german["language"] == "language-specific"
    chinese = language_support(parse_language_pair("en-zh"))
    assert chinese["omission"] == "generic"
    unknown = language_support(parse_language_pair("en-xx"))
    assert unknown["language"] == "skipped" and unknown["number"] == "generic"
    assert language_support(None)["language"] == "skipped"


def test_main_script() -> None:
    assert main_script("Привет, Praha!") == "cyrillic"
    assert main_script("123") is None


def test_hashtags_alone_are_not_off_target() -> None:
    found = findings(["#WFH #עסקים #מגוון נוירולוגי #בריאות"], ["#WFH #business #neurodiversity #health"],
                     None, "en-he", ["language"])
    assert not any(found)
