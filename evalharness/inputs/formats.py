r"""Loading input files into :class:`~evalharness.records.Document` records.

Formats: plain ``text`` documents, ``markdown`` with YAML front matter,
``lines`` (one segment per line), ``tsv`` and ``jsonl`` with ``src``/``ref``/
``hyp`` (or ``mt``) fields; further references in ``ref2``, ``ref3``, ... fields. Every file is decoded as UTF-8 (a BOM is dropped),
newlines are normalised to ``\\n`` and text to Unicode NFC. Errors name the
file and the line (or byte offset).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evalharness.errors import InputError, UsageError
from evalharness.records import Document, Role, Sentence

FORMATS = ("auto", "text", "markdown", "lines", "tsv", "jsonl")
_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "target"),
    "hyp": ("hyp", "mt", "hypothesis", "translation", "system"),
    "src": ("src", "source"),
}


@dataclass(frozen=True)
class FormatChoice:
    """The format chosen for one file and why."""

    format: str
    reason: str


def read_text(path: str | Path) -> str:
    r"""Read a file as UTF-8 text with BOM removed, ``\\n`` newlines and NFC.

    Raises:
        InputError: missing, not a file, empty, binary (NUL bytes) or invalid UTF-8.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", str(path))
    if not p.is_file():
        raise InputError("not a regular file", str(path))
    data = p.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise InputError("file is empty", str(path))
    utf16 = _utf16_kind(data)
    if utf16:
        raise InputError(f"the file is {utf16}; re-encode it as UTF-8", str(path))
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            f"binary file (NUL byte at byte {nul}), expected UTF-8 text", str(path), line
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"invalid UTF-8 at byte {exc.start} ({exc.reason}); re-encode the file as UTF-8",
            str(path),
            line,
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _utf16_kind(data: bytes) -> str:
    """``UTF-16 (little-endian)``/``(big-endian)`` when the bytes look so, else ``""``.

    A UTF-16 byte-order mark decides; without one, text whose every other byte
    is NUL in the first kilobyte is UTF-16 too.
    """
    if data.startswith(b"\xff\xfe"):
        return "UTF-16 (little-endian)"
    if data.startswith(b"\xfe\xff"):
        return "UTF-16 (big-endian)"
    head = data[:1024]
    if len(head) >= 4 and head[1::2].count(0) >= 0.9 * (len(head) // 2):
        return "UTF-16 (little-endian)"
    if len(head) >= 4 and head[0::2].count(0) >= 0.9 * (len(head) // 2):
        return "UTF-16 (big-endian)"
    return ""


def sniff_format(path: str | Path, text: str) -> FormatChoice:
    """Guess a file's format from its extension and content.

    Plain text that is neither Markdown, TSV nor JSONL comes back as ``plain``:
    whether it is a ``text`` document or ``lines`` depends on the other inputs
    (see :func:`resolve_plain_formats`).
    """
    ext = Path(path).suffix.lower()
    if ext in _EXTENSIONS:
        return FormatChoice(_EXTENSIONS[ext], f"extension {ext}")
    if text.startswith("---\n") and "\n---" in text[4:]:
        return FormatChoice("markdown", "YAML front matter")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if lines and all(ln.lstrip().startswith("{") for ln in lines[:20]):
        return FormatChoice("jsonl", "lines are JSON objects")
    if lines and "\t" in lines[0]:
        header = {c.strip().lower() for c in lines[0].split("\t")}
        if header & {name for names in FIELD_NAMES.values() for name in names}:
            return FormatChoice("tsv", "tab-separated header with src/ref/hyp columns")
    return FormatChoice("plain", "")


def resolve_plain_formats(texts: Sequence[str]) -> FormatChoice:
    """Decide ``lines`` or ``text`` for plain files: the reference first, then hypotheses.

    Files are ``lines`` only when they have the same number of lines (at least
    2) and line ``i`` of the reference corresponds to line ``i`` of every
    hypothesis: the diagonal pairing is clearly more similar than shifted
    ones, or the sentence aligner's own result is the diagonal (see
    :mod:`evalharness.inputs.correspondence`). Otherwise they are documents
    whose sentences must be aligned.
    """
    from evalharness.inputs.correspondence import aligner_keeps_diagonal, line_correspondence

    split = [_split_lines(t) for t in texts]
    counts = {len(lines) for lines in split}
    if len(counts) != 1 or min(counts) < 2:
        return FormatChoice("text", "plain files with different line counts: aligning sentences")
    if len(split) == 1:
        return FormatChoice("lines", f"one plain file of {min(counts)} lines")
    worst = min(
        (line_correspondence(split[0], lines) for lines in split[1:]),
        key=lambda c: (c.corresponds, c.diagonal - c.shifted),
    )
    if worst.corresponds:
        return FormatChoice("lines", f"{min(counts)} lines that correspond: {worst.describe()}")
    if all(aligner_keeps_diagonal(split[0], lines) for lines in split[1:]):
        return FormatChoice(
            "lines", f"{min(counts)} lines; aligning them pairs line i with line i "
            f"({worst.describe()})"
        )
    return FormatChoice(
        "text",
        f"equal line counts ({min(counts)}) but line i does not clearly match line i "
        f"({worst.describe()}): aligning sentences",
    )


def load_document(
    path: str | Path, fmt: str = "auto", role: Role = "ref", text: str | None = None
) -> Document:
    """Load one input file as a document of the given role.

    Args:
        path: The file.
        fmt: One of :data:`FORMATS`; ``auto`` decides by extension and content
            (plain text becomes a ``text`` document).
        role: ``ref``, ``hyp`` or ``src``: picks the field of TSV/JSONL files.
        text: The file's text if already read with :func:`read_text`.

    Raises:
        InputError: unreadable or malformed input.
        UsageError: unknown format.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    path = str(path)
    body = read_text(path) if text is None else text
    reason = f"--format {fmt}"
    if fmt == "auto":
        choice = sniff_format(path, body)
        fmt, reason = (
            (choice.format, choice.reason)
            if choice.format != "plain"
            else (
                "text",
                "plain text",
            )
        )
    loader = _LOADERS[fmt]
    return replace(loader(path, body, role), format_reason=reason)


_EXTRA_REF = re.compile(r"(?:ref|reference|target)(\d+)$")


def load_references(
    path: str | Path, fmt: str = "auto", text: str | None = None
) -> tuple[Document, ...]:
    """Load a reference file: one document, or one per ``ref``/``ref2``/... field of TSV/JSONL.

    Extra reference fields are ``ref2``, ``ref3``, ... (also ``reference2``,
    ``target2``); their documents carry ``metadata["field"]``.

    Raises:
        InputError: unreadable or malformed input, or a row without an extra field.
        UsageError: unknown format.
    """
    path = str(path)
    body = read_text(path) if text is None else text
    first = load_document(path, fmt, "ref", text=body)
    if first.format not in ("tsv", "jsonl"):
        return (first,)
    docs = [first]
    for name in extra_reference_fields(_field_names(first.format, body)):
        loader = _load_tsv if first.format == "tsv" else _load_jsonl
        doc = loader(path, body, "ref", name)
        docs.append(replace(doc, metadata={"field": name}, format_reason=first.format_reason))
    return tuple(docs)


def extra_reference_fields(names: Sequence[str]) -> list[str]:
    """The ``ref2``, ``ref3``, ... field names among ``names``, in number order."""
    numbered = [(int(m.group(1)), n) for n in names if (m := _EXTRA_REF.match(n.strip().lower()))]
    return [n for k, n in sorted(numbered) if k >= 2]


def _field_names(fmt: str, text: str) -> list[str]:
    lines = [ln for ln in _split_lines(text) if ln.strip()]
    if fmt == "tsv":
        return lines[0].split("\t")
    first = json.loads(lines[0])
    return list(first) if isinstance(first, dict) else []


def _split_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _load_text(path: str, text: str, role: Role) -> Document:
    return Document(path=path, text=text, format="text", role=role)


def _load_markdown(path: str, text: str, role: Role) -> Document:
    metadata: dict[str, Any] = {}
    first_line = 1
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end < 0:
            raise InputError("front matter opened with '---' is never closed", path, 1)
        raw = text[4:end]
        import yaml  # front matter only: 0.1 s of import otherwise

        try:
            loaded = yaml.safe_load(raw) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise InputError(f"front matter: {problem}", path, line) from None
        if not isinstance(loaded, dict):
            raise InputError("front matter is not a YAML mapping", path, 2)
        metadata = {str(k): _plain(v) for k, v in loaded.items()}
        close_end = text.find("\n", end + 1)
        close_end = len(text) if close_end < 0 else close_end + 1
        first_line = text.count("\n", 0, close_end) + 1
        text = text[close_end:]
    if not text.strip():
        raise InputError("document has front matter but no body text", path, first_line)
    return Document(
        path=path, text=text, format="markdown", role=role, metadata=metadata, first_line=first_line
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _segments_document(path: str, fmt: str, role: Role, rows: list[tuple[int, str]]) -> Document:
    segments: list[Sentence] = []
    offset = 0
    for line, seg in rows:
        segments.append(Sentence(text=seg, start=offset, end=offset + len(seg), line=line))
        offset += len(seg) + 1
    text = "\n".join(seg for _, seg in rows)
    return Document(path=path, text=text, format=fmt, role=role, segments=tuple(segments))


def _load_lines(path: str, text: str, role: Role) -> Document:
    rows = [(i + 1, line.strip()) for i, line in enumerate(_split_lines(text))]
    return _segments_document(path, "lines", role, rows)


def _pick_field(keys: Sequence[str], role: Role, path: str, line: int) -> str:
    lowered = {k.strip().lower(): k for k in keys}
    for name in FIELD_NAMES[role]:
        if name in lowered:
            return lowered[name]
    raise InputError(
        f"no {role} field (expected one of {', '.join(FIELD_NAMES[role])}; found {', '.join(keys)})",
        path,
        line,
    )


def _load_tsv(path: str, text: str, role: Role, field: str | None = None) -> Document:
    lines = _split_lines(text)
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    column = header.index(field or _pick_field(header, role, path, 1))
    rows: list[tuple[int, str]] = []
    for number, fields in enumerate(reader, start=2):
        if not fields and not lines[number - 1].strip():
            continue
        if len(fields) != len(header):
            raise InputError(
                f"expected {len(header)} tab-separated fields as in the header, found {len(fields)}",
                path,
                number,
            )
        rows.append((number, fields[column].strip()))
    if not rows:
        raise InputError("TSV file has a header but no rows", path, 1)
    return _segments_document(path, "tsv", role, rows)


def _load_jsonl(path: str, text: str, role: Role, field: str | None = None) -> Document:
    rows: list[tuple[int, str]] = []
    key: str | None = field
    for number, line in enumerate(_split_lines(text), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"invalid JSON: {exc.msg} (column {exc.colno})", path, number
            ) from None
        if not isinstance(obj, dict):
            raise InputError(
                f"line is a JSON {type(obj).__name__}, expected an object", path, number
            )
        key = key or _pick_field(list(obj), role, path, number)
        if key not in obj:
            raise InputError(f"object has no {key!r} field", path, number)
        value = obj[key]
        if not isinstance(value, str):
            raise InputError(f"field {key!r} is not a string", path, number)
        rows.append((number, unicodedata.normalize("NFC", value).strip()))
    return _segments_document(path, "jsonl", role, rows)


_LOADERS = {
    "text": _load_text,
    "markdown": _load_markdown,
    "lines": _load_lines,
    "tsv": _load_tsv,
    "jsonl": _load_jsonl,
}
