"""Sentence splitting per language: script stops, abbreviations, ordinals, no-punctuation scripts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from evalharness.inputs.sentence_rules import sentence_rules
from evalharness.inputs.sentences import split_text
from evalharness.pipeline import evaluate

DATA = Path(__file__).resolve().parent / "data" / "wmt23"


def sentences(text: str, language: str | None) -> list[str]:
    return [text[s:e] for s, e in split_text(text, language)]


CASES = [
    ("de", "Am 16. Mai 2023 kam er. Er blieb bis zum 3. Juni.",
     ["Am 16. Mai 2023 kam er.", "Er blieb bis zum 3. Juni."]),
    ("de", "Im 19. Jahrhundert war das so. Das ist z. B. gut.",
     ["Im 19. Jahrhundert war das so.", "Das ist z. B. gut."]),
    ("de", "Er wurde 1989 geboren. Dann kam 2023. Danach nichts.",
     ["Er wurde 1989 geboren.", "Dann kam 2023.", "Danach nichts."]),
    ("cs", "Dne 3. listopadu přijel tzv. host. Zůstal tam.",
     ["Dne 3. listopadu přijel tzv. host.", "Zůstal tam."]),
    ("ru", "Это т.е. пример. Второе предложение.", ["Это т.е. пример.", "Второе предложение."]),
    ("zh", "他说：“你好。”然后走了。对吗？是的！", ["他说：“你好。”", "然后走了。", "对吗？", "是的！"]),
    ("ja", "これは本です。「それは何？」と聞いた。（はい。）次へ。",
     ["これは本です。", "「それは何？」と聞いた。", "（はい。）", "次へ。"]),
    ("hi", "यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
    ("ar", "هل أنت بخير؟ نعم أنا بخير.", ["هل أنت بخير؟", "نعم أنا بخير."]),
    ("ur", "یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔"]),
    ("hy", "Սա նախադասություն է։ Սա երկրորդն է։", ["Սա նախադասություն է։", "Սա երկրորդն է։"]),
    ("am", "ይህ ዓረፍተ ነገር ነው። ሁለተኛ ነው።", ["ይህ ዓረፍተ ነገር ነው።", "ሁለተኛ ነው።"]),
    ("th", "สวัสดีครับ วันนี้อากาศดี. มาก\nบรรทัดใหม่", ["สวัสดีครับ วันนี้อากาศดี. มาก", "บรรทัดใหม่"]),
    ("km", "នេះជាប្រយោគ។ មួយទៀត។", ["នេះជាប្រយោគ។", "មួយទៀត។"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_language_rules(language: str, text: str, expected: list[str]) -> None:
    assert sentences(text, language) == expected


def test_ordinals_are_only_kept_where_the_language_writes_them() -> None:
    text = "Am 16. Mai kam er."
    assert sentences(text, "de") == [text]
    assert len(sentences(text, "en")) == 2
    assert sentence_rules("de").ordinal_dot and not sentence_rules("en").ordinal_dot


def test_unknown_language_gets_generic_rules() -> None:
    rules = sentence_rules("xx")
    assert rules.language == "xx" and not rules.abbreviations and not rules.line_breaks_only
    assert sentences("一。二。", "xx") == ["一。", "二。"]


def _paragraphs(name: str, joiner: str, out: Path) -> Path:
    docids = (DATA / "docids").read_text(encoding="utf-8").split("\n")[:-1]
    lines = iter((DATA / name).read_text(encoding="utf-8").split("\n"))
    blocks = [joiner.join(itertools.islice(lines, len(list(group))))
              for _, group in itertools.groupby(docids)]
    out.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "joiner"), [("ja", ""), ("zh", ""), ("he", " ")])
def test_paragraphs_score_like_lines(tmp_path: Path, lang: str, joiner: str) -> None:
    """Documents joined into paragraphs, split and aligned again, stay within 0.5 chrF."""
    lines = evaluate(DATA / f"ref.{lang}", DATA / f"GPT4-5shot.{lang}", metrics="chrf",
                     run_checks=False, bootstrap_samples=1)
    ref = _paragraphs(f"ref.{lang}", joiner, tmp_path / "ref.txt")
    hyp = _paragraphs(f"GPT4-5shot.{lang}", joiner, tmp_path / "hyp.txt")
    text = evaluate(ref, hyp, fmt="text", metrics="chrf", run_checks=False, bootstrap_samples=1)
    assert text.languages is not None and text.languages.target.code == lang
    assert text.reference_sentences > 150  # the paragraphs were split again
    line_score = lines.systems[0].metrics["chrf"].score
    text_score = text.systems[0].metrics["chrf"].score
    assert line_score is not None and text_score is not None
    assert abs(line_score - text_score) <= 0.5


def test_detected_target_drives_the_splitting_of_text_documents(tmp_path: Path) -> None:
    text = ("Die Ausstellung wurde am 16. Mai eröffnet und dauert bis zum 3. Juni. "
            "Sie zeigt Werke aus dem 19. Jahrhundert, die bisher nie zu sehen waren. "
            "Der Eintritt ist frei, und die Museen sind täglich geöffnet.\n")
    ref = tmp_path / "ref.txt"
    ref.write_text(text, encoding="utf-8")
    run = evaluate(ref, ref, fmt="text", metrics="chrf", run_checks=False, bootstrap_samples=1)
    assert run.languages is not None and run.languages.target.code == "de"
    assert run.reference_sentences == 3
    english = evaluate(ref, ref, fmt="text", metrics="chrf", run_checks=False,
                       bootstrap_samples=1, language_pair="de-en")
    assert english.reference_sentences > 3  # English rules split after "16." and "3."
