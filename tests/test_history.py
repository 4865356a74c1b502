"""History end to end through the CLI: record, list, show, compare (as the gate), drift, export, trend."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import history_util
import pandas as pd
import pytest
from chromium import chromium_session
from history_util import DATA, Reports, evaluate_argv, record_concurrently

from evalharness.cli.app import run_cli

history_reports = history_util.history_reports  # the session fixture


def history(db: Path | str, *argv: str, environ: dict[str, str] | None = None) -> Any:
    return run_cli(["history", *argv, "--history", str(db)], environ=environ)


@pytest.fixture
def db(history_reports: Reports, tmp_path: Path) -> Path:
    """A private copy of the two-run history."""
    path = tmp_path / "history.sqlite"
    with sqlite3.connect(history_reports.db) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


def test_list_show_and_filters(db: Path) -> None:
    listed = history(db, "list")
    assert listed.exit_status == 0, listed.stderr
    lines = listed.stdout.splitlines()[1:]
    assert [line.split()[0] for line in lines] == ["1", "2"]
    assert "gpt4" in lines[0] and "nllb" in lines[1]
    only = history(db, "list", "--system", "nllb").stdout.splitlines()[1:]
    assert [line.split()[0] for line in only] == ["2"]
    assert history(db, "list", "--last", "1").stdout.splitlines()[1].split()[0] == "2"
    assert len(history(db, "list", "--suite", "other").stdout.splitlines()) == 1
    shown = history(db, "show", "2")
    assert shown.exit_status == 0
    assert "system nllb" in shown.stdout and "tok:13a" in shown.stdout
    assert "sha256" in shown.stdout and "30 segments" in shown.stdout
    missing = history(db, "show", "99")
    assert missing.exit_status == 3 and "no run 99" in missing.stderr


def test_compare_gives_the_gates_p_values(
    history_reports: Reports, db: Path, tmp_path: Path
) -> None:
    gate_json, hist_json = tmp_path / "gate.json", tmp_path / "history.json"
    gate = run_cli(
        ["gate", "--ref", str(DATA / "ref.de"), "--hyp", str(DATA / "nllb.de"),
         "--src", str(DATA / "src.en"), "--baseline", str(history_reports.gpt4),
         "--json", str(gate_json), "--quiet"]
    )  # fmt: skip
    assert gate.exit_status in (0, 1), gate.stderr
    stored = history(db, "compare", "1", "2", "--json", str(hist_json))
    assert stored.exit_status == gate.exit_status, stored.stderr
    a = json.loads(gate_json.read_text())["suites"][0]
    b = json.loads(hist_json.read_text())["suites"][0]
    assert [m["metric"] for m in a["metrics"]] == [m["metric"] for m in b["metrics"]] != []
    for ma, mb in zip(a["metrics"], b["metrics"], strict=True):
        for key in ("baseline", "candidate", "delta", "ci95", "p_value", "passed"):
            assert ma[key] == mb[key], (ma["metric"], key)
    assert a["status"] == b["status"] and a["pairing"] == b["pairing"]
    # The same terminal lines as the gate's, suite name aside.
    gate_lines = [ln.split(": ", 1)[1] for ln in gate.stdout.splitlines() if ": " in ln]
    hist_lines = [ln.split(": ", 1)[1] for ln in stored.stdout.splitlines() if ": " in ln]
    assert gate_lines == hist_lines


def test_signature_change_is_refused_by_compare_and_marked_in_trend(
    db: Path, tmp_path: Path
) -> None:
    argv = evaluate_argv("gpt4.de", "--tokenize", "intl", "--record", "--suite", "news")
    assert run_cli([*argv, "--history", str(db)]).exit_status == 0
    refused = history(db, "compare", "1", "3")
    assert refused.exit_status == 3
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "BLEU" in refused.stderr and "--allow-signature-change" in refused.stderr
    assert "chrF" not in refused.stderr
    allowed = history(db, "compare", "1", "3", "--allow-signature-change")
    assert allowed.exit_status in (0, 1), allowed.stderr
    assert "signature changed, compared anyway: BLEU" in allowed.stderr
    page = tmp_path / "trend.html"
    assert history(db, "trend", "--html", str(page)).exit_status == 0
    html = page.read_text()
    bleu = _chart(html, "news", "gpt4", "bleu")
    assert 'class="signature-change" data-run="3"' in bleu
    assert "tok:13a" in bleu and "tok:intl" in bleu
    assert "signature-change" not in _chart(html, "news", "gpt4", "chrf")
    assert "signature-change" not in _chart(html, "news", "nllb", "bleu")


def _chart(html: str, suite: str, system: str, metric: str) -> str:
    start = html.index(f'<svg class="chart" data-metric="{metric}" data-suite="{suite}" '
                       f'data-system="{system}"')  # fmt: skip
    return html[start : html.index("</svg>", start)]


def test_export_one_row_per_run_system_metric(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "runs.csv"
    result = history(db, "export", "--csv", str(out))
    assert result.exit_status == 0, result.stderr
    frame = pd.read_csv(out)
    assert list(frame["run_id"].unique()) == [1, 2]
    assert len(frame) == 2 * 3
    assert set(frame["metric"]) == {"bleu", "chrf", "ter"}
    gpt4_bleu = frame[(frame.run_id == 1) & (frame.metric == "bleu")].iloc[0]
    assert gpt4_bleu["ci95_low"] < gpt4_bleu["score"] < gpt4_bleu["ci95_high"]


def test_gate_records_with_its_verdict_from_the_config(
    history_reports: Reports, tmp_path: Path
) -> None:
    config = tmp_path / "evalharness.toml"
    config.write_text(
        '[gate]\nmetrics = ["bleu", "chrf", "ter"]\n'
        '[history]\nrecord = true\npath = "ci/history.sqlite"\n'
        f'[[suite]]\nname = "news"\nreference = "{DATA / "ref.de"}"\n'
        f'hypothesis = "{DATA / "nllb.de"}"\nsource = "{DATA / "src.en"}"\n'
        f'baseline = "{history_reports.gpt4}"\n'
    )
    result = run_cli(["gate", "--config", str(config), "--quiet"])
    assert result.exit_status in (0, 1), result.stderr
    status = "pass" if result.exit_status == 0 else "regression"
    db = tmp_path / "ci" / "history.sqlite"
    listed = history(db, "list").stdout.splitlines()[1:]
    assert len(listed) == 1 and f" gate      {status}" in listed[0]
    page = tmp_path / "trend.html"
    assert history(db, "trend", "--html", str(page)).exit_status == 0
    assert ('class="gate-failed"' in page.read_text()) == (status == "regression")


def test_unwritable_history_fails_with_exit_3_after_writing_the_report(tmp_path: Path) -> None:
    broken = tmp_path / "history.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    out = tmp_path / "report.json"
    argv = evaluate_argv("nllb.de", "--json", str(out), "--record", "--history", str(broken))
    result = run_cli(argv)
    assert result.exit_status == 3
    assert out.exists() and json.loads(out.read_text())["systems"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(broken) in lines[0] and "not a database" in lines[0]


def test_locked_history_gives_one_line_and_exit_3(history_reports: Reports, db: Path) -> None:
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli(
            ["history", "record", str(history_reports.gpt4), "--history", str(db)],
            environ={"EVALHARNESS_HISTORY_TIMEOUT": "0.3"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_status == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(db) in lines[0] and "locked" in lines[0]
    assert len(history(db, "list").stdout.splitlines()) == 3  # nothing half-written


def test_newer_schema_is_refused(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    result = history(db, "list")
    assert result.exit_status == 3
    assert "newer" in result.stderr and str(db) in result.stderr


def test_missing_history_is_an_input_error(tmp_path: Path) -> None:
    result = history(tmp_path / "none.sqlite", "list")
    assert result.exit_status == 3 and "--record" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_environment_chooses_the_history(history_reports: Reports, tmp_path: Path) -> None:
    target = tmp_path / "env.sqlite"
    result = run_cli(
        ["history", "record", str(history_reports.nllb)],
        environ={"EVALHARNESS_HISTORY": str(target)},
    )
    assert result.exit_status == 0, result.stderr
    assert "recorded run 1" in result.stderr
    assert history(target, "list").stdout.count("nllb") == 1


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium_session() as driver:
        yield driver


@pytest.mark.browser
@pytest.mark.slow
def test_concurrent_recorders_lose_nothing_and_trend_renders(
    history_reports: Reports, tmp_path: Path, browser: Any
) -> None:
    db = tmp_path / "history.sqlite"
    for report in (history_reports.gpt4, history_reports.nllb):
        assert history(db, "record", str(report), "--suite", "news").exit_status == 0
    record_concurrently(history_reports.nllb, str(db), 8)
    out = tmp_path / "runs.csv"
    assert history(db, "export", "--csv", str(out)).exit_status == 0
    assert sorted(pd.read_csv(out)["run_id"].unique()) == list(range(1, 11))
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    page = tmp_path / "trend.html"
    assert history(db, "trend", "--html", str(page)).exit_status == 0
    browser.get("about:blank")
    browser.get_log("browser")
    browser.get(page.as_uri())
    logs = [e for e in browser.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    assert logs == []
    charts = browser.execute_script(
        "return Array.from(document.querySelectorAll('svg.chart')).map(s => ["
        "s.dataset.system + '/' + s.dataset.metric, s.getBoundingClientRect().width,"
        "s.querySelectorAll('circle.point').length,"
        "s.querySelector('polyline.line').getTotalLength()])"
    )
    assert sorted(c[0] for c in charts) == sorted(
        f"{s}/{m}" for s in ("gpt4", "nllb") for m in ("bleu", "chrf", "ter")
    )
    points = {c[0]: c[2] for c in charts}
    assert points["nllb/bleu"] == 9 and points["gpt4/bleu"] == 1
    assert all(c[1] > 0 for c in charts)
    assert next(c for c in charts if c[0] == "nllb/chrf")[3] > 0
