"""``evalharness gate``: fail CI when a candidate regresses against a baseline.

Exit codes: 0 pass, 1 regression, 2 usage, 3 input error or refused
comparison, 4 a required metric could not be computed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalharness.cli.evaluate import add_comet_arguments, add_language_argument, comet_options
from evalharness.cli.history import (
    ReportToRecord,
    add_record_arguments,
    gate_keeper,
    record_gate_runs,
)
from evalharness.errors import ExitStatus, GateRefusal, InputError, UsageError
from evalharness.fsutil import atomic_write_text
from evalharness.gate.ci import github_annotations, terminal_summary
from evalharness.gate.compare import (
    GateVerdict,
    SuiteVerdict,
    SystemSnapshot,
    compare,
    system_snapshot,
)
from evalharness.gate.config import DEFAULT_CONFIG, Suite, load_config, metric_params
from evalharness.gate.thresholds import TESTS, Thresholds, thresholds_from_options
from evalharness.inputs.formats import FORMATS
from evalharness.records import LINE_FORMATS, CometOptions

Info = Callable[[str], None]
# Receives a candidate run's report and the systems to record (None: all).
Keep = Callable[[dict[str, Any], tuple[str, ...] | None], None]


def register(subparsers: Any) -> None:
    """Add the ``gate`` parser."""
    p = subparsers.add_parser(
        "gate",
        help="compare a candidate with a baseline and fail on regressions",
        description=(
            "Evaluate a candidate and compare it with a saved baseline report (--baseline) "
            "or another system's output (--baseline-hyp), or run every suite of "
            "evalharness.toml (--config). Exit 0 pass, 1 regression, 2 usage, "
            "3 input error or refused comparison, 4 metric unavailable."
        ),
    )
    _add_inputs(p.add_argument_group("what to compare"))
    _add_thresholds(p.add_argument_group("thresholds (repeatable, comma-separated NAME=VALUE)"))
    o = p.add_argument_group("outputs")
    o.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    o.add_argument("--markdown", metavar="FILE", help="write a Markdown summary here")
    o.add_argument("--json", dest="json_out", metavar="FILE", help="write the JSON verdict here")
    o.add_argument("--quiet", action="store_true", help="no status lines on stderr")
    add_comet_arguments(p)
    add_record_arguments(p, suite=False)
    p.set_defaults(handler=run)


def _add_inputs(g: Any) -> None:
    g.add_argument(
        "--config", metavar="FILE", help=f"run the suites of this file (e.g. {DEFAULT_CONFIG})"
    )
    g.add_argument(
        "--suite",
        action="append",
        metavar="NAME",
        help="with --config: only this suite (repeatable)",
    )
    g.add_argument("--baseline", metavar="FILE", help="baseline: a saved evaluate JSON report")
    g.add_argument(
        "--baseline-system", metavar="NAME", help="system of the baseline report (default: first)"
    )
    g.add_argument(
        "--baseline-hyp", metavar="FILE", help="baseline: another system's output, evaluated now"
    )
    g.add_argument(
        "--ref", metavar="FILE", action="append", help="reference file (repeat for several)"
    )
    g.add_argument("--hyp", metavar="FILE", help="candidate hypothesis file")
    g.add_argument("--src", metavar="FILE", help="source file")
    g.add_argument("--format", choices=FORMATS, help="input format (default: the baseline's)")
    g.add_argument("--metrics", help="comma-separated metrics (default: the baseline's)")
    add_language_argument(g)
    g.add_argument("--tokenize", help="sacrebleu BLEU tokenizer (default: as sacrebleu picks)")
    g.add_argument("--lowercase", action="store_true", help="case-insensitive lexical metrics")
    g.add_argument("--glossary", metavar="FILE", help="terms for the glossary check (CSV/TSV/TBX)")


def _add_thresholds(t: Any) -> None:
    t.add_argument("--min", action="append", metavar="M=V", help="fail if a score is below V")
    t.add_argument("--max", action="append", metavar="M=V", help="fail if a score is above V")
    t.add_argument(
        "--max-drop",
        action="append",
        metavar="M=V",
        help="fail on a significant drop beyond V (a rise for TER); 'off' disables; "
        "default bleu=1,chrf=1,chrf++=1,ter=1,comet=0.01",
    )
    t.add_argument(
        "--max-findings",
        action="append",
        metavar="KEY=N",
        help="fail on more than N findings of a severity or worse (major=0) or of the "
        "categories a pattern matches ('terminology/*=0', 'design/markup=0')",
    )
    t.add_argument(
        "--no-more-findings",
        action="store_true",
        default=None,
        help="fail when there are more major findings than in the baseline",
    )
    t.add_argument("--alpha", type=float, help="significance level (default 0.05)")
    t.add_argument("--test", choices=TESTS, help="paired test (default bootstrap)")
    t.add_argument(
        "--samples",
        type=int,
        help="resamples of the paired test (default 1000 bootstrap, 10000 ar)",
    )
    t.add_argument("--seed", type=int, help="seed of the paired test (default 12345)")


def run(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Gate every suite, write the outputs, return 0, 1 or 3."""
    from evalharness.report.markdown import markdown_summary

    info: Info = (lambda _m: None) if args.quiet else env.info
    comet = comet_options(args)
    kept: dict[str, ReportToRecord] = {}
    verdicts = [
        gate_suite(suite, comet, info, keep=gate_keeper(kept, suite.name))
        for suite in suites_from_args(args)
    ]
    verdict = GateVerdict(tuple(verdicts))
    _write_outputs(verdict, args)
    summary_path = env.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        try:
            with open(summary_path, "a", encoding="utf-8") as handle:
                handle.write(markdown_summary(verdict) + "\n")
        except OSError as exc:
            env.info(f"warning: cannot append to $GITHUB_STEP_SUMMARY ({summary_path}): {exc}")
    if env.environ.get("GITHUB_ACTIONS") == "true":
        for line in github_annotations(verdict):
            env.stdout.write(line + "\n")
    env.stdout.write(terminal_summary(verdict))
    for suite in verdict.suites:
        if suite.refusal is not None:
            env.stderr.write(f"error: suite {suite.name}: {suite.refusal}\n")
    record_gate_runs(args, env, verdict, kept)
    return verdict.exit_status


