"""Benchmark: align two ~10k-sentence documents built from WMT23 zh-en.

The reference is WMT23 refA five times over (9,880 sentences); the hypothesis
is the three systems' outputs in turn, re-cut at random: about 3% each of
adjacent lines merged (2-1), lines split in two at a word boundary (1-2),
lines dropped (1-0) and unrelated lines inserted (0-1). The five copies make
every reference sentence occur five times, which is harder for the anchors
than a real document.

Printed, as Markdown: the time of ``align_sentences`` after a warm-up that
compiles the numba kernels (the issue asks for under 5 s), the share of the
ground-truth segments recovered, and two reference figures measured in the
same run: sacrebleu's ``sentence_chrf`` on the 10k one-to-one pairs (the
similarity the aligner computes for every pair in its band), and an unbanded
(full-grid) alignment of a 1,000-sentence slice against the banded one.

Usage: .venv/bin/python bench/align.py [--copies 5] [--seed 1] [--rate 0.03]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
import sacrebleu  # noqa: E402

sys.path.insert(0, str(HERE))
from _util import parse_args, table, wmt_dir  # noqa: E402

from evalharness.align.sentences import align_sentences  # noqa: E402
from evalharness.records import Sentence  # noqa: E402

SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")
Truth = set[tuple[tuple[int, ...], tuple[int, ...]]]


def read_lines(name: str) -> list[str]:
    return (wmt_dir() / name).read_text(encoding="utf-8").split("\n")[:1976]


def perturb(
    ref: list[str], hyp: list[str], junk: list[str], rng: random.Random, rate: float
) -> tuple[list[str], list[str], Truth]:
    """Re-split a line-aligned pair; returns new ref, new hyp and the true segments."""
    new_ref: list[str] = []
    new_hyp: list[str] = []
    truth: Truth = set()

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
        u = rng.random() / rate if rate else 10.0
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
    out, start = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(text, start, start + len(text), k + 1))
        start += len(text) + 1
    return out


def build(copies: int, seed: int, rate: float) -> tuple[list[str], list[str], Truth]:
    rng = random.Random(seed)
    ref_lines = read_lines("generaltest2023.zh-en.ref.refA.en")
    ref: list[str] = []
    hyp: list[str] = []
    truth: Truth = set()
    for copy in range(copies):
        hyp_lines = read_lines(f"generaltest2023.zh-en.hyp.{SYSTEMS[copy % 3]}.en")
        junk = read_lines(f"generaltest2023.zh-en.hyp.{SYSTEMS[(copy + 1) % 3]}.en")
        r, h, t = perturb(ref_lines, hyp_lines, junk, rng, rate)
        truth |= {
            (tuple(x + len(ref) for x in rs), tuple(y + len(hyp) for y in hs)) for rs, hs in t
        }
        ref += r
        hyp += h
    return ref, hyp, truth


def recovered(segments: tuple, truth: Truth) -> float:  # type: ignore[type-arg]
    found = {(tuple(s.line - 1 for s in g.ref), tuple(s.line - 1 for s in g.hyp)) for g in segments}
    return len(found & truth) / len(truth)


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.03, help="rate of each perturbation")
    parser.add_argument("--slice", type=int, default=1000, help="sentences of the unbanded run")
    args = parse_args(parser)
    ref, hyp, truth = build(args.copies, args.seed, args.rate)
    ref_s, hyp_s = sentences(ref), sentences(hyp)
    align_sentences(ref_s[:50], hyp_s[:50])  # compile the kernels
    segments, seconds = timed(align_sentences, ref_s, hyp_s)

    pairs = [
        (r, h) for rs, hs in truth if len(rs) == len(hs) == 1 for r, h in [(ref[rs[0]], hyp[hs[0]])]
    ]
    _, chrf_seconds = timed(lambda: [sacrebleu.sentence_chrf(h, [r], beta=1) for r, h in pairs])

    n = args.slice
    # the hypothesis sentences that render the first n reference sentences
    cut = 1 + max(h for rs, hs in truth if rs and max(rs) < n for h in hs)
    slice_truth = {
        (rs, hs) for rs, hs in truth if all(r < n for r in rs) and all(h < cut for h in hs)
    }
    slice_ref, slice_hyp = ref_s[:n], hyp_s[:cut]
    banded, banded_seconds = timed(align_sentences, slice_ref, slice_hyp)
    full, full_seconds = timed(align_sentences, slice_ref, slice_hyp, band=len(slice_hyp))

    print(f"Reference {len(ref):,} sentences, hypothesis {len(hyp):,} sentences "
          f"(WMT23 zh-en, {args.copies} copies, seed {args.seed}, rate {args.rate}).")  # fmt: skip
    print()
    print(table([
        ["measurement", "seconds", "ratio"],
        [f"align_sentences, {len(ref):,} x {len(hyp):,} (banded)", f"{seconds:.2f}", "1.00"],
        [f"sacrebleu sentence_chrf, {len(pairs):,} one-to-one pairs", f"{chrf_seconds:.2f}",
         f"{seconds / chrf_seconds:.2f}"],
        [f"align_sentences, {n:,} x {cut:,} (banded)", f"{banded_seconds:.2f}", ""],
        [f"align_sentences, {n:,} x {cut:,} (unbanded, full grid)", f"{full_seconds:.2f}",
         f"{full_seconds / banded_seconds:.1f}x the banded run"],
    ]))  # fmt: skip
    print()

    def key(segs: tuple) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:  # type: ignore[type-arg]
        return {(tuple(s.line for s in g.ref), tuple(s.line for s in g.hyp)) for g in segs}

    same = len(key(banded) & key(full))
    print(
        f"- {len(segments):,} segments; ground-truth segments recovered: "
        f"{recovered(segments, truth):.1%}; target under 5 s: {'met' if seconds < 5 else 'MISSED'}."
    )
    print(f"- the banded and the unbanded run share {same} of {len(full)} segments; ground truth "
          f"recovered on the slice: banded {recovered(banded, slice_truth):.1%}, "
          f"unbanded {recovered(full, slice_truth):.1%}.")  # fmt: skip


if __name__ == "__main__":
    main()
