"""Language pair: -l parsing, offline detection of both sides, the stderr line and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus, UsageError
from evalharness.lang.detect import describe_languages, identify_document, resolve_languages
from evalharness.lang.profiles import get_profile, parse_language_pair

DATA = Path(__file__).resolve().parent / "data" / "wmt23"


def lines(name: str, n: int = 200) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").split("\n")[:n]


@pytest.mark.parametrize(
    ("name", "code"),
    [("src.en", "en"), ("ref.zh", "zh"), ("ref.ja", "ja"), ("ref.he", "he"), ("GPT4-5shot.he", "he")],
)
def test_documents_are_identified(name: str, code: str) -> None:
    detection = identify_document(lines(name))
    assert detection.code == code
    assert detection.confidence > 0.9


def test_detected_pair_takes_source_and_target() -> None:
    pair = resolve_languages(None, lines("ref.ja"), lines("src.en"))
    assert (pair.source and pair.source.code, pair.target.code, pair.detected) == ("en", "ja", True)
    assert pair.confidence == min(pair.source_confidence or 0, pair.target_confidence or 0)
    line = describe_languages(pair)
    assert line.startswith("languages: source en (detected, ") and "target ja (detected, " in line


def test_without_source_the_source_is_unknown() -> None:
    pair = resolve_languages(None, lines("ref.zh"))
    assert pair.source is None and pair.target.code == "zh"
    assert "source unknown" in describe_languages(pair)


def test_given_pair_is_kept() -> None:
    given = parse_language_pair("en-de")
    assert resolve_languages(given, lines("ref.zh")) is given
    assert describe_languages(given) == "languages: source en (given), target de (given)"


@pytest.mark.parametrize("spec", ["en", "en-", "english-german", "en-d3", "en-de-fr"])
def test_bad_pairs_are_usage_errors(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_language_pair(spec)


def test_unknown_but_valid_code_gets_a_generic_profile() -> None:
    profile = get_profile("sw")
    assert not profile.known and profile.bleu_tokenizer == "13a"
    assert get_profile("ur").direction == "rtl"


def test_cli_prints_detection_and_writes_languages(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli([
        "evaluate", "--ref", str(DATA / "ref.he"), "--hyp", str(DATA / "GPT4-5shot.he"),
        "--src", str(DATA / "src.en"), "--metrics", "chrf", "--no-checks", "--json", str(out),
    ])
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    assert "languages: source en (detected, " in result.stderr
    languages = json.loads(out.read_text(encoding="utf-8"))["languages"]
    assert {k: languages[k] for k in ("source", "target", "detected")} == {
        "source": "en", "target": "he", "detected": True}
    assert 0.9 < languages["confidence"] <= 1.0


def test_cli_language_pair_flag(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli([
        "evaluate", "-l", "en-he", "--ref", str(DATA / "ref.he"), "--hyp",
        str(DATA / "GPT4-5shot.he"), "--metrics", "chrf", "--no-checks", "--json", str(out),
    ])
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    assert "languages:" not in result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["languages"]["detected"] is False and report["languages"]["confidence"] is None
    assert report["options"]["language_pair"] == "en-he"


@pytest.mark.parametrize("command", ["evaluate", "gate"])
def test_cli_unknown_code_is_exit_2(command: str) -> None:
    args = [command, "--language-pair", "en-xx1", "--ref", str(DATA / "ref.he"),
            "--hyp", str(DATA / "GPT4-5shot.he")]
    if command == "gate":
        args += ["--baseline-hyp", str(DATA / "ref.he")]
    result = run_cli(args)
    assert result.exit_status == ExitStatus.USAGE
    assert "en-xx1" in result.stderr
