"""BLEU, chrF, chrF++ and TER through our layer, against sacrebleu 2.6.0 and its published vectors."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER

from evalharness.errors import InputError, UsageError
from evalharness.metrics.base import _REGISTRY
from evalharness.metrics.lexical import adapters as lexical
from evalharness.metrics.lexical import chunks
from evalharness.metrics.lexical import scores as lexical_scores
from evalharness.metrics.lexical.adapters import BleuMetric, ChrfMetric, TerMetric

DATA = Path(__file__).resolve().parent / "data"
VECTORS = DATA / "sacrebleu"
WMT23 = DATA / "wmt23_zhen"
SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")
WMT23_LINES = 700  # lines 401-1100 of the 1,976-line test set (tests/data/README.md)
MQM_FILES = ("mqm/wmt23_zhen_news_sxs_mqm.tsv", "mqm/wmt21_ted_zhen_mqm.tsv",
             "mqm/wmt21_ted_ende_mqm.tsv")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@cache
def wmt23() -> tuple[list[str], dict[str, list[str]]]:
    ref = _lines(WMT23 / "generaltest2023.zh-en.ref.refA.en")
    hyps = {s: _lines(WMT23 / f"generaltest2023.zh-en.hyp.{s}.en") for s in SYSTEMS}
    return ref, hyps


def _tsv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _our_metric(name: str) -> lexical.LexicalMetric:
    return {"BLEU": BleuMetric, "chrF": ChrfMetric, "chrF++": lambda: ChrfMetric(word_order=2),
            "TER": TerMetric}[name]()


@cache
def wmt23_result(name: str, system: str):
    ref, hyps = wmt23()
    return _our_metric(name).compute(hyps[system], ref)


@cache
def mqm_result(file: str, name: str):
    """One metric over every vendored row (all systems) of an MQM file."""
    rows = _mqm_rows(file)
    return _our_metric(name).compute([r["hypothesis"] for r in rows],
                                     [r["reference"] for r in rows])


def _sacrebleu_metric(name: str, **params):
    return {"BLEU": BLEU, "chrF": CHRF, "chrF++": lambda **p: CHRF(word_order=2, **p),
            "TER": TER}[name](**params)


# --- sacrebleu's own test vectors --------------------------------------------------------

_ALL_VECTORS = [json.loads(line) for line in (VECTORS / "sacrebleu_test_vectors.jsonl")
                .read_text(encoding="utf-8").splitlines()]


def test_all_89_vectors_are_loaded():
    assert len(_ALL_VECTORS) == 89


def _vector_metric(vector: dict, engine: str = "numba") -> lexical.LexicalMetric:
    params = vector["params"]
    if vector["metric"] == "BLEU":
        return BleuMetric(**params)
    if vector["metric"] == "chrF":
        return ChrfMetric(**params)
    return TerMetric(engine=engine, **params)


@pytest.mark.parametrize("vector", _ALL_VECTORS, ids=[v["id"] for v in _ALL_VECTORS])
def test_sacrebleu_vector(vector):
    level = vector["level"]
    if level == "string":
        assert TerMetric(**vector["params"]).tokenize(vector["input"]) == \
            vector["expected_output"]
        return
    metric = _vector_metric(vector)
    if level == "stats":
        s = vector["stats"]
        row = [s["sys_len"], s["ref_len"], *s["correct"], *s["total"]]
        score = metric.score_from_stats(np.array([row]))
    elif level == "sentence":
        result = metric.compute_multi([vector["hyp"]], [[r] for r in vector["refs"]])
        score = result.segment_scores[0]
    else:
        result = metric.compute_multi(vector["hyps"], vector["refs"])
        score = result.score
        if "expected_counts" in vector:
            order = len(vector["expected_counts"])
            sums = result.stats.sum(axis=0)
            assert sums[2:2 + order].tolist() == vector["expected_counts"]
            assert sums[2 + order:].tolist() == vector["expected_totals"]
            return
    assert score == pytest.approx(vector["expected"], abs=vector["tolerance"] + 1e-12)


@pytest.mark.parametrize("vector", [v for v in _ALL_VECTORS if v["metric"] == "TER"],
                         ids=lambda v: v["id"])
def test_ter_vectors_with_sacrebleu_engine(vector):
    result = _vector_metric(vector, engine="sacrebleu").compute_multi(vector["hyps"],
                                                                      vector["refs"])
    assert result.score == pytest.approx(vector["expected"], abs=vector["tolerance"])


# --- WMT23 zh-en: corpus and sentence parity with live sacrebleu -----------------------

@pytest.mark.parametrize("name", ["BLEU", "chrF", "chrF++"])
@pytest.mark.parametrize("system", SYSTEMS)
def test_wmt23_corpus_and_sentence_scores_equal_sacrebleu(name, system):
    ref, hyps = wmt23()
    result = wmt23_result(name, system)
    theirs = _sacrebleu_metric(name)
    assert result.score == pytest.approx(theirs.corpus_score(hyps[system], [ref]).score,
                                         abs=1e-9)
    assert result.signature == str(theirs.get_signature())
    sentence = _sacrebleu_metric(name, **({"effective_order": True} if name == "BLEU" else {}))
    expected = [sentence.sentence_score(h, [r]).score for h, r in zip(hyps[system], ref, strict=True)]
    assert len(result.segment_scores) == len(ref) == WMT23_LINES
    np.testing.assert_allclose(result.segment_scores, expected, rtol=0, atol=1e-9)


@cache
def _sentence_table() -> list[dict[str, str]]:
    return _tsv(VECTORS / "sentence_scores_slice.tsv")


@cache
def _mqm_rows(file: str) -> list[dict[str, str]]:
    return [r for r in _sentence_table() if r["file"] == file]


def test_sentence_scores_equal_reference_table_on_every_row():
    # The vendored rows: 40 segments per MQM file, every system (tests/data/README.md).
    assert len(_sentence_table()) == 320
    columns = {"sentence_bleu": "BLEU", "sentence_chrf": "chrF", "sentence_ter": "TER"}
    checked = 0
    for file in MQM_FILES:
        rows = _mqm_rows(file)
        for column, name in columns.items():
            result = mqm_result(file, name)
            for row, score in zip(rows, result.segment_scores, strict=True):
                assert score == pytest.approx(float(row[column]), abs=5e-5 + 1e-9), (
                    file, row["system"], row["global_seg_id"], column)
                checked += 1
    assert checked == 3 * 320


# TER's rows are compared with sacrebleu's above; its search is too slow to repeat here.
@pytest.mark.parametrize("name", ["BLEU", "chrF", "chrF++"])
@pytest.mark.parametrize("file", MQM_FILES)
def test_corpus_score_of_one_system_from_all_systems_statistics(file, name):
    rows = _mqm_rows(file)
    for system in sorted({r["system"] for r in rows}):
        mask = np.array([r["system"] == system for r in rows])
        score = _our_metric(name).score_from_stats(mqm_result(file, name).stats[mask])
        mine = [r for r in rows if r["system"] == system]
        expected = _sacrebleu_metric(name).corpus_score(
            [r["hypothesis"] for r in mine], [[r["reference"] for r in mine]]).score
        assert score == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", ["BLEU", "chrF", "TER"])
def test_ci95_is_the_percentile_interval_of_sacrebleus_resamples(name):
    ref, hyps = wmt23()
    n = 400 if name == "TER" else len(ref)  # sacrebleu's own TER is slow
    result = _our_metric(name).compute(hyps["ONLINE-A"][:n], ref[:n])
    theirs = _sacrebleu_metric(name).corpus_score(hyps["ONLINE-A"][:n], [ref[:n]],
                                                  n_bootstrap=1000) if name != "TER" else None
    if theirs is None:  # TER: sacrebleu's resampling applied to our (identical) statistics
        from sacrebleu.significance import _bootstrap_resample, estimate_ci
        _, scores = _bootstrap_resample(result.stats.tolist(), TER(), 1000)
        mean, half = estimate_ci(np.array([s.score for s in scores]))
    else:
        mean, half = theirs._mean, theirs._ci
    # sacrebleu sums resamples in float32; chrF's and TER's ratios are then float32 too.
    tol = 1e-9 if name == "BLEU" else 1e-5
    # Same resamples as sacrebleu: the percentile interval is as wide as its
    # mean ± half (half is half the percentile distance) and holds the mean.
    lo, hi = result.ci95
    assert hi - lo == pytest.approx(2 * half, abs=2 * tol)
    assert lo <= mean + tol and mean - tol <= hi


# --- behaviour of the layer ---------------------------------------------------------------

EDGE_HYPS = ["", "The cat sat on the mat.", "", "A dog.", "x"]
EDGE_REFS = ["", "", "The dog barked.", "A dog.", "y z"]


@pytest.mark.parametrize("name", ["BLEU", "chrF", "chrF++", "TER"])
def test_empty_hypotheses_and_references_behave_like_sacrebleu(name):
    result = _our_metric(name).compute(EDGE_HYPS, EDGE_REFS)
    assert result.score == pytest.approx(
        _sacrebleu_metric(name).corpus_score(EDGE_HYPS, [EDGE_REFS]).score, abs=1e-9)
    sentence = _sacrebleu_metric(name, **({"effective_order": True} if name == "BLEU" else {}))
    expected = [sentence.sentence_score(h, [r]).score for h, r in zip(EDGE_HYPS, EDGE_REFS, strict=True)]
    assert result.segment_scores == pytest.approx(expected, abs=1e-9)
    assert result.stats.shape[0] == len(EDGE_HYPS)


@pytest.mark.parametrize("name", ["BLEU", "chrF", "TER"])
def test_multiple_and_variable_references_match_sacrebleu(name):
    ref, hyps = wmt23()
    hyp = hyps["NLLB_Greedy"][:40]
    streams = [ref[:40], hyps["GPT4-5shot"][:40]]
    variable = [ref[:40], [None if i % 3 else s for i, s in enumerate(hyps["ONLINE-A"][:40])]]
    for refs in (streams, variable):
        theirs = _sacrebleu_metric(name)
        result = _our_metric(name).compute_multi(hyp, refs)
        assert result.score == pytest.approx(theirs.corpus_score(hyp, refs).score, abs=1e-9)
        assert result.signature == str(theirs.get_signature())
    assert "nrefs:var" in result.signature


def test_score_from_stats_of_a_subset_is_the_corpus_score_of_that_subset():
    ref, hyps = wmt23()
    for name, (a, b) in {"BLEU": (100, 400), "chrF": (100, 400), "TER": (100, 160)}.items():
        rows = wmt23_result(name, "GPT4-5shot").stats[a:b]
        assert _our_metric(name).score_from_stats(rows) == pytest.approx(
            _sacrebleu_metric(name).corpus_score(hyps["GPT4-5shot"][a:b], [ref[a:b]]).score,
            abs=1e-9)


def test_registry_names_directions_and_signatures():
    expected = {"bleu": True, "chrf": True, "chrf++": True, "ter": False}
    for name, higher in expected.items():
        metric = _REGISTRY[name]()  # registered by importing evalharness.metrics.lexical.adapters
        assert metric.name == name
        assert metric.higher_is_better is higher
    assert BleuMetric().signature() == "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
    assert ChrfMetric(word_order=2).signature() == \
        "nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0"
    assert BleuMetric(tokenize="intl", lowercase=True).signature() == \
        "nrefs:1|case:lc|eff:no|tok:intl|smooth:exp|version:2.6.0"


def test_invalid_inputs_raise_our_errors():
    with pytest.raises(InputError, match="no segments"):
        BleuMetric().compute([], [])
    with pytest.raises(InputError, match="has 2 segments"):
        ChrfMetric().compute(["a"], ["a", "b"])
    with pytest.raises(InputError, match="no reference"):
        TerMetric().compute_multi(["a"], [[None]])
    with pytest.raises(InputError, match="strings"):
        BleuMetric().compute("abc", "abc")
    with pytest.raises(UsageError, match="bleu"):
        BleuMetric(tokenize="no-such-tokenizer")
    with pytest.raises(UsageError, match="chrf"):
        ChrfMetric(colour="blue")
    with pytest.raises(UsageError, match="engine"):
        TerMetric(engine="java")


def test_bootstrap_can_be_disabled_and_seeded():
    ref, hyps = wmt23()
    assert BleuMetric(n_bootstrap=0).compute(hyps["ONLINE-A"], ref).ci95 is None
    a = BleuMetric(seed=1).compute(hyps["ONLINE-A"], ref).ci95
    b = BleuMetric(seed=2).compute(hyps["ONLINE-A"], ref).ci95
    score = BLEU().corpus_score(hyps["ONLINE-A"], [ref]).score
    assert a != b and a[0] < score < a[1] and b[0] < score < b[1]


# --- the compiled statistics are sacrebleu's rows ----------------------------------------

ODD_HYPS = ["", " ", "a", "The cat sat on the mat .", "x\u00a0y\tz  \u3000w", "ééé aaa ééé",
            "😀😀 ok 😀", "(hi) there, you!", "美众院公布对特朗普的调查", "a a a a a a a a"]
ODD_REFS = ["a", "", "", "the cat sat on the mat.", "x y z w", "aaa ééé", "😀 ok", "hi there you",
            "美众院 公布 调查", "a a a"]


def _sacrebleu_rows(metric: lexical.LexicalMetric, hyps, refs) -> np.ndarray:
    return np.asarray(metric.sacrebleu_metric._extract_corpus_statistics(hyps, [refs]),
                      dtype=np.float64)


@pytest.mark.parametrize(("name", "params"), [
    ("BLEU", {}), ("BLEU", {"lowercase": True}), ("BLEU", {"tokenize": "intl"}),
    ("BLEU", {"tokenize": "char"}), ("BLEU", {"max_ngram_order": 2}),
    ("chrF", {}), ("chrF", {"lowercase": True}), ("chrF", {"whitespace": True}),
    ("chrF", {"char_order": 3, "word_order": 2}), ("chrF++", {}),
    ("TER", {}), ("TER", {"normalized": True, "asian_support": True}),
])
def test_compiled_statistics_equal_sacrebleus_rows(name, params):
    ref, hyps = wmt23()
    metric = {"BLEU": BleuMetric, "chrF": ChrfMetric, "TER": TerMetric,
              "chrF++": lambda **p: ChrfMetric(word_order=2, **p)}[name](**params)
    metric.small_input_segments = 0  # the compiled kernels even for these few segments
    for h, r in ((hyps["NLLB_Greedy"][:300], ref[:300]), (ODD_HYPS, ODD_REFS)):
        ours = metric.segment_statistics(h, [r])
        np.testing.assert_array_equal(ours, _sacrebleu_rows(metric, h, r))


@pytest.mark.parametrize("name", ["BLEU", "chrF", "TER"])
def test_threaded_chunks_give_the_same_statistics(monkeypatch, name):
    ref, hyps = wmt23()
    serial = _our_metric(name)
    serial.n_jobs = 1
    serial.small_input_segments = 0
    expected = serial.segment_statistics(hyps["ONLINE-A"][:200], [ref[:200]])
    monkeypatch.setattr(chunks, "CHUNK_SEGMENTS", 16)
    threaded = _our_metric(name)
    threaded.n_jobs = 2
    threaded.small_input_segments = 0
    np.testing.assert_array_equal(
        threaded.segment_statistics(hyps["ONLINE-A"][:200], [ref[:200]]), expected)


@pytest.mark.parametrize("name", ["BLEU", "chrF", "TER"])
def test_process_pool_gives_the_same_statistics(monkeypatch, name):
    # The pool serves sacrebleu's own extraction: several references, or TER's sacrebleu engine.
    ref, hyps = wmt23()
    streams = [ref[:120], hyps["GPT4-5shot"][:120]]
    make = (lambda: TerMetric(engine="sacrebleu")) if name == "TER" else (lambda: _our_metric(name))
    serial = make().compute_multi(hyps["ONLINE-A"][:120], streams)
    monkeypatch.setattr(chunks, "PARALLEL_MIN_SEGMENTS", 10)
    metric = make()
    metric.n_jobs = 2
    pooled = metric.compute_multi(hyps["ONLINE-A"][:120], streams)
    np.testing.assert_array_equal(pooled.stats, serial.stats)
    assert pooled.score == serial.score


def test_tokenized_period_warning_as_sacrebleu(caplog):
    hyps = ["a b ."] * 100
    with caplog.at_level("WARNING", logger="sacrebleu"):
        BleuMetric(n_bootstrap=0).compute(hyps, hyps)
    assert "100 lines that end in a tokenized period" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="sacrebleu"):
        BleuMetric(n_bootstrap=0, force=True).compute(hyps, hyps)
        ChrfMetric(n_bootstrap=0).compute(hyps, hyps)
    assert caplog.text == ""


# --- vectorised scoring against sacrebleu's scalar code ------------------------------------

def _random_bleu_rows(rng: np.random.Generator, n: int, order: int) -> np.ndarray:
    total = rng.integers(0, 6, size=(n, order))
    total[rng.random(n) < 0.2, -1] = 0
    correct = np.minimum(total, rng.integers(0, 4, size=(n, order)))
    correct[rng.random(n) < 0.2] = 0
    lens = rng.integers(0, 8, size=(n, 2))
    return np.hstack([lens, correct, total])


@pytest.mark.parametrize("smooth", [("exp", None), ("none", None), ("floor", None),
                                    ("floor", 0.3), ("add-k", None), ("add-k", 2)])
@pytest.mark.parametrize("effective_order", [False, True])
@pytest.mark.parametrize("order", [1, 4, 6])
def test_vectorised_bleu_equals_compute_bleu(smooth, effective_order, order):
    rows = _random_bleu_rows(np.random.default_rng(order), 400, order)
    settings = lexical_scores.BleuSettings(smooth[0], smooth[1], effective_order, order)
    ours = lexical_scores.bleu_scores(rows, settings)
    expected = [BLEU.compute_bleu(list(r[2:2 + order]), list(r[2 + order:]), int(r[0]),
                                  int(r[1]), smooth[0], smooth[1], effective_order, order).score
                for r in rows.tolist()]
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("eps_smoothing", [False, True])
@pytest.mark.parametrize("beta", [1, 2, 3])
def test_vectorised_chrf_is_bit_identical(eps_smoothing, beta):
    rng = np.random.default_rng(beta)
    n_hyp = rng.integers(0, 30, size=(300, 8))
    n_ref = rng.integers(0, 30, size=(300, 8))
    n_match = np.minimum(np.minimum(n_hyp, n_ref), rng.integers(0, 30, size=(300, 8)))
    rows = np.stack([n_hyp, n_ref, n_match], axis=2).reshape(300, 24)
    metric = CHRF(char_order=6, word_order=2, beta=beta, eps_smoothing=eps_smoothing)
    ours = lexical_scores.chrf_scores(rows, lexical_scores.ChrfSettings(6, 2, beta, eps_smoothing))
    expected = [metric._compute_score_from_stats(r).score for r in rows.tolist()]
    assert ours.tolist() == expected


def test_vectorised_ter_is_bit_identical():
    rows = np.array([[0, 0], [3, 0], [3, 7], [10, 3], [0, 5], [7, 7.5]])
    assert lexical_scores.ter_scores(rows).tolist() == \
        [TER()._compute_score_from_stats(r).score for r in rows.tolist()]
