"""CI renderings of a gate verdict: JUnit XML and the Markdown summary."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from evalharness.gate.compare import (
    CheckResult,
    FindingsVerdict,
    GateVerdict,
    MetricVerdict,
    SuiteVerdict,
)
from evalharness.report.junit import junit_xml, write_junit
from evalharness.report.markdown import markdown_summary, write_markdown

DROP_MESSAGE = (
    "BLEU dropped by 5.2, more than the tolerated 1, and significantly (p < 0.05): "
    "baseline 26.76, candidate 21.55, delta -5.21, 95% CI [-5.60, -4.80], p = 0.0010"
)


def metric(name: str, passed: bool, *, higher: bool = True) -> MetricVerdict:
    message = DROP_MESSAGE if not passed else f"{name} no significant regression"
    return MetricVerdict(
        metric=name,
        baseline=26.76,
        candidate=21.55 if not passed else 26.70,
        delta=-5.21 if not passed else -0.06,
        ci95=(-5.6, -4.8) if not passed else (-0.2, 0.1),
        p_value=0.001 if not passed else 0.41,
        test="bootstrap",
        samples=1000,
        higher_is_better=higher,
        checks=(CheckResult("max_drop", 1.0, passed, message),),
    )


def verdict() -> GateVerdict:
    findings = FindingsVerdict(
        baseline={"minor": 5, "major": 2, "critical": 0},
        candidate={"minor": 9, "major": 4, "critical": 1},
        checks=(
            CheckResult("no_more_findings", 2, False, "4 major-or-critical findings, baseline 2"),
        ),
    )
    news = SuiteVerdict(
        name="news",
        baseline="baselines/news.json",
        candidate="hyp.txt",
        metrics=(metric("bleu", False), metric("ter", True, higher=False)),
        findings=findings,
        notes=("BLEU signature versions differ",),
    )
    refused = SuiteVerdict(
        name="ted|talks",
        baseline="baselines/ted.json",
        candidate="ted.txt",
        refusal="BLEU signatures differ, the scores are not comparable: tok:intl vs tok:13a",
    )
    clean = SuiteVerdict("wiki", "b.json", "w.txt", metrics=(metric("chrf", True),))
    return GateVerdict((news, refused, clean))


def test_junit_has_a_case_per_suite_and_metric_plus_findings() -> None:
    root = ET.fromstring(junit_xml(verdict()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "2", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["news", "ted|talks", "wiki"]
    news = suites["news"]
    cases = {c.get("name"): c for c in news.findall("testcase")}
    assert list(cases) == ["bleu", "ter", "findings"]
    assert all(c.get("classname") == "evalharness.gate.compare.news" for c in cases.values())
    failure = cases["bleu"].find("failure")
    assert failure is not None and failure.get("type") == "regression"
    for figure in ("BLEU", "26.76", "21.55", "-5.21", "[-5.60, -4.80]", "p = 0.0010"):
        assert figure in (failure.get("message") or "")
    assert cases["ter"].find("failure") is None
    assert "no significant regression" in (cases["ter"].findtext("system-out") or "")
    assert cases["findings"].find("failure") is not None
    props = {p.get("name"): p.get("value") for p in news.iter("property")}
    assert props["baseline"] == "baselines/news.json" and props["note"]


def test_junit_refused_suite_is_an_error_not_a_failure() -> None:
    root = ET.fromstring(junit_xml(verdict()))
    ted = next(s for s in root.findall("testsuite") if s.get("name") == "ted|talks")
    (case,) = ted.findall("testcase")
    error = case.find("error")
    assert error is not None and "signatures differ" in (error.get("message") or "")
    assert (ted.get("failures"), ted.get("errors")) == ("0", "1")


def test_junit_all_pass_has_no_failures(tmp_path: Path) -> None:
    passing = GateVerdict(
        (SuiteVerdict("wiki", "b.json", "w.txt", metrics=(metric("chrf", True),)),)
    )
    path = tmp_path / "out" / "gate.xml"
    write_junit(passing, path)
    root = ET.parse(path).getroot()
    assert root.get("failures") == "0" and root.get("errors") == "0" and root.get("tests") == "1"
    assert path.read_text(encoding="utf-8").startswith("<?xml")


def test_markdown_table_rows_details_and_escaping(tmp_path: Path) -> None:
    text = markdown_summary(verdict())
    assert text.startswith("### evalharness gate: ⛔ refused")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| suite | metric | baseline | candidate | delta |")
    bleu = next(r for r in rows if "| BLEU |" in r)
    for cell in ("26.76", "21.55", "-5.21", "[-5.60, -4.80]", "0.0010", "❌ fail: max_drop"):
        assert cell in bleu
    assert any("TER (lower is better)" in r and "✅ pass" in r for r in rows)
    assert any("findings (major+) | 2 | 4 | +2 |" in r for r in rows)
    assert any(r.startswith("| ted\\|talks |") for r in rows)
    assert "- ❌ **news / bleu**: BLEU dropped by 5.2" in text
    assert "- ⛔ **ted\\|talks** not compared: BLEU signatures differ" in text
    assert "paired bootstrap, seeded" in text
    write_markdown(verdict(), tmp_path / "summary.md")
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == text


def test_verdict_status_and_exit_status() -> None:
    assert verdict().status == "refused" and int(verdict().exit_status) == 3
    regression = GateVerdict((SuiteVerdict("a", "b", "c", metrics=(metric("bleu", False),)),))
    assert regression.status == "regression" and int(regression.exit_status) == 1
    assert markdown_summary(regression).startswith("### evalharness gate: ❌ regression")
    ok = GateVerdict((SuiteVerdict("a", "b", "c", metrics=(metric("bleu", True),)),))
    assert ok.status == "pass" and int(ok.exit_status) == 0
    data = json.loads(json.dumps(regression.to_dict()))
    assert data["schema"] == "evalharness.gate.compare/1" and data["exit_status"] == 1
    (m,) = data["suites"][0]["metrics"]
    assert m["passed"] is False and m["ci95"] == [-5.6, -4.8] and m["p_value"] == 0.001
    assert m["checks"][0]["kind"] == "max_drop" and m["checks"][0]["passed"] is False
