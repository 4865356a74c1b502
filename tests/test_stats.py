"""Bootstrap intervals and paired tests against sacrebleu's significance module on WMT23 zh-en."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest, _bootstrap_resample
from sacrebleu.significance import estimate_ci as sacrebleu_estimate_ci

from evalharness.errors import UsageError
from evalharness.metrics import stats
from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, TerMetric

WMT23 = Path(__file__).resolve().parent / "data" / "wmt23_zhen"
LINES = 700  # lines 401-1100 of the 1,976-line test set (tests/data/README.md)
SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")


@cache
def wmt23() -> tuple[list[str], dict[str, list[str]]]:
    def lines(name: str) -> list[str]:
        return (WMT23 / name).read_text(encoding="utf-8").splitlines()

    return (lines("generaltest2023.zh-en.ref.refA.en"),
            {s: lines(f"generaltest2023.zh-en.hyp.{s}.en") for s in SYSTEMS})


OURS = {"BLEU": BleuMetric(n_bootstrap=0), "chrF2": ChrfMetric(n_bootstrap=0),
        "TER": TerMetric(n_bootstrap=0)}


@cache
def segment_stats(metric: str, system: str, n: int) -> np.ndarray:
    ref, hyps = wmt23()
    return OURS[metric].segment_statistics(hyps[system][:n], [ref[:n]])


@cache
def sacrebleu_paired(test_type: str, n: int, n_samples: int):
    """sacrebleu's own PairedTest on the first n lines of the three systems (baseline GPT4-5shot)."""
    ref, hyps = wmt23()
    metrics = {"BLEU": BLEU(), "chrF": CHRF()} if n > 200 else {"TER": TER()}
    named = [(s, hyps[s][:n]) for s in SYSTEMS]
    _, scores = PairedTest(named, metrics, [ref[:n]], test_type=test_type, n_samples=n_samples,
                           n_ar_confidence=1000 if test_type == "ar" else -1)()
    return scores


# The float32 sums of sacrebleu make chrF/TER resampled scores differ in the 7th digit.
TOLERANCE = {"BLEU": 1e-9, "chrF2": 1e-5, "TER": 1e-5}
CASES = [("BLEU", LINES), ("chrF2", LINES), ("TER", 50)]


@pytest.mark.parametrize(("metric", "n"), CASES)
def test_bootstrap_ci_equals_sacrebleus_resampling(metric, n):
    rows = segment_stats(metric, "ONLINE-A", n)
    ours = stats.bootstrap_ci(OURS[metric], rows)
    reference = OURS[metric].sacrebleu_metric
    seed, scores = _bootstrap_resample(rows.tolist(), reference, 1000)
    mean, half = sacrebleu_estimate_ci(np.array([s.score for s in scores]))
    assert seed == "12345" and ours.seed == 12345 and ours.n_samples == 1000
    assert ours.mean == pytest.approx(mean, abs=TOLERANCE[metric])
    assert ours.half_width == pytest.approx(half, abs=TOLERANCE[metric])
    assert ours.sacrebleu_interval == pytest.approx((mean - half, mean + half), abs=TOLERANCE[metric])
    assert ours.ci95 == (ours.percentile_lo, ours.percentile_hi)
    assert ours.percentile_lo <= ours.mean <= ours.percentile_hi


def test_chunked_resampling_draws_the_same_stream(monkeypatch):
    rows = segment_stats("BLEU", "ONLINE-A", LINES)
    whole = stats.bootstrap_scores(OURS["BLEU"], rows)
    monkeypatch.setattr(stats, "_CHUNK_CELLS", LINES * 37)
    np.testing.assert_array_equal(stats.bootstrap_scores(OURS["BLEU"], rows), whole)


