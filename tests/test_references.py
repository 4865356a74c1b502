"""Extra references mapped onto the first reference's sentences; the closest reference per segment."""

from __future__ import annotations

import pytest

from evalharness.align.references import (
    attach_references,
    choose_closest,
    closest_view,
    map_reference,
)
from evalharness.errors import InputError
from evalharness.records import AlignedSegment, Sentence


def sents(*texts: str, removed: str | None = None) -> list[Sentence]:
    return [Sentence(text=t, start=0, end=len(t), line=i + 1, removed=removed)
            for i, t in enumerate(texts)]


FIRST = sents("The storm cut power to homes.", "Schools stayed closed on Monday.",
              "The mayor asked people to stay inside.")


def test_line_references_pair_by_position_and_need_equal_counts() -> None:
    extra = sents("a", "b", "c")
    assert map_reference(FIRST, extra, True, "b.txt") == [(s,) for s in extra]
    with pytest.raises(InputError, match="equal line counts"):
        map_reference(FIRST, extra[:2], True, "b.txt")


def test_document_reference_groups_follow_the_alignment() -> None:
    extra = sents("Power to homes was cut by the storm and schools stayed closed on Monday.",
                  "Photo: Agency", "The mayor asked people to stay inside.")
    extra[1] = Sentence("Photo: Agency", 0, 13, 2, removed="credit")
    groups = map_reference(FIRST, extra, False, "b.txt")
    assert len(groups) == 3
    # The merged sentence belongs to the first sentence it covers; removed text is left out.
    assert [len(g) for g in groups] == [1, 0, 1]
    assert groups[2][0].text == "The mayor asked people to stay inside."
    assert all(s.removed is None for g in groups for s in g)


def test_closest_reference_and_the_checks_view() -> None:
    hyp = sents("Schools were closed on Monday.")
    segment = AlignedSegment(id=0, ref=(FIRST[1],), hyp=tuple(hyp))
    extra = [[(), (Sentence("Schools were closed on Monday too.", 0, 34, 2),), ()]]
    (attached,) = attach_references([segment], FIRST, extra)
    assert attached.reference_texts() == ("Schools stayed closed on Monday.",
                                          "Schools were closed on Monday too.")
    assert attached.closest == 1
    (view,) = closest_view([attached])
    assert view.ref_text == "Schools were closed on Monday too."
    # Without a hypothesis there is nothing to be close to.
    empty = AlignedSegment(id=1, ref=(FIRST[0],), hyp=(), refs=((FIRST[0],), ()))
    assert choose_closest([empty])[0].closest == 0
    assert empty.reference_texts() == ("The storm cut power to homes.", None)
    addition = AlignedSegment(id=2, ref=(), hyp=tuple(hyp), refs=((), ()))
    assert addition.reference_texts() == ("", "")


def test_one_reference_leaves_segments_alone() -> None:
    segment = AlignedSegment(id=0, ref=(FIRST[0],), hyp=(FIRST[0],))
    assert attach_references([segment], FIRST, []) == (segment,)
    assert segment.reference_groups == ((FIRST[0],),)
