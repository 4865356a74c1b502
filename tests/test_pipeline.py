"""The evaluate pipeline on real data: WMT23 zh-en (lines 401-1100), three systems in one run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sacrebleu

import evalharness
from evalharness.metrics.lexical.adapters import TerMetric
from evalharness.metrics.scoring import block_sums, pairing_blocks
from evalharness.records import AlignedSegment, Sentence

WMT = Path(__file__).resolve().parent / "data" / "wmt23_zhen"
LINES = 700  # lines 401-1100 of the 1,976-line test set (tests/data/README.md)
REF = WMT / "generaltest2023.zh-en.ref.refA.en"
SRC = WMT / "generaltest2023.zh-en.src.zh"
SYSTEMS = ["GPT4-5shot", "ONLINE-A", "NLLB_Greedy"]


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


@pytest.fixture(scope="module")
def wmt_run() -> evalharness.pipeline.RunResult:  # type: ignore[name-defined]
    hyps = [WMT / f"generaltest2023.zh-en.hyp.{s}.en" for s in SYSTEMS]
    return evalharness.evaluate(
        REF, hyps, fmt="lines", metrics="bleu,chrf,ter", names=tuple(SYSTEMS), run_checks=False
    )


def test_corpus_scores_equal_sacrebleu(wmt_run) -> None:  # type: ignore[no-untyped-def]
    refs = read_lines(REF)
    for system in wmt_run.systems:
        hyps = read_lines(WMT / f"generaltest2023.zh-en.hyp.{system.name}.en")
        scorer = sacrebleu.BLEU()
        bleu = scorer.corpus_score(hyps, [refs])
        chrf = sacrebleu.corpus_chrf(hyps, [refs])
        # TER's parity with sacrebleu is tested on its own (test_ter_fast, test_metrics_lexical).
        ter = TerMetric(n_bootstrap=0).compute(hyps, refs)
        assert system.metrics["bleu"].score == pytest.approx(bleu.score, abs=1e-6)
        assert system.metrics["chrf"].score == pytest.approx(chrf.score, abs=1e-6)
        assert system.metrics["ter"].score == ter.score
        assert system.metrics["bleu"].signature == str(scorer.get_signature())


def test_sentence_scores_equal_sacrebleu(wmt_run) -> None:  # type: ignore[no-untyped-def]
    refs = read_lines(REF)
    for system in wmt_run.systems:
        hyps = read_lines(WMT / f"generaltest2023.zh-en.hyp.{system.name}.en")
        bleu = np.array([sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hyps, refs, strict=False)])
        chrf = np.array([sacrebleu.sentence_chrf(h, [r]).score for h, r in zip(hyps, refs, strict=False)])
        np.testing.assert_allclose(system.metrics["bleu"].segment_scores, bleu, atol=1e-6)
        np.testing.assert_allclose(system.metrics["chrf"].segment_scores, chrf, atol=1e-6)


def test_sentence_ter_equals_sacrebleu_on_a_sample(wmt_run) -> None:  # type: ignore[no-untyped-def]
    refs = read_lines(REF)
    rng = np.random.default_rng(7)
    picks = rng.choice(len(refs), size=150, replace=False)
    system = wmt_run.systems[2]
    hyps = read_lines(WMT / f"generaltest2023.zh-en.hyp.{system.name}.en")
    for i in picks:
        expected = sacrebleu.sentence_ter(hyps[i], [refs[i]]).score
        assert system.metrics["ter"].segment_scores[i] == pytest.approx(expected, abs=1e-6)


def test_significance_against_first_system(wmt_run) -> None:  # type: ignore[no-untyped-def]
    report = wmt_run.to_dict()
    assert report["systems"][0]["significance"] is None
    nllb = report["systems"][2]["significance"]
    assert nllb["baseline"] == "GPT4-5shot"
    refs = read_lines(REF)
    expected = [sacrebleu.corpus_bleu(read_lines(WMT / f"generaltest2023.zh-en.hyp.{s}.en"), [refs]).score
                for s in (SYSTEMS[0], SYSTEMS[2])]
    assert nllb["metrics"]["bleu"]["delta"] == pytest.approx(expected[1] - expected[0], abs=1e-9)
    assert nllb["metrics"]["bleu"]["delta"] < 0
    assert nllb["metrics"]["bleu"]["p_value"] < 0.01
    for system in report["systems"]:
        lo, hi = system["metrics"]["bleu"]["ci95"]
        assert lo < system["metrics"]["bleu"]["score"] < hi


def test_to_pandas_has_a_row_per_segment_per_system(wmt_run) -> None:  # type: ignore[no-untyped-def]
    frame = wmt_run.to_pandas()
    assert len(frame) == 3 * LINES
    assert set(frame["system"]) == set(SYSTEMS)


def _seg(i: int, n_ref: int, n_hyp: int) -> AlignedSegment:
    s = Sentence("x", 0, 1, 1)
    return AlignedSegment(i, (s,) * n_ref, (s,) * n_hyp)


def test_pairing_blocks_keep_merges_of_any_system_together() -> None:
    a = [_seg(0, 1, 1), _seg(1, 1, 1), _seg(2, 1, 1), _seg(3, 1, 1)]
    b = [_seg(0, 2, 1), _seg(1, 0, 1), _seg(2, 1, 1), _seg(3, 1, 0)]
    blocks = pairing_blocks([a, b])
    assert blocks[0].tolist() == [0, 0, 1, 2]
    assert blocks[1].tolist() == [0, 0, 1, 2]
    stats = np.arange(8).reshape(4, 2)
    assert block_sums(stats, blocks[0]).tolist() == [[2, 4], [4, 5], [6, 7]]


def test_bootstrap_options_reach_the_lexical_intervals(wmt_run) -> None:  # type: ignore[no-untyped-def]
    from evalharness.metrics.lexical.adapters import BleuMetric

    hyp = WMT / f"generaltest2023.zh-en.hyp.{SYSTEMS[1]}.en"
    default = wmt_run.systems[1].metrics["bleu"]
    assert default.ci95 == BleuMetric().compute(read_lines(hyp), read_lines(REF)).ci95
    other = evalharness.evaluate(
        REF, hyp, fmt="lines", metrics="bleu", run_checks=False, bootstrap_samples=200, seed=1
    ).systems[0].metrics["bleu"]
    assert other.score == default.score
    assert other.ci95 == BleuMetric(n_bootstrap=200, seed=1).compute(
        read_lines(hyp), read_lines(REF)
    ).ci95
    assert other.ci95 != default.ci95


def test_line_pairs_aligned_in_chunks_equal_one_call(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from evalharness import pipeline
    from evalharness.align import sentences as align

    ref = tuple(Sentence(t, 0, len(t), k + 1) for k, t in enumerate(read_lines(REF)[:300]))
    hyp_lines = read_lines(WMT / f"generaltest2023.zh-en.hyp.{SYSTEMS[0]}.en")[:300]
    hyp = tuple(Sentence(t, 0, len(t), k + 1) for k, t in enumerate(hyp_lines))
    monkeypatch.setattr(pipeline, "ALIGN_CHUNK", 64)
    assert pipeline.align_lines(ref, hyp) == align.align_by_position(ref, hyp)


def test_source_lines_attach_to_their_segments() -> None:
    run = evalharness.evaluate(
        REF, WMT / f"generaltest2023.zh-en.hyp.{SYSTEMS[0]}.en", SRC, fmt="lines",
        metrics="bleu", run_checks=False,
    )  # fmt: skip
    segments = run.systems[0].segments
    assert [s.src_text for s in segments] == read_lines(SRC)


def test_json_report_round_trips_with_one_line_per_segment(wmt_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from evalharness.report.serialize import dumps, write_json

    report = wmt_run.to_dict()
    text = dumps(report)
    assert json.loads(text) == report
    segment_lines = [line for line in text.splitlines() if line.startswith('    {"id": ')]
    assert len(segment_lines) == 3 * LINES
    write_json(report, tmp_path / "r" / "report.json")
    assert (tmp_path / "r" / "report.json").read_text(encoding="utf-8") == text
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["report.json"]
    empty = {"schema": "x", "systems": [{"name": "a", "segments": []}, {"name": "b"}]}
    assert json.loads(dumps(empty)) == empty


def test_report_segments_equal_segment_to_dict(wmt_run) -> None:  # type: ignore[no-untyped-def]
    from evalharness.report.serialize import segment_to_dict, system_to_dict

    system = wmt_run.systems[2]
    entries = system_to_dict(system)["segments"]
    for i in (0, 1, LINES // 2, LINES - 1):
        expected = segment_to_dict(system.segments[i], i, system.metrics, system.findings[i])
        assert entries[i] == expected
        assert [type(v) for v in entries[i]["stats"]["ter"]] == [float, float]
        assert [type(v) for v in entries[i]["stats"]["bleu"]] == [int] * 10


def test_long_line_files_are_paired_in_chunks_exactly_as_in_one_piece() -> None:
    from evalharness.align.sentences import align_by_position
    from evalharness.pipeline import ALIGN_CHUNK, align_lines

    copies = 3 * ALIGN_CHUNK // LINES  # more than one chunk, the last one partial
    refs = read_lines(REF) * copies
    hyps = read_lines(WMT / "generaltest2023.zh-en.hyp.NLLB_Greedy.en") * copies
    assert len(refs) > 2 * ALIGN_CHUNK and len(refs) % ALIGN_CHUNK
    ref = [Sentence(t, 0, len(t), i + 1) for i, t in enumerate(refs)]
    hyp = [Sentence(t, 0, len(t), i + 1) for i, t in enumerate(hyps)]
    assert align_lines(ref, hyp) == align_by_position(ref, hyp)
