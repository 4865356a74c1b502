"""Glossary files: CSV or TSV with a header, or TBX-Basic, read into frozen records.

CSV/TSV columns (header required, any order, names case-insensitive)::

    source,target,type,case,note
    account,Konto,required,,
    sign in,Login,forbidden,,use "Anmelden"
    GitHub,,dnt,sensitive,

``type`` is ``required`` (the default), ``forbidden`` or ``dnt``; ``case`` is
``sensitive`` or ``insensitive`` (default: sensitive for ``dnt``, insensitive
otherwise). TBX files are read with :mod:`xml.etree.ElementTree`: each
``termEntry``/``conceptEntry`` gives its first term of the source language
and every term of the target language (or the first two languages present);
``administrativeStatus`` ``deprecatedTerm-admn-sts``/``supersededTerm-admn-sts``
makes a term forbidden and a ``termNote`` ``doNotTranslate`` (or a
``descrip``/``note`` saying so) makes it ``dnt``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from evalharness.errors import InputError
from evalharness.inputs.formats import read_text

TermType = Literal["required", "forbidden", "dnt"]
TERM_TYPES: tuple[TermType, ...] = ("required", "forbidden", "dnt")
_COLUMNS = ("source", "target", "type", "case", "note")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = ("deprecatedterm", "supersededterm", "forbidden", "notrecommended")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term of a glossary.

    Attributes:
        source: The source-language term ('' allowed for ``forbidden``).
        target: The target-language term ('' for ``dnt``: the source itself).
        type: ``required``, ``forbidden`` or ``dnt``.
        case_sensitive: Whether letter case must match.
        note: Free text for the reviewer.
        line: 1-based line of the entry in the glossary file.
    """

    source: str
    target: str
    type: TermType
    case_sensitive: bool
    note: str
    line: int

    @property
    def expected(self) -> str:
        """The text the hypothesis must (or, for ``forbidden``, must not) contain."""
        return self.target or self.source


@dataclass(frozen=True)
class Glossary:
    """A parsed glossary file.

    Attributes:
        path: The file it came from.
        sha256: Hex digest of the file's bytes (recorded in the report's options).
        entries: The terms, in file order.
        source_lang: Source language named by the file (TBX), if any.
        target_lang: Target language named by the file (TBX), if any.
    """

    path: str
    sha256: str
    entries: tuple[GlossaryEntry, ...]
    source_lang: str | None = None
    target_lang: str | None = None

    def of_type(self, kind: TermType) -> tuple[GlossaryEntry, ...]:
        """The entries of one type, in file order."""
        return tuple(e for e in self.entries if e.type == kind)

    def report_options(self) -> dict[str, object]:
        """The report's record of the glossary: path, SHA-256 and entry count."""
        return {"path": self.path, "sha256": self.sha256, "entries": len(self.entries)}


def load_glossary(path: str | Path, target_lang: str | None = None) -> Glossary:
    """Read a CSV, TSV or TBX glossary.

    Args:
        path: The glossary file; ``.tbx``/``.xml`` (or text starting with ``<``)
            is TBX, anything else CSV/TSV (the delimiter is the header's).
        target_lang: For TBX, the target language to pick (default: the second
            language of the file).

    Raises:
        InputError: unreadable file, missing header or column, unknown type or
            case value, an entry without the terms its type needs, bad XML.
    """
    text = read_text(path)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if Path(path).suffix.lower() in (".tbx", ".xml") or text.lstrip().startswith("<"):
        entries, langs = _read_tbx(text, str(path), target_lang)
        return Glossary(str(path), digest, entries, langs[0], langs[1])
    return Glossary(str(path), digest, tuple(_read_table(text, str(path))))


def _read_table(text: str, path: str) -> Iterator[GlossaryEntry]:
    lines = text.split("\n")
    header_line = next((i for i, line in enumerate(lines) if line.strip()), 0)
    header = lines[header_line]
    delimiter = "\t" if "\t" in header else ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = iter(reader)
    names: list[str] = []
    for names in rows:
        if any(cell.strip() for cell in names):
            break
    columns = [n.strip().lower() for n in names]
    for required in ("source", "target"):
        if required not in columns:
            raise InputError(
                f"glossary header needs a {required!r} column (found: {', '.join(columns)})",
                path, header_line + 1,
            )
    unknown = [c for c in columns if c and c not in _COLUMNS]
    if unknown:
        raise InputError(
            f"unknown glossary column {unknown[0]!r}; columns: {', '.join(_COLUMNS)}",
            path, header_line + 1,
        )
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        values = {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(columns)}
        yield make_entry(values, path, line)


