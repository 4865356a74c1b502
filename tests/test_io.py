from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalharness.errors import InputError, UsageError
from evalharness.inputs import formats as eio

REPO = Path(__file__).resolve().parents[1]
WMT = REPO / "tests" / "data" / "wmt23_zhen"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_markdown_front_matter_is_metadata_and_line_numbers_count_it() -> None:
    doc = eio.load_document(REPO / "references" / "bbc.md")
    assert doc.format == "markdown"
    assert doc.metadata["title"].startswith("Breaking:")
    assert "excerpt" in doc.metadata
    assert not doc.text.lstrip().startswith("---")
    raw_lines = (REPO / "references" / "bbc.md").read_text(encoding="utf-8").split("\n")
    closing = raw_lines.index("---", 1)
    first_body = next(i for i, ln in enumerate(raw_lines) if i > closing and ln.strip())
    offset = doc.text.index(raw_lines[first_body].strip())
    assert doc.line_of(offset) == first_body + 1


def test_bom_crlf_and_nfc_are_normalised(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 au lait.\r\nSecond line.\r\n"
    path = write(tmp_path, "a.txt", b"\xef\xbb\xbf" + decomposed.encode("utf-8"))
    doc = eio.load_document(path, "lines", "hyp")
    assert [s.text for s in doc.segments or ()] == ["Caf\u00e9 au lait.", "Second line."]
    assert "\r" not in doc.text


def test_lines_keep_empty_lines_with_their_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "h.txt", "one\n\nthree\n")
    doc = eio.load_document(path, "lines", "hyp")
    assert [(s.line, s.text) for s in doc.segments or ()] == [(1, "one"), (2, ""), (3, "three")]


@pytest.mark.parametrize(
    ("name", "data", "needle", "line"),
    [
        ("empty.txt", b"", "empty", None),
        ("blank.txt", b"  \n\n", "empty", None),
        ("bin.txt", b"abc\ndef\x00ghi", "binary", 2),
        ("latin1.txt", "ok line\ncaf\u00e9\n".encode("latin-1"), "invalid UTF-8", 2),
    ],
)
def test_unreadable_files_name_file_and_line(
    tmp_path: Path, name: str, data: bytes, needle: str, line: int | None
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        eio.load_document(path, "auto", "ref")
    message = str(info.value)
    assert str(path) in message and needle in message
    assert "\n" not in message
    assert info.value.line == line


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        eio.load_document(tmp_path / "nope.txt")


def test_jsonl_fields_and_non_object_line(tmp_path: Path) -> None:
    rows = [{"src": "s1", "ref": "r1", "mt": "h1"}, {"src": "s2", "ref": "r2", "mt": "h2"}]
    good = write(tmp_path, "d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    assert [s.text for s in eio.load_document(good, "auto", "hyp").segments or ()] == ["h1", "h2"]
    assert [s.text for s in eio.load_document(good, "auto", "src").segments or ()] == ["s1", "s2"]
    bad = write(tmp_path, "bad.jsonl", json.dumps(rows[0]) + "\n[1, 2]\n")
    with pytest.raises(InputError) as info:
        eio.load_document(bad, "jsonl", "ref")
    assert info.value.line == 2 and "expected an object" in str(info.value)


def test_tsv_header_columns_and_ragged_row(tmp_path: Path) -> None:
    good = write(tmp_path, "d.tsv", "src\tref\thyp\na\tb\tc\nd\te\tf\n")
    doc = eio.load_document(good, "auto", "ref")
    assert doc.format == "tsv"
    assert [(s.line, s.text) for s in doc.segments or ()] == [(2, "b"), (3, "e")]
    bad = write(tmp_path, "bad.tsv", "src\tref\thyp\na\tb\tc\nd\te\n")
    with pytest.raises(InputError) as info:
        eio.load_document(bad, "tsv", "hyp")
    assert info.value.line == 3
    missing = write(tmp_path, "nohyp.tsv", "src\tref\na\tb\n")
    with pytest.raises(InputError, match="no hyp field"):
        eio.load_document(missing, "tsv", "hyp")


def test_auto_format_sniffing(tmp_path: Path) -> None:
    assert eio.sniff_format("x.md", "hello").format == "markdown"
    assert eio.sniff_format("x.txt", '{"ref": "a"}\n{"ref": "b"}\n').format == "jsonl"
    assert eio.sniff_format("x.txt", "ref\thyp\na\tb\n").format == "tsv"
    assert eio.sniff_format("x.txt", "---\ntitle: x\n---\nbody\n").format == "markdown"
    assert eio.sniff_format(WMT / "generaltest2023.zh-en.ref.refA.en", "a\nb\n").format == "plain"
    # Equal line counts alone are no longer enough: the lines must correspond.
    assert eio.resolve_plain_formats(["a b c\nd e f\ng h i\n", "x\nd e f\ng h i\n"]).format == "lines"
    shifted = ["The cat sat on the mat.\nRain fell all day in Paris.\nThe end.\n",
               "Nothing here.\nThe cat sat on a mat.\nRain fell all day long in Paris.\n"]
    assert eio.resolve_plain_formats(shifted).format == "text"
    pairs = ["The cat sat on the mat.\nRain fell all day in Paris.\n",
             "The cat sat on a mat.\nRain fell all day long in Paris.\n"]
    assert eio.resolve_plain_formats(pairs).format == "lines"
    assert eio.resolve_plain_formats(["a\nb\nc\n", "c\nd\n"]).format == "text"


def test_unknown_format_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="^unknown format 'xml'; choose from: auto, text,"):
        eio.load_document(write(tmp_path, "a.txt", "x"), "xml")


def test_broken_front_matter_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\nBody text.\n")
    with pytest.raises(InputError) as info:
        eio.load_document(path)
    assert info.value.line is not None and info.value.line >= 2