def suites_from_args(args: argparse.Namespace) -> list[Suite]:
    """The suites to gate: from ``--config``, or one built from the command line.

    Raises:
        UsageError: the options do not name a complete comparison.
    """
    overrides = {
        "min_specs": args.min,
        "max_specs": args.max,
        "drop_specs": args.max_drop,
        "findings_specs": args.max_findings,
        "scalars": {
            "alpha": args.alpha,
            "test": args.test,
            "samples": args.samples,
            "seed": args.seed,
            "no_more_findings": args.no_more_findings,
        },
    }
    params = metric_params(args.tokenize, args.lowercase)
    metrics = _metric_list(args.metrics)
    if args.config:
        if args.baseline or args.baseline_hyp or args.ref or args.hyp:
            raise UsageError(
                "--config runs its suites; do not combine it with --ref/--hyp/--baseline"
            )
        suites = load_config(args.config).select(args.suite)
        return [
            _override(s, thresholds_from_options(s.thresholds, **overrides), args, metrics, params)
            for s in suites
        ]
    if args.suite:
        raise UsageError("--suite needs --config")
    if not args.ref or not args.hyp:
        raise UsageError(
            f"give --ref and --hyp with --baseline or --baseline-hyp, or --config {DEFAULT_CONFIG}"
        )
    if bool(args.baseline) == bool(args.baseline_hyp):
        raise UsageError(
            "give exactly one of --baseline (a JSON report) and --baseline-hyp (a system output)"
        )
    suite = Suite(
        name=Path(args.hyp).stem or "gate",
        reference=args.ref[0],
        references=tuple(args.ref) if len(args.ref) > 1 else (),
        hypothesis=args.hyp,
        baseline=args.baseline,
        source=args.src,
        baseline_hypothesis=args.baseline_hyp,
        baseline_system=args.baseline_system,
        thresholds=thresholds_from_options(Thresholds(), **overrides),
    )
    return [_override(suite, suite.thresholds, args, metrics, params)]


def _metric_list(spec: str | None) -> tuple[str, ...] | None:
    from evalharness.pipeline import parse_metric_list

    return parse_metric_list(spec)


def _override(
    suite: Suite,
    thresholds: Thresholds,
    args: argparse.Namespace,
    metrics: tuple[str, ...] | None,
    params: dict[str, dict[str, Any]],
) -> Suite:
    return replace(
        suite,
        fmt=args.format or suite.fmt,
        metrics=metrics or suite.metrics,
        metric_params={**suite.metric_params, **params},
        source=args.src or suite.source,
        language_pair=_checked_pair(args.language_pair) or suite.language_pair,
        thresholds=thresholds,
        glossary=args.glossary or suite.glossary,
    )


def _checked_pair(spec: str | None) -> str | None:
    """``-l`` as given, after checking it parses (a UsageError otherwise)."""
    if spec:
        from evalharness.lang.profiles import parse_language_pair

        parse_language_pair(spec)
    return spec


