"""Several references end to end: API, CLI, JSON report, checks against the closest reference, gate."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
import sacrebleu

import evalharness
from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus, InputError
from evalharness.gate.config import load_config
from evalharness.pipeline import evaluate

DATA = Path(__file__).resolve().parent / "data"
HE = DATA / "wmt23" / "en-he"
REF_A = HE / "generaltest2023.en-he.ref.refA.he"
REF_B = HE / "generaltest2023.en-he.ref.refB.he"
HYP = HE / "generaltest2023.en-he.hyp.GPT4-5shot.he"
SMALL = DATA / "multiref"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def test_evaluate_signature_documents_several_references() -> None:
    params = inspect.signature(evalharness.evaluate).parameters
    assert "Sequence" in str(params["ref"].annotation)
    assert "several" in (evalharness.evaluate.__doc__ or "")


def test_cli_two_references_equal_sacrebleu_with_nrefs_2(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run_cli(["evaluate", "--ref", str(REF_A), "--ref", str(REF_B), "--hyp", str(HYP),
                      "--metrics", "bleu,chrf", "--bootstrap", "10", "--json", str(out)])
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    # The format choice and its reason go to stderr, one line per file.
    assert f"{REF_B}: format lines (plain text, as the first reference)" in result.stderr
    report = json.loads(out.read_text())
    hyps, a, b = lines(HYP), lines(REF_A), lines(REF_B)
    metrics = report["systems"][0]["metrics"]
    for name, corpus, sentence in (
        ("bleu", sacrebleu.corpus_bleu, sacrebleu.sentence_bleu),
        ("chrf", sacrebleu.corpus_chrf, sacrebleu.sentence_chrf),
    ):
        assert metrics[name]["signature"].startswith("nrefs:2|")
        assert metrics[name]["score"] == pytest.approx(corpus(hyps, [a, b]).score, abs=1e-6)
        segments = report["systems"][0]["segments"]
        for seg, h, x, y in zip(segments, hyps, a, b, strict=True):
            assert seg["scores"][name] == pytest.approx(sentence(h, [x, y]).score, abs=1e-6)
    assert report["reference"]["path"] == str(REF_A)
    assert [r["path"] for r in report["references"]] == [str(REF_A), str(REF_B)]
    first = report["systems"][0]["segments"][0]
    assert first["references"] == [a[0], b[0]] and first["closest_ref"] in (0, 1)


def test_checks_use_the_reference_closest_to_the_hypothesis() -> None:
    ref1, ref2, hyp = SMALL / "ref1.txt", SMALL / "ref2.txt", SMALL / "hyp.txt"
    alone = evaluate(ref1, hyp, metrics="bleu", bootstrap_samples=10).systems[0]
    assert any(f.check == "entity" for f in alone.findings[0])
    both = evaluate([ref1, ref2], hyp, metrics="bleu", bootstrap_samples=10).systems[0]
    # The hypothesis follows the second reference sentence by sentence: nothing is an error.
    assert [s.closest for s in both.segments] == [1, 1, 1]
    assert not [f for seg in both.findings for f in seg if f.severity != "minor"]
    # The report keeps the first reference as "ref" and says which one the findings use.
    assert both.segments[0].ref_text == lines(ref1)[0]


def test_document_references_are_aligned_to_the_first(tmp_path: Path) -> None:
    ref1 = tmp_path / "ref1.md"
    ref1.write_text(" ".join(lines(SMALL / "ref1.txt")) + "\n", encoding="utf-8")
    ref2 = tmp_path / "ref2.md"
    # The second reference joins its first two sentences into one.
    two = lines(SMALL / "ref2.txt")
    ref2.write_text(two[0].rstrip(".") + ", and " + two[1][0].lower() + two[1][1:] + " "
                    + two[2] + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(" ".join(lines(SMALL / "hyp.txt")) + "\n", encoding="utf-8")
    run = evaluate([ref1, ref2], hyp, metrics="bleu,chrf", bootstrap_samples=10)
    segments = run.systems[0].segments
    assert run.reference.format == "markdown"
    groups = [seg.reference_texts() for seg in segments if seg.ref]
    # The joined sentence belongs to the first of the two sentences it covers;
    # the second sentence has no text in the second reference (sacrebleu's None).
    assert groups[0][1] is not None and "twelve thousand" in groups[0][1]
    assert groups[1][1] is None
    assert groups[2][1] == two[2]
    assert run.systems[0].metrics["bleu"].signature.startswith("nrefs:var|")


def test_gate_refuses_another_reference_set(tmp_path: Path) -> None:
    def report(name: str, *refs: Path) -> Path:
        out = tmp_path / name
        args = ["evaluate", "--hyp", str(HYP), "--metrics", "bleu", "--bootstrap", "10",
                "--no-checks", "--json", str(out)]
        for ref in refs:
            args += ["--ref", str(ref)]
        assert run_cli(args).exit_status == ExitStatus.SUCCESS
        return out

    one, two = report("one.json", REF_A), report("two.json", REF_A, REF_B)
    gate = ["gate", "--hyp", str(HYP), "--ref", str(REF_A), "--ref", str(REF_B),
            "--samples", "10"]
    assert run_cli([*gate, "--baseline", str(two)]).exit_status == ExitStatus.SUCCESS
    refused = run_cli([*gate, "--baseline", str(one)])
    assert refused.exit_status == ExitStatus.INPUT
    assert "1 reference(s), the candidate against 2" in refused.stderr
    other = tmp_path / "refC.he"
    changed = lines(REF_B)
    changed[5] = "משפט אחר לגמרי."
    other.write_text("\n".join(changed) + "\n", encoding="utf-8")
    swapped = run_cli(["gate", "--hyp", str(HYP), "--ref", str(REF_A), "--ref", str(other),
                       "--samples", "10", "--baseline", str(two)])
    assert swapped.exit_status == ExitStatus.INPUT
    assert "another reference" in swapped.stderr


def test_suites_take_a_list_of_references(tmp_path: Path) -> None:
    config = tmp_path / "evalharness.toml"
    config.write_text(
        '[[suite]]\nname = "he"\nreferences = ["a.he", "b.he"]\nhypothesis = "h.he"\n'
        'baseline = "base.json"\n',
        encoding="utf-8",
    )
    (suite,) = load_config(config).suites
    assert suite.reference_files == [str(tmp_path / "a.he"), str(tmp_path / "b.he")]
    config.write_text(
        '[[suite]]\nname = "he"\nreference = "a.he"\nreferences = ["b.he"]\n'
        'hypothesis = "h.he"\nbaseline = "base.json"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="exactly one of 'reference' and 'references'"):
        load_config(config)
