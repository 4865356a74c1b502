"""Auto format: line i must correspond to line i before plain files are paired by position."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalharness.inputs import formats as eio
from evalharness.inputs.correspondence import aligner_keeps_diagonal, line_correspondence

DATA = Path(__file__).resolve().parent / "data"
HE = DATA / "wmt23" / "en-he"
NEWS = DATA / "autoformat"


def lines(kind: str) -> list[str]:
    path = HE / f"generaltest2023.en-he.{kind}"
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def test_wmt_lines_correspond_on_the_diagonal() -> None:
    ref, hyp = lines("ref.refA.he"), lines("hyp.GPT4-5shot.he")
    found = line_correspondence(ref[:100], hyp[:100])
    assert found.corresponds
    assert found.diagonal > 2 * found.shifted
    assert found.wins > 0.9


@pytest.mark.parametrize("shift", [1, 2, 3])
def test_wmt_lines_shifted_do_not_correspond(shift: int) -> None:
    ref, hyp = lines("ref.refA.he"), lines("hyp.GPT4-5shot.he")
    shifted = hyp[shift:100] + ["filler line"] * shift
    found = line_correspondence(ref[:100], shifted)
    assert not found.corresponds
    assert found.best_shift == -shift


def test_documents_with_equal_line_counts_that_do_not_correspond() -> None:
    ref, hyp = (NEWS / "news_ref.txt").read_text(), (NEWS / "news_hyp.txt").read_text()
    assert len(ref.split("\n")) == len(hyp.split("\n"))
    choice = eio.resolve_plain_formats([ref, hyp])
    assert choice.format == "text"
    assert "does not clearly match" in choice.reason


def test_unrelated_lines_and_blank_files() -> None:
    assert not line_correspondence(["a", "b"], ["c", "d"]).corresponds
    assert line_correspondence(["", ""], ["x", "y"]).lines == 0
    assert not line_correspondence(["", ""], ["x", "y"]).corresponds
    with pytest.raises(ValueError):
        line_correspondence(["a"], ["a", "b"])


def test_one_shifted_hypothesis_makes_every_file_a_document() -> None:
    ref = lines("ref.refA.he")[:60]
    good = lines("hyp.GPT4-5shot.he")[:60]
    texts = ["\n".join(x) + "\n" for x in (ref, good, good[1:] + ["filler"])]
    assert eio.resolve_plain_formats(texts[:2]).format == "lines"
    assert eio.resolve_plain_formats(texts).format == "text"


def test_the_aligner_decides_when_similarity_is_not_clear() -> None:
    ref = ["The cat sat.", "", "Rain fell in Paris today."]
    hyp = ["A cat was sitting.", "", "It rained in Paris today."]
    assert aligner_keeps_diagonal(ref, hyp)
    # Blank lines in other places, or a shifted hypothesis, are not the diagonal.
    assert not aligner_keeps_diagonal(ref, ["A cat was sitting.", "It rained in Paris today.", ""])
    news_ref = (NEWS / "news_ref.txt").read_text().split("\n")
    news_hyp = (NEWS / "news_hyp.txt").read_text().split("\n")
    assert not aligner_keeps_diagonal(news_ref, news_hyp)
