"""``evalharness meta``: how well each metric, and the error report, agree with human judgements."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from evalharness.errors import ExitStatus, UsageError


def register(subparsers: Any) -> None:
    """Add the ``meta`` parser."""
    p = subparsers.add_parser(
        "meta",
        help="meta-evaluate metrics and the error report against human scores",
        description=(
            "Correlate metric scores and the error report's score with human judgements: "
            "segment-level Pearson, Kendall tau-b (all items and grouped by segment) and "
            "acc_eq; system-level Pearson and pairwise accuracy; 95% bootstrap intervals "
            "over segments; for MQM files also span-level precision/recall of the findings."
        ),
    )
    p.add_argument("--human", required=True, metavar="FILE", help="human judgements")
    p.add_argument("--format", dest="human_format", required=True, choices=("mqm", "da", "tsv"),
                   help="mqm: Google MQM TSV with texts (scored here); da: WMT DA/ESA CSV; "
                   "tsv: system, segment, score (da and tsv need --run)")
    p.add_argument("--metrics", help="comma-separated metrics (mqm default: bleu,chrf,ter; "
                   "with --run: every metric of the run)")
    p.add_argument("--run", metavar="REPORT.json", help="JSON report of an evaluate run (da, tsv)")
    p.add_argument("--weights", help="MQM weights: a TOML file or 'major=5,minor=1,...'")
    p.add_argument("--score-column", help="human score column of a da file (default: score)")
    p.add_argument("--segment-base", type=int, choices=(0, 1), default=1,
                   help="segment ids of da/tsv files: 1 = report id + 1 (default), 0 = report id")
    p.add_argument("-l", "--language-pair", help="SRC-TGT of an mqm file without an lp column")
    p.add_argument("--no-checks", action="store_true", help="mqm: skip the error report")
    p.add_argument("--comet-model", help="COMET model when --metrics has comet")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    p.add_argument("--seed", type=int, default=12345, help="resampling seed (default 12345)")
    p.add_argument("--json", dest="json_out", help="write the JSON (evalharness.meta/1) here")
    p.add_argument("--markdown", dest="markdown_out", help="write the Markdown table here")
    p.add_argument("--html", dest="html_out", help="write the HTML page with scatter plots here")
    p.add_argument("--quiet", action="store_true", help="no table on stdout, no status lines")
    p.set_defaults(handler=run)


def _input(args: argparse.Namespace, say: Any) -> tuple[Any, Any, dict[str, Any]]:
    """Read the human file and score (mqm) or join (da/tsv): (human, MetaInput, description)."""
    from evalharness.meta.human import read_mqm, read_scores
    from evalharness.pipeline import parse_metric_list

    metrics = parse_metric_list(args.metrics)
    if args.human_format == "mqm":
        from evalharness.lang.profiles import parse_language_pair
        from evalharness.meta.from_mqm import score_mqm
        from evalharness.meta.weights import load_weights

        if args.run:
            raise UsageError("--run is for da and tsv files; an mqm file is scored directly")
        weights = load_weights(args.weights)
        human = read_mqm(args.human, weights)
        pair = parse_language_pair(args.language_pair) if args.language_pair else None
        data = score_mqm(human, metrics or ("bleu", "chrf", "ter"), languages=pair,
                         run_checks=not args.no_checks, say=say,
                         comet_model=args.comet_model)
        described = {"path": args.human, "format": "mqm", "score": "mqm",
                     "language_pair": args.language_pair or human.language_pair,
                     "weights": weights.to_dict()}
        return human, data, described
    if not args.run:
        raise UsageError(f"--format {args.human_format} needs --run REPORT.json (the metric side)")
    if args.weights:
        raise UsageError("--weights applies to mqm files only")
    from evalharness.meta.from_run import join_run
    from evalharness.report.serialize import read_report

    human = read_scores(args.human, args.human_format, args.score_column)
    report = read_report(args.run)
    data = join_run(human, report, run_path=args.run, segment_base=args.segment_base,
                    metric_names=metrics, say=say)
    described = {"path": args.human, "format": args.human_format, "score": human.score_column,
                 "run": args.run}
    return human, data, described


def run(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Read, score, analyse and write every requested output.

    Raises:
        UsageError: bad option combination.
        InputError: unreadable or malformed human file or run report.
        MetricUnavailableError: a requested metric cannot be computed.
    """
    from evalharness.fsutil import atomic_write_text
    from evalharness.meta.analysis import analyse
    from evalharness.meta.report import markdown_report, meta_to_dict

    if args.bootstrap < 0:
        raise UsageError("--bootstrap must be 0 or more")
    say = (lambda _m: None) if args.quiet else env.info
    started = time.perf_counter()
    human, data, described = _input(args, say)
    scored = time.perf_counter()
    result = analyse(data, samples=args.bootstrap, seed=args.seed)
    spans = None
    if data.findings is not None:
        from evalharness.meta.spans import span_agreement

        spans = span_agreement(human.items, data.findings)
    done = time.perf_counter()
    say(f"scored {len(data.human)} items in {scored - started:.1f} s, "
        f"statistics in {done - scored:.1f} s")
    title = f"Meta-evaluation: {args.human}"
    if args.json_out:
        document = meta_to_dict(result, described, spans)
        atomic_write_text(args.json_out, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    markdown = markdown_report(result, title, spans)
    if args.markdown_out:
        atomic_write_text(args.markdown_out, markdown)
    if args.html_out:
        from evalharness.meta.html_page import write_meta_html

        write_meta_html(args.html_out, result, data, title)
    if not args.quiet:
        print(markdown, end="", file=env.stdout)
    return ExitStatus.SUCCESS
