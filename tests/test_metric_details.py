"""Typed corpus details of BLEU, chrF and TER, against sacrebleu on WMT23 zh-en (vendored slice)."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, TerMetric
from evalharness.records import BleuDetails, ChrfDetails, TerDetails
from evalharness.report.serialize import metric_to_dict

WMT = Path(__file__).resolve().parent / "data" / "wmt23_zhen"


def _lines(name: str, n: int = 200) -> list[str]:
    return (WMT / f"generaltest2023.zh-en.{name}").read_text(encoding="utf-8").splitlines()[:n]


REF = _lines("ref.refA.en")
HYP = _lines("hyp.NLLB_Greedy.en")


@pytest.mark.parametrize("params", [{}, {"tokenize": "intl", "lowercase": True},
                                    {"max_ngram_order": 2}, {"smooth_method": "floor"}])
def test_bleu_details_are_sacrebleus_bp_precisions_and_lengths(params: dict) -> None:  # type: ignore[type-arg]
    theirs = BLEU(**params).corpus_score(HYP, [REF])
    details = BleuMetric(n_bootstrap=0, **params).compute(HYP, REF).details
    assert isinstance(details, BleuDetails)
    assert details.bp == pytest.approx(theirs.bp, abs=1e-12)
    assert details.precisions == pytest.approx(theirs.precisions, abs=1e-9)
    assert (details.sys_len, details.ref_len) == (theirs.sys_len, theirs.ref_len)


def test_a_short_hypothesis_has_a_brevity_penalty() -> None:
    short = [" ".join(h.split()[: len(h.split()) // 2]) for h in HYP]
    details = BleuMetric(n_bootstrap=0).compute(short, REF).details
    assert isinstance(details, BleuDetails)
    assert details.sys_len < details.ref_len and 0 < details.bp < 0.7
    assert details.bp == pytest.approx(BLEU().corpus_score(short, [REF]).bp, abs=1e-12)


@pytest.mark.parametrize(("word_order", "beta"), [(0, 2), (2, 2), (0, 1)])
def test_chrf_precision_and_recall_give_sacrebleus_f_score(word_order: int, beta: int) -> None:
    result = ChrfMetric(n_bootstrap=0, word_order=word_order, beta=beta).compute(HYP, REF)
    details = result.details
    assert isinstance(details, ChrfDetails) and details.beta == beta
    p, r = details.precision, details.recall
    f = (1 + beta**2) * p * r / (beta**2 * p + r)
    assert f == pytest.approx(CHRF(word_order=word_order, beta=beta).corpus_score(HYP, [REF]).score,
                              abs=1e-9)
    assert 0 < p < 100 and 0 < r < 100


def test_chrf_of_a_hypothesis_inside_its_reference_has_full_precision() -> None:
    details = ChrfMetric(n_bootstrap=0).compute(["the cat"], ["the cat sat on the mat"]).details
    assert isinstance(details, ChrfDetails)
    assert details.precision == pytest.approx(100.0) and details.recall < 60


def test_ter_details_are_the_summed_edits_and_reference_length() -> None:
    hyps, refs = HYP[:40], REF[:40]
    details = TerMetric(n_bootstrap=0).compute(hyps, refs).details
    assert isinstance(details, TerDetails)
    stats = TER()._extract_corpus_statistics(hyps, [refs])
    assert details.edits == sum(s[0] for s in stats)
    assert details.ref_length == pytest.approx(sum(s[1] for s in stats))
    assert 100 * details.edits / details.ref_length == pytest.approx(
        TER().corpus_score(hyps, [refs]).score, abs=1e-9)


def test_details_are_frozen_and_added_to_the_json_entry() -> None:
    result = BleuMetric(n_bootstrap=0).compute(HYP, REF)
    with pytest.raises(FrozenInstanceError):
        result.details.bp = 1.0  # type: ignore[misc, union-attr]
    entry = json.loads(json.dumps(metric_to_dict(result)))
    assert set(entry) == {"score", "signature", "ci95", "status", "details"}
    assert entry["details"] == {"bp": result.details.bp,  # type: ignore[union-attr]
                                "precisions": list(result.details.precisions),  # type: ignore[union-attr]
                                "sys_len": result.details.sys_len,  # type: ignore[union-attr]
                                "ref_len": result.details.ref_len}  # type: ignore[union-attr]
