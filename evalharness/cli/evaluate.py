"""``evalharness evaluate``: score hypotheses against a reference and write reports."""

from __future__ import annotations

import argparse
from typing import Any

from evalharness.cli.history import add_record_arguments
from evalharness.errors import ExitStatus, UsageError
from evalharness.inputs.formats import FORMATS
from evalharness.records import CometOptions


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` parser."""
    p = subparsers.add_parser(
        "evaluate",
        help="score hypotheses against a reference",
        description="Align, score (BLEU, chrF, TER, COMET) and check hypotheses against a reference.",
    )
    p.add_argument(
        "--ref",
        required=True,
        action="append",
        help="reference file (repeat for several references; the first sets the segments)",
    )
    p.add_argument(
        "--hyp", required=True, action="append", help="hypothesis file (repeat for systems)"
    )
    p.add_argument("--src", help="source file (line-aligned with the reference)")
    add_language_argument(p)
    p.add_argument("--name", action="append", help="system name for each --hyp, in order")
    p.add_argument("--format", default="auto", choices=FORMATS, help="input format (default: auto)")
    p.add_argument(
        "--metrics",
        help="comma-separated: bleu,chrf,chrf++,ter,comet (default: all but chrf++; COMET optional)",
    )
    p.add_argument(
        "--tokenize",
        help="sacrebleu BLEU tokenizer (default: as sacrebleu picks for the target language)",
    )
    p.add_argument("--lowercase", action="store_true", help="case-insensitive BLEU and chrF (TER is case-insensitive by default)")
    p.add_argument(
        "--resegment",
        action="store_true",
        help="re-cut unsegmented hypotheses into the reference's segments",
    )
    p.add_argument(
        "--ref-docids", help="file with one document id per reference line (for --resegment)"
    )
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=12345, help="resampling seed (default 12345)")
    p.add_argument("--no-checks", action="store_true", help="skip the error checks")
    p.add_argument(
        "--glossary",
        metavar="FILE",
        help="terms to check: CSV/TSV (source,target,type,case,note) or TBX",
    )
    p.add_argument("--json", dest="json_out", help="write the JSON report here")
    p.add_argument("--csv", dest="csv_out", help="write one row per segment per system here")
    p.add_argument("--findings-csv", help="write one row per finding here")
    p.add_argument("--html", dest="html_out", help="write the self-contained HTML report here")
    p.add_argument("--quiet", action="store_true", help="no progress or status lines")
    add_comet_arguments(p)
    add_record_arguments(p, suite=True)
    p.set_defaults(handler=run)


def add_language_argument(p: argparse.ArgumentParser) -> None:
    """``-l/--language-pair``, shared by ``evaluate`` and ``gate``."""
    p.add_argument(
        "-l",
        "--language-pair",
        metavar="SRC-TGT",
        help="source and target language, as sacrebleu's -l (en-de); default: detected from the text",
    )


def add_comet_arguments(p: argparse.ArgumentParser) -> None:
    """COMET options shared by ``evaluate`` and ``gate``."""
    g = p.add_argument_group("COMET")
    g.add_argument(
        "--comet-model",
        default=CometOptions.model,
        help="hub name, checkpoint, model dir or bundle",
    )
    g.add_argument("--comet-batch-size", type=int, default=CometOptions.batch_size)
    g.add_argument("--gpus", type=int, help="GPUs for COMET (default: 1 if CUDA is available)")
    g.add_argument(
        "--comet-precision",
        choices=("fp32", "fp16", "bf16"),
        help="default fp32 on CPU, fp16 on GPU",
    )
    g.add_argument("--cache", dest="comet_cache", help="COMET score cache directory")
    g.add_argument("--no-cache", action="store_true", help="do not read or write the COMET cache")
    g.add_argument(
        "--backend", choices=("local", "ray"), default="local", help="COMET scoring backend"
    )
    g.add_argument("--ray-address", help="Ray cluster address for --backend ray")
    g.add_argument(
        "--comet-multi-ref",
        choices=("mean", "max"),
        default=CometOptions.multi_ref,
        help="with several references: the mean (default) or max COMET score per segment",
    )


def comet_options(args: argparse.Namespace) -> CometOptions:
    """CometOptions from parsed arguments."""
    return CometOptions(
        model=args.comet_model,
        batch_size=args.comet_batch_size,
        gpus=args.gpus,
        precision=args.comet_precision,
        cache_dir=args.comet_cache,
        use_cache=not args.no_cache,
        quiet=bool(getattr(args, "quiet", False)),
        backend=args.backend,
        ray_address=args.ray_address,
        multi_ref=getattr(args, "comet_multi_ref", CometOptions.multi_ref),
    )


def evaluate_options(args: argparse.Namespace) -> Any:
    """EvaluateOptions from parsed arguments."""
    from evalharness.pipeline import EvaluateOptions, parse_metric_list

    if args.bootstrap < 1:
        raise UsageError("--bootstrap must be at least 1")
    params: dict[str, dict[str, Any]] = {}
    if args.tokenize:
        params["bleu"] = {"tokenize": args.tokenize}
    if args.lowercase:
        # As in sacrebleu: BLEU and chrF take ``lowercase``; TER is case-insensitive
        # unless asked otherwise, so its signature already says ``case:lc``.
        for name in ("bleu", "chrf", "chrf++"):
            params.setdefault(name, {})["lowercase"] = True
    return EvaluateOptions(
        fmt=args.format,
        metrics=parse_metric_list(args.metrics),
        comet=comet_options(args),
        resegment=args.resegment,
        ref_docids=args.ref_docids,
        bootstrap_samples=args.bootstrap,
        seed=args.seed,
        run_checks=not args.no_checks,
        names=tuple(args.name) if args.name else None,
        metric_params=params,
        language_pair=_language_pair(args.language_pair),
        glossary=args.glossary,
    )


def _language_pair(spec: str | None) -> Any:
    """The parsed ``-l`` value (a UsageError for a bad code, before any file is read)."""
    from evalharness.lang.profiles import parse_language_pair

    return parse_language_pair(spec) if spec else None


def run(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Evaluate, print the summary, write the requested files."""
    from evalharness.pipeline import evaluate

    options = evaluate_options(args)
    info = (lambda _m: None) if args.quiet else env.info
    result = evaluate(args.ref, args.hyp, args.src, options=options, info=info)
    report = result.to_dict()
    write_outputs(report, args)
    from evalharness.report.terminal import format_summary

    env.stdout.write(format_summary(report))
    if args.record:
        from evalharness.cli import history

        suite = args.suite or history.default_suite(args.ref[0])
        run = history.ReportToRecord(report, suite, "evaluate")
        history.record_reports([run], history.record_location(args, env), env, quiet=args.quiet)
    return ExitStatus.SUCCESS


def write_outputs(report: dict[str, Any], args: argparse.Namespace) -> None:
    """Write every requested report file (each atomically)."""
    if args.json_out:
        from evalharness.report.serialize import write_json

        write_json(report, args.json_out)
    if args.csv_out:
        from evalharness.report.table import write_segments_csv

        write_segments_csv(report, args.csv_out)
    if args.findings_csv:
        from evalharness.report.findings import write_findings_csv

        write_findings_csv(report, args.findings_csv)
    if args.html_out:
        from evalharness.report.html_report.render import write_html

        write_html(report, args.html_out)
