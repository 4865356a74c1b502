"""The CI regression gate, run in-process as users run it, on the WMT23 zh-en test set."""

from __future__ import annotations

import json
import math
import random
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from sacrebleu.metrics import BLEU

from evalharness.cli.app import CliResult, run_cli
from evalharness.errors import ExitStatus, GateRefusal
from evalharness.gate.compare import SystemSnapshot, check_signatures, compare, pair_segments
from evalharness.gate.thresholds import Thresholds

REPO = Path(__file__).resolve().parents[1]
WMT = REPO / "tests" / "data" / "wmt23_zhen"  # lines 401-1100 of the test set
REF = WMT / "generaltest2023.zh-en.ref.refA.en"
GPT4 = WMT / "generaltest2023.zh-en.hyp.GPT4-5shot.en"
ONLINE_A = WMT / "generaltest2023.zh-en.hyp.ONLINE-A.en"
BBC_REF = REPO / "references" / "bbc.md"
BBC_HYP = REPO / "hypotheses" / "bbc-garbled.txt"
LEXICAL = "bleu,chrf,ter"
# The gate must not write into a real CI job's summary while the tests run.
CLEAN_ENV = {"PATH": "/usr/bin:/bin"}


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


@cache
def sacrebleu_bleu(hyp: Path) -> float:
    """sacrebleu's own corpus BLEU of ``hyp`` against REF."""
    return BLEU().corpus_score(read_lines(hyp), [read_lines(REF)]).score


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def halve_lines(lines: list[str], share: float, seed: int) -> list[str]:
    """Cut a seeded random ``share`` of the lines to the first half of their words."""
    chosen = set(random.Random(seed).sample(range(len(lines)), round(share * len(lines))))
    return [
        " ".join(x.split()[: len(x.split()) // 2]) if i in chosen else x
        for i, x in enumerate(lines)
    ]


def drop_last_word(lines: list[str], count: int, seed: int) -> list[str]:
    chosen = set(random.Random(seed).sample(range(len(lines)), count))
    return [" ".join(x.split()[:-1]) if i in chosen else x for i, x in enumerate(lines)]


def evaluate_json(out: Path, ref: Path, hyp: Path, *extra: str) -> Path:
    result = run_cli(
        ["evaluate", "--ref", str(ref), "--hyp", str(hyp), "--format", "lines", "--no-checks",
         "--quiet", "--json", str(out), *extra],
        environ=CLEAN_ENV,
    )  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    return out


def gate(*args: str | Path, environ: dict[str, str] | None = None) -> CliResult:
    return run_cli(["gate", "--quiet", *map(str, args)], environ=environ or CLEAN_ENV)


def junit_cases(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {f"{s.get('name')}/{c.get('name')}": c for s in root for c in s.findall("testcase")}


@pytest.fixture(scope="module")
def gpt4_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("baselines") / "gpt4.json"
    return evaluate_json(out, REF, GPT4, "--metrics", LEXICAL)


def test_unchanged_system_passes(tmp_path: Path, gpt4_baseline: Path) -> None:
    junit = tmp_path / "gate.xml"
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", GPT4, "--junit", junit,
                  "--json", tmp_path / "verdict.json")  # fmt: skip
    assert result.exit_status == ExitStatus.SUCCESS, result.stderr
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "0", "0")
    verdict = json.loads((tmp_path / "verdict.json").read_text(encoding="utf-8"))
    (suite,) = verdict["suites"]
    assert suite["status"] == "pass" and suite["pairing"] == "segment"
    assert [m["metric"] for m in suite["metrics"]] == ["bleu", "chrf", "ter"]
    bleu = suite["metrics"][0]
    assert bleu["baseline"] == bleu["candidate"] == pytest.approx(sacrebleu_bleu(GPT4), abs=1e-9)
    assert bleu["delta"] == 0.0


def test_thirty_percent_of_lines_cut_in_half_fails(tmp_path: Path, gpt4_baseline: Path) -> None:
    hyp = write_lines(tmp_path / "halved.en", halve_lines(read_lines(GPT4), 0.3, seed=2023))
    junit = tmp_path / "gate.xml"
    verdict_path = tmp_path / "verdict.json"
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", hyp, "--junit", junit,
                  "--json", verdict_path)  # fmt: skip
    assert result.exit_status == ExitStatus.REGRESSION, result.stderr
    verdict = json.loads(verdict_path.read_text(encoding="utf-8"))
    bleu = verdict["suites"][0]["metrics"][0]
    assert bleu["metric"] == "bleu" and bleu["delta"] < -1.0 and bleu["p_value"] < 0.05
    lo, hi = bleu["ci95"]
    assert lo < bleu["delta"] < hi < 0
    failure = junit_cases(junit)["halved/bleu"].find("failure")
    assert failure is not None
    message = failure.get("message") or ""
    for figure in ("BLEU", f"baseline {sacrebleu_bleu(GPT4):.2f}", f"candidate {bleu['candidate']:.2f}",
                   f"delta {bleu['delta']:+.2f}", f"[{lo:+.2f}, {hi:+.2f}]",
                   f"p = {bleu['p_value']:.4f}"):  # fmt: skip
        assert figure in message
    ter = junit_cases(junit)["halved/ter"].find("failure")
    assert ter is not None and "TER rose by" in (ter.get("message") or "")
    assert "gate: regression" in result.stdout


