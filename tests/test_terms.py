"""Finding glossary terms: lemmas, the prefix-stem rule, compounds, case, unspaced scripts."""

from __future__ import annotations

import pytest

from evalharness.checks.text.terms import TermFinder, stem_match


@pytest.mark.parametrize(
    ("lang", "term", "text", "found"),
    [
        # lemmas (simplemma) for known languages
        ("de", "löschen", "Die Datei wurde gelöscht.", "gelöscht"),
        ("de", "Anmelden", "Als Gast angemeldet", "angemeldet"),
        ("de", "herunterladen", "Alles heruntergeladen", "heruntergeladen"),
        ("de", "Passwort", "Ihre Passwörter", "Passwörter"),
        ("fr", "mise à jour", "les mises à jour", "mises à jour"),
        ("fr", "supprimer", "Fichiers supprimés", "supprimés"),
        ("en", "sign in", "Signed in as you", "Signed in"),
        # compounds: the term as first or last part
        ("de", "Konto", "Ihr Kontostand", "Kontostand"),
        ("de", "Konto", "Alle Benutzerkonten", "Benutzerkonten"),
        # unknown language: exact, prefix-stem and words the term begins
        (None, "Konto", "zwei Konten", "Konten"),
        (None, "Passwort", "Ihre Passwörter", "Passwörter"),
        (None, "Datei", "Dateigröße", "Dateigröße"),
        (None, "file", "3 files", "files"),
        # languages without spaces: substrings
        ("ja", "ファイル", "ファイルを削除", "ファイル"),
    ],
)
def test_inflected_and_compound_forms_are_found(
    lang: str | None, term: str, text: str, found: str
) -> None:
    spans = TermFinder(lang, open_ended=True).find(term, text)
    assert [text[s:e] for s, e in spans] == [found]


@pytest.mark.parametrize(
    ("lang", "term", "text"),
    [
        ("de", "Benachrichtigung", "Benachrichtung"),  # misspelt
        ("de", "Abonnement", "Ihr Abo"),  # another word
        ("de", "Datei", "Datum"),
        ("en", "account", "a count"),
        (None, "Konto", "Kontakt aufnehmen"),  # same first letters, another word
        (None, "sign in", "sign into"),
        (None, "in", "into"),  # short words only match exactly
    ],
)
def test_other_words_are_not_the_term(lang: str | None, term: str, text: str) -> None:
    assert TermFinder(lang).find(term, text) == []


def test_case_sensitive_terms_and_exact_search() -> None:
    finder = TermFinder("en")
    assert finder.find("GitHub", "github and Github", case_sensitive=True) == []
    assert finder.find("GitHub", "use GitHub", case_sensitive=True) == [(4, 10)]
    assert finder.find("files", "file", inflected=False) == []
    assert finder.find("file", "FILE") == [(0, 4)]


def test_closed_finder_for_an_unknown_language_needs_a_short_ending() -> None:
    assert TermFinder(None).find("Datei", "Dateigröße") == []
    assert TermFinder(None, open_ended=True).find("Datei", "Dateigröße") == [(0, 10)]
    # open_ended is for unknown languages only: a known one has lemmas
    assert TermFinder("fr", open_ended=True).find("compte", "comptabilité") == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("konto", "konten", True), ("file", "files", True), ("passwort", "passwörter", True),
     ("konto", "kontakt", False), ("rat", "rats", False), ("download", "downloading", True),
     ("account", "accountability", False)],
)  # fmt: skip
def test_stem_match(a: str, b: str, same: bool) -> None:
    assert stem_match(a, b) is same
