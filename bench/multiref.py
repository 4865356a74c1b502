"""Multi-reference BLEU and chrF statistics: compiled kernels vs sacrebleu's own extraction.

WMT23 en-he (GPT4-5shot against refA and refB), repeated to N segments. Both
sides compute the same per-segment sufficient statistics (the test suite checks
they are equal; this script checks it again) on one thread. Prints seconds per
metric and the speed-up.

Usage: python bench/multiref.py [--data DIR] [--segments N]
(``--data`` defaults to ``$EVALHARNESS_DATA`` or ``../shared/data``.)
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, LexicalMetric

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def read(folder: Path, kind: str, n: int) -> list[str]:
    lines = (folder / f"generaltest2023.en-he.{kind}").read_text(encoding="utf-8").split("\n")[:-1]
    return (lines * (n // len(lines) + 1))[:n]


def timed(metric: LexicalMetric, hyps: list[str], refs: list[list[str | None]]) -> tuple[float, float, bool]:
    start = time.perf_counter()
    ours = metric.segment_statistics(hyps, refs)
    compiled = time.perf_counter() - start
    start = time.perf_counter()
    theirs = np.asarray(metric._rows(hyps, refs))
    extraction = time.perf_counter() - start
    return compiled, extraction, bool(np.array_equal(ours, theirs))


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("EVALHARNESS_DATA", DEFAULT_DATA)))
    parser.add_argument("--segments", type=int, default=20_000)
    args = parser.parse_args()
    folder = args.data / "wmt23_multilingual" / "en-he"
    hyps = read(folder, "hyp.GPT4-5shot.he", args.segments)
    refs: list[list[str | None]] = [list(read(folder, f"ref.{r}.he", args.segments))
                                    for r in ("refA", "refB")]
    rows = [f"### Multi-reference statistics, WMT23 en-he, 2 references, {args.segments:,} segments",
            "", "| metric | compiled s | sacrebleu extraction s | speed-up | identical |",
            "|---|---|---|---|---|"]
    for metric in (BleuMetric(n_bootstrap=0, n_jobs=1), ChrfMetric(n_bootstrap=0, n_jobs=1)):
        ours, theirs, same = timed(metric, hyps, refs)
        rows.append(f"| {metric.name} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.1f}x | {same} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(main())
