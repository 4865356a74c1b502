"""Run every benchmark and write bench/RESULTS.md (``make bench``).

Each benchmark prints Markdown with its figures beside the reference tool's,
measured in the same run, as ratios. A benchmark that fails (non-zero exit,
time-out, missing file) is reported as FAILED in RESULTS.md with the end of its
error output; the others still run, and the exit status is 1.

Usage: python bench/run_all.py [--only lexical,ter] [--timeout SECONDS] [--data DIR]

``--data`` (or ``EVALHARNESS_DATA``; default ``../shared/data``) is the folder of the
third-party data sets, passed on to every benchmark.

``--only`` re-runs some benchmarks and keeps the other results of the existing
RESULTS.md, marking the re-run ones with their date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BENCHMARKS = [
    ("startup.py", "small jobs (one line, TER on 1,000 lines) vs the sacrebleu CLI, whole processes"),
    ("parity.py", "full WMT23 zh-en: scores vs sacrebleu's table and the official values"),
    ("lexical.py", "100k-segment evaluate vs the sacrebleu CLI"),
    ("lang_cost.py", "what detection and the language profiles cost in the checks"),
    ("ter.py", "compiled TER vs sacrebleu's TER"),
    ("multiref.py", "multi-reference BLEU/chrF statistics vs sacrebleu's extraction"),
    ("align.py", "sentence alignment of ~10k-sentence documents"),
    ("resegment.py", "word-level re-segmentation: ACL 60/60 and a 30k-word document"),
    ("errors.py", "error checks: recall, false alarms, cost"),
    ("qa_checks.py", "glossary and format checks: planted UI errors, false alarms, cost"),
    ("comet_speed.py", "COMET scorer vs unbabel-comet's comet-score"),
    ("html_report.py", "HTML report size and rendering"),
    ("meta.py", "metric and error-report agreement with MQM raters"),
    ("languages.py", "tokenizer parity per target language, language detection, checks per language"),
    ("history.py", "run history: 10,000 stored runs; list, trend, compare, export"),
]
PACKAGES = ("evalharness", "sacrebleu", "numpy", "numba", "unbabel-comet", "torch", "pandas")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark")
    sys.path.insert(0, str(HERE))
    from _util import data_dir, parse_args

    args = parse_args(parser)
    os.environ["EVALHARNESS_DATA"] = str(data_dir())  # read by every benchmark
    chosen = set(args.only.split(",")) if args.only else None
    started = dt.datetime.now().astimezone()
    previous = _previous_results(HERE / "RESULTS.md") if chosen else {}
    sections: list[str] = []
    summary = [["benchmark", "what", "status", "seconds"]]
    failed = 0
    for script, what in BENCHMARKS:
        name = script.removesuffix(".py")
        if chosen is not None and name not in chosen:
            if name in previous:  # keep the last result of a benchmark not re-run
                row, body = previous[name]
                summary.append(row)
                sections += [f"## {name}", "", body, ""]
            continue
        print(f"== {script}", flush=True)
        status, seconds, body = _run(HERE / script, args.timeout)
        print(body, flush=True)
        failed += status != "ok"
        summary.append([f"[{name}](#{name})", what, f"{status} ({started:%Y-%m-%d %H:%M})"
                        if chosen else status, f"{seconds:.0f}"])
        sections += [f"## {name}", "", body.strip() or "(no output)", ""]
    header = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`bench/run_all.py`) on {started:%Y-%m-%d %H:%M %Z}"
        + (f" (re-run: {', '.join(sorted(chosen))}; the other results are kept from the"
           " previous run)" if chosen else "")
        + ". Every ratio compares two tools measured in the same run on this machine.",
        "",
        f"- Machine: {_cpu_model()}, {os.cpu_count()} CPUs "
        f"({len(os.sched_getaffinity(0))} usable), {_memory_gb():.0f} GB RAM, "
        f"{platform.system()} {platform.release()} {platform.machine()}",
        f"- Python {platform.python_version()}; " + ", ".join(_versions()),
        f"- Commit: {_commit()}",
        "",
        _table(summary),
        "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(header + sections).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}; {failed} failed", flush=True)
    return 1 if failed else 0


def _previous_results(path: Path) -> dict[str, tuple[list[str], str]]:
    """Summary row and section body of each benchmark in an existing RESULTS.md."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| [") and len(cells) == 4:
            rows[cells[0].split("]")[0].lstrip("[")] = cells
    out = {}
    for chunk in text.split("\n## ")[1:]:
        name, _, body = chunk.partition("\n")
        if name.strip() in rows:
            out[name.strip()] = (rows[name.strip()], body.strip())
    return out


def _run(path: Path, timeout: float) -> tuple[str, float, str]:
    """Run one benchmark script; (status, seconds, Markdown to report)."""
    if not path.exists():
        return "FAILED (missing)", 0.0, f"**FAILED**: {path.name} does not exist."
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, str(path)], cwd=HERE, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return ("FAILED (time-out)", time.perf_counter() - start,
                f"**FAILED**: no result after {timeout:.0f} s.\n\n{out}")
    seconds = time.perf_counter() - start
    if proc.returncode == 0:
        return "ok", seconds, proc.stdout
    print(proc.stderr[-3000:], file=sys.stderr)
    err = "\n".join(proc.stderr.strip().splitlines()[-15:])
    body = f"**FAILED** (exit {proc.returncode}).\n\n{proc.stdout.strip()}\n\n```\n{err}\n```"
    return f"FAILED (exit {proc.returncode})", seconds, body


def _table(rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def _versions() -> list[str]:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return out


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" with uncommitted changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
