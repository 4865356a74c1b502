"""QA checks from the command line: evaluate --glossary, and a gate on finding categories."""

from __future__ import annotations

import csv
import hashlib
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus, UsageError
from evalharness.gate.categories import category_matches
from evalharness.gate.config import load_config
from evalharness.gate.thresholds import Thresholds

DATA = Path(__file__).resolve().parent / "data" / "qa"
ENV = {"PATH": "/usr/bin:/bin"}  # no GITHUB_* variables from a real CI job


def evaluate(tmp_path: Path, table: Path, glossary: Path) -> tuple[dict, list[dict[str, str]]]:
    report, findings = tmp_path / "report.json", tmp_path / "findings.csv"
    result = run_cli(
        ["evaluate", "--format", "tsv", "--src", str(table), "--ref", str(table), "--hyp", str(table),
         "--glossary", str(glossary), "--metrics", "chrf", "--bootstrap", "10",
         "--json", str(report), "--findings-csv", str(findings), "--quiet"],
        ENV,
    )  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    with findings.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return json.loads(report.read_text(encoding="utf-8")), rows


def test_evaluate_one_tsv_with_a_glossary(tmp_path: Path) -> None:
    table, glossary = DATA / "ui.en-de.planted.tsv", DATA / "glossary.en-de.tsv"
    report, rows = evaluate(tmp_path, table, glossary)
    recorded = report["options"]["glossary"]
    assert recorded["sha256"] == hashlib.sha256(glossary.read_bytes()).hexdigest()
    assert recorded["entries"] == 20
    # findings.csv carries the check id; every planted error is there, on its file line
    with table.open(encoding="utf-8", newline="") as handle:
        expected_rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for line, row in enumerate(expected_rows, start=2):
        # without -l there are no lemmas and no number formats: the planted errors are still found
        expected = Counter(t for t in row["expect"].split()
                           if t not in ("number", "format:locale/number-format"))  # fmt: skip
        got = Counter(
            r["check"] if r["check"] == "glossary" else f"{r['check']}:{r['category']}"
            for r in rows
            if r["hyp_lines"] == str(line) and r["check"] in ("glossary", "format")
        )
        assert not expected - got, (line, row["hyp"])


def test_a_missing_glossary_is_an_input_error(tmp_path: Path) -> None:
    table = DATA / "ui.en-fr.clean.tsv"
    result = run_cli(
        ["evaluate", "--format", "tsv", "--ref", str(table), "--hyp", str(table),
         "--glossary", str(tmp_path / "none.tsv"), "--metrics", "chrf"],
        ENV,
    )  # fmt: skip
    assert result.exit_status == ExitStatus.INPUT
    assert "none.tsv" in result.stderr and "no such file" in result.stderr


def gate(tmp_path: Path, hyp: Path, environ: dict[str, str] | None = None) -> tuple[ExitStatus, str, ET.Element]:
    junit = tmp_path / "junit.xml"
    result = run_cli(
        ["gate", "--format", "tsv", "--ref", str(hyp), "--src", str(hyp), "--hyp", str(hyp),
         "--baseline-hyp", str(DATA / "ui.en-fr.clean.tsv"), "--glossary", str(DATA / "glossary.en-fr.tsv"),
         "--metrics", "chrf", "--max-drop", "chrf=off", "--max-findings", "terminology/*=0",
         "--junit", str(junit), "--quiet"],
        environ or ENV,
    )  # fmt: skip
    return result.exit_status, result.stdout, ET.parse(junit).getroot()


def test_gate_fails_on_a_violated_term_and_names_segment_term_and_line(tmp_path: Path) -> None:
    status, _, root = gate(tmp_path, DATA / "ui.en-fr.planted.tsv")
    assert status == ExitStatus.REGRESSION
    (failure,) = root.iter("failure")
    assert "findings in categories terminology/*" in failure.get("message", "")
    text = failure.text or ""
    # "Votre account a été créé." is segment 0, file line 2: the term, the segment and the line
    assert "ui.en-fr.planted.tsv:2: segment 0:" in text
    assert "'compte'" in text and "'account'" in text
    planted = sum(r.count("glossary") for r in _expect_column(DATA / "ui.en-fr.planted.tsv"))
    assert text.count("terminology/wrong-term (glossary)") == planted


