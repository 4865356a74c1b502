"""The compiled n-gram counts equal sacrebleu's Counter intersections."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from evalharness.metrics.lexical import ngram_kernels as ngram_fast


def _counter_stats(hyp: list[int], ref: list[int], order: int) -> list[int]:
    """[hyp n-grams, ref n-grams, clipped matches] per order, the way sacrebleu counts them."""
    out = []
    for n in range(1, order + 1):
        h = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
        r = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
        out += [sum(h.values()), sum(r.values()), sum(min(c, r[g]) for g, c in h.items())]
    return out


def _flat(seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(seqs) + 1, np.int64)
    np.cumsum([len(s) for s in seqs], out=offsets[1:])
    return np.array([t for s in seqs for t in s], np.int64), offsets


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("order", [1, 4, 6])
def test_random_sequences_equal_counter_intersections(packed, order):
    rng = random.Random(order * 10 + packed)
    pairs = []
    for _ in range(500):
        vocab = rng.choice([1, 2, 3, 10, 1000, 2**40])
        pairs.append(([rng.randrange(vocab) for _ in range(rng.randrange(0, 40))],
                      [rng.randrange(vocab) for _ in range(rng.randrange(0, 40))]))
    hyp_ids, hyp_off = _flat([h for h, _ in pairs])
    ref_ids, ref_off = _flat([r for _, r in pairs])
    ours = ngram_fast.pair_counts(hyp_ids, hyp_off, ref_ids, ref_off, order, packed=packed)
    assert ours.tolist() == [_counter_stats(h, r, order) for h, r in pairs]


def test_a_vocabulary_too_large_to_pack_takes_the_general_path():
    # 3,000 distinct characters need 12 bits each: 6 orders do not fit in 62 bits.
    rng = random.Random(3)
    hyp = list(range(3000)) + [rng.randrange(3000) for _ in range(500)]
    ref = [rng.randrange(3000) for _ in range(2000)]
    hyp_ids, hyp_off = _flat([hyp])
    ref_ids, ref_off = _flat([ref])
    ours = ngram_fast.pair_counts(hyp_ids, hyp_off, ref_ids, ref_off, 6)
    assert ours.tolist() == [_counter_stats(hyp, ref, 6)]


def test_token_and_char_ids():
    ids, offsets = ngram_fast.token_ids([["a", "b"], [], ["b", "c", "a"]])
    assert offsets.tolist() == [0, 2, 2, 5]
    assert ids[0] == ids[4] and ids[1] == ids[2] and len({ids[0], ids[1], ids[3]}) == 3
    ids, offsets = ngram_fast.char_ids(["aé", "", "😀a"])
    assert offsets.tolist() == [0, 2, 2, 4]
    assert ids.tolist() == [ord("a"), ord("é"), ord("😀"), ord("a")]
