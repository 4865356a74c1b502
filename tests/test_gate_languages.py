"""The gate's language pair: ``language_pair`` in suites, ``-l`` on the command line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU

from evalharness.cli.app import run_cli
from evalharness.cli.gate import suite_evaluate_options
from evalharness.errors import ExitStatus, UsageError
from evalharness.gate.config import load_config
from evalharness.records import CometOptions

DATA = Path(__file__).resolve().parent / "data" / "wmt23"

CONFIG = """
[gate]
language_pair = "en-ja"
metrics = ["bleu"]

[[suite]]
name = "ja"
reference = "ref.ja"
hypothesis = "GPT4-5shot.ja"
baseline_hypothesis = "ref.ja"

[[suite]]
name = "zh"
reference = "ref.zh"
hypothesis = "GPT4-5shot.zh"
baseline_hypothesis = "ref.zh"
language_pair = "en-zh"
"""


def config_file(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "evalharness.toml"
    path.write_text(text.replace('"ref.', f'"{DATA}/ref.').replace('"GPT4', f'"{DATA}/GPT4'),
                    encoding="utf-8")
    return path


def test_suites_take_the_pair_from_gate_defaults_or_their_own(tmp_path: Path) -> None:
    ja, zh = load_config(config_file(tmp_path)).suites
    assert (ja.language_pair, zh.language_pair) == ("en-ja", "en-zh")
    options = suite_evaluate_options(ja, None, CometOptions(), run_checks=False)
    assert options.language_pair == "en-ja"


def test_a_baseline_report_made_with_a_pair_passes_it_on(tmp_path: Path) -> None:
    suite = replace(load_config(config_file(tmp_path)).suites[0], language_pair=None)
    saved = {"options": {"language_pair": "en-ja", "format": "lines"}}
    assert suite_evaluate_options(suite, saved, CometOptions(), run_checks=False).language_pair \
        == "en-ja"
    detected = {"options": {"language_pair": None}}
    assert suite_evaluate_options(suite, detected, CometOptions(), run_checks=False).language_pair \
        is None


def test_unknown_code_in_a_suite_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="evalharness.toml.*en-q1"):
        load_config(config_file(tmp_path, CONFIG.replace('"en-zh"', '"en-q1"')))


@pytest.mark.parametrize("how", ["config", "flag"])
def test_gate_scores_with_the_targets_tokenizer(tmp_path: Path, how: str) -> None:
    verdict = tmp_path / "gate.json"
    if how == "config":
        args = ["--config", str(config_file(tmp_path)), "--suite", "ja"]
    else:
        args = ["-l", "en-ja", "--ref", str(DATA / "ref.ja"), "--hyp", str(DATA / "GPT4-5shot.ja"),
                "--baseline-hyp", str(DATA / "ref.ja"), "--metrics", "bleu"]
    result = run_cli(["gate", *args, "--json", str(verdict)])
    assert result.exit_status == ExitStatus.REGRESSION, result.stderr
    assert "languages:" not in result.stderr  # given, not detected
    bleu = json.loads(verdict.read_text(encoding="utf-8"))["suites"][0]["metrics"][0]
    lines = [(DATA / n).read_text(encoding="utf-8").split("\n")[:-1]
             for n in ("GPT4-5shot.ja", "ref.ja")]
    expected = BLEU(tokenize="ja-mecab").corpus_score(lines[0], [lines[1]]).score
    assert bleu["candidate"] == pytest.approx(expected, abs=1e-6)
