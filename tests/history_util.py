"""Shared by the history tests: two evaluate reports of the vendored WMT23 slice, made once.

``history_reports`` evaluates ``tests/data/history`` (30 en-de paragraphs, the
GPT4-5shot and NLLB_Greedy outputs) in-process and records both runs in a
SQLite history; tests copy that database or record the saved reports again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from evalharness.cli.app import run_cli

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "history"


def evaluate_argv(hyp: str, *extra: str) -> list[str]:
    """``evaluate`` on the vendored slice, lexical metrics only (no COMET model offline)."""
    return [
        "evaluate", "--ref", str(DATA / "ref.de"), "--hyp", str(DATA / hyp),
        "--src", str(DATA / "src.en"), "--format", "lines", "--metrics", "bleu,chrf,ter",
        "--bootstrap", "200", "--quiet", *extra,
    ]  # fmt: skip


@dataclass(frozen=True)
class Reports:
    """Saved reports and the history that recorded them (runs 1: gpt4, 2: nllb)."""

    root: Path
    gpt4: Path
    nllb: Path
    db: Path


@pytest.fixture(scope="session")
def history_reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    root = tmp_path_factory.mktemp("history-reports")
    db = root / "history.sqlite"
    for name in ("gpt4", "nllb"):
        argv = evaluate_argv(f"{name}.de", "--json", str(root / f"{name}.json"))
        result = run_cli([*argv, "--record", "--suite", "news", "--history", str(db)])
        assert result.exit_status == 0, result.stderr
    return Reports(root, root / "gpt4.json", root / "nllb.json", db)


def cli_subprocess(*argv: str) -> subprocess.Popen[str]:
    """The evalharness CLI in a fresh Python process (this checkout's code)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", "from evalharness.cli import main; main()", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def record_concurrently(report: Path, history: str, count: int) -> None:
    """``history record`` from ``count`` processes at once; every one must succeed."""
    procs = [
        cli_subprocess("history", "record", str(report), "--suite", "news", "--history", history)
        for _ in range(count)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
