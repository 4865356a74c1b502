"""Multi-reference BLEU and chrF statistics from the compiled kernels equal sacrebleu's."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
import sacrebleu

from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, LexicalMetric, TerMetric
from evalharness.metrics.lexical.multiref import closest_ref_lengths

HE = Path(__file__).resolve().parent / "data" / "wmt23" / "en-he"


def read(kind: str) -> list[str]:
    return (HE / f"generaltest2023.en-he.{kind}").read_text(encoding="utf-8").split("\n")[:-1]


def random_streams(seed: int, n: int = 300) -> tuple[list[str], list[list[str | None]]]:
    rng = random.Random(seed)
    words = ["a", "b", "c", "d", "the", "cat", "sat", "on", "mat", ".", ",", "x", "y"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, 10)))

    hyps = [text() for _ in range(n)]
    first: list[str | None] = [text() for _ in range(n)]
    second: list[str | None] = [text() if rng.random() > 0.3 else None for _ in range(n)]
    third: list[str | None] = [text() if rng.random() > 0.6 else None for _ in range(n)]
    return hyps, [first, second, third]


METRICS = {
    "bleu": lambda: BleuMetric(n_bootstrap=0, n_jobs=1),
    "bleu-char": lambda: BleuMetric(tokenize="char", n_bootstrap=0, n_jobs=1),
    "chrf": lambda: ChrfMetric(n_bootstrap=0, n_jobs=1),
    "chrf++": lambda: ChrfMetric(word_order=2, n_bootstrap=0, n_jobs=1),
}


@pytest.mark.parametrize("name", sorted(METRICS))
@pytest.mark.parametrize("case", ["en-he", "en-he-swapped", "random-variable"])
def test_statistics_equal_sacrebleus_extraction(name: str, case: str) -> None:
    metric: LexicalMetric = METRICS[name]()
    if case == "random-variable":
        hyps, streams = random_streams(7)
    else:
        a, b = read("ref.refA.he"), read("ref.refB.he")
        hyps, streams = read("hyp.GPT4-5shot.he"), ([a, b] if case == "en-he" else [b, a])
    ours = metric.segment_statistics(hyps, streams)
    theirs = np.asarray(metric._rows(list(hyps), [list(s) for s in streams]))
    np.testing.assert_array_equal(ours, theirs)


def test_en_he_two_references_match_sacrebleu_corpus_and_sentences() -> None:
    hyps, a, b = read("hyp.GPT4-5shot.he"), read("ref.refA.he"), read("ref.refB.he")
    for metric, corpus, sentence in (
        (BleuMetric(n_bootstrap=0), sacrebleu.corpus_bleu, sacrebleu.sentence_bleu),
        (ChrfMetric(n_bootstrap=0), sacrebleu.corpus_chrf, sacrebleu.sentence_chrf),
    ):
        result = metric.compute_multi(hyps, [a, b])
        assert result.signature.startswith("nrefs:2|")
        assert result.score == pytest.approx(corpus(hyps, [a, b]).score, abs=1e-6)
        expected = [sentence(h, [x, y]).score for h, x, y in zip(hyps, a, b, strict=True)]
        np.testing.assert_allclose(result.segment_scores, expected, atol=1e-6, rtol=0)
    ter = TerMetric(n_bootstrap=0).compute_multi(hyps, [a, b])
    assert ter.score == pytest.approx(sacrebleu.corpus_ter(hyps, [a, b]).score, abs=1e-6)
    assert ter.signature.startswith("nrefs:2|")


def test_two_references_score_higher_than_either_alone() -> None:
    hyps, a, b = read("hyp.GPT4-5shot.he"), read("ref.refA.he"), read("ref.refB.he")
    bleu = BleuMetric(n_bootstrap=0)
    both = bleu.compute_multi(hyps, [a, b]).score
    assert both is not None
    assert both > max(bleu.compute(hyps, a).score or 0, bleu.compute(hyps, b).score or 0)


def test_closest_reference_length_prefers_the_shorter_on_a_tie() -> None:
    lengths = closest_ref_lengths(np.array([10, 10, 3]), [[8, 12], [12, 9], [0]])
    assert lengths.tolist() == [8, 9, 0]