def make_entry(values: dict[str, str], path: str, line: int) -> GlossaryEntry:
    """One entry from column values (``source``, ``target``, ``type``, ``case``, ``note``).

    Raises:
        InputError: unknown type or case, or terms missing for the type.
    """
    kind = (values.get("type") or "required").lower()
    if kind not in TERM_TYPES:
        raise InputError(
            f"unknown glossary type {kind!r}; choose from: {', '.join(TERM_TYPES)}", path, line
        )
    source, target = values.get("source", ""), values.get("target", "")
    if kind == "required" and not (source and target):
        raise InputError("a required term needs both source and target", path, line)
    if kind == "forbidden" and not target:
        raise InputError("a forbidden term needs a target (the term to avoid)", path, line)
    if kind == "dnt" and not (source or target):
        raise InputError("a do-not-translate term needs a source", path, line)
    case = (values.get("case") or "").lower()
    if case not in ("", "sensitive", "insensitive"):
        raise InputError(f"case must be 'sensitive' or 'insensitive', got {case!r}", path, line)
    sensitive = case == "sensitive" or (not case and kind == "dnt")
    if kind == "dnt" and not source:
        source = target
    return GlossaryEntry(source, target, kind, sensitive, values.get("note", ""), line)


def _read_tbx(
    text: str, path: str, target_lang: str | None
) -> tuple[tuple[GlossaryEntry, ...], tuple[str | None, str | None]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not valid TBX/XML: {exc}", path, exc.position[0]) from None
    entries: list[GlossaryEntry] = []
    lines = _entry_lines(text)
    source_lang = _root_lang(root)
    concepts = [el for el in root.iter() if _local(el.tag) in ("termEntry", "conceptEntry")]
    if not concepts:
        raise InputError("no termEntry or conceptEntry elements in the TBX file", path)
    langs = _languages(concepts)
    source_lang = source_lang if source_lang in langs else (langs[0] if langs else None)
    others = [lang for lang in langs if lang != source_lang]
    target = _pick_target(target_lang, others)
    for number, concept in enumerate(concepts):
        line = lines[number] if number < len(lines) else 1
        entries.extend(_concept_entries(concept, source_lang, target, path, line))
    return tuple(entries), (source_lang, target)


def _pick_target(wanted: str | None, others: Sequence[str]) -> str | None:
    if wanted:
        base = wanted.lower().split("-")[0]
        for lang in others:
            if lang.lower().split("-")[0] == base:
                return lang
    return others[0] if others else None


def _concept_entries(
    concept: ET.Element, source_lang: str | None, target_lang: str | None, path: str, line: int
) -> Iterator[GlossaryEntry]:
    source_terms = _terms(concept, source_lang)
    source = source_terms[0][0] if source_terms else ""
    note = " ".join(
        (el.text or "").strip() for el in concept if _local(el.tag) in ("descrip", "note")
    ).strip()
    dnt_concept = _says_dnt(concept)
    for term, status in _terms(concept, target_lang):
        kind = "forbidden" if status == "forbidden" else "dnt" if status == "dnt" else "required"
        if dnt_concept and kind == "required":
            kind = "dnt"
        values = {"source": source, "target": term, "type": kind, "note": note}
        yield make_entry(values, path, line)
    if not _terms(concept, target_lang) and (dnt_concept or any(s == "dnt" for _, s in source_terms)):
        yield make_entry({"source": source, "target": "", "type": "dnt", "note": note}, path, line)


def _terms(concept: ET.Element, lang: str | None) -> list[tuple[str, str]]:
    """(term, status) of one language; status is ``forbidden``, ``dnt`` or ``''``."""
    found: list[tuple[str, str]] = []
    for lang_set in concept:
        if _local(lang_set.tag) not in ("langSet", "langSec") or lang_set.get(_XML_LANG) != lang:
            continue
        for holder in lang_set.iter():
            if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                continue
            term = next((el for el in holder.iter() if _local(el.tag) == "term"), None)
            if term is None or not "".join(term.itertext()).strip():
                continue
            found.append(("".join(term.itertext()).strip(), _status(holder)))
    return found


def _status(holder: ET.Element) -> str:
    for el in holder.iter():
        kind = (el.get("type") or "").lower()
        value = "".join(el.itertext()).strip().lower().replace("-", "").replace(" ", "")
        if kind == "administrativestatus" and any(s in value for s in _FORBIDDEN_STATUS):
            return "forbidden"
        if "donottranslate" in value or "donottranslate" in kind:
            return "dnt"
    return ""


def _says_dnt(concept: ET.Element) -> bool:
    for el in concept:
        value = "".join(el.itertext()).lower().replace("-", "").replace(" ", "")
        if _local(el.tag) in ("descrip", "note", "termNote") and "donottranslate" in value:
            return True
    return False


def _languages(concepts: Sequence[ET.Element]) -> list[str]:
    seen: dict[str, None] = {}
    for concept in concepts:
        for child in concept:
            lang = child.get(_XML_LANG)
            if _local(child.tag) in ("langSet", "langSec") and lang:
                seen.setdefault(lang, None)
    return list(seen)


def _root_lang(root: ET.Element) -> str | None:
    lang = root.get(_XML_LANG)
    return lang if lang else None


def _entry_lines(text: str) -> list[int]:
    """1-based file lines of each ``termEntry``/``conceptEntry`` start tag, in order."""
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        lines.extend(
            [number] * (line.count("<termEntry") + line.count("<conceptEntry"))
        )
    return lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
