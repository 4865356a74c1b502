"""In-process CLI tests: exit codes, one-line errors, no partial outputs, edge inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalharness import __version__
from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus

REPO = Path(__file__).resolve().parents[1]
WMT = REPO / "tests" / "data" / "wmt23_zhen"
REF = WMT / "generaltest2023.zh-en.ref.refA.en"
GPT4 = WMT / "generaltest2023.zh-en.hyp.GPT4-5shot.en"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def lines_of(path: Path, n: int) -> str:
    return "\n".join(path.read_text(encoding="utf-8").split("\n")[:n]) + "\n"


def test_version() -> None:
    result = run_cli(["--version"])
    assert result.exit_status == ExitStatus.SUCCESS
    assert __version__ in result.stdout


def test_no_command_is_usage_error() -> None:
    assert run_cli([]).exit_status == ExitStatus.USAGE


@pytest.mark.parametrize(
    ("case", "hyp_bytes", "needle", "where"),
    [
        ("empty", b"", "empty", ""),
        ("binary", b"line one\n\x00\x01\x02", "binary", ":2"),
        ("invalid-utf8", b"fine\n\xff\xfe bad\n", "invalid UTF-8", ":2"),
    ],
)
def test_bad_hypothesis_file_exit_3_one_line_no_output(
    tmp_path: Path, case: str, hyp_bytes: bytes, needle: str, where: str
) -> None:
    ref = write(tmp_path, "ref.txt", "A sentence.\nAnother one.\n")
    hyp = write(tmp_path, f"{case}.txt", hyp_bytes)
    out = tmp_path / "out" / "report.json"
    result = run_cli(["evaluate", "--ref", str(ref), "--hyp", str(hyp), "--json", str(out)])
    assert result.exit_status == ExitStatus.INPUT
    assert result.stderr.count("\n") == 1
    assert f"{hyp}{where}" in result.stderr and needle in result.stderr
    assert not out.exists()


def test_missing_file(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", "A sentence.\n")
    result = run_cli(["evaluate", "--ref", str(ref), "--hyp", str(tmp_path / "missing.txt")])
    assert result.exit_status == ExitStatus.INPUT
    assert "missing.txt" in result.stderr and "no such file" in result.stderr


def test_mismatched_line_counts(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", "a\nb\nc\n")
    hyp = write(tmp_path, "hyp.txt", "a\nb\n")
    out = tmp_path / "r.json"
    result = run_cli(
        ["evaluate", "--format", "lines", "--ref", str(ref), "--hyp", str(hyp), "--json", str(out)]
    )
    assert result.exit_status == ExitStatus.INPUT
    assert result.stderr.splitlines()[-1] == (
        f"error: {hyp}: has 2 lines but the reference {ref} has 3; "
        "line-aligned inputs need equal line counts"
    )
    assert not out.exists()


def test_jsonl_line_not_object(tmp_path: Path) -> None:
    data = write(tmp_path, "d.jsonl", '{"ref": "a", "hyp": "a"}\n"just a string"\n')
    result = run_cli(["evaluate", "--ref", str(data), "--hyp", str(data)])
    assert result.exit_status == ExitStatus.INPUT
    assert f"{data}:2" in result.stderr


def test_unknown_metric_is_usage_error(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", "a b c\n")
    out = tmp_path / "r.json"
    result = run_cli(
        ["evaluate", "--ref", str(ref), "--hyp", str(ref), "--metrics", "bleu,meteor", "--json", str(out)]
    )
    assert result.exit_status == ExitStatus.USAGE
    assert "meteor" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def test_identical_hypothesis_scores_perfectly(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", lines_of(REF, 40))
    out = tmp_path / "r.json"
    result = run_cli(
        ["evaluate", "--ref", str(ref), "--hyp", str(ref), "--metrics", "bleu,chrf,ter", "--json", str(out)]
    )
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    metrics = json.loads(out.read_text())["systems"][0]["metrics"]
    assert metrics["bleu"]["score"] == pytest.approx(100.0)
    assert metrics["chrf"]["score"] == pytest.approx(100.0)
    assert metrics["ter"]["score"] == pytest.approx(0.0)


def test_empty_hypothesis_line_is_scored_not_dropped(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", "The cat sat on the mat.\nIt was warm.\nThen it left.\n")
    hyp = write(tmp_path, "hyp.txt", "The cat sat on the mat.\n\nThen it left.\n")
    out, csv = tmp_path / "r.json", tmp_path / "r.csv"
    result = run_cli(
        ["evaluate", "--ref", str(ref), "--hyp", str(hyp), "--format", "lines",
         "--metrics", "bleu,chrf,ter", "--json", str(out), "--csv", str(csv)]
    )  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    segments = json.loads(out.read_text())["systems"][0]["segments"]
    assert [s["hyp_lines"] for s in segments] == [[1], [2], [3]]
    assert segments[1]["hyp"] == "" and segments[1]["scores"]["chrf"] == 0.0
    frame = pd.read_csv(csv)
    assert len(frame) == 3 and list(frame["segment"]) == [0, 1, 2]


def test_one_megabyte_single_line(tmp_path: Path) -> None:
    words = REF.read_text(encoding="utf-8").split()
    text = " ".join(words * (1_000_000 // (len(" ".join(words)) + 1) + 1))[:1_000_000]
    ref = write(tmp_path, "ref.txt", text + "\n")
    hyp = write(tmp_path, "hyp.txt", text.replace(" the ", " a ") + "\n")
    result = run_cli(
        ["evaluate", "--format", "lines", "--ref", str(ref), "--hyp", str(hyp), "--metrics", "bleu,chrf"]
    )
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    assert "BLEU" in result.stdout


def test_document_without_sentence_punctuation(tmp_path: Path) -> None:
    ref = write(tmp_path, "ref.txt", "the quick brown fox jumps over the lazy dog " * 50)
    hyp = write(tmp_path, "hyp.txt", "a quick brown fox leaps over a lazy dog " * 50)
    out = tmp_path / "r.json"
    result = run_cli(
        ["evaluate", "--format", "text", "--ref", str(ref), "--hyp", str(hyp),
         "--metrics", "bleu,chrf,ter", "--json", str(out)]
    )  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    report = json.loads(out.read_text())
    segments = report["systems"][0]["segments"]
    assert " ".join(s["ref"] for s in segments).split() == ref.read_text().split()
    assert 0 < report["systems"][0]["metrics"]["chrf"]["score"] < 100
