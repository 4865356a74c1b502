"""Run every benchmark and write bench/RESULTS.md (``make bench``).

Each benchmark prints Markdown with its figures beside the reference tool's,
measured in the same run, as ratios. A benchmark that fails is reported as
failed in RESULTS.md; the others still run.
"""

from __future__ import annotations

import datetime as dt
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("lexical.py", []),
    ("ter.py", []),
    ("align.py", []),
    ("errors.py", []),
    ("comet.py", []),
    ("html.py", []),
]


def main() -> int:
    sections = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {dt.date.today()} ({platform.machine()}, "
        f"{_cores()} cores, Python {platform.python_version()}).",
        "",
    ]
    failed = 0
    for script, args in BENCHMARKS:
        path = HERE / script
        if not path.exists():
            continue
        print(f"== {script}", flush=True)
        proc = subprocess.run(
            [sys.executable, str(path), *args], cwd=HERE, capture_output=True, text=True
        )
        print(proc.stdout, flush=True)
        if proc.returncode != 0:
            failed += 1
            print(proc.stderr[-3000:], file=sys.stderr)
            sections += [f"## {script}", "", f"FAILED (exit {proc.returncode})", ""]
            continue
        sections += [f"## {script}", "", proc.stdout.strip(), ""]
    (HERE / "RESULTS.md").write_text("\n".join(sections) + "\n", encoding="utf-8")
    return 1 if failed else 0


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    sys.exit(main())
