"""Lexical metrics follow the target language exactly as sacrebleu chooses (WMT23 slices)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sacrebleu.metrics import BLEU, TER

from evalharness.lang.profiles import LanguageProfile, get_profile, known_profiles
from evalharness.lang.selection import language_metric_params
from evalharness.metrics.lexical.adapters import BleuMetric
from evalharness.pipeline import evaluate

DATA = Path(__file__).resolve().parent / "data" / "wmt23"


def read(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").split("\n")[:-1]


@pytest.mark.parametrize("profile", known_profiles(), ids=lambda p: p.code)
def test_profile_tokenizer_is_sacrebleus_choice(profile: LanguageProfile) -> None:
    chosen = BLEU(trg_lang=profile.code).tokenizer.signature()
    assert chosen.startswith(profile.bleu_tokenizer)


@pytest.mark.parametrize(("lang", "tok"), [("zh", "tok:zh|"), ("ja", "tok:ja-mecab-")])
@pytest.mark.parametrize("pair", [None, "en-{lang}"])
def test_bleu_equals_sacrebleu_for_the_target(lang: str, tok: str, pair: str | None) -> None:
    run = evaluate(DATA / f"ref.{lang}", DATA / f"GPT4-5shot.{lang}", metrics="bleu,ter",
                   run_checks=False, bootstrap_samples=1,
                   language_pair=pair.format(lang=lang) if pair else None)
    assert run.languages is not None and run.languages.target.code == lang
    bleu = run.systems[0].metrics["bleu"]
    expected = BLEU(trg_lang=lang).corpus_score(read(f"GPT4-5shot.{lang}"), [read(f"ref.{lang}")])
    assert bleu.score == pytest.approx(expected.score, abs=1e-6)
    assert tok in bleu.signature
    ter = run.systems[0].metrics["ter"]
    expected_ter = TER(asian_support=True).corpus_score(
        read(f"GPT4-5shot.{lang}"), [read(f"ref.{lang}")])
    assert "asian:yes" in ter.signature
    assert ter.score == pytest.approx(expected_ter.score, abs=1e-6)


def test_tokenize_option_overrides_the_language() -> None:
    run = evaluate(DATA / "ref.ja", DATA / "GPT4-5shot.ja", metrics="bleu", run_checks=False,
                   bootstrap_samples=1, metric_params={"bleu": {"tokenize": "char"}})
    bleu = run.systems[0].metrics["bleu"]
    expected = BLEU(tokenize="char").corpus_score(read("GPT4-5shot.ja"), [read("ref.ja")])
    assert "tok:char" in bleu.signature
    assert bleu.score == pytest.approx(expected.score, abs=1e-6)


def test_non_cjk_targets_keep_13a_and_no_asian_support() -> None:
    assert language_metric_params("bleu", get_profile("he")) == {"trg_lang": "he"}
    assert language_metric_params("ter", get_profile("de")) == {"asian_support": False}
    assert language_metric_params("chrf", get_profile("zh")) == {}
    assert "tok:13a" in BleuMetric(trg_lang="he").signature()


def test_korean_segments_flow_through_ko_mecab() -> None:
    metric = BleuMetric(n_bootstrap=0, trg_lang="ko")
    hyps = ["오늘은 날씨가 좋습니다.", "저는 학생입니다."]
    refs = ["오늘 날씨가 좋습니다.", "나는 학생입니다."]
    result = metric.compute(hyps, refs)
    assert "tok:ko-mecab" in result.signature
    expected = BLEU(trg_lang="ko").corpus_score(hyps, [refs])
    assert result.score == pytest.approx(expected.score, abs=1e-9)
