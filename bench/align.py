"""Benchmark: align two ~10k-sentence documents (WMT23 zh-en, re-split at random).

The reference is WMT23 refA repeated five times (9,880 sentences); the
hypothesis is the three systems' outputs in turn, with adjacent lines merged,
lines split in two, dropped and unrelated lines inserted. Prints the time of
``align_sentences`` (after a warm-up that compiles the numba kernels) and the
share of ground-truth segments recovered.

Usage: .venv/bin/python bench/align.py [--copies 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from evalharness.align import align_sentences
from evalharness.types import Sentence

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
WMT = DATA / "metric_vectors" / "wmt23_zhen_generaltest_full"
SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")


def read_lines(name: str) -> list[str]:
    return (WMT / name).read_text(encoding="utf-8").split("\n")[:1976]


def perturb(
    ref: list[str], hyp: list[str], junk: list[str], rng: random.Random, rate: float
) -> tuple[list[str], list[str], set[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """Re-split a line-aligned pair; returns new ref, new hyp and the true segments."""
    new_ref: list[str] = []
    new_hyp: list[str] = []
    truth = set()

    def add(r: list[str], h: list[str]) -> None:
        rs = tuple(range(len(new_ref), len(new_ref) + len(r)))
        hs = tuple(range(len(new_hyp), len(new_hyp) + len(h)))
        new_ref.extend(r)
        new_hyp.extend(h)
        truth.add((rs, hs))

    i = 0
    while i < len(ref):
        if rng.random() < rate:
            add([], [rng.choice(junk)])
        u = rng.random() / rate if rate else 1.0
        words = hyp[i].split()
        if u < 1 and i + 1 < len(ref):
            add(ref[i : i + 2], [hyp[i] + " " + hyp[i + 1]])
            i += 2
        elif u < 2 and i + 1 < len(ref):
            add([ref[i] + " " + ref[i + 1]], hyp[i : i + 2])
            i += 2
        elif u < 3 and len(words) >= 6:
            k = rng.randint(len(words) // 3, 2 * len(words) // 3)
            add([ref[i]], [" ".join(words[:k]), " ".join(words[k:])])
            i += 1
        elif u < 4:
            add([ref[i]], [])
            i += 1
        else:
            add([ref[i]], [hyp[i]])
            i += 1
    return new_ref, new_hyp, truth


def sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(t, 0, len(t), k + 1) for k, t in enumerate(texts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.03, help="rate of each perturbation")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ref_lines = read_lines("generaltest2023.zh-en.ref.refA.en")
    ref: list[str] = []
    hyp: list[str] = []
    truth: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    for copy in range(args.copies):
        hyp_lines = read_lines(f"generaltest2023.zh-en.hyp.{SYSTEMS[copy % 3]}.en")
        r, h, t = perturb(ref_lines, hyp_lines, ref_lines, rng, args.rate)
        truth |= {
            (tuple(x + len(ref) for x in rs), tuple(y + len(hyp) for y in hs)) for rs, hs in t
        }
        ref += r
        hyp += h
    align_sentences(sentences(ref[:50]), sentences(hyp[:50]))  # compile the kernels
    start = time.perf_counter()
    segments = align_sentences(sentences(ref), sentences(hyp))
    elapsed = time.perf_counter() - start
    found = {(tuple(s.line - 1 for s in g.ref), tuple(s.line - 1 for s in g.hyp)) for g in segments}
    print(f"reference sentences: {len(ref)}, hypothesis sentences: {len(hyp)}")
    print(f"align_sentences: {elapsed:.2f} s, {len(segments)} segments")
    print(f"ground-truth segments recovered: {len(found & truth) / len(truth):.1%}")


if __name__ == "__main__":
    main()
