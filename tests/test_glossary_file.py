"""Glossary files: CSV, TSV and TBX, and the errors a broken file gives."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from evalharness.checks.text.glossary_file import load_glossary
from evalharness.errors import InputError

DATA = Path(__file__).resolve().parent / "data" / "qa"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tsv_glossary_has_every_type_and_its_lines() -> None:
    glossary = load_glossary(DATA / "glossary.en-de.tsv")
    assert len(glossary.entries) == 20
    assert [len(glossary.of_type(t)) for t in ("required", "forbidden", "dnt")] == [13, 4, 3]
    account = glossary.entries[0]
    assert (account.source, account.target, account.type, account.line) == (
        "account", "Konto", "required", 2,
    )  # fmt: skip
    github = next(e for e in glossary.of_type("dnt") if e.source == "GitHub")
    assert github.case_sensitive and github.expected == "GitHub"
    forbidden = glossary.of_type("forbidden")
    assert forbidden[2].source == "" and forbidden[2].target == "downloaden"
    assert not account.case_sensitive
    digest = hashlib.sha256((DATA / "glossary.en-de.tsv").read_bytes()).hexdigest()
    assert glossary.sha256 == digest


def test_csv_with_quotes_other_column_order_and_blank_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.csv",
        'note,target,source,case\n\n"plural, formal",Konten,accounts,sensitive\n,Datei,file,\n',
    )
    glossary = load_glossary(path)
    first, second = glossary.entries
    assert (first.source, first.target, first.note, first.case_sensitive) == (
        "accounts", "Konten", "plural, formal", True,
    )  # fmt: skip
    assert (first.line, second.line) == (3, 4)
    assert second.type == "required"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("source\tnote\nfile\tx\n", "needs a 'target' column", 1),
        ("source\ttarget\tkind\nfile\tDatei\tx\n", "unknown glossary column 'kind'", 1),
        ("source\ttarget\ttype\nfile\tDatei\tmandatory\n", "unknown glossary type 'mandatory'", 2),
        ("source\ttarget\ttype\nfile\tDatei\t\nfolder\t\trequired\n", "needs both source and target", 3),
        ("source\ttarget\ttype\nlogin\t\tforbidden\n", "forbidden term needs a target", 2),
        ("source\ttarget\tcase\nfile\tDatei\tstrict\n", "case must be", 2),
    ],
)
def test_broken_tables_name_the_line(tmp_path: Path, text: str, message: str, line: int) -> None:
    path = write(tmp_path, "g.tsv", text)
    with pytest.raises(InputError, match=message) as info:
        load_glossary(path)
    assert info.value.line == line
    assert info.value.path == str(path)


def test_tbx_basic_statuses_languages_and_lines() -> None:
    glossary = load_glossary(DATA / "glossary.en-de.tbx")
    assert (glossary.source_lang, glossary.target_lang) == ("en", "de")
    found = {(e.source, e.target, e.type) for e in glossary.entries}
    assert found == {
        ("account", "Konto", "required"),
        ("account", "Account", "forbidden"),
        ("Acme Cloud", "", "dnt"),
        ("invoice", "Rechnung", "required"),
    }
    lines = {e.target or e.source: e.line for e in glossary.entries}
    text = (DATA / "glossary.en-de.tbx").read_text(encoding="utf-8").split("\n")
    assert "c2" in text[lines["Acme Cloud"] - 1]
    assert "c3" in text[lines["Rechnung"] - 1]


def test_tbx_picks_the_asked_target_language() -> None:
    glossary = load_glossary(DATA / "glossary.en-de.tbx", target_lang="fr-FR")
    assert glossary.target_lang == "fr"
    assert {(e.source, e.target) for e in glossary.of_type("required")} == {
        ("invoice", "facture")
    }


def test_tbx_that_is_not_xml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "g.tbx", "<tbx>\n<text>\n<body>\n</text>\n")
    with pytest.raises(InputError, match="not valid TBX") as info:
        load_glossary(path)
    assert info.value.line == 4