@pytest.mark.parametrize(("metric", "n"), CASES)
@pytest.mark.parametrize("test_type", ["bs", "ar"])
def test_paired_tests_equal_sacrebleus_paired_test(monkeypatch, metric, n, test_type):
    # Small chunks so that the chunked draws are exercised against sacrebleu's single draw.
    monkeypatch.setattr(stats, "_CHUNK_CELLS", n * 37)
    n_samples = 1000 if test_type == "bs" else 3000
    scores = sacrebleu_paired(test_type, n, n_samples)[metric]
    base = segment_stats(metric, SYSTEMS[0], n)
    tol = TOLERANCE[metric]
    for k, system in enumerate(SYSTEMS[1:], start=1):
        cand = segment_stats(metric, system, n)
        if test_type == "bs":
            ours = stats.paired_bootstrap(OURS[metric], base, cand, n_samples)
        else:
            ours = stats.paired_randomization(OURS[metric], base, cand, n_samples)
        theirs = scores[k]
        assert ours.baseline_score == pytest.approx(scores[0].score, abs=1e-9)
        assert ours.candidate_score == pytest.approx(theirs.score, abs=1e-9)
        assert ours.delta == pytest.approx(theirs.score - scores[0].score, abs=1e-9)
        assert ours.p_value == theirs.p_value
        assert ours.candidate_ci.mean == pytest.approx(theirs.mean, abs=tol)
        assert ours.candidate_ci.half_width == pytest.approx(theirs.ci, abs=tol)
        assert ours.n_samples == n_samples and ours.seed == 12345
        lo, hi = ours.ci95
        assert lo < ours.delta_ci.mean < hi


def test_a_close_pair_is_not_significant_and_a_distant_pair_is():
    # Close: two random halves of GPT4-5shot and ONLINE-A, each against its complement, so
    # that no difference is real (bench/parity.py tests the two systems on all 1,976 lines).
    base = segment_stats("chrF2", "GPT4-5shot", LINES)
    other = segment_stats("chrF2", "ONLINE-A", LINES)
    swap = (np.random.default_rng(12345).random(LINES) < 0.5)[:, None]
    close = stats.paired_bootstrap(OURS["chrF2"], np.where(swap, other, base),
                                   np.where(swap, base, other))
    far = stats.paired_bootstrap(OURS["chrF2"], base, segment_stats("chrF2", "NLLB_Greedy", LINES))
    assert close.p_value > 0.05 and close.ci95[0] < 0 < close.ci95[1]
    assert far.p_value < 0.01 and far.ci95[1] < 0
    ref, hyps = wmt23()
    expected = [CHRF().corpus_score(hyps[s], [ref]).score for s in ("GPT4-5shot", "NLLB_Greedy")]
    assert far.delta == pytest.approx(expected[1] - expected[0], abs=1e-9)


def test_a_system_against_itself_keeps_sacrebleus_p_value_definition():
    # sacrebleu counts trials with a difference strictly above the observed one, so a
    # system compared with itself gets the smallest p-value, 1 / (n + 1): the gate must
    # not read significance into a zero delta.
    ref, hyps = wmt23()
    same = [("a", hyps["ONLINE-A"][:300]), ("b", hyps["ONLINE-A"][:300])]
    theirs = PairedTest(same, {"BLEU": BLEU()}, [ref[:300]], test_type="ar", n_samples=500)()
    rows = segment_stats("BLEU", "ONLINE-A", 300)
    ours = stats.paired_randomization(OURS["BLEU"], rows, rows, 500, n_confidence=0)
    assert ours.delta == 0
    assert ours.p_value == theirs[1]["BLEU"][1].p_value == 1 / 501
    assert ours.candidate_ci is None and ours.ci95 is None


def test_estimate_ci_equals_sacrebleus():
    values = np.random.default_rng(3).normal(30, 2, size=1000)
    mean, half = sacrebleu_estimate_ci(values)
    ours = stats.estimate_ci(values, seed=None)
    assert (ours.mean, ours.half_width) == pytest.approx((mean, half), abs=1e-12)
    ordered = np.sort(values)
    assert (ours.percentile_lo, ours.percentile_hi) == (ordered[25], ordered[974])


def test_block_stats_sums_contiguous_blocks():
    rows = np.arange(12).reshape(6, 2)
    summed = stats.block_stats(rows, ["d1", "d1", "d2", "d3", "d3", "d3"])
    assert summed.tolist() == [[2, 4], [4, 5], [24, 27]]
    assert summed.dtype == rows.dtype
    assert stats.block_stats(np.zeros((0, 2)), []).shape == (0, 2)


