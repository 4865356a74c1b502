"""COMET: evalharness's scorer vs unbabel-comet's ``comet-score``, same checkpoint, same run.

Two randomly initialised checkpoints built offline (``tests/comet_tiny.py``): the
tiny one (hidden 32, 2 layers) and one with an encoder of XLM-R large size
(hidden 1024, 24 layers, 16 heads, intermediate 4096, as in wmt22-comet-da).
Inputs are the first N lines of WMT23 zh-en (source, GPT-4 hypothesis, reference).
Every figure is the wall time of a fresh process (imports and model loading
included), so the ratios are what a user sees. ``comet-score`` always runs in
half precision (also on CPU); evalharness defaults to fp32 on CPU and is shown
in fp16 too. The cached rerun scores the same inputs again with a warm cache.

Usage: python bench/comet.py [--tiny-segments N] [--large-segments N] [--skip-tiny] [--skip-large]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from _util import BIN, OUT, REPO, WMT, Measurement, run_measured, table

# This file is named comet.py: keep `import comet` for unbabel-comet, not for this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(REPO / "tests"))
import comet_tiny  # noqa: E402

MODELS = OUT / "comet-models"


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny-segments", type=int, default=1976)
    parser.add_argument("--large-segments", type=int, default=32)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-tiny", action="store_true")
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"  # everything is local; never touch the network
    sections = []
    if not args.skip_tiny:
        sections.append(run_case("tiny", comet_tiny.EncoderSize(), args.tiny_segments))
    if not args.skip_large:
        # fp16 on CPU takes minutes per 32 segments at this size: comet-score shows it once.
        sections.append(
            run_case("XLM-R large size", comet_tiny.XLMR_LARGE, args.large_segments, fp16=False)
        )
    return "\n\n".join(sections)


def build(name: str, size: comet_tiny.EncoderSize) -> Path:
    """The checkpoint of a random model of this size (built once, kept in bench/out)."""
    root = MODELS / name.replace(" ", "-")
    ckpt = root / "regression" / "checkpoints" / "model.ckpt"
    if not ckpt.exists():
        shutil.rmtree(root, ignore_errors=True)
        comet_tiny.build_model(root, "regression", size=size)
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
        lines = (WMT / name).read_text(encoding="utf-8").split("\n")[:n]
        files[key] = OUT / f"comet.{n}.{key}"
        files[key].parent.mkdir(parents=True, exist_ok=True)
        files[key].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def ours(
    label: str, ckpt: Path, files: dict[str, Path], precision: str, cache: Path | None
) -> Measurement:
    argv = [sys.executable, __file__, "_score", str(ckpt), precision, str(cache or "-")]
    return run_measured(label, argv + [str(files[k]) for k in ("src", "mt", "ref")])


def comet_score(ckpt: Path, files: dict[str, Path]) -> Measurement:
    argv = [str(BIN / "comet-score"), "-s", str(files["src"]), "-t", str(files["mt"]),
            "-r", str(files["ref"]), "--model", str(ckpt), "--gpus", "0", "--quiet",
            "--only_system", "--batch_size", "16"]  # fmt: skip
    return run_measured("comet-score CLI (fp16, forced)", argv)


def run_case(name: str, size: comet_tiny.EncoderSize, n: int, fp16: bool = True) -> str:
    ckpt = build(name, size)
    files = inputs(n)
    cache = OUT / f"comet-cache-{name.replace(' ', '-')}"
    shutil.rmtree(cache, ignore_errors=True)
    theirs = comet_score(ckpt, files)
    runs = [
        ours("evalharness fp32, cold cache", ckpt, files, "fp32", cache),
        ours("evalharness fp32, cached rerun", ckpt, files, "fp32", cache),
        ours("evalharness fp32 (CPU default), no cache", ckpt, files, "fp32", None),
    ]
    if fp16:
        runs.append(ours("evalharness fp16 (as comet-score), no cache", ckpt, files, "fp16", None))
    runs.append(theirs)
    rows = [["run", "seconds", "segments/s", "vs comet-score", "peak MB"]]
    for m in runs:
        rows.append([m.label, f"{m.seconds:.1f}", f"{n / m.seconds:.1f}",
                     f"{theirs.seconds / m.seconds:.2f}x", f"{m.peak_mb:.0f}"])  # fmt: skip
    cold, warm = runs[0], runs[1]
    text = f"### COMET, {name} encoder, {n:,} segments (wall time per process)\n\n" + table(rows)
    text += f"\n\nCached rerun speed-up over the cold run: {cold.seconds / warm.seconds:.1f}x\n"
    if any(m.returncode for m in runs):
        text += "\n**A command failed; see stderr.**\n"
    return text


def _score(ckpt: str, precision: str, cache: str, src: str, mt: str, ref: str) -> None:
    """Child process: score the files as ``evalharness evaluate`` would (quiet)."""
    from evalharness.metrics.comet import CometMetric
    from evalharness.types import CometOptions

    read = [Path(p).read_text(encoding="utf-8").rstrip("\n").split("\n") for p in (src, mt, ref)]
    options = CometOptions(
        model=ckpt, precision=precision, quiet=True, cache_dir=None if cache == "-" else cache,
        use_cache=cache != "-",
    )  # fmt: skip
    result = CometMetric(options).compute(read[1], read[2], read[0])
    print(f"{result.score:.6f} scored={result.extra['segments_scored']}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_score":
        _score(*sys.argv[2:8])
        sys.exit(0)
    print(main())
    sys.exit(0)
