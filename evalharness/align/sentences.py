"""Monotonic sentence alignment of a hypothesis to a reference.

:func:`align_sentences` finds the best monotonic path through the (reference x
hypothesis) sentence grid with the moves 1-1, 1-2, 2-1, 2-2, 1-0 and 0-1 by
dynamic programming. A move scores the similarity of the texts it pairs (see
:func:`sentence_similarity`), weighted by the number of sentences it covers,
less the similarity the sentences have by chance, a baseline, a Gale-Church
length cost and a merge penalty; a skip (1-0, 0-1) costs a small penalty, none
for text that cleaning removed. A merge must be more similar than each of its
sentence pairs. Afterwards a 2-2 whose sentence boundaries agree (both diagonal
pairs good, both crossing pairs clearly worse) becomes two 1-1 segments.

The grid is searched in a band around an expected path. The expected path
comes from anchors: rare character 6-grams shared by a reference and a
hypothesis sentence, of which the longest monotonic chain is kept and
interpolated. Where the best path runs along the band's edge, the band is
re-centred on that path and doubled around those rows, so a wrong guess costs
one more pass, not a wrong alignment.

The similarity is chrF with beta = 1 (character 1- to 6-grams, whitespace
removed): symmetric, in 0..1. N-grams are hashed to 64-bit keys and compared
with numba. The overlap of every sentence pair in the band is computed once; a
merge move is first bounded from above by the sum of its pairwise overlaps,
and its exact overlap (n-gram counts of the merged sentences) is computed only
when that bound could beat the best move so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evalharness.align.band import _anchor_centre, _band, _edge_rows, _path_centre, _widen
from evalharness.align.dp import _MOVE_22, _MOVES, _backtrack, _banded_dp, _kernel_args
from evalharness.align.kernels import (
    ORDER,
    _band_overlaps,
    _chance_similarity,
    _Features,
    _features,
    _pair_similarities,
    _similarities,
    is_small,
)
from evalharness.errors import InputError, UsageError
from evalharness.lazyjit import interpreted_kernels
from evalharness.records import AlignedSegment, Sentence

__all__ = [
    "ORDER",
    "AlignParams",
    "align_by_position",
    "align_sentences",
    "pair_similarities",
    "sentence_similarity",
]

_DEFAULT_BAND = 8
_MAX_BAND_CELLS = 6_000_000  # stop widening beyond this many cells in all
_MAX_ROUNDS = 6  # band passes at most


@dataclass(frozen=True)
class AlignParams:
    """Scoring of the alignment moves.

    A content move scores
    ``weight * (similarity - chance_weight * chance - baseline) - penalty - length``
    where ``weight`` is half the number of sentences it covers, ``chance`` the
    mean similarity of its sentences to their other neighbours in the band, and
    ``length`` the capped, weighted Gale-Church cost. A merge must therefore
    match better than the 1-1 alignment it replaces plus a skip. The defaults
    were chosen on WMT23 documents with random merges, splits, drops and
    insertions (``bench/align.py``) and checked by hand on the seed pair.

    Attributes:
        baseline: Similarity of unrelated sentences; pairs below it score negative.
        merge_penalty: Penalty of a 1-2 or 2-1 move.
        merge22_penalty: Penalty of a 2-2 move.
        skip_penalty: Penalty of a 1-0 or 0-1 move (none for removed sentences).
        length_weight: Weight of the Gale-Church length cost.
        length_variance: Gale-Church variance per character.
        length_cap: Upper bound of the length cost (in nats), so that a very short
            or very long translation is not forced out of its pair.
        chance_weight: Weight of the chance similarity.
        merge_gain: A merge must be more similar than the best of its sentence
            pairs by more than this, or it is not considered: an unrelated
            sentence lowers the similarity of the sentences it joins.
        split_margin: A 2-2 segment becomes two 1-1 segments when both diagonal
            pairs would score as 1-1 moves and each is more similar than both
            crossing pairs by this margin: the sentence boundaries agree, so
            nothing crosses them.
    """

    baseline: float = 0.2
    merge_penalty: float = 0.2
    merge22_penalty: float = 0.6
    skip_penalty: float = 0.15
    length_weight: float = 0.02
    length_variance: float = 6.8
    length_cap: float = 10.0
    chance_weight: float = 1.0
    merge_gain: float = 0.0
    split_margin: float = 0.1

    def as_array(self, ratio: float) -> np.ndarray:
        """The parameters as the float array the DP kernel reads."""
        return np.array(
            [self.baseline, self.merge_penalty, self.merge22_penalty, self.skip_penalty,
             self.length_weight, self.length_variance, ratio, self.length_cap, self.chance_weight,
             self.merge_gain],
            dtype=np.float64,
        )  # fmt: skip


def pair_similarities(a_texts: Sequence[str], b_texts: Sequence[str]) -> list[float]:
    """:func:`sentence_similarity` of ``a_texts[k]`` and ``b_texts[k]`` for every k, in one pass."""
    if len(a_texts) != len(b_texts):
        raise ValueError("pair_similarities needs two lists of the same length")
    return [float(v) for v in _similarities(a_texts, b_texts)]


def sentence_similarity(a: str, b: str) -> float:
    """Character n-gram similarity of two texts, in 0..1, symmetric.

    Equal to sacrebleu's sentence chrF with ``beta=1`` (orders 1..6, no word
    n-grams, whitespace ignored) divided by 100; 1.0 for identical texts, 0.0
    when either text has no characters.
    """
    return float(_similarities([a], [b])[0])


def align_sentences(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    *,
    band: int | None = None,
    params: AlignParams | None = None,
) -> tuple[AlignedSegment, ...]:
    """Align hypothesis sentences to reference sentences monotonically.

    Every sentence of both sides lands in exactly one segment, in order; segment
    ids run 0..n-1. Sentences with ``removed`` set become their own 1-0 or 0-1
    segments and are never merged with content.

    Args:
        ref: Reference sentences in document order.
        hyp: Hypothesis sentences in document order.
        band: Initial half-width of the search band in sentences (default 8);
            where the best path runs along the band's edge, the band is
            re-centred on the path and doubled around those rows, and the
            search runs again.
        params: Move scoring; :class:`AlignParams` defaults when ``None``.

    Returns:
        The aligned segments; ``similarity`` is :func:`sentence_similarity` of
        the joined texts (0.0 for one-sided segments).

    Raises:
        UsageError: if ``band`` is smaller than 1.
    """
    if band is not None and band < 1:
        raise UsageError(f"alignment band must be at least 1, got {band}")
    params = params or AlignParams()
    ref_texts, hyp_texts = [s.text for s in ref], [s.text for s in hyp]
    # A few short sentences: the kernels run interpreted, sparing numba's start-up.
    with interpreted_kernels(is_small(ref_texts, hyp_texts)):
        fr, fh = _features(ref_texts), _features(hyp_texts)
        path, r_chance, h_chance = _best_path(ref, hyp, fr, fh, band or _DEFAULT_BAND, params)
        path = _split_crossing_free(path, fr, fh, r_chance, h_chance, params)
        return _segments(ref, hyp, path, fr, fh)


def _best_path(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    fr: _Features,
    fh: _Features,
    band: int,
    params: AlignParams,
) -> tuple[list[tuple[int, int, int]], np.ndarray, np.ndarray]:
    """The DP's best path, with the chance similarities of each side in its last band.

    The band starts ``band`` sentences either side of the anchors' expected
    path; while the best path runs along its edge (and the band is not too
    large), it is re-centred on the path, widened there, and searched again.
    """
    n, m = len(ref), len(hyp)
    r_rm = np.array([s.removed is not None for s in ref], dtype=np.bool_)
    h_rm = np.array([s.removed is not None for s in hyp], dtype=np.bool_)
    ratio = (fh.lengths.sum() + 1.0) / (fr.lengths.sum() + 1.0)
    width = np.full(n + 1, band, dtype=np.int64)
    centre = _anchor_centre(fr, fh) if n and m else np.zeros(n + 1, dtype=np.int64)
    r_args, h_args = _kernel_args(fr), _kernel_args(fh)
    none = np.zeros(0, dtype=np.int64)
    lo, hi, off, ov = none, none, none, np.zeros((0, ORDER), dtype=np.int64)
    for _round in range(_MAX_ROUNDS):
        old = (lo, hi, off, ov)
        lo, hi, off = _band(centre, m, width)
        ov = _band_overlaps(
            fr.keys, fr.counts, fr.indptr, fh.keys, fh.counts, fh.indptr, lo, hi, off, *old
        )
        r_chance, h_chance = _chance_similarity(ov, off, lo, hi, fr.totals, fh.totals)
        move = _banded_dp(
            r_args, h_args, r_chance, h_chance, r_rm, h_rm, lo, hi, off, ov,
            params.as_array(ratio),
        )  # fmt: skip
        path = _backtrack(move, off, lo, n, m)
        edge = _edge_rows(path, lo, hi, m)
        if not edge or off[-1] > _MAX_BAND_CELLS:
            break
        # Re-centre on the path; double the width around each place it ran along the edge.
        centre = _path_centre(path, n)
        width = _widen(width, edge, m)
    return path, r_chance, h_chance


def _split_crossing_free(
    path: list[tuple[int, int, int]],
    fr: _Features,
    fh: _Features,
    r_chance: np.ndarray,
    h_chance: np.ndarray,
    params: AlignParams,
) -> list[tuple[int, int, int]]:
    """Replace each 2-2 move whose sentence boundaries agree by two 1-1 moves.

    The merged texts of a 2-2 move share more n-grams by chance than its two
    pairs do, so the DP takes it even where the second reference sentence
    plainly starts where the second hypothesis sentence does. When both
    diagonal pairs score as 1-1 moves and each beats both crossing pairs by
    ``split_margin``, nothing crosses the boundary and two 1-1 segments say so.
    """
    moves22 = [(i, j) for i, j, mv in path if mv == _MOVE_22]
    if not moves22:
        return path
    ia, ib = [], []
    for i, j in moves22:  # diagonal 1, diagonal 2, crossing 1-2, crossing 2-1
        ia += [i - 2, i - 1, i - 2, i - 1]
        ib += [j - 2, j - 1, j - 1, j - 2]
    sims = _pair_similarities(
        fr.keys, fr.counts, fr.indptr, fr.totals, fh.keys, fh.counts, fh.indptr, fh.totals,
        np.array(ia, dtype=np.int64), np.array(ib, dtype=np.int64),
    ).reshape(-1, 4)  # fmt: skip
    split = set()
    for (i, j), (d1, d2, c1, c2) in zip(moves22, sims, strict=True):
        good = all(
            d - params.chance_weight * 0.5 * (r_chance[a] + h_chance[b]) - params.baseline > 0
            for d, a, b in ((d1, i - 2, j - 2), (d2, i - 1, j - 1))
        )
        if good and min(d1, d2) >= max(c1, c2) + params.split_margin:
            split.add((i, j))
    out = []
    for i, j, mv in path:
        if mv == _MOVE_22 and (i, j) in split:
            out += [(i - 1, j - 1, 1), (i, j, 1)]
        else:
            out.append((i, j, mv))
    return out


def _segments(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    path: list[tuple[int, int, int]],
    fr: _Features,
    fh: _Features,
) -> tuple[AlignedSegment, ...]:
    """Segments of the path, with the similarity of their joined texts."""
    groups = []
    sims = np.zeros(len(path))
    single_k, single_r, single_h, merged_k = [], [], [], []
    for k, (i, j, mv) in enumerate(path):
        di, dj = int(_MOVES[mv, 0]), int(_MOVES[mv, 1])
        groups.append((tuple(ref[i - di : i]), tuple(hyp[j - dj : j])))
        if di == 1 and dj == 1:  # the sentence features already hold the pair
            single_k.append(k)
            single_r.append(i - 1)
            single_h.append(j - 1)
        elif di and dj:
            merged_k.append(k)
    if single_k:
        sims[single_k] = _pair_similarities(
            fr.keys, fr.counts, fr.indptr, fr.totals, fh.keys, fh.counts, fh.indptr, fh.totals,
            np.array(single_r, dtype=np.int64), np.array(single_h, dtype=np.int64),
        )  # fmt: skip
    if merged_k:
        sims[merged_k] = _similarities(
            [" ".join(s.text for s in groups[k][0]) for k in merged_k],
            [" ".join(s.text for s in groups[k][1]) for k in merged_k],
        )
    return tuple(
        AlignedSegment(id=k, ref=r, hyp=h, similarity=float(sims[k]))
        for k, (r, h) in enumerate(groups)
    )


def align_by_position(
    ref: Sequence[Sentence],
    hyp: Sequence[Sentence],
    src: Sequence[Sentence] | None = None,
    first_id: int = 0,
) -> tuple[AlignedSegment, ...]:
    """Pair line-aligned inputs one to one (segment k = line k of each side).

    Segment ids start at ``first_id`` (for callers that pair a long file in chunks).

    Raises:
        InputError: if the sides have different numbers of segments.
    """
    if len(ref) != len(hyp) or (src is not None and len(src) != len(ref)):
        counts = f"{len(ref)} reference, {len(hyp)} hypothesis"
        if src is not None:
            counts += f", {len(src)} source"
        raise InputError(f"line-aligned inputs differ in length: {counts} segments")
    sims = _similarities([s.text for s in ref], [s.text for s in hyp])
    return tuple(
        AlignedSegment(
            id=first_id + k,
            ref=(ref[k],),
            hyp=(hyp[k],),
            src=(src[k],) if src is not None else (),
            similarity=float(sims[k]),
        )
        for k in range(len(ref))
    )
