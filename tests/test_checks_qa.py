"""The glossary and format checks on the UI-string test sets (tests/data/qa) and on single cases."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.text.glossary_file import load_glossary
from evalharness.lang.profiles import LanguagePair, get_profile, parse_language_pair
from evalharness.records import Finding

DATA = Path(__file__).resolve().parent / "data" / "qa"
PAIRS = ("en-de", "en-fr")
QA = ("glossary", "format")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def run(rows: list[dict[str, str]], pair: str | None, glossary: Path | None, *, source: bool = True
        ) -> tuple[tuple[Finding, ...], ...]:  # fmt: skip
    segments = line_segments(
        [r["ref"] for r in rows], [r["hyp"] for r in rows], [r["src"] for r in rows] if source else None
    )
    return find_errors(
        segments, {}, has_source=source, workers=1, checks=["glossary", "format", "number"],
        languages=parse_language_pair(pair) if pair else None,
        glossary=load_glossary(glossary) if glossary else None,
    )  # fmt: skip


def label(finding: Finding) -> str:
    return "glossary" if finding.check == "glossary" else f"{finding.check}:{finding.category}"


@pytest.fixture(scope="module")
def ui_runs() -> dict[tuple[str, str], tuple[list[dict[str, str]], tuple[tuple[Finding, ...], ...]]]:
    out = {}
    for pair in PAIRS:
        for kind in ("planted", "clean"):
            rows = read_rows(DATA / f"ui.{pair}.{kind}.tsv")
            out[pair, kind] = (rows, run(rows, pair, DATA / f"glossary.{pair}.tsv"))
    return out


@pytest.mark.parametrize("pair", PAIRS)
def test_every_planted_error_is_found_by_the_right_check(pair: str, ui_runs: dict) -> None:
    rows, found = ui_runs[pair, "planted"]
    for row, findings in zip(rows, found, strict=True):
        expected = [t for t in row["expect"].split() if t != "number"]
        got = [label(f) for f in findings if f.check in QA]
        assert Counter(got) == Counter(expected), (row["hyp"], [f.message for f in findings])
        if "number" in row["expect"].split():
            # numbers with units belong to the number check: found once, there
            assert any(f.check == "number" for f in findings), row["hyp"]


@pytest.mark.parametrize("pair", PAIRS)
def test_clean_copies_get_no_glossary_or_format_finding(pair: str, ui_runs: dict) -> None:
    rows, found = ui_runs[pair, "clean"]
    flagged = [(r["hyp"], f.message) for r, fs in zip(rows, found, strict=True) for f in fs if f.check in QA]
    assert flagged == []


def test_the_test_sets_plant_every_class(ui_runs: dict) -> None:
    planted = Counter(t for pair in PAIRS for r in ui_runs[pair, "planted"][0] for t in r["expect"].split())
    for label_ in ("glossary", "format:design/markup", "format:locale/url", "format:locale/email",
                   "format:locale/number-format", "format:fluency/whitespace",
                   "format:fluency/punctuation", "format:locale/measurement", "number"):  # fmt: skip
        assert planted[label_] >= 1, label_
    negatives = [r for pair in PAIRS for r in ui_runs[pair, "planted"][0] if not r["expect"]]
    assert len(negatives) >= 10  # moved tags, paraphrases, inflected terms


def test_glossary_messages_name_term_line_and_what_was_found(ui_runs: dict) -> None:
    rows, found = ui_runs["en-de", "planted"]
    by_hyp = {r["hyp"]: fs for r, fs in zip(rows, found, strict=True)}
    (account,) = [f for f in by_hyp["Ihr Account wurde erstellt."] if f.check == "glossary"]
    assert "'Konto'" in account.message and "line 2" in account.message
    assert "forbidden term 'Account'" in account.message
    assert (account.severity, account.category) == ("major", "terminology/wrong-term")
    assert account.hyp_span == "Account" and account.ref_span == "Konto"  # both sides
    (typo,) = [f for f in by_hyp["Sie haben eine neue Benachrichtung."] if f.check == "glossary"]
    assert "found 'Benachrichtung' instead" in typo.message
    for segment_findings, row in zip(found, rows, strict=True):
        for f in segment_findings:
            if f.hyp_start is not None:
                assert row["hyp"][f.hyp_start : f.hyp_end] == f.hyp_span
            if f.ref_start is not None:
                assert row["ref"][f.ref_start : f.ref_end] == f.ref_span


def test_without_a_glossary_the_glossary_check_finds_nothing() -> None:
    rows = read_rows(DATA / "ui.en-de.planted.tsv")
    assert not any(f.check == "glossary" for fs in run(rows, "en-de", None) for f in fs)


def test_without_languages_planted_errors_are_still_found() -> None:
    # no language: prefix-stem matching, no lemmas; number formats need the languages
    rows = read_rows(DATA / "ui.en-de.planted.tsv")
    found = run(rows, None, DATA / "glossary.en-de.tsv")
    for row, findings in zip(rows, found, strict=True):
        expected = Counter(t for t in row["expect"].split() if t not in ("number", "format:locale/number-format"))
        got = Counter(label(f) for f in findings if f.check in QA)
        assert not expected - got, row["hyp"]


def one(src: str | None, ref: str, hyp: str, pair: str | None = None, glossary: Path | None = None) -> list[Finding]:
    rows = [{"src": src or "", "ref": ref, "hyp": hyp}]
    (found,) = run(rows, pair, glossary, source=src is not None)
    return [f for f in found if f.check in QA]


def test_reference_is_the_basis_without_a_source() -> None:
    (finding,) = one(None, "{count} Dateien löschen?", "{anzahl} Dateien löschen?")
    assert "of the reference became '{anzahl}'" in finding.message
    assert finding.ref_span == "{count}" and finding.ref_start == 0


def test_glossary_uses_the_reference_without_a_source() -> None:
    glossary = DATA / "glossary.en-de.tsv"
    assert one(None, "Ihr Konto", "Ihr Konto", "en-de", glossary) == []
    (finding,) = one(None, "Ihr Konto", "Ihr Zugang", "en-de", glossary)
    assert "'account' must be translated as 'Konto'" in finding.message


def test_what_the_reference_agrees_with_is_no_error() -> None:
    src = "See https://acme.example/help."
    ref = "Siehe https://acme.example/de/hilfe."
    assert one(src, ref, "Siehe https://acme.example/de/hilfe.") == []
    (finding,) = one(src, ref, "Siehe https://acme.example/hilfe.")
    assert finding.category == "locale/url"


@pytest.mark.parametrize(
    ("src", "ref", "hyp", "pair", "categories"),
    [
        ("File saved.", "保存しました。", "ファイルを保存しました。", "en-ja", []),
        ("Delete the file?", "削除しますか？", "ファイルを削除しますか？", "en-ja", []),
        ("Delete the file?", "削除しますか？", "ファイルを削除します。", "en-ja", ["fluency/punctuation"]),
        (" Save", " Sichern", "Speichern", "en-de", ["fluency/whitespace"]),
        ("Save ", "Sichern ", "Speichern", "en-de", ["fluency/whitespace"]),
        ("Saved!", "Gesichert!", "Gespeichert.", "en-de", []),
        ("Total: 1,000 files", "Summe", "Gesamt: 1,000 Dateien", "en-de", ["locale/number-format"]),
        ("Total: 1,000 files", "Summe", "Gesamt: 1.000 Dateien", "en-de", []),
        ("Version v2.1", "Version v2.1", "Version v2.1", "en-de", []),
        ("Size: 2.5 GB", "Größe", "Größe: 2,5 GB", "en-de", []),
        ("Size: 2.5 GB", "Taille", "Taille : 2,5 Go", "en-fr", []),
        ("Size: 2.5 GB", "Größe", "Größe: 2,5 MB", "en-de", ["locale/measurement"]),
        ("Wait 5 to 10 s", "Warten", "5 bis 10 s warten", "en-de", []),
    ],
)
def test_format_single_cases(src: str, ref: str, hyp: str, pair: str, categories: list[str]) -> None:
    assert [f.category for f in one(src, ref, hyp, pair)] == categories


def test_dnt_counts_occurrences() -> None:
    glossary = DATA / "glossary.en-de.tsv"
    src = "GitHub and GitHub Actions"
    assert one(src, "GitHub und GitHub Actions", "GitHub und GitHub Actions", "en-de", glossary) == []
    (finding,) = one(src, "GitHub und GitHub Actions", "GitHub und Actions", "en-de", glossary)
    assert "1 of 2 occurrences are missing" in finding.message


def test_unknown_target_profile_still_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = LanguagePair(get_profile("en"), get_profile("xx"))
    segments = line_segments(["Hallo {name}"], ["Hallo"], ["Hello {name}"])
    (found,) = find_errors(segments, {}, has_source=True, workers=1, checks=["format"], languages=pair)
    assert [f.category for f in found] == ["design/markup"]


def test_terms_inside_addresses_links_and_tags_do_not_count(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\ttype\norder\tBestellung\t\n\tOrder\tforbidden\n", encoding="utf-8")
    src = 'Write to orders@shop.example or open <a href="/orders">this page</a>.'
    hyp = 'Schreiben Sie an orders@shop.example oder öffnen Sie <a href="/orders">diese Seite</a>.'
    assert one(src, hyp, hyp, "en-de", glossary) == []


def test_a_forbidden_term_in_place_of_a_required_one_is_one_finding(tmp_path: Path) -> None:
    glossary = tmp_path / "g.tsv"
    glossary.write_text("source\ttarget\ttype\ncart\tWarenkorb\t\n\tShopping-Cart\tforbidden\n", encoding="utf-8")
    (finding,) = one("Add to cart", "In den Warenkorb", "Zum Shopping-Cart hinzufügen", "en-de", glossary)
    assert "found the forbidden term 'Shopping-Cart'" in finding.message
    assert finding.hyp_span == "Shopping-Cart"
