"""Shared helpers of the benchmarks: data paths, timed subprocesses, result tables."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
WMT = DATA / "metric_vectors" / "wmt23_zhen_generaltest_full"
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Measurement:
    """Wall time and peak resident memory of one child process."""

    label: str
    seconds: float
    peak_mb: float
    returncode: int


def run_measured(label: str, argv: list[str], stdout_path: Path | None = None) -> Measurement:
    """Run a command, returning its wall time and peak RSS (from wait4's rusage)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        print(f"{label} failed with exit {code}: {err[-2000:]}", file=sys.stderr)
    return Measurement(label, seconds, usage.ru_maxrss / 1024, code)


def repeat_lines(src: Path, dst: Path, n: int) -> Path:
    """Write the first ``n`` lines of ``src`` repeated cyclically to ``dst``."""
    lines = src.read_text(encoding="utf-8").rstrip("\n").split("\n")
    dst.parent.mkdir(parents=True, exist_ok=True)
    reps = (n + len(lines) - 1) // len(lines)
    dst.write_text("\n".join((lines * reps)[:n]) + "\n", encoding="utf-8")
    return dst


def table(rows: list[list[str]]) -> str:
    """A Markdown table; the first row is the header."""
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(out)
