"""Sentence alignment on real translations: moves, coverage, the band, line-aligned pairing."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sacrebleu

from evalharness.align.sentences import (
    AlignParams,
    align_by_position,
    align_sentences,
    pair_similarities,
    sentence_similarity,
)
from evalharness.errors import InputError, UsageError
from evalharness.records import AlignedSegment, Sentence

WMT = Path(__file__).resolve().parent / "data" / "wmt23_zhen"


def _lines(name: str) -> list[str]:
    return (WMT / name).read_text(encoding="utf-8").split("\n")[:700]


REF = _lines("generaltest2023.zh-en.ref.refA.en")
GPT4 = _lines("generaltest2023.zh-en.hyp.GPT4-5shot.en")
NLLB = _lines("generaltest2023.zh-en.hyp.NLLB_Greedy.en")
# The vendored slice is lines 401-1100 of WMT23 zh-en (tests/data/README.md).
# A stretch of news sentences (test-set lines 941-1000).
BLOCK = slice(540, 600)
# A sentence from another document (a headset's warranty terms, line 471).
UNRELATED = 70


def sentences(texts: list[str]) -> list[Sentence]:
    """Sentences with offsets into the texts joined by newlines; line = index + 1."""
    out, start = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(text, start, start + len(text), k + 1))
        start += len(text) + 1
    return out


def shape(segments: tuple[AlignedSegment, ...]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Each segment as (reference indices, hypothesis indices), 0-based."""
    return [
        (tuple(s.line - 1 for s in seg.ref), tuple(s.line - 1 for s in seg.hyp)) for seg in segments
    ]


def assert_covers(
    segments: tuple[AlignedSegment, ...], ref: list[Sentence], hyp: list[Sentence]
) -> None:
    """Every sentence of both sides in exactly one segment, in order; ids 0..n-1."""
    assert [s for seg in segments for s in seg.ref] == ref
    assert [s for seg in segments for s in seg.hyp] == hyp
    assert [seg.id for seg in segments] == list(range(len(segments)))
    assert all(seg.ref or seg.hyp for seg in segments)


def test_identical_documents_align_one_to_one() -> None:
    ref = sentences(REF[:300])
    segments = align_sentences(ref, sentences(REF[:300]))
    assert [seg.alignment for seg in segments] == ["1-1"] * 300
    assert all(seg.similarity == pytest.approx(1.0) for seg in segments if seg.ref[0].text.strip())


def test_translation_aligns_one_to_one() -> None:
    segments = align_sentences(sentences(REF[BLOCK]), sentences(GPT4[BLOCK]))
    assert shape(segments) == [((k,), (k,)) for k in range(60)]


def test_split_merge_drop_insert() -> None:
    hyp = list(GPT4[BLOCK])
    words = hyp[20].split()
    half = len(words) // 2
    inserted = NLLB[UNRELATED]
    # hyp: 0..9, 10+11 merged, 12..19, 20 split in two, 21..29, (30 dropped), 31..39, inserted, 40..
    new = (
        hyp[:10]
        + [hyp[10] + " " + hyp[11]]
        + hyp[12:20]
        + [" ".join(words[:half]), " ".join(words[half:])]
        + hyp[21:30]
        + hyp[31:40]
        + [inserted]
        + hyp[40:]
    )
    segments = align_sentences(sentences(REF[BLOCK]), sentences(new))
    got = shape(segments)
    assert ((10, 11), (10,)) in got  # two reference sentences rendered by one: 2-1
    assert ((20,), (19, 20)) in got  # one reference sentence rendered by two: 1-2
    assert ((30,), ()) in got  # dropped: 1-0
    assert ((), (39,)) in got  # inserted: 0-1
    labels = {seg.alignment for seg in segments}
    assert labels == {"1-1", "2-1", "1-2", "1-0", "0-1"}
    assert_covers(segments, sentences(REF[BLOCK]), sentences(new))


def test_two_by_two_whose_boundaries_agree_is_two_one_to_one() -> None:
    # Scoring that lets 2-2 moves through: the crossing-free rule still splits them.
    params = AlignParams(merge22_penalty=-1.0, merge_gain=-1.0)
    ref, hyp = sentences(REF[BLOCK][:6]), sentences(GPT4[BLOCK][:6])
    assert [s.alignment for s in align_sentences(ref, hyp, params=params)] == ["1-1"] * 6
    no_split = AlignParams(merge22_penalty=-1.0, merge_gain=-1.0, split_margin=2.0)
    assert "2-2" in {s.alignment for s in align_sentences(ref, hyp, params=no_split)}


CONTEXT = ["Local elections will be held in May.", "The new mayor promised lower taxes."]


def test_a_real_two_by_two_stays() -> None:
    # The hypothesis moves the boundary: most of reference sentence 1 sits in hypothesis 2.
    r1 = (
        "On Monday the city council, which had been arguing about money for months, finally met "
        "in the old town hall and discussed the budget for next year that the mayor had presented in March."
    )
    r2 = "It approved new spending on schools."
    h1 = "On Monday the city council, which had been arguing about money for months,"
    h2 = (
        "finally met in the old town hall and discussed the budget for next year that the mayor "
        "had presented in March and approved new spending on schools."
    )
    segments = align_sentences(
        sentences([*CONTEXT, r1, r2, *CONTEXT]), sentences([*CONTEXT, h1, h2, *CONTEXT])
    )
    assert [s.alignment for s in segments] == ["1-1", "1-1", "2-2", "1-1", "1-1"]


