"""100k segments through ``evalharness evaluate`` vs the sacrebleu CLI, same files, same run.

evalharness computes BLEU, chrF and TER at corpus and sentence level with
bootstrap intervals (1,000 resamples) and runs the error checks, writing the
JSON report; sacrebleu computes corpus BLEU and chrF only. The evaluate is run
twice, with and without the checks, to show their share. Prints wall time and
peak memory of each, the ratios to sacrebleu, and whether the corpus scores
agree with sacrebleu's to the 4 decimals it prints.

The input is WMT23 zh-en (refA, GPT-4) repeated to N lines. Nothing in
evalharness caches by segment text; sacrebleu's tokenizers keep an LRU cache of
65,536 strings, which the repetition lets both tools use equally.

Usage: python bench/lexical.py [--segments N] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _util import BIN, OUT, Measurement, parse_args, repeat_lines, run_measured, table, wmt_dir


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=100_000)
    args = parse_args(parser)
    wmt = wmt_dir()
    n = args.segments
    ref = repeat_lines(wmt / "generaltest2023.zh-en.ref.refA.en", OUT / f"ref.{n}.en", n)
    hyp = repeat_lines(wmt / "generaltest2023.zh-en.hyp.GPT4-5shot.en", OUT / f"hyp.{n}.en", n)
    report = OUT / f"report.{n}.json"
    evaluate = [str(BIN / "evalharness"), "evaluate", "--format", "lines", "--ref", str(ref),
                "--hyp", str(hyp), "--metrics", "bleu,chrf,ter", "--quiet"]  # fmt: skip
    scores = OUT / f"sacrebleu.{n}.txt"
    theirs = run_measured(
        "sacrebleu CLI (corpus BLEU+chrF)",
        [str(BIN / "sacrebleu"), str(ref), "-i", str(hyp), "-m", "bleu", "chrf", "-b", "-w", "4"],
        stdout_path=scores,
    )
    ours = run_measured(
        "evalharness evaluate (BLEU+chrF+TER, corpus+sentence, CIs, checks, JSON)",
        [*evaluate, "--json", str(report)],
    )
    no_checks = run_measured(
        "evalharness evaluate --no-checks (same, without the error checks)",
        [*evaluate, "--no-checks", "--json", str(OUT / f"report.{n}.no-checks.json")],
    )
    return format_report(n, [ours, no_checks], theirs, _agreement(report, scores))


def _agreement(report_path: Path, scores_path: Path) -> str:
    """Whether our corpus BLEU and chrF round to sacrebleu's printed scores."""
    try:
        theirs = json.loads(scores_path.read_text(encoding="utf-8"))
        metrics = json.loads(report_path.read_text(encoding="utf-8"))["systems"][0]["metrics"]
    except (OSError, ValueError, KeyError, IndexError) as exc:
        return f"Scores not compared ({exc}): FAILED."
    ours = [metrics["bleu"]["score"], metrics["chrf"]["score"]]
    same = all(f"{a:.4f}" == f"{float(b):.4f}" for a, b in zip(ours, theirs, strict=True))
    shown = ", ".join(f"{name} {a:.4f} / {float(b):.4f}"
                      for name, a, b in zip(("BLEU", "chrF"), ours, theirs, strict=True))
    return f"Corpus scores evalharness / sacrebleu: {shown}: {'identical' if same else 'DIFFERENT: FAILED'}."


def format_report(n: int, ours: list[Measurement], theirs: Measurement, agreement: str) -> str:
    rows = [["tool", "seconds", "peak MB", "time ratio to sacrebleu", "memory ratio to sacrebleu"]]
    for m in [*ours, theirs]:
        rows.append([m.label, f"{m.seconds:.1f}", f"{m.peak_mb:.0f}",
                     f"{m.seconds / theirs.seconds:.2f}", f"{m.peak_mb / theirs.peak_mb:.2f}"])
    text = f"### Lexical metrics, {n:,} segments\n\n" + table(rows) + "\n"
    full, bare = ours
    checks = full.seconds - bare.seconds
    text += (
        f"\nThe error checks take {checks:.1f} s of the {full.seconds:.1f} s "
        f"({checks / full.seconds:.0%}). {agreement}\n"
    )
    if any(m.returncode for m in [*ours, theirs]):
        text += "\n**A command failed; see stderr.**\n"
    return text


if __name__ == "__main__":
    result = main()
    print(result)
    sys.exit(1 if "FAILED" in result or "failed" in result else 0)
