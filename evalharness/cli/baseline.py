"""``evalharness baseline update``: re-evaluate suites and rewrite their stored baselines.

Baselines change only on purpose: this command is the one way the gate's
reference points move, and each file is replaced atomically.
"""

from __future__ import annotations

import argparse
from typing import Any

from evalharness.errors import ExitStatus, UsageError
from evalharness.gate.config import DEFAULT_CONFIG, load_config


def register(subparsers: Any) -> None:
    """Add the ``baseline`` parser and its ``update`` subcommand."""
    p = subparsers.add_parser(
        "baseline",
        help="manage the stored baselines of the gate suites",
        description="Manage the baseline reports that evalharness gate compares against.",
    )
    sub = p.add_subparsers(dest="baseline_command", metavar="ACTION")
    u = sub.add_parser(
        "update",
        help="re-evaluate suites and rewrite their baseline files",
        description=(
            "Evaluate each suite's hypothesis and write the JSON report to the suite's "
            "baseline path (atomically). Commit the result to move the gate's reference point."
        ),
    )
    u.add_argument(
        "--config", default=DEFAULT_CONFIG, help=f"suites file (default {DEFAULT_CONFIG})"
    )
    u.add_argument("--suite", action="append", help="only this suite (repeatable)")
    u.add_argument(
        "--no-checks",
        action="store_true",
        help="skip the error checks (faster; the gate then refuses findings thresholds)",
    )
    u.add_argument("--quiet", action="store_true", help="no status lines on stderr")
    from evalharness.cli.evaluate import add_comet_arguments

    add_comet_arguments(u)
    u.set_defaults(handler=update)
    p.set_defaults(handler=_missing_action)


def _missing_action(args: argparse.Namespace, env: Any) -> ExitStatus:
    raise UsageError(
        "baseline needs an action: evalharness baseline update [--config F] [--suite NAME]"
    )


def update(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Rewrite the baseline of every selected suite that stores one."""
    from evalharness.cli.evaluate import comet_options
    from evalharness.cli.gate import suite_evaluate_options
    from evalharness.gate.compare import display_name, format_score
    from evalharness.pipeline import evaluate
    from evalharness.report.serialize import write_json

    info = (lambda _m: None) if args.quiet else env.info
    suites = load_config(args.config).select(args.suite)
    comet = comet_options(args)
    written = 0
    for suite in suites:
        if suite.baseline is None:
            info(
                f"{suite.name}: compares with {suite.baseline_hypothesis}; no baseline file to update"
            )
            continue
        options = suite_evaluate_options(suite, None, comet, run_checks=not args.no_checks)
        run = evaluate(
            suite.reference_files, [suite.hypothesis], suite.source, options=options, info=info
        )
        report = run.to_dict()
        write_json(report, suite.baseline)
        written += 1
        metrics = report["systems"][0]["metrics"]
        scores = ", ".join(
            f"{display_name(n)} {format_score(n, m['score'])}"
            for n, m in metrics.items()
            if m.get("status") == "ok"
        )
        env.stdout.write(f"{suite.name}: wrote {suite.baseline} ({scores})\n")
    if not written:
        info("no baseline file was written")
    return ExitStatus.SUCCESS