def gate_suite(
    suite: Suite, comet: CometOptions, info: Info, keep: Keep | None = None
) -> SuiteVerdict:
    """Evaluate one suite's candidate (and baseline system) and compare them.

    A refused comparison or an unreadable input becomes a refused verdict, so
    that the other suites still run and the CI reports show the reason.

    Raises:
        UsageError: bad options.
        MetricUnavailableError: a metric the suite needs cannot be computed.
    """
    baseline_label = suite.baseline or suite.baseline_hypothesis or ""
    try:
        base, cand = load_pair(suite, comet, info, keep)
        return compare(suite.name, base, cand, suite.thresholds, candidate_path=suite.hypothesis)
    except (GateRefusal, InputError) as exc:
        return SuiteVerdict(suite.name, baseline_label, suite.hypothesis, refusal=str(exc))


def load_pair(
    suite: Suite, comet: CometOptions, info: Info, keep: Keep | None = None
) -> tuple[SystemSnapshot, SystemSnapshot]:
    """Baseline and candidate snapshots of a suite (evaluating what must be).

    ``keep``, when given, receives the candidate's evaluate report (for the history).
    """
    from evalharness.pipeline import evaluate
    from evalharness.report.serialize import read_report

    needs_findings = bool(suite.thresholds.max_findings or suite.thresholds.no_more_findings)
    if suite.baseline_hypothesis:
        options = suite_evaluate_options(suite, None, comet, run_checks=needs_findings)
        hyps = [suite.baseline_hypothesis, suite.hypothesis]
        report = evaluate(suite.reference_files, hyps, suite.source, options=options, info=info).to_dict()
        if keep is not None:
            keep(report, ("candidate",))
        base = system_snapshot(report, "baseline", suite.baseline_hypothesis)
        return base, system_snapshot(report, "candidate", suite.hypothesis)
    assert suite.baseline is not None  # Suite requires one of the two
    baseline_report = read_report(suite.baseline)
    base = system_snapshot(baseline_report, suite.baseline_system, suite.baseline)
    if needs_findings and (baseline_report.get("options") or {}).get("checks") is False:
        raise GateRefusal(
            f"the baseline ({suite.baseline}) was made without the error checks; "
            "findings thresholds need a baseline made with them"
        )
    options = suite_evaluate_options(suite, baseline_report, comet, run_checks=needs_findings)
    if options.metrics is None:
        named = sorted(suite.thresholds.named_metrics())
        options = _with_metrics(options, tuple(dict.fromkeys([*base.scores, *named])))
    run = evaluate(suite.reference_files, [suite.hypothesis], suite.source, options=options, info=info)
    report = run.to_dict()
    if keep is not None:
        keep(report, None)
    return base, system_snapshot(report, None, suite.hypothesis)


def _with_metrics(options: Any, baseline_metrics: tuple[str, ...]) -> Any:
    if not baseline_metrics:
        raise GateRefusal("the baseline has no metric with a score; nothing to compare")
    return replace(options, metrics=baseline_metrics)


def suite_evaluate_options(
    suite: Suite, baseline_report: dict[str, Any] | None, comet: CometOptions, *, run_checks: bool
) -> Any:
    """Pipeline options for a suite: its own settings, else the baseline report's.

    The baseline's metrics are used only when the suite names none (the caller
    fills them in from the baseline's available scores); metrics named by a
    threshold are always added.
    """
    from evalharness.pipeline import EvaluateOptions

    saved = (baseline_report or {}).get("options") or {}
    fmt = suite.fmt or (saved.get("format") if saved.get("format") in LINE_FORMATS else "auto")
    bootstrap = saved.get("bootstrap") or {}
    metrics = suite.metrics
    named = sorted(suite.thresholds.named_metrics())
    if metrics is not None:
        metrics = tuple(dict.fromkeys([*metrics, *named]))
    return EvaluateOptions(
        fmt=fmt or "auto",
        metrics=metrics,
        comet=comet,
        resegment=bool(saved.get("resegment", False)),
        ref_docids=saved.get("ref_docids"),
        bootstrap_samples=int(bootstrap.get("samples", 1000)),
        seed=int(bootstrap.get("seed", 12345)),
        run_checks=run_checks,
        names=("baseline", "candidate") if suite.baseline_hypothesis else None,
        metric_params=dict(suite.metric_params),
        language_pair=suite.language_pair or _saved_pair(saved, baseline_report),
        glossary=suite.glossary,
    )


def _saved_pair(saved: dict[str, Any], report: dict[str, Any] | None) -> str | None:
    """The baseline's language pair when it was given (a detected pair is detected again)."""
    if saved.get("language_pair"):
        return str(saved["language_pair"])
    return None


def _write_outputs(verdict: GateVerdict, args: argparse.Namespace) -> None:
    if args.json_out:
        text = json.dumps(verdict.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
        atomic_write_text(args.json_out, text + "\n")
    if args.junit:
        from evalharness.report.junit import write_junit

        write_junit(verdict, args.junit)
    if args.markdown:
        from evalharness.report.markdown import write_markdown

        write_markdown(verdict, args.markdown)
