"""The missed error classes on a paraphrased news re-translation with planted errors.

``tests/data/planted_news``: a news text of 27 sentences, a faithful paraphrase of
it written independently (other words, other sentence order inside sentences),
and seven planted major errors plus a wire credit (``planted.json``). Every
planted error must be found, and at most two other major findings may appear.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evalharness
from evalharness.results import SystemResult

DATA = Path(__file__).resolve().parent / "data" / "planted_news"
MAJOR = ("major", "critical")


@pytest.fixture(scope="module")
def system() -> SystemResult:
    run = evalharness.evaluate(
        DATA / "reference.txt", [DATA / "hypothesis.txt"], metrics=["chrf"],
        bootstrap_samples=10, fmt="text",
    )
    return run.systems[0]


def _planted() -> list[dict]:
    return json.loads((DATA / "planted.json").read_text(encoding="utf-8"))["planted"]


def _found(system: SystemResult, planted: dict) -> bool:
    return any(
        f.check == planted["check"] and f.severity in planted["severities"]
        and planted["hyp"] in f.hyp_span and planted["ref"] in f.ref_span
        for findings in system.findings for f in findings
    )


@pytest.mark.parametrize("planted", _planted(), ids=lambda p: p["class"])
def test_every_planted_error_is_found(system: SystemResult, planted: dict) -> None:
    assert _found(system, planted)


def test_at_most_two_false_majors(system: SystemResult) -> None:
    planted = [p for p in _planted() if set(p["severities"]) & set(MAJOR)]
    false = [
        f for findings in system.findings for f in findings
        if f.severity in MAJOR and not any(
            f.check == p["check"] and p["hyp"] in f.hyp_span and p["ref"] in f.ref_span
            for p in planted
        )
    ]
    assert len(false) <= 2, false


def test_the_paraphrase_without_the_planted_errors_has_no_major(tmp_path: Path) -> None:
    text = (DATA / "hypothesis.txt").read_text(encoding="utf-8")
    for planted in _planted():
        old, new = planted["fix"]
        assert old in text
        text = text.replace(old, new)
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(text, encoding="utf-8")
    run = evalharness.evaluate(DATA / "reference.txt", [fixed], metrics=["chrf"],
                               bootstrap_samples=10, fmt="text")
    findings = [f for found in run.systems[0].findings for f in found]
    assert [f for f in findings if f.severity in MAJOR] == []
    assert not any(f.check in ("polarity", "unrelated") for f in findings)