def test_three_lines_losing_their_last_word_pass(tmp_path: Path, gpt4_baseline: Path) -> None:
    hyp = write_lines(tmp_path / "three.en", drop_last_word(read_lines(GPT4), 3, seed=7))
    junit = tmp_path / "gate.xml"
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", hyp, "--junit", junit)
    assert result.exit_status == ExitStatus.SUCCESS, result.stdout
    assert ET.parse(junit).getroot().get("failures") == "0"


def test_baseline_made_with_another_tokenizer_is_refused(tmp_path: Path) -> None:
    baseline = evaluate_json(tmp_path / "intl.json", REF, GPT4, "--metrics", "bleu",
                             "--tokenize", "intl")  # fmt: skip
    junit = tmp_path / "gate.xml"
    result = gate("--baseline", baseline, "--ref", REF, "--hyp", GPT4, "--junit", junit)
    assert result.exit_status == ExitStatus.INPUT
    assert "BLEU signatures differ" in result.stderr and "tok:intl" in result.stderr
    (case,) = junit_cases(junit).values()
    assert case.get("name") == "comparable" and case.find("error") is not None
    assert case.find("failure") is None


def test_baseline_on_another_reference_is_refused(tmp_path: Path) -> None:
    lines = read_lines(REF)
    lines[10] = "A different reference sentence."
    other_ref = write_lines(tmp_path / "ref.en", lines)
    baseline = evaluate_json(tmp_path / "other.json", other_ref, GPT4, "--metrics", "bleu")
    result = gate("--baseline", baseline, "--ref", REF, "--hyp", GPT4)
    assert result.exit_status == ExitStatus.INPUT
    assert "another reference" in result.stderr


def test_floors_and_ceilings(tmp_path: Path, gpt4_baseline: Path) -> None:
    verdict_path = tmp_path / "verdict.json"
    scores = {k: v["score"] for k, v in json.loads(gpt4_baseline.read_text())["systems"][0]["metrics"].items()}
    bleu_floor = math.floor(scores["bleu"]) + 2  # above BLEU: fails
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", GPT4,
                  "--min", f"bleu={bleu_floor}", "--min", f"chrf={math.floor(scores['chrf']) - 5}",
                  "--max", f"ter={math.floor(scores['ter']) - 5}", "--json", verdict_path)  # fmt: skip
    assert result.exit_status == ExitStatus.REGRESSION
    metrics = {m["metric"]: m for m in json.loads(verdict_path.read_text())["suites"][0]["metrics"]}
    assert [c["kind"] for c in metrics["bleu"]["checks"] if not c["passed"]] == ["min"]
    assert metrics["chrf"]["passed"]
    assert [c["kind"] for c in metrics["ter"]["checks"] if not c["passed"]] == ["max"]
    assert f"BLEU {scores['bleu']:.2f} is below the floor {bleu_floor}" in result.stdout


