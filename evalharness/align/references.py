"""Several references: share the first reference's segmentation, pick the closest per segment.

The first reference defines the segments (its sentences are what the
hypothesis is aligned to). Every further reference is mapped onto those
sentences:

* line formats: line ``i`` of every reference belongs to segment line ``i``
  (equal line counts are required);
* documents: the extra reference's sentences are aligned to the first
  reference's sentences with :func:`~evalharness.align.sentences.align_sentences`.
  A group of extra sentences matched to several first-reference sentences
  belongs to the first of them; extra sentences matched to none join the
  group of the first-reference sentence before them (or the first one).
  Sentences that cleaning removed from the extra reference are left out.

For the error checks each segment is compared with the reference closest to
its hypothesis (character n-gram similarity), so that what agrees with any
reference is no error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from evalharness.errors import InputError
from evalharness.records import AlignedSegment, Sentence

Groups = list[tuple[Sentence, ...]]


def map_reference(
    first: Sequence[Sentence], extra: Sequence[Sentence], line_aligned: bool, path: str
) -> Groups:
    """The extra reference's sentences belonging to each sentence of the first reference.

    Raises:
        InputError: line-aligned references with different line counts.
    """
    if line_aligned:
        if len(extra) != len(first):
            raise InputError(
                f"has {len(extra)} segments but the first reference has {len(first)}; "
                "line-aligned references need equal line counts",
                path,
            )
        return [(s,) for s in extra]
    from evalharness.align.sentences import align_sentences

    groups: list[list[Sentence]] = [[] for _ in first]
    if not first:
        return []
    index = {id(s): i for i, s in enumerate(first)}
    last = 0
    for seg in align_sentences(first, extra):
        if seg.ref:
            last = index[id(seg.ref[0])]
        # Text that cleaning removed (bylines, credits) is no reference content.
        groups[last].extend(s for s in seg.hyp if s.removed is None)
    return [tuple(g) for g in groups]


def attach_references(
    segments: Sequence[AlignedSegment], first: Sequence[Sentence], extras: Sequence[Groups]
) -> tuple[AlignedSegment, ...]:
    """Give each segment every reference's sentences (``refs``) and its closest reference.

    Without extra references the segments come back unchanged.
    """
    if not extras:
        return tuple(segments)
    index = {id(s): i for i, s in enumerate(first)}
    out = []
    for seg in segments:
        positions = [index[id(r)] for r in seg.ref if id(r) in index]
        groups = tuple(tuple(s for i in positions for s in groups[i]) for groups in extras)
        out.append(replace(seg, refs=(seg.ref, *groups)))
    return choose_closest(out)


def choose_closest(segments: Sequence[AlignedSegment]) -> tuple[AlignedSegment, ...]:
    """Set ``closest`` of each segment: the reference most similar to the hypothesis.

    Ties go to the earlier reference; segments without a hypothesis keep 0.
    """
    from evalharness.align.sentences import pair_similarities

    pairs = [
        (k, r, text)
        for k, seg in enumerate(segments)
        if seg.hyp
        for r, text in enumerate(seg.reference_texts())
        if text
    ]
    sims = pair_similarities([t for _, _, t in pairs], [segments[k].hyp_text for k, _, _ in pairs])
    best: dict[int, tuple[float, int]] = {}
    for (k, r, _), sim in zip(pairs, sims, strict=True):
        if k not in best or sim > best[k][0]:
            best[k] = (sim, r)
    return tuple(
        replace(seg, closest=best[k][1]) if k in best else seg for k, seg in enumerate(segments)
    )


def closest_view(segments: Sequence[AlignedSegment]) -> tuple[AlignedSegment, ...]:
    """The segments as the error checks see them: ``ref`` is the closest reference.

    A segment whose closest reference is the first one is returned as it is.
    """
    return tuple(
        replace(seg, ref=seg.reference_groups[seg.closest]) if seg.closest else seg
        for seg in segments
    )
