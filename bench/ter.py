"""TER speed: sacrebleu's pure-Python search against our compiled one, on WMT23 zh-en.

Runs both on the same lines in the same process, checks that every segment's
edit count is identical, and prints times and ratios (no absolute thresholds):

    .venv/bin/python bench/ter.py               # all 3 x 1,976 lines (sacrebleu takes minutes)
    .venv/bin/python bench/ter.py --every 10    # every 10th line
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _util import parse_args, table, wmt_dir  # noqa: E402

SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")


def _lines(name: str, every: int) -> list[str]:
    return (wmt_dir() / name).read_text(encoding="utf-8").splitlines()[::every]


def _first_call_seconds() -> float:
    """Wall time of a fresh interpreter importing ter_fast and scoring one pair (cache load)."""
    code = ("import time; t = time.perf_counter(); "
            "from evalharness.metrics.lexical.ter_kernels import pair_edits; "
            "pair_edits([('a b c'.split(), 'c a b'.split())]); "
            "print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th line")
    args = parse_args(parser)

    from sacrebleu.metrics import TER
    from sacrebleu.metrics.lib_ter import translation_edit_rate

    from evalharness.metrics.lexical.adapters import TerMetric
    from evalharness.metrics.lexical.ter_kernels import pair_edits

    first_call = _first_call_seconds()
    ref = _lines("generaltest2023.zh-en.ref.refA.en", args.every)
    hyps = {s: _lines(f"generaltest2023.zh-en.hyp.{s}.en", args.every) for s in SYSTEMS}
    tok = TER()._preprocess_segment
    pairs = [(tok(h).split(), tok(r).split()) for s in SYSTEMS for h, r in zip(hyps[s], ref, strict=True)]
    n_words = sum(len(h) for h, _ in pairs)
    pair_edits(pairs[:1])  # load the cached machine code before timing

    t0 = time.perf_counter()
    ours = pair_edits(pairs).tolist()
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = [translation_edit_rate(h, r)[0] for h, r in pairs]
    t_theirs = time.perf_counter() - t0
    mismatches = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]

    t0 = time.perf_counter()
    ours_metric = [TerMetric(n_bootstrap=0).compute(hyps[s], ref).score for s in SYSTEMS]
    t_ours_metric = time.perf_counter() - t0

    n = len(pairs)
    rows = [["", "sacrebleu", "evalharness", "ratio sacrebleu / evalharness"],
            ["search only (s)", f"{t_theirs:.2f}", f"{t_ours:.3f}", f"{t_theirs / t_ours:.1f}x"],
            ["search only (ms/segment)", f"{1000 * t_theirs / n:.2f}", f"{1000 * t_ours / n:.3f}",
             ""],
            ["metric: tokenise + search + scores (s)", f"{t_theirs:.2f} (search alone)",
             f"{t_ours_metric:.3f}", f"{t_theirs / t_ours_metric:.1f}x"]]
    print(f"### TER, WMT23 zh-en, {n:,} segments ({n_words / n:.1f} hypothesis words on average)")
    print()
    print(table(rows))
    print()
    print(f"First call in a fresh process (numba import + cached machine code): {first_call:.2f} s. "
          f"Corpus TER: {', '.join(f'{s} {v:.4f}' for s, v in zip(SYSTEMS, ours_metric, strict=True))}. "
          f"Edit-count mismatches with sacrebleu: {len(mismatches)} of {n}"
          f"{' (FAILED)' if mismatches else ''}.")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