def _expect_column(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [r["expect"] for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]


def test_gate_passes_when_no_term_is_violated(tmp_path: Path) -> None:
    status, _, root = gate(tmp_path, DATA / "ui.en-fr.clean.tsv")
    assert status == ExitStatus.SUCCESS
    assert list(root.iter("failure")) == []


def test_github_annotations_point_at_the_line(tmp_path: Path) -> None:
    status, stdout, _ = gate(tmp_path, DATA / "ui.en-fr.planted.tsv", {**ENV, "GITHUB_ACTIONS": "true"})
    assert status == ExitStatus.REGRESSION
    annotations = [line for line in stdout.splitlines() if line.startswith("::error file=")]
    assert any(",line=2," in a and "'compte'" in a for a in annotations)
    assert all("ui.en-fr.planted.tsv" in a for a in annotations)


def test_suite_glossary_and_category_thresholds_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "evalharness.toml"
    config.write_text(
        f"""
[gate]
glossary = "{DATA / 'glossary.en-fr.tsv'}"
format = "tsv"
metrics = ["chrf"]
max_drop = {{ chrf = "off" }}
max_findings = {{ "terminology/*" = 0, "design/markup" = 0 }}

[[suite]]
name = "ui-fr"
reference = "{DATA / 'ui.en-fr.planted.tsv'}"
source = "{DATA / 'ui.en-fr.planted.tsv'}"
hypothesis = "{DATA / 'ui.en-fr.planted.tsv'}"
baseline_hypothesis = "{DATA / 'ui.en-fr.clean.tsv'}"
""",
        encoding="utf-8",
    )
    (suite,) = load_config(config).suites
    assert suite.glossary == str(DATA / "glossary.en-fr.tsv")
    assert dict(suite.thresholds.max_findings) == {"terminology/*": 0, "design/markup": 0}
    out = tmp_path / "verdict.json"
    result = run_cli(["gate", "--config", str(config), "--json", str(out), "--quiet"], ENV)
    assert result.exit_status == ExitStatus.REGRESSION
    checks = json.loads(out.read_text(encoding="utf-8"))["suites"][0]["findings"]["checks"]
    assert [c["passed"] for c in checks] == [False, False]
    assert all(c["findings"] for c in checks)


@pytest.mark.parametrize(
    ("category", "pattern", "matches"),
    [("terminology/wrong-term", "terminology/*", True), ("terminology/wrong-term", "terminology", True),
     ("design/markup", "design/markup", True), ("locale/url", "*/url", True),
     ("fluency/whitespace", "fluency/punctuation", False), ("accuracy/omission", "terminology/*", False)],
)  # fmt: skip
def test_category_patterns(category: str, pattern: str, matches: bool) -> None:
    assert category_matches(category, pattern) is matches


def test_threshold_keys_are_severities_or_category_patterns() -> None:
    Thresholds(max_findings={"major": 0, "terminology/*": 0, "locale": 2})
    with pytest.raises(UsageError, match="unknown severity 'fatal'"):
        Thresholds(max_findings={"fatal": 0})


def test_html_report_has_the_qa_filter_and_both_spans(tmp_path: Path) -> None:
    from evalharness.report.html_report.render import page_data, render_html

    report, _ = evaluate(tmp_path, DATA / "ui.en-de.planted.tsv", DATA / "glossary.en-de.tsv")
    page = render_html(report)
    assert '<select id="f-check">' in page and 'value="qa"' in page
    data = page_data(report["systems"])
    segment = data["systems"][0]["segs"][0]  # "Ihr Account wurde erstellt." / "Ihr Konto wurde erstellt."
    (record,) = [e for e in segment[5] if e[2] == "glossary"]
    hyp, ref = segment[2], data["texts"][segment[1]]
    # [severity, category, check, message, hyp_span, ref_span, hyp_start, hyp_end, ref_start, ref_end]
    assert hyp[record[6] : record[7]] == "Account" and ref[record[8] : record[9]] == "Konto"
