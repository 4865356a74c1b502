"""Word-level re-segmentation (``--resegment``): OmniSTEval's ACL 60/60 example, edge inputs."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalharness.align.resegment import parse_docid, resegment_document, tokenize_word
from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus, InputError
from evalharness.inputs import formats as eio
from evalharness.pipeline import evaluate
from evalharness.records import Document, Sentence

REPO = Path(__file__).resolve().parents[1]
ACL = REPO / "tests" / "data" / "acl6060_en-de"


def _lines_doc(text: str, role: str = "hyp") -> Document:
    return eio.load_document("<hyp>", "lines", role, text=text)  # type: ignore[arg-type]


def _refs(*texts: str) -> tuple[Sentence, ...]:
    out, start = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(text, start, start + len(text), k + 1))
        start += len(text) + 1
    return tuple(out)


def _expected_scores() -> dict[str, float]:
    rows = (ACL / "expected_scores_omnisteval.tsv").read_text(encoding="utf-8").split("\n")[1:]
    return {name: float(value) for name, value in (r.split("\t") for r in rows if r.strip())}


@pytest.fixture(scope="module")
def acl_run():  # type: ignore[no-untyped-def]
    return evaluate(
        ACL / "references.txt",
        ACL / "hypotheses.txt",
        fmt="lines",
        metrics="bleu,chrf",
        resegment=True,
        ref_docids=str(ACL / "text_segmentation.txt"),
        run_checks=False,
        bootstrap_samples=10,
    )


def test_acl6060_scores_match_omnisteval(acl_run) -> None:  # type: ignore[no-untyped-def]
    run = acl_run
    expected = _expected_scores()
    metrics = run.systems[0].metrics
    assert metrics["bleu"].score == pytest.approx(expected["BLEU"], abs=0.5)
    assert metrics["chrf"].score == pytest.approx(expected["chrF"], abs=0.5)


def test_acl6060_lines_match_omnisteval(acl_run) -> None:  # type: ignore[no-untyped-def]
    """The expected re-segmentation is compared with, never used as input."""
    run = acl_run
    with open(ACL / "expected_resegmentation_omnisteval.tsv", encoding="utf-8", newline="") as f:
        expected = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    segments = run.systems[0].segments
    assert len(segments) == len(expected) == 468
    same = sum(
        seg.hyp_text.split() == row["resegmented_hypothesis"].split()
        for seg, row in zip(segments, expected, strict=True)
    )
    assert same / len(expected) >= 0.97  # measured: 468 of 468


def test_acl6060_covers_every_word_in_order(acl_run) -> None:  # type: ignore[no-untyped-def]
    run = acl_run
    system = run.systems[0]
    doc = system.document
    pieces = [p for seg in system.segments for p in seg.hyp]
    assert all(doc.text[p.start : p.end] == p.text for p in pieces)
    assert all(a.end <= b.start for a, b in itertools.pairwise(pieces))  # in order, no overlap
    assert "".join("".join(p.text.split()) for p in pieces) == "".join(doc.text.split())
    # talk k is hypothesis line k
    assert {p.line for p in system.segments[0].hyp} == {1}
    assert {p.line for p in system.segments[-1].hyp} == {5}
    assert [seg.ref[0].line for seg in system.segments] == list(range(1, 469))


def test_plain_docid_file_gives_the_same_cut(tmp_path: Path, acl_run) -> None:  # type: ignore[no-untyped-def]
    run = acl_run
    ids = [parse_docid(x) for x in (ACL / "text_segmentation.txt").read_text().split("\n") if x]
    plain = tmp_path / "docids.txt"
    plain.write_text("\n".join(f"talk-{i}" for i in ids) + "\n", encoding="utf-8")
    again = evaluate(
        ACL / "references.txt", ACL / "hypotheses.txt", fmt="lines", metrics="bleu",
        resegment=True, ref_docids=str(plain), run_checks=False, bootstrap_samples=1,
    )  # fmt: skip
    assert [s.hyp_text for s in again.systems[0].segments] == [
        s.hyp_text for s in run.systems[0].segments
    ]


def test_cli_resegment_exit_0_and_scores(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run_cli(
        ["evaluate", "--ref", str(ACL / "references.txt"), "--hyp", str(ACL / "hypotheses.txt"),
         "--format", "lines", "--resegment", "--ref-docids", str(ACL / "text_segmentation.txt"),
         "--metrics", "bleu,chrf", "--no-checks", "--bootstrap", "10", "--json", str(out)]
    )  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    assert "468 segments" in result.stdout


def test_docid_count_mismatch_is_input_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ids.txt"
    bad.write_text("0\n0\n1\n", encoding="utf-8")
    result = run_cli(
        ["evaluate", "--ref", str(ACL / "references.txt"), "--hyp", str(ACL / "hypotheses.txt"),
         "--format", "lines", "--resegment", "--ref-docids", str(bad), "--metrics", "bleu",
         "--quiet"]  # no status lines (detected languages): the error alone
    )  # fmt: skip
    assert result.exit_status == ExitStatus.INPUT
    assert result.stderr.count("\n") == 1
    assert result.stderr == (
        f"error: {bad}: has 3 document ids but the reference has 468 segments; "
        "--ref-docids needs one id per reference line\n"
    )


def test_docid_count_mismatch_names_the_path_given() -> None:
    with pytest.raises(InputError) as err:
        resegment_document(_refs("a.", "b."), _lines_doc("a. b."), ["1"], docids_path="ids.txt")
    assert err.value.path == "ids.txt"


def test_hypothesis_lines_must_match_documents() -> None:
    with pytest.raises(InputError, match="2 lines but --ref-docids names 3 documents"):
        resegment_document(_refs("a.", "b.", "c."), _lines_doc("a.\nb. c."), ["x", "y", "z"])


def test_documents_follow_first_appearance_of_ids() -> None:
    refs = _refs("Guten Morgen.", "Wie geht es?", "Hallo Welt.", "Auf Wiedersehen.")
    hyp = _lines_doc("guten morgen wie geht es\nhallo welt auf wiedersehen")
    segs = resegment_document(refs, hyp, ["b", "b", "a", "a"])
    assert [s.hyp_text for s in segs] == [
        "guten morgen",
        "wie geht es",
        "hallo welt",
        "auf wiedersehen",
    ]
    assert [[p.line for p in s.hyp] for s in segs] == [[1], [1], [2], [2]]


def test_without_docids_the_hypothesis_is_one_document() -> None:
    refs = _refs("The cat sat.", "The dog ran.", "Birds fly.")
    hyp = _lines_doc("The cat sat. The dog\nran. Birds fly.")
    segs = resegment_document(refs, hyp)
    assert [s.hyp_text for s in segs] == ["The cat sat.", "The dog ran.", "Birds fly."]
    # a segment spanning two hypothesis lines has one piece per line
    assert [(p.text, p.line) for p in segs[1].hyp] == [("The dog", 1), ("ran.", 2)]
    assert segs[1].alignment == "1-2"


def test_punctuation_pulls_the_boundary() -> None:
    refs = _refs("Das ist gut.", "Wir gehen heim.")
    segs = resegment_document(refs, _lines_doc("das ist sehr gut . wir gehen nach hause"))
    assert [s.hyp_text for s in segs] == ["das ist sehr gut .", "wir gehen nach hause"]


@pytest.mark.parametrize(
    ("refs", "hyp", "expect"),
    [
        (("a b.", "c d."), "", [(), ()]),  # empty hypothesis: every reference omitted
        (("", ""), "x y", [("x y",), ()]),  # nothing to align with: first segment of the document
        (
            ("שלום עולם.", "مرحبا بكم"),
            "\u200f שלום עולם . مرحبا",
            [("\u200f שלום עולם .",), ("مرحبا",)],
        ),
        (("北京欢迎你。", "东京"), "北京欢迎你。东京", [("北京欢迎你。",), ("东京",)]),
        (("... !!!", "?"), "!!! ... ?", [("!!! ...",), ("?",)]),
    ],
)
def test_edge_inputs(refs: tuple[str, ...], hyp: str, expect: list[tuple[str, ...]]) -> None:
    doc = _lines_doc(hyp)
    segs = resegment_document(_refs(*refs), doc)
    assert [tuple(p.text for p in s.hyp) for s in segs] == expect
    assert [s.id for s in segs] == list(range(len(segs)))


def test_empty_reference_keeps_the_hypothesis_as_an_addition() -> None:
    segs = resegment_document((), _lines_doc("some words"))
    assert [(s.alignment, s.hyp_text) for s in segs] == [("0-1", "some words")]


def test_removed_reference_sentences_get_no_words() -> None:
    refs = (
        Sentence("Photo: Getty", 0, 12, 1, removed="credit"),
        Sentence("Hello there.", 13, 25, 2),
    )
    segs = resegment_document(refs, _lines_doc("Getty hello there."))
    assert [s.hyp_text for s in segs] == ["", "Getty hello there."]


def test_text_document_uses_its_non_blank_lines() -> None:
    doc = Document(
        path="<h>", text="\n  first talk words\n\nsecond talk\n", format="text", role="hyp"
    )
    segs = resegment_document(_refs("First talk words.", "Second talk."), doc, ["1", "2"])
    assert [(s.hyp_text, [p.line for p in s.hyp]) for s in segs] == [
        ("first talk words", [2]),
        ("second talk", [4]),
    ]


def test_long_inputs_are_banded_and_complete() -> None:
    words = [f"wort{k % 97}" for k in range(30_000)]
    refs = _refs(*(" ".join(words[k : k + 15]) + "." for k in range(0, len(words), 15)))
    doc = _lines_doc(" ".join(words))
    segs = resegment_document(refs, doc)  # bench/resegment.py times it
    assert " ".join(s.hyp_text for s in segs).split() == words
    assert sum(s.hyp_text.split() == s.ref_text.rstrip(".").split() for s in segs) > 0.9 * len(segs)


def test_one_huge_word() -> None:
    doc = _lines_doc("x" * 200_000 + " y")
    segs = resegment_document(_refs("x" * 10, "y"), doc)
    assert [len(s.hyp_text) for s in segs] == [200_000, 1]


@pytest.mark.parametrize(
    ("word", "tokens"),
    [
        ("Modellen.", ["modellen", "."]),
        ("„Online-Kurs,", ["„", "online", "-", "kurs", ","]),
        ("z.B.", ["z.b."]),
        ("1,000.", ["1,000", "."]),
        ("#um,", ["#", "um", ","]),
        ("wir...", ["wir", "..."]),
        ("(Stimme)", ["(", "stimme", ")"]),
        ("ﬁne", ["fine"]),  # NFKC
    ],
)
def test_tokenize_word(word: str, tokens: list[str]) -> None:
    assert tokenize_word(word) == tokens


@pytest.mark.parametrize(
    ("line", "docid"),
    [("docid=3,segid=0", "3"), ("segid=1, docid = talk-7", "talk-7"), (" ted_1 ", "ted_1")],
)
def test_parse_docid(line: str, docid: str) -> None:
    assert parse_docid(line) == docid


WORDS = st.sampled_from(
    ["the", "Prof.", "U.S.", "15,000", "“Quote”", "élan", "北京", "東京。", "مرحبا", "שלום",
     "Привет", "!", "?", ".", ",", "—", "e.g.", "\u200f", "👍", "x" * 300, "-", "...", "#um,"]
)  # fmt: skip
LINE = st.one_of(
    st.lists(WORDS, max_size=20).map(" ".join), st.text(max_size=120), st.just(""), st.just("  ")
)


@settings(max_examples=80, deadline=None)
@given(st.lists(LINE, max_size=12), st.lists(LINE, max_size=4), st.booleans())
def test_never_crashes_and_covers_every_word(
    refs: list[str], hyp_lines: list[str], ids: bool
) -> None:
    hyp_text = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in hyp_lines)
    doc = _lines_doc(hyp_text)
    ref_sents = _refs(*(r.replace("\n", " ") for r in refs))
    n_lines = len(doc.segments or ())
    docids = None
    if ids and ref_sents and n_lines:
        docids = [
            str(min(k * n_lines // len(ref_sents), n_lines - 1)) for k in range(len(ref_sents))
        ]
        if len(set(docids)) != n_lines:
            docids = None
    segments = resegment_document(ref_sents, doc, docids)
    assert [s.ref for s in segments if s.ref] == [(r,) for r in ref_sents]
    pieces = [p for s in segments for p in s.hyp]
    assert all(doc.text[p.start : p.end] == p.text and p.text.strip() for p in pieces)
    assert all(a.end <= b.start for a, b in itertools.pairwise(pieces))  # in order, no overlap
    assert "".join("".join(p.text.split()) for p in pieces) == "".join(doc.text.split())
