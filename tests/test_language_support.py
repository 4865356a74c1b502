"""The report says which checks used the target's own rules, which fell back to generic ones, and which were skipped."""

from __future__ import annotations

import json
from pathlib import Path

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus


def report(tmp_path: Path, pair: str, *extra: str) -> dict:
    ref, hyp, out = tmp_path / "ref.txt", tmp_path / "hyp.txt", tmp_path / "r.json"
    ref.write_text("Der Vertrag wurde am 16. Mai 2023 unterzeichnet.\nEr gilt ab Juni.\n", encoding="utf-8")
    hyp.write_text("Der Vertrag wurde am 16. Mai 2023 signiert.\nEr gilt ab Juli.\n", encoding="utf-8")
    done = run_cli(["evaluate", "--ref", str(ref), "--hyp", str(hyp), "--format", "lines", "-l", pair,
                    "--metrics", "bleu", "--bootstrap", "10", "--quiet", "--json", str(out), *extra])  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_profiled_target_gets_language_specific_checks(tmp_path: Path) -> None:
    checks = report(tmp_path, "en-de")["languages"]["checks"]
    assert checks["number"] == "language-specific"
    assert checks["omission"] == "language-specific"
    assert checks["format"] == "generic"


def test_a_target_without_a_profile_is_reported_generic_or_skipped(tmp_path: Path) -> None:
    languages = report(tmp_path, "en-xx")["languages"]
    assert languages["target"] == "xx"
    checks = languages["checks"]
    assert checks["number"] == "generic" and checks["entity"] == "generic"
    assert checks["language"] == "skipped"


def test_no_checks_no_support_table(tmp_path: Path) -> None:
    assert "checks" not in report(tmp_path, "en-de", "--no-checks")["languages"]
