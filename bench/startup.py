"""Small jobs, whole processes: ``evalharness evaluate`` against the sacrebleu CLI.

Every job runs both tools as fresh processes on the same files, alternating,
``--repeat`` times (default 3); the table shows the median wall time of each,
its CPU time (user + system, steadier than wall time on a shared machine) and
the ratio evalharness / sacrebleu in the same run.

Jobs (WMT23 zh-en, refA against GPT-4's output):

- ``one-line``: the first line, ``--metrics bleu,chrf,ter``, default checks,
  ``--json``; sacrebleu ``-m bleu chrf ter``. Target: at most 3x.
- ``one-line-bleu``: the same line, ``--metrics bleu --no-checks``; sacrebleu ``-m bleu``.
- ``ter-1000``: the first 1,000 lines, ``--metrics ter``, default checks,
  ``--json``; sacrebleu ``-m ter``. Target: evalharness at least 20x faster.

evalharness's own modules are byte-compiled first (``compileall``), as an
installed package is: with ``PYTHONDONTWRITEBYTECODE`` set, every run would
otherwise compile its ~100 modules from source (0.2 s or more).

Data: ``--data DIR`` (env ``EVALHARNESS_DATA``, default ``../shared/data``).
Usage: python bench/startup.py [--data DIR] [--repeat N] [--only one-line,ter-1000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from _util import (
    BIN,
    DATA,
    OUT,
    REPO,
    WMT_SUBDIR,
    Measurement,
    load_average,
    median_of,
    run_measured,
    table,
)


@dataclass(frozen=True)
class Job:
    """One comparison: our command line and sacrebleu's on the same files."""

    name: str
    lines: int
    ours: list[str]
    theirs: list[str]


def _jobs(ref: Path, hyp: Path, ref_k: Path, hyp_k: Path, out: Path) -> list[Job]:
    ev = [str(BIN / "evalharness"), "evaluate", "--quiet"]
    sb = [str(BIN / "sacrebleu")]
    return [
        Job("one-line", 1,
            [*ev, "--ref", str(ref), "--hyp", str(hyp), "--metrics", "bleu,chrf,ter",
             "--json", str(out / "one-line.json")],
            [*sb, str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "ter"]),
        Job("one-line-bleu", 1,
            [*ev, "--ref", str(ref), "--hyp", str(hyp), "--metrics", "bleu", "--no-checks"],
            [*sb, str(ref), "-i", str(hyp), "-m", "bleu"]),
        Job("ter-1000", 1000,
            [*ev, "--ref", str(ref_k), "--hyp", str(hyp_k), "--metrics", "ter",
             "--json", str(out / "ter-1000.json")],
            [*sb, str(ref_k), "-i", str(hyp_k), "-m", "ter"]),
    ]  # fmt: skip


def _first_lines(src: Path, dst: Path, n: int) -> Path:
    lines = src.read_text(encoding="utf-8").split("\n")[:n]
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def measure(job: Job, repeat: int) -> tuple[Measurement, Measurement]:
    """Median runs of both tools, alternating so that both see the same load."""
    ours: list[Measurement] = []
    theirs: list[Measurement] = []
    for _ in range(repeat):
        ours.append(run_measured(f"evalharness ({job.name})", job.ours))
        theirs.append(run_measured(f"sacrebleu ({job.name})", job.theirs))
    return median_of(ours), median_of(theirs)


def _commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("EVALHARNESS_DATA", str(DATA)))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated job names")
    args = parser.parse_args()
    wmt = Path(args.data) / WMT_SUBDIR
    out = OUT / "startup"
    ref = _first_lines(wmt / "generaltest2023.zh-en.ref.refA.en", out / "ref.1.en", 1)
    hyp = _first_lines(wmt / "generaltest2023.zh-en.hyp.GPT4-5shot.en", out / "hyp.1.en", 1)
    ref_k = _first_lines(wmt / "generaltest2023.zh-en.ref.refA.en", out / "ref.1000.en", 1000)
    hyp_k = _first_lines(wmt / "generaltest2023.zh-en.hyp.GPT4-5shot.en", out / "hyp.1000.en", 1000)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "evalharness")], check=False)
    wanted = {name for name in args.only.split(",") if name}
    load_before = load_average()
    rows = [["job", "evalharness s (CPU s)", "sacrebleu s (CPU s)", "ratio evalharness / sacrebleu",
             "CPU ratio"]]
    failed = False
    for job in _jobs(ref, hyp, ref_k, hyp_k, out):
        if wanted and job.name not in wanted:
            continue
        ours, theirs = measure(job, args.repeat)
        failed = failed or bool(ours.returncode or theirs.returncode)
        rows.append([job.name, f"{ours.seconds:.2f} ({ours.cpu_seconds:.2f})",
                     f"{theirs.seconds:.2f} ({theirs.cpu_seconds:.2f})",
                     _ratio(ours.seconds, theirs.seconds), _ratio(ours.cpu_seconds, theirs.cpu_seconds)])
    text = (f"### Small jobs, whole processes (median of {args.repeat}, commit {_commit()}, "
            f"{load_before} before, {load_average()} after)\n\n" + table(rows) + "\n")
    if failed:
        text += "\n**A command failed; see stderr.**\n"
    return text


def _ratio(ours: float, theirs: float) -> str:
    if ours <= 0 or theirs <= 0:
        return "n/a"
    return f"{ours / theirs:.2f}x" if ours >= theirs else f"{ours / theirs:.2f}x ({theirs / ours:.1f}x faster)"


if __name__ == "__main__":
    result = main()
    print(result)
    sys.exit(1 if "failed" in result else 0)
