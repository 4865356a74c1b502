"""Meta-evaluation: how BLEU, chrF, TER and the error report agree with MQM raters.

For WMT23 zh-en news (SxS MQM, 3 systems x 377 segments, 3 raters; reported,
never tuned on) and WMT21 TED en-de (2 systems x 529 segments, 1 rater; the
checks were calibrated on TED), this prints the table of ``evalharness meta``
(segment Pearson, tau-b, tau-b grouped by segment, acc_eq; system Pearson and
pairwise accuracy; 95% bootstrap intervals over segments), the span-level
agreement of the findings, the time of each stage, and a parity check: chrF's
segment Pearson and tau-b and its system Pearson recomputed independently
(sacrebleu's ``CHRF`` and ``scipy.stats``, human scores from the rows' errors
with Google's weights) must match to 1e-6.

``main()`` returns the Markdown that ``bench/run_all.py`` collects.
Usage: python bench/meta.py [--data DIR] [--bootstrap N] [--files a.tsv,b.tsv]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from _util import DATA  # noqa: E402

from evalharness.meta.analysis import analyse  # noqa: E402
from evalharness.meta.from_mqm import score_mqm  # noqa: E402
from evalharness.meta.human import read_mqm  # noqa: E402
from evalharness.meta.report import markdown_table  # noqa: E402
from evalharness.meta.spans import span_agreement  # noqa: E402

FILES = ("wmt23_zhen_news_sxs_mqm.tsv", "wmt21_ted_ende_mqm.tsv")
GOOGLE = {"major": 5.0, "minor": 1.0}


def _independent_human(row: dict[str, str]) -> float:
    """Google's segment score written out from the definition (not our weights module)."""
    points = 0.0
    for error in json.loads(row["errors"]):
        category, severity = error["category"], error["severity"].lower()
        if category.startswith("Non-translation"):
            points += 25.0
        elif category == "Source issue":
            points += 0.0
        elif category == "Fluency/Punctuation" and severity == "minor":
            points += 0.1
        else:
            points += GOOGLE[severity]
    return -points / int(row["n_raters"])


def parity(path: Path, got: dict[str, float]) -> str:
    """chrF agreement recomputed with sacrebleu and scipy; the largest difference."""
    import numpy as np
    from sacrebleu.metrics import CHRF
    from scipy import stats

    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    chrf = CHRF()
    metric = np.array([chrf.sentence_score(r["hypothesis"], [r["reference"]]).score for r in rows])
    human = np.array([_independent_human(r) for r in rows])
    systems = list(dict.fromkeys(r["system"] for r in rows))
    corpus = [chrf.corpus_score([r["hypothesis"] for r in rows if r["system"] == s],
                                [[r["reference"] for r in rows if r["system"] == s]]).score
              for s in systems]
    means = [human[[r["system"] == s for r in rows]].mean() for s in systems]
    expected = {
        "segment pearson": stats.pearsonr(metric, human).statistic,
        "segment tau-b": stats.kendalltau(metric, human).statistic,
        "system pearson": stats.pearsonr(corpus, means).statistic,
    }
    worst = max(abs(got[k] - v) for k, v in expected.items())
    status = "ok" if worst <= 1e-6 else "MISMATCH"
    detail = ", ".join(f"{k} {v:.6f}" for k, v in expected.items())
    return f"chrF parity (sacrebleu + scipy): {detail}; largest difference {worst:.1e} ({status})"


def _value(value: float | None) -> float:
    return float("nan") if value is None else value


def one_file(path: Path, samples: int) -> str:
    started = time.perf_counter()
    human = read_mqm(str(path))
    read = time.perf_counter()
    score_mqm(human, ("bleu", "chrf", "ter"), run_checks=False)  # timed alone
    scored = time.perf_counter()
    data = score_mqm(human, ("bleu", "chrf", "ter"), run_checks=True)
    checked = time.perf_counter()
    result = analyse(data, samples=samples)
    analysed = time.perf_counter()
    assert data.findings is not None
    spans = span_agreement(human.items, data.findings)
    chrf = next(m for m in result.metrics if m.name == "chrf")
    got = {
        "segment pearson": _value(chrf.segment["pearson"].value),
        "segment tau-b": _value(chrf.segment["kendall_tau_b"].value),
        "system pearson": _value(chrf.system["pearson"].value),
    }
    overall = spans["overall"]
    human_scores = ", ".join(f"{s} {v:.2f}" for s, v in result.human_system_scores.items() if v is not None)
    by_sev = "; ".join(
        f"{sev} P {e['precision']:.3f} R {e['recall']:.3f} F1 {e['f1']:.3f}"
        for sev, e in spans["by_severity"].items()  # type: ignore[union-attr]
        if e["precision"] is not None and e["recall"] is not None
    )
    return "\n".join([
        f"### {path.name}", "",
        f"{result.n_items} items, {len(result.systems)} systems x {result.n_segments} segments; "
        f"human MQM per system: {human_scores}.", "",
        markdown_table(result),
        f"Span level (findings vs MQM target spans, character overlap): P {overall['precision']:.3f}, "
        f"R {overall['recall']:.3f}, F1 {overall['f1']:.3f}; {by_sev}.", "",
        parity(path, got), "",
        f"Time (wall, this machine): read {read - started:.1f} s, BLEU+chrF+TER {scored - read:.1f} s, "
        f"the same plus the checks {checked - scored:.1f} s, statistics with {samples} resamples "
        f"{analysed - checked:.1f} s.", "",
    ])


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("EVALHARNESS_DATA", str(DATA)),
                        help="third-party data folder (default: ../shared/data)")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--files", default=",".join(FILES))
    args = parser.parse_args()
    sections = ["Agreement with MQM raters (`evalharness meta`); higher is better everywhere "
                "(TER negated). WMT23 zh-en is reported, never tuned on.", ""]
    for name in args.files.split(","):
        sections.append(one_file(Path(args.data) / "mqm" / name, args.bootstrap))
    return "\n".join(sections)


if __name__ == "__main__":
    print(main())
