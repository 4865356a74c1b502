"""The compiled TER search gives sacrebleu's exact edit counts."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.metrics import TER
from sacrebleu.metrics.lib_ter import translation_edit_rate

from evalharness.metrics.lexical import ter_kernels as ter_fast
from evalharness.metrics.lexical.adapters import TerMetric

WMT23 = Path(__file__).resolve().parent / "data" / "wmt23_zhen"
SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")


def _sacrebleu_edits(pairs):
    return [translation_edit_rate(list(h), list(r))[0] for h, r in pairs]


def _tokenized(hyps, refs, **params):
    tokenizer = TER(**params)._preprocess_segment
    return [(tokenizer(h).split(), tokenizer(r).split()) for h, r in zip(hyps, refs, strict=True)]


@pytest.mark.parametrize(("hyp", "ref", "edits"), [
    ("", "", 0),
    ("", "a b c", 3),
    ("a b c", "", 3),
    ("a b c", "a b c", 0),
    ("d e f g h a b c", "a b c d e f g h", 1),  # one shift of a block
    ("a b c d", "a x c d", 1),
    ("the the the the", "the", 3),
])
def test_small_cases(hyp, ref, edits):
    pair = (hyp.split(), ref.split())
    assert ter_fast.pair_edits([pair]).tolist() == [edits] == _sacrebleu_edits([pair])


def test_wmt23_sample_equals_live_sacrebleu():
    # Every 6th vendored line of each system (351 segments); bench/ter.py checks all 5,928 lines.
    ref = (WMT23 / "generaltest2023.zh-en.ref.refA.en").read_text(encoding="utf-8").splitlines()
    pairs = []
    for system in SYSTEMS:
        hyp = (WMT23 / f"generaltest2023.zh-en.hyp.{system}.en").read_text(
            encoding="utf-8").splitlines()
        pairs += _tokenized(hyp[::6], ref[::6])
    assert len(pairs) == 3 * 117
    assert ter_fast.pair_edits(pairs).tolist() == _sacrebleu_edits(pairs)


def _random_sentence(rng: random.Random, vocab_size: int, length: int) -> list[str]:
    return [f"w{rng.randrange(vocab_size)}" for _ in range(length)]


def test_random_short_sentences_equal_live_sacrebleu():
    rng = random.Random(20240611)
    pairs = []
    for _ in range(400):
        vocab = rng.choice([2, 4, 8, 30])  # small vocabularies force repeats and shifts
        pairs.append((_random_sentence(rng, vocab, rng.randrange(0, 16)),
                      _random_sentence(rng, vocab, rng.randrange(0, 16))))
    assert ter_fast.pair_edits(pairs).tolist() == _sacrebleu_edits(pairs)


@pytest.mark.parametrize(("vocab", "n_hyp", "n_ref"), [
    (3, 2, 120),    # length ratio 60: sacrebleu widens the beam
    (3, 120, 2),
    (3, 70, 70),    # highly repetitive: hits the 1000 shift-candidate cap
    (50, 60, 75),   # longer than the shift distance and beam width
    (1, 30, 30),
])
def test_extreme_shapes_equal_live_sacrebleu(vocab, n_hyp, n_ref):
    rng = random.Random(vocab * 1000 + n_hyp)
    pairs = [(_random_sentence(rng, vocab, n_hyp), _random_sentence(rng, vocab, n_ref))
             for _ in range(3)]
    assert ter_fast.pair_edits(pairs).tolist() == _sacrebleu_edits(pairs)


def test_tokenizer_options_go_through_sacrebleus_preprocessing():
    hyps = ["Jim's car, it's (really) red!", "美众院公布对特朗普的调查", "A&amp;B &quot;x&quot;"]
    refs = ["jim 's car is red .", "美众院 公布 调查", "a & b \"x\""]
    for params in ({}, {"normalized": True}, {"no_punct": True},
                   {"normalized": True, "asian_support": True}, {"case_sensitive": True}):
        metric = TerMetric(n_bootstrap=0, **params)
        metric.small_input_segments = 0  # the compiled search even for three segments
        ours = metric.compute(hyps, refs)
        theirs = TER(**params)
        assert ours.score == theirs.corpus_score(hyps, [refs]).score
        assert ours.signature == str(theirs.get_signature())


def test_engines_agree_on_statistics():
    hyps = ["the cat sat on the mat", "", "a b c d e f", "on the mat the cat sat"]
    refs = ["the cat is on the mat", "x y", "f e d c b a", "the cat sat on the mat"]
    compiled = TerMetric(n_bootstrap=0)
    compiled.small_input_segments = 0
    fast = compiled.compute_multi(hyps, [refs, hyps])
    slow = TerMetric(engine="sacrebleu", n_bootstrap=0).compute_multi(hyps, [refs, hyps])
    np.testing.assert_array_equal(fast.stats, slow.stats)
    assert fast.segment_scores == slow.segment_scores


def test_undefined_trace_defers_to_sacrebleu(monkeypatch):
    pairs = [(["a", "b", "c"], ["c", "a", "b"]), (["x", "y"], ["y", "x", "z"])]
    monkeypatch.setattr(ter_fast, "batch_edits", lambda *arrays: np.array([-1, 2]))
    assert ter_fast.pair_edits(pairs).tolist() == [_sacrebleu_edits(pairs)[0], 2]


def test_limits_are_sacrebleus():
    from sacrebleu.metrics import lib_ter

    assert (ter_fast.MAX_SHIFT_SIZE, ter_fast.MAX_SHIFT_DIST, ter_fast.BEAM_WIDTH,
            ter_fast.MAX_SHIFT_CANDIDATES) == (lib_ter._MAX_SHIFT_SIZE, lib_ter._MAX_SHIFT_DIST,
                                              lib_ter._BEAM_WIDTH, lib_ter._MAX_SHIFT_CANDIDATES)
    assert lib_ter._COST_INS == lib_ter._COST_DEL == lib_ter._COST_SUB == ter_fast.COST
