"""Loading a run's inputs: format choices said on the info stream, several references, sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evalharness.errors import InputError, UsageError
from evalharness.inputs.loading import load_inputs
from evalharness.pipeline import evaluate

DATA = Path(__file__).resolve().parent / "data"
HE = DATA / "wmt23" / "en-he"
REF_A = HE / "generaltest2023.en-he.ref.refA.he"
REF_B = HE / "generaltest2023.en-he.ref.refB.he"
HYP = HE / "generaltest2023.en-he.hyp.GPT4-5shot.he"
SRC = HE / "generaltest2023.en-he.src.en"
NEWS = DATA / "autoformat"


def test_wmt_files_stay_lines_and_the_source_follows_the_reference() -> None:
    said: list[str] = []
    inputs = load_inputs([REF_A, REF_B], [HYP], SRC, "auto", said.append)
    assert [d.format for d in inputs.references] == ["lines", "lines"]
    assert inputs.hypotheses[0].format == "lines"
    assert inputs.source is not None and inputs.source.format == "lines"
    assert len(said) == 4
    assert "lines that correspond" in said[0]
    assert "as the first reference" in said[-1]


def test_paraphrased_documents_with_equal_line_counts_are_aligned() -> None:
    said: list[str] = []
    result = evaluate(
        NEWS / "news_ref.txt", NEWS / "news_hyp.txt", metrics="bleu,chrf", info=said.append,
        bootstrap_samples=10,
    )
    assert result.reference.format == "text"
    assert any("does not clearly match" in line for line in said)
    system = result.systems[0]
    # The inserted first line is an addition, the dropped sentence an omission,
    # and every other sentence is paired with its own paraphrase.
    assert system.alignment_counts() == {"0-1": 1, "1-0": 1, "1-1": 6}
    omitted = [s for s in system.segments if not s.hyp]
    assert omitted[0].ref_text.startswith("Opposition councillors")
    majors = [f for seg in system.findings for f in seg if f.severity != "minor"]
    assert [f.check for f in majors] == ["omission"]
    paired = evaluate(
        NEWS / "news_ref.txt", NEWS / "news_hyp.txt", metrics="bleu", fmt="lines",
        bootstrap_samples=10,
    ).systems[0]
    # --format lines keeps the strict pairing by position (and its lower score).
    assert paired.alignment_counts() == {"1-1": 13}
    assert paired.metrics["bleu"].score < system.metrics["bleu"].score


def test_the_same_reference_twice_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="twice"):
        load_inputs([REF_A, REF_A], [HYP], None, "auto", lambda _m: None)


def test_line_references_must_have_equal_line_counts(tmp_path: Path) -> None:
    short = tmp_path / "refB.he"
    short.write_text("\n".join(REF_B.read_text(encoding="utf-8").split("\n")[:150]) + "\n")
    with pytest.raises(InputError, match="equal line counts"):
        evaluate([REF_A, short], HYP, metrics="bleu", fmt="lines", bootstrap_samples=10)


def test_tsv_and_jsonl_extra_reference_fields(tmp_path: Path) -> None:
    tsv = tmp_path / "set.tsv"
    tsv.write_text(
        "src\tref\tref2\thyp\n"
        "Hallo Welt\tHello world\tHi world\tHello world\n"
        "Guten Morgen\tGood morning\tMorning\tGood day\n",
        encoding="utf-8",
    )
    inputs = load_inputs([tsv], [tsv], tsv, "auto", lambda _m: None)
    assert [d.metadata.get("field") for d in inputs.references] == [None, "ref2"]
    assert [s.text for s in inputs.references[1].segments or ()] == ["Hi world", "Morning"]
    jsonl = tmp_path / "set.jsonl"
    jsonl.write_text(
        '{"ref": "a b", "reference3": "a c", "ref2": "a d", "mt": "a b"}\n', encoding="utf-8"
    )
    inputs = load_inputs([jsonl], [jsonl], None, "auto", lambda _m: None)
    assert [d.metadata.get("field") for d in inputs.references] == [None, "ref2", "reference3"]
    shutil.copy(jsonl, tmp_path / "hyp.jsonl")
    result = evaluate(jsonl, tmp_path / "hyp.jsonl", metrics="bleu", bootstrap_samples=10)
    assert result.systems[0].metrics["bleu"].signature.startswith("nrefs:3|")
