"""evalharness.toml parsing, threshold merging and command-line threshold options."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalharness.errors import InputError, UsageError
from evalharness.gate.config import load_config
from evalharness.gate.thresholds import (
    DEFAULT_MAX_DROP,
    Thresholds,
    parse_assignments,
    thresholds_from_options,
)

REPO = Path(__file__).resolve().parents[1]

TWO_SUITES = """
[gate]
metrics = ["bleu", "chrf"]
alpha = 0.01
test = "ar"
max_drop = { bleu = 2.0, chrf = 0.5 }
min = { bleu = 10 }

[[suite]]
name = "news"
reference = "data/ref.txt"
hypothesis = "data/hyp.txt"
baseline = "baselines/news.json"
format = "lines"
max_drop = { bleu = 0.25 }
max_findings = { major = 0 }

[[suite]]
name = "ab"
reference = "/abs/ref.txt"
hypothesis = "hyp.txt"
baseline_hypothesis = "old.txt"
metrics = ["ter"]
tokenize = "intl"
lowercase = true
no_more_findings = true
max_drop = { ter = "off" }
"""


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "conf" / "evalharness.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_suites_inherit_gate_defaults_and_override_key_by_key(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, TWO_SUITES))
    news, ab = config.suites
    assert news.name == "news" and news.fmt == "lines"
    assert news.metrics == ("bleu", "chrf")
    assert news.thresholds.alpha == 0.01 and news.thresholds.test == "ar"
    assert dict(news.thresholds.max_drop) == {"bleu": 0.25, "chrf": 0.5}
    assert dict(news.thresholds.min_score) == {"bleu": 10.0}
    assert dict(news.thresholds.max_findings) == {"major": 0}
    assert not news.thresholds.no_more_findings
    assert ab.metrics == ("ter",) and ab.baseline is None
    assert ab.thresholds.drop_tolerance("ter") is None
    assert ab.thresholds.no_more_findings
    assert dict(ab.metric_params) == {
        "bleu": {"tokenize": "intl", "lowercase": True},
        "chrf": {"lowercase": True},
        "chrf++": {"lowercase": True},
        "ter": {"lowercase": True},
    }


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, TWO_SUITES)
    news, ab = load_config(path).suites
    assert news.reference == str(path.parent / "data" / "ref.txt")
    assert news.baseline == str(path.parent / "baselines" / "news.json")
    assert ab.reference == "/abs/ref.txt"
    assert ab.baseline_hypothesis == str(path.parent / "old.txt")


def test_select_by_name_and_unknown_name(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, TWO_SUITES))
    assert [s.name for s in config.select(["ab"])] == ["ab"]
    assert len(config.select(None)) == 2
    with pytest.raises(UsageError, match="no suite named nope"):
        config.select(["nope"])


SUITE = '[[suite]]\nname = "s"\nreference = "r"\nhypothesis = "h"\nbaseline = "b.json"\n'


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[[suite]\n", "not valid TOML"),
        ("[gate]\nalpha = 0.05\n", "no [[suite]] tables"),
        ("colour = 1\n" + SUITE, "unknown top-level keys: colour"),
        (SUITE + "treshold = 1\n", "unknown keys in [[suite]]: treshold"),
        ('[gate]\nname = "x"\n' + SUITE, "unknown keys in [gate]: name"),
        ('[[suite]]\nname = "s"\nreference = "r"\nbaseline = "b"\n', "needs a 'hypothesis'"),
        (SUITE.replace('baseline = "b.json"\n', ""), "exactly one of 'baseline'"),
        (SUITE + 'baseline_hypothesis = "x"\n', "exactly one of 'baseline'"),
        (SUITE + SUITE, "suite names must be unique: s"),
        (SUITE + 'min = { bleu = "high" }\n', "'min' values must be numbers"),
        (SUITE + "max_drop = { bleu = -1 }\n", "must be >= 0"),
        (SUITE + "max_findings = { major = 1.5 }\n", "whole numbers"),
        (SUITE + "max_findings = { fatal = 1 }\n", "unknown severity 'fatal'"),
        (SUITE + "alpha = 2\n", "alpha must be between 0 and 1"),
        (SUITE + 'test = "t-test"\n', "unknown test 't-test'"),
        (SUITE + 'samples = "many"\n', "'samples' has the wrong type"),
        (SUITE + 'metrics = "bleu"\n', "'metrics' must be a list"),
        (SUITE + 'format = "docx"\n', "unknown format 'docx'"),
    ],
)
def test_bad_config_is_an_input_error_naming_the_file(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = write_config(tmp_path, text)
    with pytest.raises(InputError, match=None) as info:
        load_config(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such config file"):
        load_config(tmp_path / "evalharness.toml")


def test_default_tolerances_apply_to_unnamed_metrics() -> None:
    thresholds = Thresholds(max_drop={"bleu": 3.0, "ter": None})
    assert thresholds.drop_tolerance("bleu") == 3.0
    assert thresholds.drop_tolerance("ter") is None
    assert thresholds.drop_tolerance("chrf") == DEFAULT_MAX_DROP["chrf"] == 1.0
    assert thresholds.drop_tolerance("comet") == 0.01
    assert thresholds.named_metrics() == {"bleu"}


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        (["bleu=30"], {"bleu": "30"}),
        (["bleu=30,chrf=50", "TER=60"], {"bleu": "30", "chrf": "50", "ter": "60"}),
        (["bleu=30,", " chrf = 1 "], {"bleu": "30", "chrf": "1"}),
        ([], {}),
    ],
)
def test_parse_assignments(specs: list[str], expected: dict[str, str]) -> None:
    assert parse_assignments(specs, "--min") == expected


@pytest.mark.parametrize("spec", ["bleu", "=3", "bleu="])
def test_parse_assignments_rejects_malformed_items(spec: str) -> None:
    with pytest.raises(UsageError, match="--min expects NAME=VALUE"):
        parse_assignments([spec], "--min")


def test_command_line_thresholds_go_on_top_of_the_config() -> None:
    base = Thresholds(min_score={"chrf": 40.0}, max_drop={"bleu": 2.0}, alpha=0.01)
    merged = thresholds_from_options(
        base,
        min_specs=["bleu=30"],
        max_specs=["ter=70"],
        drop_specs=["chrf=0.5,bleu=off"],
        findings_specs=["major=0"],
        scalars={"alpha": None, "test": "ar", "no_more_findings": True, "seed": 7},
    )
    assert dict(merged.min_score) == {"chrf": 40.0, "bleu": 30.0}
    assert dict(merged.max_score) == {"ter": 70.0}
    assert dict(merged.max_drop) == {"bleu": None, "chrf": 0.5}
    assert dict(merged.max_findings) == {"major": 0}
    assert merged.alpha == 0.01 and merged.test == "ar" and merged.seed == 7
    assert merged.no_more_findings


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"min_specs": ["bleu=high"]}, "--min needs a number"),
        ({"findings_specs": ["major=0.5"]}, "--max-findings needs a whole number"),
        ({"min_specs": ["bleu=off"]}, "--min needs a number"),
        ({"scalars": {"alpha": 1.5}}, "alpha must be between 0 and 1"),
    ],
)
def test_bad_command_line_thresholds_are_usage_errors(kwargs: dict, needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        thresholds_from_options(Thresholds(), **kwargs)


def test_the_projects_own_config_parses() -> None:
    config = load_config(REPO / "evalharness.toml")
    assert config.suites, "the project gates at least one suite"
    for suite in config.suites:
        assert suite.baseline is not None and Path(suite.baseline).is_file()
        assert Path(suite.reference).is_file() and Path(suite.hypothesis).is_file()
