"""Small evaluations start without the heavy libraries (numba, SciPy, pandas, NLTK's package)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, TerMetric

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("numba", "scipy", "pandas", "nltk", "torch")

REF = "Prof. Smith met the U.S. delegation in Geneva on 12 May. The talks lasted 3 hours."
HYP = "Professor Smith met the US delegation in Genf on 12 May. The talk lasted 4 hours."


def test_one_line_evaluation_imports_nothing_heavy(tmp_path: Path) -> None:
    ref, hyp, report = tmp_path / "ref.txt", tmp_path / "hyp.txt", tmp_path / "report.json"
    ref.write_text(REF + "\n", encoding="utf-8")
    hyp.write_text(HYP + "\n", encoding="utf-8")
    code = f"""
        import json, sys
        from evalharness.cli.app import raw_main
        status = raw_main(["evaluate", "--ref", {str(ref)!r}, "--hyp", {str(hyp)!r},
                       "--metrics", "bleu,chrf,ter", "--json", {str(report)!r}, "--quiet"])
        heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
        print(json.dumps([int(status), heavy]))
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, check=True)
    status, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 0
    assert heavy == []
    system = json.loads(report.read_text(encoding="utf-8"))["systems"][0]
    assert {"bleu", "chrf", "ter"} <= set(system["metrics"])
    assert system["segments"]


def test_small_and_compiled_paths_give_the_same_results() -> None:
    hyps = [HYP, "", "a b c d e f", "on the mat the cat sat", "美众院公布对特朗普的调查"]
    refs = [REF, "x y", "f e d c b a", "the cat sat on the mat", "美众院 公布 调查"]
    for make in (BleuMetric, ChrfMetric, TerMetric):
        small, compiled = make(), make()
        compiled.small_input_segments = 0
        a, b = small.compute(hyps, refs), compiled.compute(hyps, refs)
        np.testing.assert_array_equal(a.stats, b.stats)
        assert (a.score, a.segment_scores, a.ci95, a.signature) == \
            (b.score, b.segment_scores, b.ci95, b.signature)
