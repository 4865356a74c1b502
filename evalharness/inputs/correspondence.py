"""Do two plain files correspond line by line? The test behind ``--format auto``.

Equal line counts are not evidence: two documents with a headline, a blank line
and one paragraph per line often have the same number of lines. Line ``i`` of
one file corresponds to line ``i`` of the other when the *diagonal* pairing is
clearly more similar than the pairings shifted by one to three lines:
translations of the same sentence share names, numbers and word stems, while a
neighbouring sentence shares only what any two sentences of the language share.
Similarity is the character n-gram F-score of
:func:`evalharness.align.sentences.pair_similarities` (chrF, beta 1).

When that test is not clear, the sentence aligner decides: if its own result
on the lines is the diagonal, pairing by position gives the same pairs
(:func:`aligner_keeps_diagonal`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_SHIFT = 3
"""Shifts ``-MAX_SHIFT..-1`` and ``1..MAX_SHIFT`` are compared with the diagonal."""
MIN_MARGIN = 0.03
"""The diagonal's mean similarity must beat the best shift's by at least this much ..."""
MIN_RATIO = 1.5
"""... and be at least this many times as high."""
MIN_WINS = 0.6
"""Share of compared lines whose own partner beats every shifted candidate."""
SAMPLE_LINES = 2000
"""Larger files are judged on this many evenly spread lines (the result is deterministic)."""
ALIGN_MAX_LINES = 5000
"""The aligner is asked only about files up to this many lines."""


@dataclass(frozen=True)
class Correspondence:
    """How well line ``i`` of a reference matches line ``i`` of a hypothesis.

    Attributes:
        lines: Reference lines compared (non-blank, sampled in large files).
        diagonal: Mean similarity of line ``i`` to line ``i``.
        best_shift: The shift ``s`` (hypothesis line ``i + s``) with the highest mean.
        shifted: That shift's mean similarity.
        wins: Share of lines whose diagonal partner beats every shifted one.
    """

    lines: int
    diagonal: float
    best_shift: int
    shifted: float
    wins: float

    @property
    def corresponds(self) -> bool:
        """True when the diagonal pairing is clearly better than every shifted one."""
        if self.lines == 0:
            return False
        clear = self.diagonal - self.shifted >= MIN_MARGIN
        return clear and self.diagonal >= MIN_RATIO * self.shifted and self.wins >= MIN_WINS

    def describe(self) -> str:
        """One line for the ``info`` stream, e.g. ``line i ~ line i: 0.52 vs 0.18 at shift +1``."""
        return (
            f"similarity of line i to line i {self.diagonal:.2f}, "
            f"to line i{self.best_shift:+d} {self.shifted:.2f}, "
            f"diagonal best on {self.wins:.0%} of {self.lines} lines"
        )


def line_correspondence(ref_lines: Sequence[str], hyp_lines: Sequence[str]) -> Correspondence:
    """Compare the diagonal pairing of two equally long line lists with shifted pairings.

    Blank reference lines are skipped. Lines past either end are left out of a
    shifted pairing (which never favours the diagonal).

    Raises:
        ValueError: if the lists differ in length.
    """
    from evalharness.align.kernels import indexed_similarities

    if len(ref_lines) != len(hyp_lines):
        raise ValueError("line_correspondence needs two lists of the same length")
    n = len(ref_lines)
    rows = np.array([i for i, line in enumerate(ref_lines) if line.strip()], dtype=np.int64)
    if len(rows) > SAMPLE_LINES:
        rows = rows[np.linspace(0, len(rows) - 1, SAMPLE_LINES).astype(np.int64)]
    if len(rows) == 0 or n < 2:
        return Correspondence(len(rows), 0.0, 0, 0.0, 0.0)
    shifts = [s for s in range(-MAX_SHIFT, MAX_SHIFT + 1) if abs(s) < n]
    table = np.full((len(rows), len(shifts)), np.nan)
    # Features once: the sampled reference lines, and the hypothesis lines any shift reaches.
    lo, hi = max(int(rows[0]) - MAX_SHIFT, 0), min(int(rows[-1]) + MAX_SHIFT + 1, n)
    positions = np.arange(len(rows), dtype=np.int64)
    valids = [(rows + s >= 0) & (rows + s < n) for s in shifts]
    sims = indexed_similarities(
        [ref_lines[int(i)] for i in rows],
        hyp_lines[lo:hi],
        [(positions[valid], rows[valid] + s - lo) for s, valid in zip(shifts, valids, strict=True)],
    )
    for k, (valid, values) in enumerate(zip(valids, sims, strict=True)):
        table[valid, k] = values
    centre = shifts.index(0)
    diagonal = table[:, centre]
    others = np.delete(table, centre, axis=1)
    counts = (~np.isnan(others)).sum(axis=0)
    means = np.where(counts > 0, np.nansum(others, axis=0) / np.maximum(counts, 1), -1.0)
    best = int(np.argmax(means))
    wins = diagonal > np.where(np.isnan(others), -1.0, others).max(axis=1)
    # Empty hypothesis lines tie at 0 with everything: they neither win nor lose.
    decided = diagonal > 0
    share = float(wins[decided].mean()) if decided.any() else 0.0
    return Correspondence(
        lines=len(rows),
        diagonal=float(diagonal.mean()),
        best_shift=[s for s in shifts if s != 0][best],
        shifted=max(float(means[best]), 0.0),
        wins=share,
    )


def aligner_keeps_diagonal(ref_lines: Sequence[str], hyp_lines: Sequence[str]) -> bool:
    """True when aligning the non-blank lines pairs every line ``i`` with line ``i``.

    Blank lines must be blank in both files. Files longer than
    :data:`ALIGN_MAX_LINES` are not aligned (False).
    """
    from evalharness.align.sentences import align_sentences
    from evalharness.records import Sentence

    if len(ref_lines) != len(hyp_lines) or len(ref_lines) > ALIGN_MAX_LINES:
        return False
    rows = [i for i, line in enumerate(ref_lines) if line.strip()]
    if not rows or rows != [i for i, line in enumerate(hyp_lines) if line.strip()]:
        return False

    def sentences(lines: Sequence[str]) -> list[Sentence]:
        return [Sentence(text=lines[i].strip(), start=0, end=0, line=i + 1) for i in rows]

    ref, hyp = sentences(ref_lines), sentences(hyp_lines)
    segments = align_sentences(ref, hyp)
    return len(segments) == len(rows) and all(
        len(seg.ref) == 1 and len(seg.hyp) == 1 and seg.ref[0].line == seg.hyp[0].line
        for seg in segments
    )
