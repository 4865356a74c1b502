"""Human judgement readers and MQM weights."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evalharness.errors import InputError, UsageError
from evalharness.meta.human import read_mqm, read_scores
from evalharness.meta.weights import MqmWeights, load_weights, parse_inline_weights

DATA = Path(__file__).parent / "data" / "mqm"
ZHEN = DATA / "wmt21_ted_zhen_mqm_first40.tsv"
ENDE = DATA / "wmt21_ted_ende_mqm_first30.tsv"
HEADER = "system\tglobal_seg_id\tsource\thypothesis\treference\tn_raters\terrors\n"


def _official(path: Path) -> dict[tuple[str, str], float]:
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {(r["system"], r["global_seg_id"]): float(r["official_mqm_avg_seg_score"]) for r in rows}


@pytest.mark.parametrize("path", [ZHEN, ENDE])
def test_default_weights_reproduce_googles_segment_scores(path: Path) -> None:
    human = read_mqm(str(path))
    official = _official(path)
    assert len(human.items) == len(official)
    for item in human.items:
        assert item.score == pytest.approx(official[(item.system, item.segment)], abs=1e-9)
    assert any(item.score < 0 for item in human.items)


def test_spans_are_target_side_offsets_into_the_hypothesis() -> None:
    human = read_mqm(str(ZHEN))
    spans = [(item, span) for item in human.items for span in item.spans]
    assert spans
    errors = {json.dumps(e, ensure_ascii=False) for r in csv.DictReader(
        ZHEN.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE)
        for e in json.loads(r["errors"]) if e["side"] == "target"}
    assert len(spans) == len(errors)
    for item, span in spans:
        assert 0 <= span.start <= span.end <= len(item.hyp)


def _write_mqm(tmp_path: Path, errors: list[dict[str, object]], raters: int = 1) -> str:
    path = tmp_path / "mqm.tsv"
    path.write_text(HEADER + f"sysA\t1\tsrc\thyp text\tref text\t{raters}\t{json.dumps(errors)}\n",
                    encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("errors", "raters", "expected"),
    [
        ([{"severity": "Major", "category": "Accuracy/Mistranslation"}], 1, -5.0),
        ([{"severity": "Minor", "category": "Fluency/Punctuation"}], 1, -0.1),
        ([{"severity": "Major", "category": "Fluency/Punctuation"}], 1, -5.0),
        ([{"severity": "Major", "category": "Non-translation!"}], 1, -25.0),
        ([{"severity": "Minor", "category": "Source issue"}], 1, 0.0),
        ([{"severity": "Major", "category": "Style/Awkward"},
          {"severity": "Minor", "category": "Fluency/Grammar"}], 3, -2.0),
        ([], 3, 0.0),
    ],
)
def test_mqm_segment_score(tmp_path: Path, errors: list[dict[str, object]], raters: int,
                           expected: float) -> None:
    (item,) = read_mqm(_write_mqm(tmp_path, errors, raters)).items
    assert item.score == pytest.approx(expected)


def test_weights_can_be_changed_inline_and_in_toml(tmp_path: Path) -> None:
    inline = parse_inline_weights("major=10,minor:Fluency/Punctuation=0.5,Style/Awkward=2")
    assert inline.weight("Accuracy/Mistranslation", "Major") == 10
    assert inline.weight("Fluency/Punctuation", "Minor") == 0.5
    assert inline.weight("Style/Awkward", "Major") == 2
    assert inline.weight("Non-translation!", "Minor") == 25  # defaults stay
    toml = tmp_path / "w.toml"
    toml.write_text('[severity]\nminor = 2\n[[category]]\nname = "Source issue"\nweight = 1\n',
                    encoding="utf-8")
    weights = load_weights(str(toml))
    assert weights.weight("Fluency/Grammar", "Minor") == 2
    assert weights.weight("Source issue", "Major") == 1
    project = tmp_path / "evalharness.toml"
    project.write_text("[meta.weights.severity]\nmajor = 7\n", encoding="utf-8")
    assert load_weights(str(project)).weight("Other", "Major") == 7
    assert MqmWeights().weight("Accuracy/Mistranslation", "Weird") is None


def test_bad_weights_and_bad_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="KEY=NUMBER"):
        parse_inline_weights("major")
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + "sysA\t1\ts\th\tr\t1\t[not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:2: errors column is not JSON"):
        read_mqm(str(bad))
    with pytest.raises(InputError, match="severity 'Weird' has no weight"):
        read_mqm(_write_mqm(tmp_path, [{"severity": "Weird", "category": "Other"}]))


def test_da_csv_averages_ratings_and_tsv_may_have_no_header(tmp_path: Path) -> None:
    da = tmp_path / "da.csv"
    da.write_text("lp,system,seg_id,score,z\nen-de,A,1,80,0.5\nen-de,A,1,60,0.1\nen-de,B,1,70,0.2\n",
                  encoding="utf-8")
    human = read_scores(str(da), "da")
    assert {(i.system, i.segment): i.score for i in human.items} == {("A", "1"): 70.0, ("B", "1"): 70.0}
    assert read_scores(str(da), "da", "z").items[0].score == pytest.approx(0.3)
    plain = tmp_path / "h.tsv"
    plain.write_text("A\t1\t-2\nA\t2\t0\n", encoding="utf-8")
    assert [i.score for i in read_scores(str(plain), "tsv").items] == [-2.0, 0.0]
    plain.write_text("A\t-1\nB\t-3\nA\tNone\nA\t-2\n", encoding="utf-8")  # mt-metrics-eval
    assert {(i.system, i.segment): i.score for i in read_scores(str(plain), "tsv").items} == {
        ("A", "1"): -1.0, ("B", "1"): -3.0, ("A", "3"): -2.0}
    plain.write_text("system\tsegment\tscore\nA\t1\tgood\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"h\.tsv:2: score 'good' is not a number"):
        read_scores(str(plain), "tsv")
