"""Parity on the full data: our scores against sacrebleu's reference tables and WMT23's figures.

The tests check parity with live sacrebleu on the slices in ``tests/data/``; this
script checks the published figures that need the whole files:

- corpus BLEU, chrF, chrF++ and TER of the three WMT23 zh-en systems (1,976 lines) equal
  ``corpus_scores_reference_impl.tsv`` (sacrebleu 2.6.0, 4 decimals) and the official
  WMT23 BLEU and chrF (full precision);
- sentence BLEU, chrF and TER of all 3,776 MQM rows equal
  ``sentence_scores_reference_impl.tsv``, and each MQM system's corpus scores, taken from
  the rows of the all-systems statistics, equal the table's;
- paired bootstrap on chrF: GPT4-5shot vs ONLINE-A is not significant, vs NLLB_Greedy it is,
  with the official difference.

Usage: python bench/parity.py [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from _util import data_dir, parse_args, table, wmt_dir  # noqa: E402

SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")
MQM_FILES = ("mqm/wmt23_zhen_news_sxs_mqm.tsv", "mqm/wmt21_ted_zhen_mqm.tsv",
             "mqm/wmt21_ted_ende_mqm.tsv")
TABLE_TOLERANCE = 5e-5 + 1e-9  # the tables print 4 decimals


def _tsv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _metric(name: str):  # type: ignore[no-untyped-def]
    from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, TerMetric

    return {"BLEU": BleuMetric, "chrF": ChrfMetric, "chrF++": lambda: ChrfMetric(word_order=2),
            "TER": TerMetric}[name]()


def wmt23_corpus() -> tuple[list[list[str]], int]:
    """Rows of the corpus table for the full WMT23 files, and the number of mismatches."""
    wmt = wmt_dir()
    ref = (wmt / "generaltest2023.zh-en.ref.refA.en").read_text(encoding="utf-8").splitlines()
    rows, bad = [["system", "metric", "ours", "sacrebleu table", "official", "agree"]], 0
    table_rows = _tsv(data_dir() / "metric_vectors" / "corpus_scores_reference_impl.tsv")
    for row in table_rows:
        if not (row["testset"].startswith("wmt23 generaltest2023") and row["sacrebleu_value"]):
            continue
        hyp = (wmt / f"generaltest2023.zh-en.hyp.{row['system']}.en").read_text(
            encoding="utf-8").splitlines()
        result = _metric(row["metric"]).compute(hyp, ref)
        ok = abs(result.score - float(row["sacrebleu_value"])) <= TABLE_TOLERANCE
        ok = ok and result.signature == row["sacrebleu_signature"]
        if row["official_wmt23_value"]:
            ok = ok and abs(result.score - float(row["official_wmt23_value"])) <= 1e-9
        bad += not ok
        rows.append([row["system"], row["metric"], f"{result.score:.6f}", row["sacrebleu_value"],
                     row["official_wmt23_value"] or "-", "yes" if ok else "NO (FAILED)"])
    return rows, bad


def mqm_tables() -> tuple[str, int]:
    """Sentence scores of every MQM row and per-system corpus scores against the tables."""
    import numpy as np

    vectors = data_dir() / "metric_vectors"
    sentences = {(r["file"], r["system"], r["global_seg_id"]): r
                 for r in _tsv(vectors / "sentence_scores_reference_impl.tsv")}
    corpus = [r for r in _tsv(vectors / "corpus_scores_reference_impl.tsv")
              if r["testset"] == "MQM subset" and r["sacrebleu_value"]]
    checked = bad = 0
    for file in MQM_FILES:
        rows = _tsv(data_dir() / file)
        hyps, refs = [r["hypothesis"] for r in rows], [r["reference"] for r in rows]
        for name in ("BLEU", "chrF", "chrF++", "TER"):
            result = _metric(name).compute(hyps, refs)
            column = {"BLEU": "sentence_bleu", "chrF": "sentence_chrf", "TER": "sentence_ter"}.get(name)
            for row, score in zip(rows, result.segment_scores, strict=True) if column else ():
                want = float(sentences[(file, row["system"], row["global_seg_id"])][column])
                bad += abs(score - want) > TABLE_TOLERANCE
                checked += 1
            for entry in (e for e in corpus if e["metric"] == name and e["files"].split(" ")[0] == file):
                mask = np.array([r["system"] == entry["system"] for r in rows])
                score = _metric(name).score_from_stats(result.stats[mask])
                bad += abs(score - float(entry["sacrebleu_value"])) > TABLE_TOLERANCE
                checked += 1
    verdict = "all agree" if not bad else f"{bad} DIFFER (FAILED)"
    return (f"MQM tables: {checked:,} sentence and corpus scores of {len(sentences):,} rows "
            f"compared with sacrebleu's tables: {verdict}."), bad


def paired_chrf() -> tuple[str, int]:
    """Paired bootstrap on the full files: a close pair and a distant one."""
    from evalharness.metrics import stats
    from evalharness.metrics.lexical.adapters import ChrfMetric

    wmt = wmt_dir()
    ref = (wmt / "generaltest2023.zh-en.ref.refA.en").read_text(encoding="utf-8").splitlines()
    metric = ChrfMetric(n_bootstrap=0)
    rows = {s: metric.segment_statistics(
        (wmt / f"generaltest2023.zh-en.hyp.{s}.en").read_text(encoding="utf-8").splitlines(), [ref])
        for s in SYSTEMS}  # fmt: skip
    close = stats.paired_bootstrap(metric, rows[SYSTEMS[0]], rows[SYSTEMS[1]])
    far = stats.paired_bootstrap(metric, rows[SYSTEMS[0]], rows[SYSTEMS[2]])
    ok = (close.p_value > 0.05 and close.ci95[0] < 0 < close.ci95[1] and far.p_value < 0.01
          and abs(far.delta - (46.099501038876056 - 53.13325383986711)) <= 1e-9)  # official chrF
    return (f"Paired bootstrap, chrF: ONLINE-A {close.delta:+.2f} (p = {close.p_value:.3f}), "
            f"NLLB_Greedy {far.delta:+.2f} (p = {far.p_value:.4f}) against GPT4-5shot: "
            f"{'as expected' if ok else 'UNEXPECTED (FAILED)'}."), int(not ok)


def main() -> int:
    parse_args(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    corpus, bad_corpus = wmt23_corpus()
    mqm, bad_mqm = mqm_tables()
    paired, bad_paired = paired_chrf()
    print("### Parity on the full data\n")
    print(table(corpus))
    print(f"\n{mqm}\n\n{paired}")
    return 1 if bad_corpus + bad_mqm + bad_paired else 0


if __name__ == "__main__":
    sys.exit(main())
