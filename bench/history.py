"""Run history at scale: 10,000 stored runs; list, trend, compare and export timings.

One real ``evaluate`` report (WMT23 en-de, GPT4-5shot, 557 paragraph segments,
BLEU/chrF/TER with per-segment statistics) is recorded 10,000 times as 10 suites
of 1,000 runs, with jittered scores, a BLEU signature change every 250 runs and
a failed gate every 97th run, into a fresh SQLite history (or ``--history URL``
for PostgreSQL). Then, each timed in-process (the command's own time) and as a
fresh ``evalharness`` process (what a user waits for, interpreter start included):

- ``history list`` of all 10,000 runs;
- ``history trend --suite S --html`` over one suite's 1,000 runs;
- ``history compare`` of two stored runs (paired bootstrap, 1,000 resamples);
- ``history export --csv`` of all runs (30,000 rows);
- recording: batched (one transaction per 500 runs) and one run per transaction.

Usage: python bench/history.py [--data DIR] [--runs N] [--report JSON] [--history URL]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _util import OUT, REPO, run_measured, table

sys.path.insert(0, str(REPO))

from evalharness.cli.app import run_cli  # noqa: E402
from evalharness.history.capture import RunRecord, capture_run  # noqa: E402
from evalharness.history.store import open_store  # noqa: E402

PAIR = "wmt23_multilingual/en-de/generaltest2023.en-de"


def make_report(data: Path, out: Path) -> Path:
    """Evaluate WMT23 en-de GPT4-5shot once (lexical metrics, no checks)."""
    result = run_cli(
        ["evaluate", "--ref", str(data / f"{PAIR}.ref.refA.de"),
         "--hyp", str(data / f"{PAIR}.hyp.GPT4-5shot.de"), "--src", str(data / f"{PAIR}.src.en"),
         "--format", "lines", "--metrics", "bleu,chrf,ter", "--no-checks", "--quiet",
         "--json", str(out)]
    )  # fmt: skip
    if result.exit_status != 0:
        raise SystemExit(f"evaluate failed: {result.stderr}")
    return out


def synthetic_runs(template: RunRecord, n: int, suites: int) -> list[RunRecord]:
    """``n`` runs like ``template``: jittered scores, drift every 250, a failed gate every 97."""
    rng = random.Random(12345)
    runs = []
    for i in range(n):
        suite, k = f"suite-{i % suites}", i // suites
        version = f"version:2.{6 + k // 250}.0"
        systems = []
        for system in template.systems:
            metrics = []
            for m in system.metrics:
                shift = rng.gauss(0, 0.4)
                ci = None if m.ci95 is None else (m.ci95[0] + shift, m.ci95[1] + shift)
                signature = m.signature.replace("version:2.6.0", version)
                metrics.append(dataclasses.replace(
                    m, score=(m.score or 0.0) + shift, ci95=ci,
                    signature=signature if m.metric == "bleu" else m.signature,
                ))  # fmt: skip
            systems.append(dataclasses.replace(system, metrics=tuple(metrics)))
        runs.append(dataclasses.replace(
            template, uid=f"{i:08d}-{rng.getrandbits(64):016x}", suite=suite,
            created=f"2026-{1 + k * 12 // 1000:02d}-{1 + k % 28:02d}T12:00:{i % 60:02d}+00:00",
            systems=tuple(systems), command="gate",
            gate_status="regression" if i % 97 == 0 else "pass",
        ))  # fmt: skip
    return runs


def timed(fn: Any, repeat: int = 3) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_ok(*argv: str) -> None:
    result = run_cli(list(argv))
    if result.exit_status not in (0, 1):
        raise SystemExit(f"{argv} failed: {result.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("EVALHARNESS_DATA", str(REPO.parent / "shared" / "data")))
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--report", help="use this evaluate JSON report instead of evaluating")
    parser.add_argument("--history", help="database (default: a fresh SQLite file)")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(REPO)  # the fresh processes run this checkout
    work = Path(tempfile.mkdtemp(prefix="eh-history-bench-"))
    try:
        bench(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench(args: argparse.Namespace, work: Path) -> None:
    """Record the runs, time the commands, print and save the table."""
    report_path = Path(args.report) if args.report else make_report(Path(args.data), work / "report.json")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    template = capture_run(report, suite="s", command="gate", environ={})
    segments = len(template.systems[0].ref_counts)
    runs = synthetic_runs(template, args.runs, suites=10)
    location = args.history or str(work / "history.sqlite")
    rows = [["step", "in-process (s)", "new process (s)", "notes"]]
    with open_store(location, create=True) as store:
        start = time.perf_counter()
        for i in range(0, len(runs) - 50, 500):
            store.record(*runs[i : min(i + 500, len(runs) - 50)])
        batched = time.perf_counter() - start
        start = time.perf_counter()
        for run in runs[-50:]:
            store.record(run)
        single = (time.perf_counter() - start) / 50
    size = "" if args.history else f"{os.path.getsize(location) / 2**20:.0f} MB file"
    rows.append(["record, 500 runs per transaction", f"{batched:.1f}", "",
                 f"{args.runs - 50} runs of {segments} segments; {size}"])  # fmt: skip
    rows.append(["record, one run per transaction", f"{single * 1000:.1f} ms/run", "", "50 runs"])
    trend_html, csv = work / "trend.html", work / "runs.csv"
    steps = [
        ("evalharness --version (start-up only)", ["--version"], "interpreter and CLI imports"),
        ("history list (all runs)", ["history", "list", "--history", location], f"{args.runs} lines"),
        ("history trend, 1 suite", ["history", "trend", "--suite", "suite-3", "--html", str(trend_html), "--history", location], "1,000 runs, 3 charts"),
        ("history compare", ["history", "compare", "1", "11", "--history", location], "1,000 bootstrap resamples"),
        ("history export --csv", ["history", "export", "--csv", str(csv), "--history", location], f"{3 * args.runs} rows"),
    ]  # fmt: skip
    for label, argv, note in steps:
        inproc = timed(lambda argv=argv: cli_ok(*argv))
        command = [sys.executable, "-c", "from evalharness.cli import main; main()", *argv]
        fresh = statistics.median(run_measured(label, command).seconds for _ in range(3))
        rows.append([label, f"{inproc:.2f}", f"{fresh:.2f}", note])
    text = table(rows)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "history.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
