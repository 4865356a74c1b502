"""Re-segmentation speed: OmniSTEval's ACL 60/60 example and one 30,000-word document.

Times ``evaluate(..., resegment=True)`` on the ACL 60/60 long-form hypotheses (5 talks,
468 references; BLEU and chrF with 10 bootstrap samples, kernels compiled first) and
``resegment_document`` alone on a 30,000-word hypothesis against 2,000 references, which
takes the banded path. Budgets (10 s and 30 s) are generous ceilings, not targets; a run
over one is reported as FAILED.

Usage: python bench/resegment.py [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from _util import data_dir, parse_args, table  # noqa: E402

ACL_BUDGET_S = 10.0
LONG_BUDGET_S = 30.0


def acl_seconds() -> float:
    from evalharness import evaluate

    acl = data_dir() / "segmentation" / "acl6060_dev_en-de_longform"
    ref, hyp = acl / "references.txt", acl / "hypotheses.txt"
    evaluate(ref, hyp, fmt="lines", metrics="bleu", resegment=True, run_checks=False,
             bootstrap_samples=1)  # compile the kernels outside the timed run
    start = time.perf_counter()
    evaluate(ref, hyp, fmt="lines", metrics="bleu,chrf", resegment=True,
             ref_docids=str(acl / "text_segmentation.txt"), run_checks=False, bootstrap_samples=10)
    return time.perf_counter() - start


def long_seconds() -> float:
    from evalharness.align.resegment import resegment_document
    from evalharness.inputs.formats import load_document
    from evalharness.records import Sentence

    words = [f"wort{k % 97}" for k in range(30_000)]
    refs, start = [], 0
    for k in range(0, len(words), 15):
        text = " ".join(words[k : k + 15]) + "."
        refs.append(Sentence(text, start, start + len(text), len(refs) + 1))
        start += len(text) + 1
    doc = load_document("<hyp>", "lines", "hyp", text=" ".join(words))  # type: ignore[arg-type]
    begin = time.perf_counter()
    resegment_document(tuple(refs), doc)
    return time.perf_counter() - begin


def main() -> int:
    parse_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    rows = [["case", "seconds", "budget (s)", "within"]]
    over = 0
    for label, seconds, budget in (
        ("ACL 60/60 en-de, evaluate --resegment (BLEU+chrF)", acl_seconds(), ACL_BUDGET_S),
        ("30,000 words vs 2,000 references, resegment_document", long_seconds(), LONG_BUDGET_S),
    ):
        over += seconds > budget
        rows.append([label, f"{seconds:.2f}", f"{budget:.0f}", "yes" if seconds <= budget else "NO (FAILED)"])
    print("### Re-segmentation\n")
    print(table(rows))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
