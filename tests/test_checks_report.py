"""``report/findings.py``: the findings CSV and the terminal summary, from the JSON report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalharness.report.findings import (
    FINDING_COLUMNS,
    findings_frame,
    format_findings_summary,
    write_findings_csv,
)


def error(check: str, category: str, severity: str, hyp: str, ref: str, **offsets) -> dict:
    return {"check": check, "category": category, "severity": severity, "hyp_span": hyp,
            "ref_span": ref, "message": f"{check}: {hyp or ref}", "confidence": 0.9,
            "hyp_start": None, "hyp_end": None, "ref_start": None, "ref_end": None, **offsets}


REPORT = {
    "schema": "evalharness.report/1",
    "systems": [
        {
            "name": "sys-a",
            "segments": [
                {"id": 0, "alignment": "1-1", "ref_lines": [3], "hyp_lines": [2],
                 "ref": "Makerere University said so.", "hyp": "University of Nairobi said so.",
                 "errors": [error("entity", "accuracy/mistranslation", "major",
                                  "University of Nairobi", "Makerere University",
                                  hyp_start=0, hyp_end=21, ref_start=0, ref_end=19)]},
                {"id": 1, "alignment": "0-1", "ref_lines": [], "hyp_lines": [5],
                 "ref": "", "hyp": "Share this article",
                 "errors": [error("addition", "accuracy/addition", "minor", "Share this article", "",
                                  hyp_start=0, hyp_end=18)]},
                {"id": 2, "alignment": "1-1", "ref_lines": [4], "hyp_lines": [6],
                 "ref": "It rose 4%.", "hyp": "It rose 9%.", "errors": [
                     error("number", "accuracy/mistranslation", "critical", "9%", "4%",
                           hyp_start=8, hyp_end=10, ref_start=8, ref_end=10)]},
            ],
        },
        {"name": "sys-b", "segments": [{"id": 0, "alignment": "1-1", "errors": []}]},
    ],
}


def test_csv_has_one_row_per_finding(tmp_path: Path) -> None:
    path = tmp_path / "out" / "findings.csv"
    write_findings_csv(REPORT, path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert list(frame.check) == ["entity", "addition", "number"]
    assert list(frame.system) == ["sys-a"] * 3
    assert list(frame.segment) == ["0", "1", "2"]
    first = frame.iloc[0]
    assert (first.hyp_span, first.ref_span, first.hyp_lines, first.ref_lines) == (
        "University of Nairobi", "Makerere University", "2", "3")
    assert frame.iloc[1].ref_start == ""


def test_offsets_are_nullable_integers() -> None:
    frame = findings_frame(REPORT)
    assert str(frame.hyp_start.dtype) == "Int64"
    assert frame.ref_start.isna().tolist() == [False, True, False]


def test_no_findings_gives_a_header_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    write_findings_csv({"systems": [REPORT["systems"][1]]}, path)
    assert path.read_text(encoding="utf-8").strip() == ",".join(FINDING_COLUMNS)


def test_summary_counts_and_lists_the_worst_first() -> None:
    text = format_findings_summary(REPORT["systems"][0], limit=2)
    assert "findings: 3 (critical 1, major 1, minor 1)" in text
    assert "accuracy/mistranslation: 2" in text
    lines = [line for line in text.splitlines() if line.lstrip().startswith("[")]
    assert len(lines) == 2
    assert lines[0].lstrip().startswith("[critical] #2 (line 6) number")
    assert "hyp 'University of Nairobi'; ref 'Makerere University'" in lines[1]


def test_summary_of_a_clean_system() -> None:
    assert format_findings_summary(REPORT["systems"][1]) == "  findings: none"


def test_long_spans_are_shortened() -> None:
    long = {"segments": [{"id": 0, "hyp_lines": [1], "errors": [
        error("omission", "accuracy/omission", "major", "", "word " * 40)]}]}
    line = format_findings_summary(long).splitlines()[-2]
    assert line.endswith("…'") and len(line) < 140
