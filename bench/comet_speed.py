"""COMET: ``evalharness evaluate`` vs unbabel-comet's ``comet-score``, same checkpoint, same run.

Two randomly initialised checkpoints built offline (``tests/comet_tiny.py``): the
tiny one (hidden 32, 2 layers) and one with an encoder of XLM-R large size
(hidden 1024, 24 layers, 16 heads, intermediate 4096, as in wmt22-comet-da; its
vocabulary is the tiny tokenizer's 500 pieces, so the checkpoint is 1.2 GB
instead of 2.3 GB and sentences cut into more tokens than with XLM-R's own).
Inputs are the first N lines of WMT23 zh-en (source, GPT-4 hypothesis,
reference). Every run is a fresh process, timed from start to exit (imports and
model loading included), so the ratios are what a user sees; for our runs the
child also times model loading and scoring, and "scoring segments/s" leaves
out start-up and loading.

``comet-score`` always runs in half precision (it calls ``model.half()``, also
on CPU); evalharness defaults to fp32 on CPU and is also run in fp16 (on the
large model only with ``--large-fp16``: minutes on a CPU, like comet-score). The
cached rerun scores the same inputs again with the cache of the cold run. The
Ray line runs the tiny case with ``--backend ray`` on a local Ray instance
started by the run (one CPU actor on a machine with fewer than 8 CPUs).
Agreement is the largest difference from ``comet-score``'s printed segment
scores (4 decimals).

Usage: python bench/comet_speed.py [--tiny-segments N] [--large-segments N] [--repeats K]
       [--skip-tiny] [--skip-large] [--skip-ray] [--large-fp16]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _util import BIN, OUT, REPO, Measurement, parse_args, run_measured, table, wmt_dir

MODELS = OUT / "comet-models"
COLD = "evalharness fp32 (CPU default), cold cache"
WARM = "evalharness fp32, cached rerun"
FP16 = "evalharness fp16 (comet-score's precision), no cache"
RAY = "evalharness fp32 --backend ray (local Ray instance), no cache"
THEIRS = "comet-score CLI (fp16, always)"
SIZES = {  # name -> EncoderSize arguments (see tests/comet_tiny.py)
    "tiny": {},
    "XLM-R large size": {"hidden": 1024, "layers": 24, "heads": 16, "intermediate": 4096},
}


@dataclass(frozen=True)
class Run:
    """One timed process and what it reported."""

    measurement: Measurement
    cpu_s: float | None  # user + system CPU of the process (None: work done outside it)
    elsewhere: float | None  # cores busy with other processes during the run, on average
    scores: list[float]
    scored: int | None = None  # segments the model scored (not from the cache)
    load_s: float | None = None
    scoring_s: float | None = None


def main(argv: Sequence[str] | None = None) -> str:
    """Run the benchmark and return its figures as Markdown."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny-segments", type=int, default=1976)
    parser.add_argument("--large-segments", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each tiny-model command")
    parser.add_argument("--skip-tiny", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--large-fp16", action="store_true",
                        help="also run our fp16 on the large model (minutes on a CPU)")  # fmt: skip
    args = parse_args(parser, [] if argv is None else list(argv))
    os.environ["HF_HUB_OFFLINE"] = "1"  # everything is local; never touch the network
    sections = [_machine()]
    if not args.skip_tiny:
        sections.append(
            run_case("tiny", args.tiny_segments, args.repeats, fp16=True, ray=not args.skip_ray)
        )
    if not args.skip_large:
        sections.append(run_case("XLM-R large size", args.large_segments, 1, fp16=args.large_fp16))
    return "\n\n".join(sections) + "\n"


def _machine() -> str:
    cpus = len(os.sched_getaffinity(0))
    return (
        f"{cpus} CPU cores, no GPU (torch CPU build). Every figure is one fresh process, start "
        "to exit; with repeats, the fastest of the runs (taken in turn, so that a busy moment "
        "of the machine does not favour one tool). Speed ratios are comet-score's time over "
        "ours (above 1: we are faster); CPU is user + system time, which other load on the "
        'machine disturbs less than wall time; "cores busy elsewhere" is the CPU other '
        "processes used during the run (0 on a quiet machine)."
    )


def run_case(name: str, n: int, repeats: int, fp16: bool, ray: bool = False) -> str:
    """All runs of one model size, each the fastest of ``repeats``; a Markdown section."""
    ckpt = build(name)
    files = inputs(n)
    slug = name.replace(" ", "-")
    tag = f"{slug}.{n}"
    cache = OUT / f"comet-cache-{slug}"
    commands: dict[str, Any] = {
        THEIRS: lambda: comet_score(ckpt, files, OUT / f"comet-score.{tag}.txt"),
        COLD: lambda: ours(ckpt, files, "fp32", cache, f"{tag}.cold", fresh_cache=True),
        WARM: lambda: ours(ckpt, files, "fp32", cache, f"{tag}.warm"),
    }
    if fp16:
        commands[FP16] = lambda: ours(ckpt, files, "fp16", None, f"{tag}.fp16")
    if ray:
        commands[RAY] = lambda: ours(ckpt, files, "fp32", None, f"{tag}.ray", backend="ray")
    tries: dict[str, list[Run]] = {label: [] for label in commands}
    for _ in range(repeats):
        for label, command in commands.items():
            tries[label].append(command())
    best = {label: min(runs, key=lambda r: r.measurement.seconds) for label, runs in tries.items()}
    order = [COLD, WARM, FP16, RAY, THEIRS]
    return format_case(name, n, {k: best[k] for k in order if k in best}, repeats)


def format_case(name: str, n: int, runs: dict[str, Run], repeats: int) -> str:
    theirs = runs[THEIRS]
    rows = [["run", "wall s", "segments/s", "speed vs comet-score", "CPU s",
             "CPU vs comet-score", "scoring segments/s", "peak MB", "max diff vs comet-score",
             "cores busy elsewhere"]]  # fmt: skip
    for label, run in runs.items():
        m = run.measurement
        scoring = f"{run.scored / run.scoring_s:.1f}" if run.scored and run.scoring_s else "n/a"
        cpu = f"{run.cpu_s:.1f}" if run.cpu_s is not None else "n/a"
        cpu_ratio = f"{theirs.cpu_s / run.cpu_s:.2f}x" if run.cpu_s and theirs.cpu_s else "n/a"
        diff = _max_diff(run.scores, theirs.scores) if run is not theirs else "-"
        rows.append([label, f"{m.seconds:.1f}", _rate(n, m.seconds),
                     f"{theirs.measurement.seconds / m.seconds:.2f}x", cpu, cpu_ratio, scoring,
                     f"{m.peak_mb:.0f}", diff,
                     "n/a" if run.elsewhere is None else f"{run.elsewhere:.1f}"])  # fmt: skip
    cold, warm = runs[COLD], runs[WARM]
    runs_text = f"fastest of {repeats} runs each" if repeats > 1 else "one run each"
    text = f"### COMET, {name} encoder, {n:,} segments ({runs_text})\n\n" + table(rows) + "\n"
    text += (
        f"\nCached rerun: {warm.measurement.seconds:.1f} s against {cold.measurement.seconds:.1f} s "
        f"cold, a {cold.measurement.seconds / warm.measurement.seconds:.1f}x speed-up; it scored "
        f"{warm.scored} segments and loaded {'no model' if warm.load_s is None else 'the model'}."
    )
    if cold.load_s is not None:
        text += f" Importing unbabel-comet and loading the checkpoint took {cold.load_s:.1f} s of the cold run."
    text += "\n"
    if any(r.measurement.returncode for r in runs.values()):
        text += "\n**A command FAILED; see stderr.**\n"
    return text


def _rate(n: int, seconds: float) -> str:
    rate = n / seconds
    return f"{rate:.1f}" if rate >= 1 else f"{rate:.2f}"


def _max_diff(ours: list[float], theirs: list[float]) -> str:
    if not ours or len(ours) != len(theirs):
        return "n/a"
    return f"{max(abs(a - b) for a, b in zip(ours, theirs, strict=True)):.1e}"


def build(name: str) -> Path:
    """The checkpoint of a random model of this size (built once in a child, kept in bench/out)."""
    root = MODELS / name.replace(" ", "-")
    ckpt = root / "regression" / "checkpoints" / "model.ckpt"
    if not ckpt.exists():
        shutil.rmtree(root, ignore_errors=True)
        done, _, _ = measure(f"build {name}", [sys.executable, __file__, "_build", name, str(root)])
        if done.returncode:
            raise SystemExit(f"building the {name} checkpoint FAILED")
    return ckpt


def inputs(n: int) -> dict[str, Path]:
    """First ``n`` lines of WMT23 zh-en as src/mt/ref files."""
    names = {
        "src": "generaltest2023.zh-en.src.zh",
        "mt": "generaltest2023.zh-en.hyp.GPT4-5shot.en",
        "ref": "generaltest2023.zh-en.ref.refA.en",
    }
    files = {}
    for key, name in names.items():
        lines = (wmt_dir() / name).read_text(encoding="utf-8").split("\n")[:n]
        files[key] = OUT / f"comet.{n}.{key}"
        files[key].parent.mkdir(parents=True, exist_ok=True)
        files[key].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def ours(
    ckpt: Path,
    files: dict[str, Path],
    precision: str,
    cache: Path | None,
    tag: str,
    backend: str = "local",
    fresh_cache: bool = False,
) -> Run:
    """``evalharness evaluate --metrics comet`` in a fresh process, timed inside and out."""
    if fresh_cache and cache:
        shutil.rmtree(cache, ignore_errors=True)
    report = OUT / f"comet-report.{tag}.json"
    timings = OUT / f"comet-report.{tag}.timings.json"
    for stale in (report, timings):
        stale.unlink(missing_ok=True)
    argv = ["evaluate", "--format", "lines", "--src", str(files["src"]), "--ref",
            str(files["ref"]), "--hyp", str(files["mt"]), "--metrics", "comet",
            "--comet-model", str(ckpt), "--comet-precision", precision, "--backend", backend,
            "--no-checks", "--quiet", "--json", str(report)]  # fmt: skip
    argv += ["--cache", str(cache)] if cache else ["--no-cache"]
    m, own_cpu, busy = measure(tag, [sys.executable, __file__, "_evaluate", str(timings), *argv])
    # With Ray the actors' work is not in this process's CPU time.
    cpu, elsewhere = (None, None) if backend == "ray" else (own_cpu, busy)
    try:
        system = json.loads(report.read_text(encoding="utf-8"))["systems"][0]
        inner = json.loads(timings.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, IndexError):
        return Run(m, cpu, elsewhere, [])
    scores = [float(s["scores"]["comet"]) for s in system["segments"]]
    scored = int(system["metrics"]["comet"]["segments_scored"])
    return Run(m, cpu, elsewhere, scores, scored, inner.get("load_s"), inner.get("scoring_s"))


def measure(
    label: str, argv: list[str], stdout_path: Path | None = None
) -> tuple[Measurement, float, float]:
    """:func:`run_measured`, plus the process's user + system CPU seconds and the cores
    other processes kept busy meanwhile (machine-wide busy time from /proc/stat, less ours)."""
    before, busy_before = resource.getrusage(resource.RUSAGE_CHILDREN), _busy_seconds()
    m = run_measured(label, argv, stdout_path=stdout_path)
    after, busy_after = resource.getrusage(resource.RUSAGE_CHILDREN), _busy_seconds()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return m, cpu, max(0.0, busy_after - busy_before - cpu) / m.seconds


def _busy_seconds() -> float:
    """Non-idle CPU time of the whole machine since boot (user, nice, system, irq, steal)."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def comet_score(ckpt: Path, files: dict[str, Path], out: Path) -> Run:
    """unbabel-comet's ``comet-score`` CLI on the same checkpoint and files."""
    argv = [str(BIN / "comet-score"), "-s", str(files["src"]), "-t", str(files["mt"]),
            "-r", str(files["ref"]), "--model", str(ckpt), "--gpus", "0", "--quiet",
            "--batch_size", "16"]  # fmt: skip
    m, cpu, elsewhere = measure("comet-score CLI", argv, stdout_path=out)
    found = re.findall(r"Segment (\d+)\tscore: (-?[\d.]+)", out.read_text(encoding="utf-8"))
    scores = [float(s) for _, s in sorted(found, key=lambda f: int(f[0]))]
    return Run(m, cpu, elsewhere, scores)


def _build(name: str, root: str) -> None:
    """Child process: build the random checkpoint of this size."""
    sys.path.insert(0, str(REPO / "tests"))
    import comet_tiny

    comet_tiny.build_model(Path(root), "regression", size=comet_tiny.EncoderSize(**SIZES[name]))


def _evaluate(timings: str, argv: list[str]) -> int:
    """Child process: ``evalharness evaluate`` in-process, timing model loading and scoring."""
    from evalharness.cli.app import raw_main
    from evalharness.metrics.comet import metric as comet_metric

    spent: dict[str, float] = {}

    def timed(key: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - start

        return wrapper

    comet_metric.load_comet_model = timed("load_s", comet_metric.load_comet_model)
    comet_metric.score_samples = timed("scoring_s", comet_metric.score_samples)
    status = int(raw_main(argv))
    Path(timings).write_text(json.dumps(spent), encoding="utf-8")
    return status


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        _build(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if len(sys.argv) > 1 and sys.argv[1] == "_evaluate":
        sys.exit(_evaluate(sys.argv[2], sys.argv[3:]))
    result = main(sys.argv[1:])
    print(result)
    sys.exit(1 if "FAILED" in result else 0)