def test_approximate_randomization_and_disabled_drop_checks(
    tmp_path: Path, gpt4_baseline: Path
) -> None:
    hyp = write_lines(tmp_path / "halved.en", halve_lines(read_lines(GPT4), 0.3, seed=2023))
    verdict_path = tmp_path / "verdict.json"
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", hyp, "--test", "ar",
                  "--max-drop", "chrf=off,ter=off", "--json", verdict_path)  # fmt: skip
    assert result.exit_status == ExitStatus.REGRESSION
    metrics = json.loads(verdict_path.read_text())["suites"][0]["metrics"]
    assert {m["test"] for m in metrics} == {"ar"} and {m["samples"] for m in metrics} == {10000}
    assert [m["metric"] for m in metrics if not m["passed"]] == ["bleu"]
    # Allowed drops one point above the measured ones pass.
    allowed = ",".join(f"{m['metric']}={math.ceil(abs(m['delta'])) + 1}" for m in metrics)
    relaxed = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", hyp, "--max-drop", allowed)
    assert relaxed.exit_status == ExitStatus.SUCCESS


def test_github_annotations_and_step_summary(tmp_path: Path, gpt4_baseline: Path) -> None:
    hyp = write_lines(tmp_path / "halved.en", halve_lines(read_lines(GPT4), 0.3, seed=2023))
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {**CLEAN_ENV, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", hyp, environ=env)
    assert result.exit_status == ExitStatus.REGRESSION
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 3
    assert errors[0].startswith(
        "::error title=evalharness gate%3A halved bleu max_drop::BLEU dropped"
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### evalharness gate: ❌ regression")
    assert f"| halved | BLEU | {sacrebleu_bleu(GPT4):.2f} |" in text
    quiet = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", GPT4)
    assert "::error" not in quiet.stdout


def test_baseline_hyp_compares_two_systems_in_one_run(tmp_path: Path) -> None:
    verdict_path = tmp_path / "verdict.json"
    result = gate("--baseline-hyp", ONLINE_A, "--ref", REF, "--hyp", GPT4, "--format", "lines",
                  "--metrics", LEXICAL, "--json", verdict_path)  # fmt: skip
    # On these lines GPT4-5shot is 2.2 BLEU below ONLINE-A and 2.2 TER above it (both
    # significant), while its chrF is only 0.8 lower.
    assert result.exit_status == ExitStatus.REGRESSION, result.stderr
    metrics = {m["metric"]: m for m in json.loads(verdict_path.read_text())["suites"][0]["metrics"]}
    assert metrics["bleu"]["baseline"] == pytest.approx(sacrebleu_bleu(ONLINE_A), abs=1e-9)
    assert metrics["bleu"]["candidate"] == pytest.approx(sacrebleu_bleu(GPT4), abs=1e-9)
    assert not metrics["bleu"]["passed"] and not metrics["ter"]["passed"]
    assert metrics["chrf"]["passed"]


def test_metric_named_by_a_threshold_but_unavailable_exits_4(
    tmp_path: Path, gpt4_baseline: Path
) -> None:
    result = gate("--baseline", gpt4_baseline, "--ref", REF, "--hyp", GPT4, "--min", "comet=0.5",
                  "--comet-model", str(tmp_path / "no-such-model"))  # fmt: skip
    assert result.exit_status == ExitStatus.METRIC_UNAVAILABLE, result.stderr
    assert result.stderr.startswith(
        f"error: comet unavailable: no such checkpoint or model directory: {tmp_path / 'no-such-model'} (fix: "
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ([], "give --ref and --hyp"),
        (["--ref", "r", "--hyp", "h"], "exactly one of --baseline"),
        (["--ref", "r", "--hyp", "h", "--baseline", "b", "--baseline-hyp", "c"], "exactly one"),
        (["--config", "x.toml", "--ref", "r"], "do not combine"),
        (["--suite", "a", "--ref", "r", "--hyp", "h", "--baseline", "b"], "--suite needs --config"),
        (["--ref", "r", "--hyp", "h", "--baseline", "b", "--min", "bleu"], "NAME=VALUE"),
        (["--ref", "r", "--hyp", "h", "--baseline", "b", "--alpha", "3"], "alpha must be"),
    ],
)
def test_usage_errors_exit_2(args: list[str], needle: str) -> None:
    result = gate(*args)
    assert result.exit_status == ExitStatus.USAGE
    assert needle in result.stderr


def test_missing_baseline_file_is_refused(tmp_path: Path) -> None:
    result = gate("--baseline", tmp_path / "none.json", "--ref", REF, "--hyp", GPT4)
    assert result.exit_status == ExitStatus.INPUT
    assert "none.json" in result.stderr and "no such file" in result.stderr


SUITES = """
[gate]
metrics = ["bleu", "chrf", "ter"]

[[suite]]
name = "stable"
reference = "ref.en"
hypothesis = "stable.en"
baseline = "baselines/stable.json"
format = "lines"

[[suite]]
name = "changing"
reference = "ref.en"
hypothesis = "changing.en"
baseline = "baselines/changing.json"
format = "lines"
max_drop = { chrf = "off", ter = "off" }
"""


def test_config_suites_junit_and_baseline_update(tmp_path: Path) -> None:
    write_lines(tmp_path / "ref.en", read_lines(REF)[:300])
    write_lines(tmp_path / "stable.en", read_lines(GPT4)[:300])
    write_lines(tmp_path / "changing.en", read_lines(GPT4)[:300])
    config = tmp_path / "evalharness.toml"
    config.write_text(SUITES, encoding="utf-8")
    update = run_cli(["baseline", "update", "--config", str(config), "--quiet", "--no-checks"],
                     environ=CLEAN_ENV)  # fmt: skip
    assert update.exit_status == ExitStatus.SUCCESS, update.stderr
    assert "stable: wrote" in update.stdout and (tmp_path / "baselines" / "changing.json").is_file()

    write_lines(tmp_path / "changing.en", halve_lines(read_lines(GPT4)[:300], 0.3, seed=2023))
    junit = tmp_path / "gate.xml"
    result = gate("--config", config, "--junit", junit)
    assert result.exit_status == ExitStatus.REGRESSION
    cases = junit_cases(junit)
    assert sorted(cases) == [
        "changing/bleu", "changing/chrf", "changing/ter", "stable/bleu", "stable/chrf", "stable/ter",
    ]  # fmt: skip
    failed = sorted(k for k, c in cases.items() if c.find("failure") is not None)
    assert failed == ["changing/bleu"]

    only = gate("--config", config, "--suite", "stable")
    assert only.exit_status == ExitStatus.SUCCESS
    again = run_cli(["baseline", "update", "--config", str(config), "--suite", "changing",
                     "--no-checks"], environ=CLEAN_ENV)  # fmt: skip
    assert again.exit_status == ExitStatus.SUCCESS and "stable" not in again.stdout
    assert gate("--config", config).exit_status == ExitStatus.SUCCESS
    # Baselines made without the checks cannot gate findings.
    findings = gate("--config", config, "--no-more-findings")
    assert findings.exit_status == ExitStatus.INPUT
    assert "made without the error checks" in findings.stderr


def test_the_projects_own_suite_passes_against_its_committed_baseline(tmp_path: Path) -> None:
    junit = tmp_path / "gate.xml"
    result = gate("--config", REPO / "evalharness.toml", "--junit", junit)
    assert result.exit_status == ExitStatus.SUCCESS, result.stdout + result.stderr
    root = ET.parse(junit).getroot()
    assert root.get("failures") == "0" and root.get("errors") == "0"
    assert int(root.get("tests") or 0) >= 3


def test_document_mode_pairs_differently_aligned_runs_on_reference_blocks(tmp_path: Path) -> None:
    baseline = tmp_path / "bbc.json"
    made = run_cli(["evaluate", "--ref", str(BBC_REF), "--hyp", str(BBC_HYP), "--metrics", LEXICAL,
                    "--no-checks", "--quiet", "--json", str(baseline)], environ=CLEAN_ENV)  # fmt: skip
    assert made.exit_status == ExitStatus.SUCCESS, made.stderr
    lines = read_lines(BBC_HYP)
    # Two hypothesis sentences become one: the candidate's alignment differs from the baseline's.
    joined = lines[9].rstrip(".") + ", and " + lines[10][0].lower() + lines[10][1:]
    merged = write_lines(tmp_path / "merged.txt", [*lines[:9], joined, *lines[11:]])
    verdict_path = tmp_path / "verdict.json"
    result = gate("--baseline", baseline, "--ref", BBC_REF, "--hyp", merged, "--json", verdict_path)
    assert result.exit_status == ExitStatus.SUCCESS, result.stdout + result.stderr
    suite = json.loads(verdict_path.read_text())["suites"][0]
    assert suite["pairing"] == "block"
    assert all(abs(m["delta"]) < 1.0 and m["p_value"] > 0.05 for m in suite["metrics"])
    # Every third hypothesis line lost after the lead: omissions, a significant regression.
    cut = write_lines(tmp_path / "cut.txt", [x for i, x in enumerate(lines) if i < 12 or i % 3])
    result = gate("--baseline", baseline, "--ref", BBC_REF, "--hyp", cut)
    assert result.exit_status == ExitStatus.REGRESSION
    assert "BLEU dropped by" in result.stdout


def test_findings_thresholds_on_the_seed_pair(tmp_path: Path) -> None:
    baseline = tmp_path / "bbc.json"
    made = run_cli(["evaluate", "--ref", str(BBC_REF), "--hyp", str(BBC_HYP), "--metrics", LEXICAL,
                    "--quiet", "--json", str(baseline)], environ=CLEAN_ENV)  # fmt: skip
    assert made.exit_status == ExitStatus.SUCCESS, made.stderr
    by_severity = json.loads(baseline.read_text())["systems"][0]["findings"]["by_severity"]
    majors = by_severity["major"] + by_severity["critical"]
    assert majors > 0, "the garbled seed hypothesis has major errors"
    junit = tmp_path / "gate.xml"
    same = gate("--baseline", baseline, "--ref", BBC_REF, "--hyp", BBC_HYP, "--no-more-findings",
                "--max-findings", f"major={majors}", "--junit", junit)  # fmt: skip
    assert same.exit_status == ExitStatus.SUCCESS, same.stdout
    assert junit_cases(junit)["bbc-garbled/findings"].find("failure") is None
    strict = gate("--baseline", baseline, "--ref", BBC_REF, "--hyp", BBC_HYP,
                  "--max-findings", "major=0", "--junit", junit)  # fmt: skip
    assert strict.exit_status == ExitStatus.REGRESSION
    failure = junit_cases(junit)["bbc-garbled/findings"].find("failure")
    assert failure is not None
    assert f"{majors} findings of severity major or worse" in (failure.get("message") or "")


# Snapshot-level tests of pairing, signatures and findings (no scoring involved).


def snapshot(
    counts: list[int],
    texts: list[str],
    *,
    signatures: dict[str, str] | None = None,
    findings: dict[str, int] | None = None,
    sha: str | None = "same",
) -> SystemSnapshot:
    return SystemSnapshot(
        origin="test",
        reference_sha256=sha,
        scores={},
        unavailable={},
        signatures=signatures or {},
        ref_counts=tuple(counts),
        ref_texts=tuple(texts),
        stats={},
        findings=findings or {"minor": 0, "major": 0, "critical": 0},
    )


def test_document_mode_pairs_on_common_reference_blocks() -> None:
    # Reference sentences A B C D E. The baseline merges B+C, the candidate A+B and
    # adds a hypothesis-only segment after D; only the boundaries after C and D survive.
    base = snapshot([1, 2, 1, 1], ["A", "B C", "D", "E"])
    cand = snapshot([2, 1, 1, 0, 1], ["A B", "C", "D", "", "E"])
    base_ids, cand_ids = pair_segments(base, cand)
    assert base_ids.tolist() == [0, 0, 1, 2]
    assert cand_ids.tolist() == [0, 0, 1, 1, 2]


def test_line_aligned_runs_pair_segment_by_segment() -> None:
    base = snapshot([1, 1, 1], ["a", "b", "c"])
    ids = pair_segments(base, snapshot([1, 1, 1], ["a", "b", "c"]))
    assert [x.tolist() for x in ids] == [[0, 1, 2], [0, 1, 2]]


@pytest.mark.parametrize(
    ("cand", "needle"),
    [
        (snapshot([1, 1, 1], ["a", "B", "c"]), "reference block 1 differs"),
        (snapshot([1, 1], ["a", "b"]), "3 reference segments, the candidate 2"),
        (snapshot([1, 1, 1], ["a", "b", "c"], sha="other"), "another reference"),
    ],
)
def test_segments_that_do_not_correspond_are_refused(cand: SystemSnapshot, needle: str) -> None:
    with pytest.raises(GateRefusal, match=needle):
        pair_segments(snapshot([1, 1, 1], ["a", "b", "c"]), cand)


BLEU_SIG = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"
COMET_SIG = "model:Unbabel/wmt22-comet-da|comet:2.2.7|precision:fp32|mode:src+mt+ref"


@pytest.mark.parametrize(
    ("metric", "ours", "theirs", "refused"),
    [
        ("bleu", BLEU_SIG, BLEU_SIG, False),
        ("bleu", BLEU_SIG, BLEU_SIG.replace("version:2.6.0", "version:2.4.0"), False),
        ("bleu", BLEU_SIG, BLEU_SIG.replace("tok:13a", "tok:intl"), True),
        ("bleu", BLEU_SIG, BLEU_SIG.replace("case:mixed", "case:lc"), True),
        ("bleu", BLEU_SIG, BLEU_SIG.replace("|smooth:exp", ""), True),
        ("comet", COMET_SIG, COMET_SIG.replace("fp32", "fp16"), False),
        ("comet", COMET_SIG, COMET_SIG.replace("comet:2.2.7", "comet:2.2.6"), False),
        ("comet", COMET_SIG, COMET_SIG.replace("wmt22-comet-da", "wmt23-cometkiwi-da-xl"), True),
        ("comet", COMET_SIG, COMET_SIG.replace("src+mt+ref", "src=ref+mt+ref"), True),
    ],
)
def test_signature_differences_other_than_versions_refuse(
    metric: str, ours: str, theirs: str, refused: bool
) -> None:
    base = snapshot([1], ["a"], signatures={metric: ours})
    cand = snapshot([1], ["a"], signatures={metric: theirs})
    if refused:
        with pytest.raises(GateRefusal, match="signatures differ, the scores are not comparable"):
            check_signatures(base, cand, [metric])
    else:
        notes = check_signatures(base, cand, [metric])
        assert len(notes) == (ours != theirs)


@pytest.mark.parametrize(
    ("thresholds", "passed"),
    [
        (Thresholds(max_findings={"major": 3}), True),
        (Thresholds(max_findings={"major": 2}), False),
        (Thresholds(max_findings={"critical": 0}), False),
        (Thresholds(max_findings={"minor": 10}), True),
        (Thresholds(no_more_findings=True), False),
    ],
)
def test_findings_thresholds(thresholds: Thresholds, passed: bool) -> None:
    base = snapshot([1], ["a"], findings={"minor": 4, "major": 2, "critical": 0})
    cand = snapshot([1], ["a"], findings={"minor": 10, "major": 3, "critical": 1})
    verdict = compare("s", base, cand, thresholds)
    assert verdict.findings is not None and verdict.findings.passed is passed
    assert verdict.status == ("pass" if passed else "regression")
    assert compare("s", base, cand, Thresholds()).findings is None


def test_block_sums_keep_corpus_scores() -> None:
    from evalharness.metrics import stats as mstats
    from evalharness.metrics.base import get_metric

    bleu = get_metric("bleu")
    result = bleu.compute(["a b c d", "e f", "g h i"], ["a b c x", "e f", "g h j"])
    rows = np.asarray(result.stats)
    blocks = mstats.block_stats(rows, np.array([0, 0, 1]))
    assert bleu.score_from_stats(blocks) == pytest.approx(result.score)
