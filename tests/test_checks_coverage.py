"""Checks ``omission`` and ``addition``: one-sided segments, dropped clauses, repetitions."""

from __future__ import annotations

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.records import AlignedSegment, Sentence

CHECKS = ["omission", "addition"]


def run(refs: list[str], hyps: list[str]):
    return find_errors(line_segments(refs, hyps), {}, checks=CHECKS)


def one(ref: str, hyp: str):
    (found,) = run([ref], [hyp])
    return found


@pytest.mark.parametrize(
    ("ref", "severity"),
    [
        ("Schools across the northern provinces will remain closed until further notice.", "major"),
        ("He declined.", "minor"),
    ],
)
def test_reference_only_segment_is_an_omission(ref: str, severity: str) -> None:
    (omission,) = one(ref, "")
    assert (omission.category, omission.severity, omission.ref_span) == (
        "accuracy/omission", severity, ref)
    assert (omission.ref_start, omission.ref_end) == (0, len(ref))


@pytest.mark.parametrize(
    ("hyp", "severity", "says"),
    [
        ("Share this article", "minor", "boilerplate"),
        ("Read more", "minor", "boilerplate"),
        ("By Ama Mensah, Political Correspondent", "minor", "byline"),
        ("The minister later resigned after a vote of no confidence in parliament.", "major",
         "no counterpart"),
    ],
)
def test_hypothesis_only_segment_is_an_addition(hyp: str, severity: str, says: str) -> None:
    (addition,) = one("", hyp)
    assert (addition.category, addition.severity, addition.hyp_span) == (
        "accuracy/addition", severity, hyp)
    assert says in addition.message


def test_text_removed_by_cleaning_is_a_minor_addition_with_its_reason() -> None:
    line = "Getty Images"
    segment = AlignedSegment(0, (), (Sentence(line, 0, len(line), 3, removed="credit"),))
    ((addition,),) = find_errors([segment], {}, checks=CHECKS)
    assert (addition.severity, addition.hyp_span) == ("minor", line)
    assert "credit" in addition.message


def test_dropped_clause_is_a_major_omission_with_its_span() -> None:
    ref = ("The central bank raised rates on Thursday, citing persistent inflation in housing "
           "and energy prices, and signalled further increases.")
    hyp = "The central bank raised rates on Thursday and signalled further increases."
    (omission,) = one(ref, hyp)
    assert (omission.check, omission.severity) == ("omission", "major")
    assert ref[omission.ref_start : omission.ref_end] == omission.ref_span
    assert "persistent inflation" in omission.ref_span


def test_added_clause_is_a_major_addition() -> None:
    ref = "The mayor opened the new bridge on Saturday."
    hyp = "The mayor, facing fierce criticism over construction delays and costs, opened the new bridge on Saturday."
    (addition,) = one(ref, hyp)
    assert (addition.check, addition.severity) == ("addition", "major")
    assert "criticism" in addition.hyp_span


@pytest.mark.parametrize(
    ("ref", "hyp"),
    [
        ("The rescue personnel first pulled the mother out of the rubble.",
         "Rescuers pulled the mother from the rubble."),
        ("In 2022, the tourism market will gradually restart and recover.",
         "The tourism market will gradually restart and recover in 2022."),
        ("The globe is now facing an unprecedented emergency because of the pandemic.",
         "The pandemic has plunged the world into an unparalleled crisis."),
        ("The simulation was done by the National Aeronautics and Space Administration.",
         "The simulation was done by NASA."),
        ("This shift comes as the US has deployed forces to the Caribbean.",
         "The shift comes as the United States has deployed forces to the Caribbean."),
    ],
)
def test_paraphrase_and_reordering_are_not_major(ref: str, hyp: str) -> None:
    assert [f for f in one(ref, hyp) if f.severity != "minor"] == []


def test_repeated_phrase_is_a_major_addition() -> None:
    ref = "The festival features live music and dance."
    hyp = "The festival features live music and dance and dance and dance and dance."
    (repeat,) = [f for f in one(ref, hyp) if "repeated" in f.message]
    assert repeat.severity == "major"
    assert hyp[repeat.hyp_start : repeat.hyp_end] == repeat.hyp_span == "and dance and dance and dance"


def test_boilerplate_glued_into_a_sentence_is_minor() -> None:
    ref = "Voters went to the polls on Sunday."
    hyp = "Voters went to the polls on Sunday. Share this article"
    (glued,) = [f for f in one(ref, hyp) if "boilerplate" in f.message]
    assert (glued.severity, glued.hyp_span) == ("minor", "Share this")


def test_reference_text_removed_by_cleaning_is_not_an_omission() -> None:
    removed = AlignedSegment(0, (Sentence("![A photo](img.jpg)", 0, 19, 1, "markup"),), ())
    credit = AlignedSegment(1, (Sentence("Getty Images", 20, 32, 3, "credit"),), ())
    kept = AlignedSegment(2, (Sentence("The port reopened on Monday.", 33, 61, 5),),
                          (Sentence("The port reopened on Monday.", 0, 28, 1),))
    found = find_errors([removed, credit, kept], {})
    assert found == ((), (), ())


def test_dropped_opening_attribution_is_a_minor_omission() -> None:
    found = one("Officials revealed that the bridge will close for repairs in spring.",
                "The bridge will close for repairs in spring.")
    assert [(f.severity, f.ref_span) for f in found] == [("minor", "Officials revealed")]


def test_reordered_clause_is_not_an_edge_omission() -> None:
    found = one("In the wake of the storm damage, the council closed the bridge.",
                "The council closed the bridge after the storm damaged it.")
    assert [f for f in found if f.check == "omission"] == []


def test_bit_parallel_lcs_equals_the_dynamic_programme() -> None:
    import numpy as np

    from evalharness.checks.text.wordalign import lcs_anchors

    def reference(equal):
        n, m = equal.shape
        table = [[0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            for j in range(m - 1, -1, -1):
                table[i][j] = (table[i + 1][j + 1] + 1 if equal[i, j]
                               else max(table[i + 1][j], table[i][j + 1]))
        anchors, i, j = [], 0, 0
        while i < n and j < m:
            if equal[i, j] and table[i][j] == table[i + 1][j + 1] + 1:
                anchors.append((i, j))
                i, j = i + 1, j + 1
            elif table[i + 1][j] >= table[i][j + 1]:
                i += 1
            else:
                j += 1
        return anchors

    rng = np.random.default_rng(7)
    for _ in range(500):
        n, m = int(rng.integers(0, 30)), int(rng.integers(0, 90))
        equal = rng.random((n, m)) < rng.random() * 0.4
        assert lcs_anchors(equal) == reference(equal)
