"""``evalharness meta`` end to end on vendored MQM rows, and a run report joined with human scores."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from evalharness.cli.app import run_cli
from evalharness.meta.human import HumanItem, MqmSpan
from evalharness.meta.spans import span_agreement
from evalharness.records import Finding

scipy_stats = pytest.importorskip("scipy.stats")
DATA = Path(__file__).parent / "data" / "mqm"
ZHEN = DATA / "wmt21_ted_zhen_mqm_first40.tsv"
ENDE = DATA / "wmt21_ted_ende_mqm_first30.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def zhen_chrf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("meta") / "m.json"
    result = run_cli(["meta", "--human", str(ZHEN), "--format", "mqm", "--metrics", "chrf",
                      "--no-checks", "--bootstrap", "200", "--json", str(out), "--quiet"])
    assert result.exit_status == 0, result.stderr
    return dict(json.loads(out.read_text(encoding="utf-8")))


def test_chrf_agreement_equals_an_independent_computation(zhen_chrf: dict[str, Any]) -> None:
    """sacrebleu's chrF and Google's released segment scores, correlated by scipy."""
    from sacrebleu.metrics import CHRF

    rows = _rows(ZHEN)
    chrf = CHRF()
    metric = np.array([chrf.sentence_score(r["hypothesis"], [r["reference"]]).score for r in rows])
    human = np.array([float(r["official_mqm_avg_seg_score"]) for r in rows])
    got = zhen_chrf["metrics"]["chrf"]
    assert got["segment"]["pearson"]["value"] == pytest.approx(
        scipy_stats.pearsonr(metric, human).statistic, abs=1e-6)
    assert got["segment"]["kendall_tau_b"]["value"] == pytest.approx(
        scipy_stats.kendalltau(metric, human).statistic, abs=1e-6)
    systems = list(dict.fromkeys(r["system"] for r in rows))
    corpus = [chrf.corpus_score([r["hypothesis"] for r in rows if r["system"] == s],
                                [[r["reference"] for r in rows if r["system"] == s]]).score
              for s in systems]
    means = [np.mean([h for h, r in zip(human, rows, strict=True) if r["system"] == s])
             for s in systems]
    assert got["system"]["pearson"]["value"] == pytest.approx(
        scipy_stats.pearsonr(corpus, means).statistic, abs=1e-6)
    assert got["system_scores"] == pytest.approx(dict(zip(systems, corpus, strict=True)), abs=1e-9)


def test_json_schema_and_intervals(zhen_chrf: dict[str, Any]) -> None:
    assert zhen_chrf["schema"] == "evalharness.meta/1"
    assert zhen_chrf["human"]["items"] == 120 and zhen_chrf["human"]["segments"] == 40
    entry = zhen_chrf["metrics"]["chrf"]
    for level, names in (("segment", ("pearson", "kendall_tau_b", "kendall_tau_b_grouped", "acc_eq")),
                         ("system", ("pearson", "pairwise_accuracy"))):
        for name in names:
            stat = entry[level][name]
            assert -1.0 <= stat["value"] <= 1.0
            lo, hi = stat["ci95"]
            assert lo <= hi
    seg = entry["segment"]
    assert seg["pearson"]["ci95"][0] <= seg["pearson"]["value"] <= seg["pearson"]["ci95"][1]
    assert seg["acc_eq"]["epsilon"] >= 0


def test_mqm_with_checks_adds_the_error_report_and_spans(tmp_path: Path) -> None:
    out, md = tmp_path / "m.json", tmp_path / "m.md"
    result = run_cli(["meta", "--human", str(ENDE), "--format", "mqm", "--metrics", "bleu,ter",
                      "--bootstrap", "50", "--json", str(out), "--markdown", str(md)])
    assert result.exit_status == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert list(report["metrics"]) == ["bleu", "ter", "errors"]
    assert report["metrics"]["ter"]["higher_is_better"] is False
    spans = report["spans"]
    assert set(spans) == {"overall", "by_severity", "by_category"}
    assert spans["overall"]["gold_chars"] > 0
    assert "| error report |" in md.read_text(encoding="utf-8")
    assert "| TER |" in result.stdout


def test_run_report_joined_with_tsv_scores(tmp_path: Path) -> None:
    rows = _rows(ENDE)
    systems = list(dict.fromkeys(r["system"] for r in rows))
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(r["reference"] for r in rows if r["system"] == systems[0]) + "\n",
                   encoding="utf-8")
    hyps = []
    for s in systems:
        hyps += ["--hyp", str(tmp_path / f"{s}.txt")]
        Path(hyps[-1]).write_text("\n".join(r["hypothesis"] for r in rows if r["system"] == s) + "\n",
                                  encoding="utf-8")
    run = tmp_path / "run.json"
    evaluated = run_cli(["evaluate", "--ref", str(ref), *hyps, "--format", "lines", "--metrics",
                         "bleu,chrf", "--bootstrap", "10", "--no-checks", "--json", str(run), "--quiet"])
    assert evaluated.exit_status == 0, evaluated.stderr
    human = tmp_path / "human.tsv"
    segment = {}
    for r in rows:
        segment.setdefault(r["system"], 0)
        segment[r["system"]] += 1
        with human.open("a", encoding="utf-8") as f:
            f.write(f"{r['system']}\t{segment[r['system']]}\t{r['official_mqm_avg_seg_score']}\n")
    out = tmp_path / "m.json"
    result = run_cli(["meta", "--human", str(human), "--format", "tsv", "--run", str(run),
                      "--bootstrap", "20", "--json", str(out), "--quiet"])
    assert result.exit_status == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert list(report["metrics"]) == ["bleu", "chrf", "errors"]
    assert report["human"]["items"] == len(rows)
    direct = run_cli(["meta", "--human", str(ENDE), "--format", "mqm", "--metrics", "chrf",
                      "--no-checks", "--bootstrap", "20", "--json", str(tmp_path / "d.json"),
                      "--quiet"])
    assert direct.exit_status == 0, direct.stderr
    same = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))["metrics"]["chrf"]
    for level in ("segment", "system"):
        for name, stat in same[level].items():
            assert report["metrics"]["chrf"][level][name]["value"] == pytest.approx(stat["value"])


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--format", "da"], 2, "needs --run"),
        (["--format", "mqm", "--metrics", "nope"], 2, "unknown metric"),
        (["--format", "mqm", "--weights", "major"], 2, "KEY=NUMBER"),
        (["--format", "mqm", "--run", "x.json"], 2, "--run is for da and tsv"),
    ],
)
def test_usage_errors(argv: list[str], status: int, message: str) -> None:
    result = run_cli(["meta", "--human", str(ENDE), *argv])
    assert result.exit_status == status
    assert message in result.stderr


def test_missing_human_file_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli(["meta", "--human", str(tmp_path / "none.tsv"), "--format", "mqm"])
    assert result.exit_status == 3
    assert "none.tsv: no such file" in result.stderr


def _finding(start: int, end: int, severity: str = "major",
             category: str = "accuracy/mistranslation") -> Finding:
    return Finding("entity", category, severity, "", "", "m", hyp_start=start, hyp_end=end)  # type: ignore[arg-type]


def test_span_overlap_precision_recall() -> None:
    item = HumanItem("A", "1", -6.0, 2, hyp="0123456789", spans=(
        MqmSpan(0, 4, "Accuracy/Mistranslation", "major", "r1"),
        MqmSpan(2, 6, "Fluency/Grammar", "minor", "r2"),  # overlaps: union is 0..6
    ))
    found = (_finding(4, 8), _finding(8, 10, "minor", "fluency/spelling"))
    result: Any = span_agreement([item], [found])
    overall = result["overall"]
    # ours 4..10 (6 chars), gold 0..6 (6 chars), overlap 4..6 (2 chars)
    assert (overall["predicted_chars"], overall["gold_chars"], overall["overlap_chars"]) == (6, 6, 2)
    assert overall["precision"] == pytest.approx(1 / 3) and overall["f1"] == pytest.approx(1 / 3)
    major = result["by_severity"]["major"]  # ours 4..8, gold 0..4: no overlap
    assert major["precision"] == 0.0 and major["recall"] == 0.0 and major["f1"] == 0.0
    grammar = result["by_category"]["fluency/grammar"]
    assert grammar["precision"] is None and grammar["recall"] == 0.0
    assert grammar["recall_any"] == pytest.approx(2 / 4)


def test_html_escapes_system_names_and_has_no_script(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    lines = ENDE.read_text(encoding="utf-8").split("\n")
    rows = [lines[0]] + [line.replace("Facebook-AI", hostile, 1) for line in lines[1:] if line]
    mqm = tmp_path / "hostile.tsv"
    mqm.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page = tmp_path / "m.html"
    result = run_cli(["meta", "--human", str(mqm), "--format", "mqm", "--metrics", "chrf",
                      "--no-checks", "--bootstrap", "10", "--html", str(page), "--quiet"])
    assert result.exit_status == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") == 2


@pytest.mark.slow
def test_comet_from_a_local_model(tiny_comet: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    result = run_cli(["meta", "--human", str(ENDE), "--format", "mqm", "--metrics", "chrf,comet",
                      "--comet-model", str(tiny_comet), "--no-checks", "--bootstrap", "10",
                      "--json", str(out), "--quiet"])
    assert result.exit_status == 0, result.stderr
    comet = json.loads(out.read_text(encoding="utf-8"))["metrics"]["comet"]
    assert comet["signature"] and comet["higher_is_better"] is True
    assert set(comet["system_scores"]) == {"Facebook-AI", "Nemo"}
    assert -1.0 <= comet["segment"]["kendall_tau_b"]["value"] <= 1.0
