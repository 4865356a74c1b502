"""One metric-info registry: labels, direction and number format, read by every view."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

import evalharness
from evalharness.errors import UsageError
from evalharness.gate.compare import compare
from evalharness.gate.snapshot import SystemSnapshot
from evalharness.gate.thresholds import Thresholds
from evalharness.metrics import base as metric_registry
from evalharness.metrics import get_metric, metric_info, register_metric
from evalharness.metrics.info import MetricInfo
from evalharness.records import MetricResult
from evalharness.report.html_report.render import render_html
from evalharness.report.html_report.summary import score_strip
from evalharness.report.terminal import format_summary


class MissedWords:
    """A plugin error rate: reference words missing from the hypothesis, per 100 words."""

    name = "missed"
    higher_is_better = False

    def compute(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str] | None = None
    ) -> MetricResult:
        rows = np.array([_missed_row(h, r) for h, r in zip(hyps, refs, strict=True)], dtype=float)
        scores = tuple(100 * m / n if n else 0.0 for m, n in rows.tolist())
        return MetricResult(self.name, self.score_from_stats(rows), "missed|v1", scores, stats=rows)

    def score_from_stats(self, stats: np.ndarray) -> float:
        missed, total = np.asarray(stats, dtype=float).sum(axis=0)
        return float(100 * missed / total) if total else 0.0


def _missed_row(hyp: str, ref: str) -> tuple[int, int]:
    words = set(hyp.split())
    return sum(w not in words for w in ref.split()), len(ref.split())


PLUGIN = MetricInfo("missed", "Missed words", higher_is_better=False, decimals=3)


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[MetricInfo]:
    """The plugin registered for one test only."""
    metric_info("bleu")  # load the built-in metrics before copying the registry
    monkeypatch.setattr(metric_registry, "_REGISTRY", dict(metric_registry._REGISTRY))
    monkeypatch.setattr(metric_registry, "_INFO", dict(metric_registry._INFO))
    register_metric("missed", MissedWords, PLUGIN)
    yield PLUGIN


@pytest.mark.parametrize(
    ("name", "label", "higher", "shown"),
    [("bleu", "BLEU", True, "31.25"), ("chrf", "chrF", True, "31.25"),
     ("chrf++", "chrF++", True, "31.25"), ("ter", "TER", False, "31.25"),
     ("comet", "COMET", True, "31.2500")],
)  # fmt: skip
def test_builtin_metrics_carry_their_info(name: str, label: str, higher: bool, shown: str) -> None:
    info = metric_info(name)
    assert (info.name, info.label, info.higher_is_better, info.format(31.25)) == (
        name, label, higher, shown)
    if name != "comet":  # building COMET's metric object is not needed to know its direction
        assert get_metric(name).higher_is_better is higher


def test_format_signs_and_missing_values() -> None:
    assert PLUGIN.format(-1.23456, signed=True) == "-1.235"
    assert PLUGIN.format(2.0, signed=True) == "+2.000"
    assert PLUGIN.format(None) == "n/a"


def test_plugin_without_info_gets_defaults_from_its_factory(monkeypatch: pytest.MonkeyPatch) -> None:
    metric_info("bleu")
    monkeypatch.setattr(metric_registry, "_REGISTRY", dict(metric_registry._REGISTRY))
    monkeypatch.setattr(metric_registry, "_INFO", dict(metric_registry._INFO))
    register_metric("Missed", MissedWords)
    assert metric_info("missed") == MetricInfo("missed", "Missed", higher_is_better=False)
    with pytest.raises(UsageError, match="^metric 'x' registered with the info of 'missed'$"):
        register_metric("x", MissedWords, PLUGIN)


def test_unknown_metric_read_back_from_a_report_gets_neutral_info() -> None:
    assert metric_info("someone-elses") == MetricInfo("someone-elses", "someone-elses")


def _run(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    ref = tmp_path / "ref.txt"
    hyp = tmp_path / "hyp.txt"
    ref.write_text("The cat sat on the mat.\nA dog barked at night.\n", encoding="utf-8")
    hyp.write_text("The cat sat on the mat.\nA bird sang.\n", encoding="utf-8")
    run = evalharness.evaluate(ref, hyp, fmt="lines", metrics="bleu,missed", run_checks=False,
                               bootstrap_samples=10)  # fmt: skip
    return run.to_dict()


def test_terminal_labels_the_plugin_and_uses_its_decimals(plugin: MetricInfo, tmp_path: Path) -> None:
    report = _run(tmp_path)
    score = report["systems"][0]["metrics"]["missed"]["score"]
    assert score == pytest.approx(100 * 4 / 11)  # dog barked at night. of 11 reference words
    text = format_summary(report)
    header = text.splitlines()[0]
    assert re.split(r"\s{2,}", header) == ["system", "BLEU", "Missed words (lower is better)"]
    assert f"{score:.3f} [" in text.splitlines()[2]


def test_html_summary_labels_the_plugin_and_inverts_its_strip(
    plugin: MetricInfo, tmp_path: Path
) -> None:
    page = render_html(_run(tmp_path))
    assert 'Missed words <span class="hint">(lower is better)</span></th>' in page
    assert "Missed words (lower is better)</text>" in page  # the histogram's title
    segments = [{"id": 0, "scores": {"missed": 0.0}}, {"id": 1, "scores": {"missed": 100.0}}]
    strip = score_strip(segments, "missed", 0)
    assert strip["metric"] == "Missed words"
    assert [b["height"] for b in strip["bins"]] == [1.0, 0.0]  # no missed words: tallest


def _snapshot(rows: np.ndarray) -> SystemSnapshot:
    return SystemSnapshot(
        origin="test", reference_sha256="same",
        scores={"missed": MissedWords().score_from_stats(rows)}, unavailable={},
        signatures={"missed": "missed|v1"}, ref_counts=(1,) * len(rows),
        ref_texts=tuple(str(i) for i in range(len(rows))), stats={"missed": rows},
        findings={"minor": 0, "major": 0, "critical": 0},
    )  # fmt: skip


def test_gate_counts_a_rise_of_a_lower_is_better_plugin_as_a_regression(plugin: MetricInfo) -> None:
    good = np.array([[1.0, 10.0]] * 200)
    worse = np.array([[3.0, 10.0]] * 200)
    thresholds = Thresholds(max_drop={"missed": 1.0})
    rose = compare("s", _snapshot(good), _snapshot(worse), thresholds).metrics[0]
    assert (rose.metric, rose.higher_is_better, rose.passed) == ("missed", False, False)
    assert rose.delta == pytest.approx(20.0)
    (check,) = rose.checks
    assert check.message.startswith("Missed words rose by 20.000, more than the tolerated 1")
    fell = compare("s", _snapshot(worse), _snapshot(good), thresholds).metrics[0]
    assert fell.passed and fell.delta == pytest.approx(-20.0)