def test_unrelated_sentence_is_not_merged_into_a_good_pair() -> None:
    ref = sentences(REF[BLOCK][:10])
    hyp = sentences(GPT4[BLOCK][:5] + [NLLB[UNRELATED]] + GPT4[BLOCK][5:10])
    assert ((), (5,)) in shape(align_sentences(ref, hyp))


def test_removed_sentences_are_their_own_segments() -> None:
    ref = sentences(REF[BLOCK][:5])
    hyp = sentences(GPT4[BLOCK][:5])
    boilerplate = Sentence("Physical Address 304 North Cardinal St.", 0, 39, 1, removed="address")
    segments = align_sentences(ref, [boilerplate, *hyp[:3], boilerplate, *hyp[3:]])
    removed = [seg for seg in segments if any(s.removed for s in seg.hyp)]
    assert [seg.alignment for seg in removed] == ["0-1", "0-1"]
    assert sum(seg.alignment == "1-1" for seg in segments) == 5


def test_empty_sides() -> None:
    ref = sentences(REF[:3])
    assert align_sentences([], []) == ()
    assert [s.alignment for s in align_sentences(ref, [])] == ["1-0"] * 3
    assert [s.alignment for s in align_sentences([], ref)] == ["0-1"] * 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_coverage_on_shuffled_merged_split_documents(seed: int) -> None:
    rng = random.Random(seed)
    ref_texts = list(REF[:400])
    hyp_texts: list[str] = []
    for k, text in enumerate(GPT4[:400]):
        u = rng.random()
        if u < 0.05 and hyp_texts:
            hyp_texts[-1] += " " + text
        elif u < 0.10 and len(text.split()) > 4:
            words = text.split()
            hyp_texts += [" ".join(words[:3]), " ".join(words[3:])]
        elif u < 0.13:
            continue
        elif u < 0.16:
            hyp_texts += [NLLB[rng.randrange(len(NLLB))], text]
        elif u < 0.19 and k > 10:  # a local shuffle: swap with the previous sentence
            hyp_texts.insert(len(hyp_texts) - 1, text)
        else:
            hyp_texts.append(text)
    ref, hyp = sentences(ref_texts), sentences(hyp_texts)
    segments = align_sentences(ref, hyp)
    assert_covers(segments, ref, hyp)
    assert all(0.0 <= seg.similarity <= 1.0 for seg in segments)  # type: ignore[operator]
    assert sum(seg.alignment == "1-1" for seg in segments) > 0.6 * len(ref)


def test_narrow_band_widens_to_the_same_alignment() -> None:
    # 40 unrelated sentences in the middle push the path far off the diagonal.
    ref = sentences(REF[500:700])
    hyp = sentences(GPT4[500:600] + NLLB[40:80] + GPT4[600:700])
    wide = shape(align_sentences(ref, hyp))
    assert shape(align_sentences(ref, hyp, band=1)) == wide
    assert [(r, h) for r, h in wide if not r] == [((), (k,)) for k in range(100, 140)]
    assert ((150,), (190,)) in wide


def test_band_must_be_positive() -> None:
    with pytest.raises(UsageError, match="^alignment band must be at least 1, got 0$"):
        align_sentences(sentences(REF[:3]), sentences(GPT4[:3]), band=0)


@pytest.mark.parametrize("k", [0, 7, 100, 699])
def test_similarity_is_chrf_with_beta_1(k: int) -> None:
    expected = sacrebleu.sentence_chrf(GPT4[k], [REF[k]], beta=1).score / 100
    assert sentence_similarity(REF[k], GPT4[k]) == pytest.approx(expected, abs=1e-9)
    assert sentence_similarity(GPT4[k], REF[k]) == pytest.approx(expected, abs=1e-9)
    assert pair_similarities([REF[k]], [GPT4[k]]) == [pytest.approx(expected, abs=1e-9)]


def test_similarity_of_empty_texts_is_zero() -> None:
    assert sentence_similarity("", "anything") == 0.0
    assert sentence_similarity("   ", "   ") == 0.0


def test_align_by_position_pairs_line_k_with_line_k() -> None:
    ref, hyp = sentences(REF[:50]), sentences(GPT4[:50])
    src = sentences(REF[:50])
    segments = align_by_position(ref, hyp, src)
    assert shape(segments) == [((k,), (k,)) for k in range(50)]
    assert [seg.src for seg in segments] == [(s,) for s in src]
    assert segments[3].similarity == pytest.approx(sentence_similarity(REF[3], GPT4[3]))


def test_align_by_position_rejects_unequal_lengths() -> None:
    with pytest.raises(InputError, match="50 reference, 49 hypothesis"):
        align_by_position(sentences(REF[:50]), sentences(GPT4[:49]))
    with pytest.raises(InputError, match="2 source"):
        align_by_position(sentences(REF[:3]), sentences(GPT4[:3]), sentences(REF[:2]))


@pytest.mark.parametrize(
    "texts",
    [
        ["", "   ", "\u200f", "שלום עולם", "مرحبا بكم في"],
        ["x" * 50_000, "y" * 3, "👍" * 100],
        ["北京欢迎你。", "東京は晴れ。", "Привет, мир!"],
    ],
)
def test_odd_texts_never_crash(texts: list[str]) -> None:
    ref, hyp = sentences(texts), sentences(list(reversed(texts)) + texts)
    assert_covers(align_sentences(ref, hyp), ref, hyp)
