"""Shared helpers of the benchmarks: data paths, timed subprocesses, result tables.

The benchmarks read the full third-party data sets (WMT23 test sets, MQM tables, the
ACL 60/60 example), which the repository does not ship: give their folder with
``--data DIR`` or ``EVALHARNESS_DATA``; ``../shared/data`` beside the checkout is the
default. The tests read only the slices vendored in ``tests/data/``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
WMT_FOLDER = Path("metric_vectors") / "wmt23_zhen_generaltest_full"
DATA = Path(os.environ.get("EVALHARNESS_DATA", DEFAULT_DATA))  # scripts with their own --data
WMT_SUBDIR = WMT_FOLDER
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
_DATA: list[Path] = []  # the folder chosen by parse_args, once


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``argv`` with a ``--data DIR`` option added, and check that the folder exists.

    Exits with status 2 and one line on stderr when the data folder is missing.
    """
    parser.add_argument(
        "--data", type=Path, metavar="DIR",
        help="folder of the third-party data (default: $EVALHARNESS_DATA, else ../shared/data)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    _DATA[:] = [_resolve_data(args.data)]
    return args


def _resolve_data(given: Path | None) -> Path:
    env = os.environ.get("EVALHARNESS_DATA")
    path = given or (Path(env) if env else DEFAULT_DATA)
    if not (path / WMT_FOLDER).is_dir():
        how = "--data" if given else "EVALHARNESS_DATA" if env else "the default"
        print(f"bench: no benchmark data at {path} ({how}; expected {WMT_FOLDER}/ inside): "
              "pass --data DIR or set EVALHARNESS_DATA", file=sys.stderr)  # fmt: skip
        sys.exit(2)
    return path


def data_dir() -> Path:
    """The data folder chosen by :func:`parse_args` (or from the environment when not called)."""
    if not _DATA:
        _DATA.append(_resolve_data(None))
    return _DATA[0]


def wmt_dir() -> Path:
    """The full WMT23 zh-en test set (1,976 lines; source, refA and three systems)."""
    return data_dir() / WMT_FOLDER


@dataclass(frozen=True)
class Measurement:
    """Wall time and peak memory of one child process (and any processes it starts).

    ``peak_mb`` is the larger of the process's own peak RSS (``wait4``) and the
    highest total RSS of its process tree seen by sampling ``/proc`` every
    50 ms, so that memory of worker processes is not left out.
    """

    label: str
    seconds: float
    peak_mb: float
    returncode: int
    cpu_seconds: float = 0.0


def run_measured(label: str, argv: list[str], stdout_path: Path | None = None) -> Measurement:
    """Run a command, returning its wall time and peak memory (see :class:`Measurement`)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
    sampler = _TreeSampler(proc.pid)
    sampler.start()
    # Drain stderr on a thread: a chatty child must not block on a full pipe.
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop()
    reader.join()
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = b"".join(err_chunks).decode(errors="replace")
        print(f"{label} failed with exit {code}: {err[-2000:]}", file=sys.stderr)
    peak_mb = max(usage.ru_maxrss / 1024, sampler.peak_kb / 1024)
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(label, seconds, peak_mb, code, cpu)


class _TreeSampler(threading.Thread):
    """Highest total RSS of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])  # field 4, ppid
        rss[pid] = int(fields[21]) * _PAGE_KB  # field 24, rss in pages
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


def median_of(runs: list[Measurement]) -> Measurement:
    """The run with the median wall time (the first failure, if any run failed)."""
    failed = [m for m in runs if m.returncode]
    if failed:
        return failed[0]
    return sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]


def load_average() -> str:
    """The 1-minute load average and the usable cores, e.g. ``load 3.2 on 2 cores``."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"load {os.getloadavg()[0]:.1f} on {cores} cores"


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