def test_block_stats_feed_document_level_bootstrap():
    rows = segment_stats("BLEU", "ONLINE-A", LINES)
    docs = stats.block_stats(rows, np.arange(LINES) // 8)
    assert docs.shape == (88, 10)
    assert OURS["BLEU"].score_from_stats(docs) == OURS["BLEU"].score_from_stats(rows)
    seg_ci = stats.bootstrap_ci(OURS["BLEU"], rows)
    doc_ci = stats.bootstrap_ci(OURS["BLEU"], docs)
    ref, hyps = wmt23()
    score = BLEU().corpus_score(hyps["ONLINE-A"], [ref]).score
    assert doc_ci.ci95[0] < score < doc_ci.ci95[1]
    assert doc_ci.half_width != seg_ci.half_width


@pytest.mark.parametrize(("ids", "message"), [([1, 2, 1], "contiguous"), ([1, 2], "one block id")])
def test_block_stats_rejects_bad_ids(ids, message):
    with pytest.raises(UsageError, match=message):
        stats.block_stats(np.ones((3, 2)), ids)


def test_invalid_arguments_raise_usage_errors():
    ter = OURS["TER"]
    with pytest.raises(UsageError, match="same shape"):
        stats.paired_bootstrap(ter, np.ones((3, 2)), np.ones((4, 2)))
    with pytest.raises(UsageError, match="non-empty 2-D"):
        stats.bootstrap_ci(ter, np.ones(3))
    with pytest.raises(UsageError, match="non-empty 2-D"):
        stats.bootstrap_ci(ter, np.ones((0, 2)))
    with pytest.raises(UsageError, match="at least one"):
        stats.bootstrap_scores(ter, np.ones((3, 2)), n_samples=0)


class MeanScore:
    """A metric without vectorised scoring (like COMET): the corpus score is the mean row."""

    name = "mean"
    higher_is_better = True

    def score_from_stats(self, stats):
        return float(np.asarray(stats, dtype=np.float64)[:, 0].mean())


def test_metrics_without_vectorised_scoring_give_the_same_results():
    # BLEU statistics scored row-wise through score_from_stats only.
    class RowWiseBleu:
        name, higher_is_better = "bleu", True

        def score_from_stats(self, rows):
            return OURS["BLEU"].score_from_stats(rows)

    base = segment_stats("BLEU", "GPT4-5shot", 300)
    cand = segment_stats("BLEU", "ONLINE-A", 300)
    for test in (stats.paired_bootstrap, stats.paired_randomization):
        fast = test(OURS["BLEU"], base, cand, 200)
        slow = test(RowWiseBleu(), base, cand, 200)
        assert fast.p_value == slow.p_value
        assert fast.delta_ci.mean == pytest.approx(slow.delta_ci.mean, abs=1e-9)


def test_segment_level_scores_resample_as_a_mean():
    scores = np.random.default_rng(5).random((500, 1))
    ci = stats.bootstrap_ci(MeanScore(), scores)
    idx = np.random.default_rng(12345).choice(500, size=(1000, 500), replace=True)
    expected = scores[:, 0][idx].mean(axis=1)
    assert ci.mean == pytest.approx(expected.mean(), abs=1e-12)
    assert ci.percentile_lo == pytest.approx(np.sort(expected)[25], abs=1e-12)


def test_shared_draws_equal_one_call_per_metric():
    items = [(OURS[m], segment_stats(m, "ONLINE-A", 300)) for m in ("BLEU", "chrF2", "TER")]
    items.append((MeanScore(), np.random.default_rng(1).random((300, 1))))
    items.append((OURS["BLEU"], segment_stats("BLEU", "ONLINE-A", 250)))  # its own draws
    shared = stats.bootstrap_cis(items, n_samples=200, seed=7)
    assert shared == [stats.bootstrap_ci(m, rows, 200, 7) for m, rows in items]


def test_shared_paired_draws_equal_one_call_per_pair():
    items = [(OURS[m], segment_stats(m, "GPT4-5shot", 300), segment_stats(m, s, 300))
             for m in ("BLEU", "chrF2") for s in ("ONLINE-A", "NLLB_Greedy")]
    shared = stats.paired_bootstraps(items, n_samples=200, seed=3)
    assert shared == [stats.paired_bootstrap(m, b, c, 200, 3) for m, b, c in items]


def test_chunks_scored_on_a_thread_keep_the_stream(monkeypatch):
    rows = segment_stats("chrF2", "ONLINE-A", LINES)
    whole = stats.bootstrap_scores(OURS["chrF2"], rows, 300)
    monkeypatch.setattr(stats, "_CHUNK_CELLS", LINES * 7)  # 43 chunks, scored while drawing
    np.testing.assert_array_equal(stats.bootstrap_scores(OURS["chrF2"], rows, 300), whole)
