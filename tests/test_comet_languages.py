"""COMET warns when a language is outside XLM-R's training languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalharness.cli.app import run_cli
from evalharness.lang.profiles import parse_language_pair
from evalharness.metrics.comet.languages import coverage_warnings, covered, xlmr_languages
from evalharness.report.html_report.render import render_html


def test_the_list_holds_xlmrs_languages() -> None:
    codes = xlmr_languages()
    assert len(codes) == 93  # 100 corpora; romanised variants and zh_TW share codes
    assert {"en", "de", "zh", "ja", "he", "sw", "yi"} <= codes
    assert covered("nb") and not covered("zu") and not covered("yo")


@pytest.mark.parametrize(
    ("pair", "sides"),
    [("en-de", []), ("en-zu", ["target"]), ("yo-en", ["source"]), ("ig-zu", ["source", "target"])],
)
def test_warnings_name_the_uncovered_sides(pair: str, sides: list[str]) -> None:
    warnings = coverage_warnings(parse_language_pair(pair), "Unbabel/wmt22-comet-da")
    assert [w.split()[0] for w in warnings] == sides
    assert all("XLM-R" in w and "Unbabel/wmt22-comet-da" in w for w in warnings)


@pytest.mark.slow
def test_report_terminal_and_html_carry_the_warning(tmp_path: Path, tiny_comet: Path) -> None:
    ref = tmp_path / "ref.txt"
    hyp = tmp_path / "hyp.txt"
    ref.write_text("Ngiyabonga kakhulu.\nUnjani namuhla?\n", encoding="utf-8")
    hyp.write_text("Ngiyabonga.\nUnjani?\n", encoding="utf-8")
    out = tmp_path / "r.json"
    result = run_cli([
        "evaluate", "-l", "en-zu", "--ref", str(ref), "--hyp", str(hyp), "--metrics", "chrf,comet",
        "--comet-model", str(tiny_comet), "--no-cache", "--no-checks", "--json", str(out),
    ])
    assert result.exit_status == 0, result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    comet = report["systems"][0]["metrics"]["comet"]
    assert comet["status"] == "ok"
    assert len(comet["warnings"]) == 1 and "language zu is not" in comet["warnings"][0]
    assert "COMET warning: target language zu is not one of the 100" in result.stdout
    assert "Warning: target language zu is not" in render_html(report)
