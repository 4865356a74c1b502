"""100k segments through ``evalharness evaluate`` vs the sacrebleu CLI, same files, same run.

evalharness computes BLEU, chrF and TER at corpus and sentence level with
bootstrap intervals and runs the error checks; sacrebleu computes corpus BLEU
and chrF only. Prints wall time and peak memory of each and their ratio.

Usage: python bench/lexical.py [--segments N]
"""

from __future__ import annotations

import argparse
import sys

from _util import BIN, OUT, WMT, Measurement, repeat_lines, run_measured, table


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=100_000)
    args = parser.parse_args()
    n = args.segments
    ref = repeat_lines(WMT / "generaltest2023.zh-en.ref.refA.en", OUT / f"ref.{n}.en", n)
    hyp = repeat_lines(WMT / "generaltest2023.zh-en.hyp.GPT4-5shot.en", OUT / f"hyp.{n}.en", n)
    ours = run_measured(
        "evalharness evaluate (BLEU+chrF+TER, corpus+sentence, CIs, checks)",
        [str(BIN / "evalharness"), "evaluate", "--format", "lines", "--ref", str(ref),
         "--hyp", str(hyp), "--metrics", "bleu,chrf,ter", "--quiet",
         "--json", str(OUT / f"report.{n}.json")],
    )  # fmt: skip
    theirs = run_measured(
        "sacrebleu CLI (corpus BLEU+chrF)",
        [str(BIN / "sacrebleu"), str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "-b"],
    )
    return report(n, ours, theirs)


def report(n: int, ours: Measurement, theirs: Measurement) -> str:
    rows = [["tool", "seconds", "peak MB"]]
    rows += [[m.label, f"{m.seconds:.1f}", f"{m.peak_mb:.0f}"] for m in (ours, theirs)]
    text = f"### Lexical metrics, {n:,} segments\n\n" + table(rows)
    text += (
        f"\n\nTime ratio evalharness / sacrebleu: {ours.seconds / theirs.seconds:.2f}; "
        f"memory ratio: {ours.peak_mb / theirs.peak_mb:.2f}\n"
    )
    if ours.returncode or theirs.returncode:
        text += "\n**A command failed; see stderr.**\n"
    return text


if __name__ == "__main__":
    result = main()
    print(result)
    sys.exit(0)
