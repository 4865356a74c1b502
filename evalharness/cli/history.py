"""``evalharness history``: list, show, compare, chart and export recorded runs.

Also the ``--record``/``--history`` options that ``evaluate`` and ``gate`` share,
and :func:`record_reports`, which appends their runs to the store.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalharness.errors import ExitStatus, UsageError
from evalharness.history import DEFAULT_PATH, ENV_LOCATION, ENV_TIMEOUT, history_location


def register(subparsers: Any) -> None:
    """Add the ``history`` parser and its subcommands."""
    p = subparsers.add_parser(
        "history",
        help="recorded runs: list, show, compare, trend, export",
        description=(
            "Runs recorded with evaluate --record or gate --record, in "
            f"{DEFAULT_PATH} (or --history PATH, ${ENV_LOCATION}, a postgresql:// URL)."
        ),
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--history", metavar="PATH", help=f"database file or URL ({DEFAULT_PATH})")
    sub = p.add_subparsers(dest="history_command", metavar="SUBCOMMAND", parser_class=type(p))
    sub.required = True
    _register_list(sub, common)
    _register_record(sub, common)
    show = sub.add_parser("show", parents=[common], help="one run in full")
    show.add_argument("run", type=int, metavar="RUN", help="run id (see history list)")
    show.set_defaults(handler=run_show)
    _register_compare(sub, common)
    trend = sub.add_parser("trend", parents=[common], help="HTML page of charts over runs")
    trend.add_argument("--html", required=True, metavar="FILE", help="write the page here")
    trend.add_argument("--title", default="evalharness history", help="page title")
    _add_selection(trend)
    trend.set_defaults(handler=run_trend)
    export = sub.add_parser(
        "export", parents=[common], help="CSV: one row per run, system and metric"
    )
    export.add_argument("--csv", required=True, metavar="FILE", help="write the CSV here")
    _add_selection(export)
    export.set_defaults(handler=run_export)


def _register_list(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("list", parents=[common], help="recorded runs, oldest first")
    _add_selection(p)
    p.set_defaults(handler=run_list)


def _register_record(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "record",
        parents=[common],
        help="append a saved evaluate JSON report (e.g. a CI artifact)",
    )
    p.add_argument("report", metavar="REPORT", help="evaluate --json output")
    p.add_argument("--suite", metavar="NAME", help="suite name (default: the reference's stem)")
    p.add_argument(
        "--system", action="append", metavar="NAME", help="only this system (repeatable)"
    )
    p.add_argument(
        "--gate-status", choices=("pass", "regression", "refused"), help="the gate's verdict"
    )
    p.set_defaults(handler=run_record)


def _register_compare(sub: Any, common: argparse.ArgumentParser) -> None:
    from evalharness.cli.gate import _add_thresholds

    p = sub.add_parser(
        "compare",
        parents=[common],
        help="the gate's paired comparison of two stored runs",
        description=(
            "Compare RUN_B (candidate) with RUN_A (baseline) from their stored statistics, "
            "exactly as the gate compares reports. Exit 0 pass, 1 regression, 3 refused."
        ),
    )
    p.add_argument("run_a", type=int, metavar="RUN_A", help="baseline run id")
    p.add_argument("run_b", type=int, metavar="RUN_B", help="candidate run id")
    p.add_argument("--system-a", metavar="NAME", help="system of RUN_A (default: first)")
    p.add_argument("--system-b", metavar="NAME", help="system of RUN_B (default: first)")
    p.add_argument(
        "--allow-signature-change",
        action="store_true",
        help="compare even when a metric's signature changed between the runs",
    )
    _add_thresholds(p.add_argument_group("thresholds (as for gate)"))
    o = p.add_argument_group("outputs")
    o.add_argument("--junit", metavar="FILE", help="write a JUnit XML report here")
    o.add_argument("--markdown", metavar="FILE", help="write a Markdown summary here")
    o.add_argument("--json", dest="json_out", metavar="FILE", help="write the JSON verdict here")
    p.set_defaults(handler=run_compare)


def _add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--suite", metavar="S", help="only runs of this suite")
    p.add_argument("--system", metavar="N", help="only runs with this system")
    p.add_argument("--last", type=int, metavar="K", help="only the last K runs")


def add_record_arguments(p: argparse.ArgumentParser, *, suite: bool) -> None:
    """``--record`` and ``--history`` (and ``--suite`` for evaluate)."""
    g = p.add_argument_group("history")
    g.add_argument("--record", action="store_true", default=None, help="append this run")
    g.add_argument(
        "--history",
        metavar="PATH",
        help=f"history file or postgresql:// URL (default ${ENV_LOCATION} or {DEFAULT_PATH})",
    )
    if suite:
        g.add_argument("--suite", metavar="NAME", help="suite name (default: the reference's stem)")


@dataclass(frozen=True)
class ReportToRecord:
    """One run for :func:`record_reports`: a report and how to file it."""

    report: Mapping[str, Any]
    suite: str
    command: str
    gate_status: str | None = None
    systems: tuple[str, ...] | None = None


def record_reports(
    runs: Sequence[ReportToRecord], location: str, env: Any, *, quiet: bool = False
) -> list[int]:
    """Append ``runs`` to the history in one transaction; returns their ids.

    Raises:
        InputError: the history cannot be opened or written (the caller has
            already written its reports).
    """
    from evalharness.history.capture import capture_run
    from evalharness.history.store import open_store

    records = [
        capture_run(
            r.report,
            suite=r.suite,
            command=r.command,
            gate_status=r.gate_status,
            systems=r.systems,
            environ=env.environ,
        )
        for r in runs
    ]
    with open_store(location, create=True, timeout=_timeout(env.environ)) as store:
        ids = store.record(*records)
        where = store.location
    if not quiet:
        env.info(f"recorded run {', '.join(map(str, ids))} in {where}")
    return ids


def _timeout(environ: Mapping[str, str]) -> float:
    from evalharness.history.backends import DEFAULT_TIMEOUT

    text = environ.get(ENV_TIMEOUT)
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise UsageError(f"${ENV_TIMEOUT} must be a number of seconds >= 0, got {text!r}")
    return value


def _open(args: argparse.Namespace, env: Any) -> Any:
    from evalharness.history.store import open_store

    if getattr(args, "last", None) is not None and args.last < 1:
        raise UsageError("--last must be at least 1")
    location = history_location(args.history, env.environ)
    return open_store(location, create=False, timeout=_timeout(env.environ))


def run_record(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Append one saved report to the history."""
    from evalharness.report.serialize import read_report

    report = read_report(args.report)
    suite = args.suite or default_suite(str((report.get("reference") or {}).get("path") or ""))
    run = ReportToRecord(
        report,
        suite,
        "gate" if args.gate_status else "evaluate",
        gate_status=args.gate_status,
        systems=tuple(args.system) if args.system else None,
    )
    record_reports([run], history_location(args.history, env.environ), env)
    return ExitStatus.SUCCESS


def run_list(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Print one line per run."""
    with _open(args, env) as store:
        runs = store.list_runs(args.suite, args.system, args.last)
    lines = [f"{'RUN':>6}  {'CREATED':<25}  {'SUITE':<16}  {'COMMAND':<8}  {'GATE':<10}  "
             "COMMIT  SYSTEMS"]  # fmt: skip
    for r in runs:
        commit = (r.git_commit or "-")[:10]
        if r.git_branch:
            commit = f"{r.git_branch}@{commit}"
        lines.append(
            f"{r.run_id:>6}  {r.created:<25}  {r.suite:<16}  {r.command:<8}  "
            f"{r.gate_status or '-':<10}  {commit}  {', '.join(r.systems)}"
        )
    env.stdout.write("\n".join(lines) + "\n")
    return ExitStatus.SUCCESS


def run_show(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Print one run: provenance, then every system's metrics and findings."""
    from evalharness.gate.verdict import display_name, format_score

    with _open(args, env) as store:
        run = store.run(args.run)
    s = run.summary
    lines = [
        f"run {s.run_id} ({s.uid})",
        f"  created:   {s.created}",
        f"  suite:     {s.suite} ({s.command}{', gate ' + s.gate_status if s.gate_status else ''})",
        f"  git:       {s.git_branch or '-'} @ {s.git_commit or '-'}",
        f"  reference: sha256 {run.reference_sha256 or '-'}",
        f"  source:    sha256 {run.source_sha256 or '-'}",
        f"  languages: {run.languages or '-'}",
        f"  versions:  {json.dumps(dict(run.versions), sort_keys=True)}",
    ]
    for system in run.systems:
        lines.append(f"system {system.name} ({system.path}, {system.segments} segments)")
        lines.append(f"  hypothesis sha256 {system.hypothesis_sha256}")
        for m in system.metrics:
            if m.score is None:
                lines.append(f"  {display_name(m.metric):<7} unavailable: {m.reason}")
                continue
            ci = (
                ""
                if m.ci95 is None
                else (
                    f" [{format_score(m.metric, m.ci95[0])}, {format_score(m.metric, m.ci95[1])}]"
                )
            )
            lines.append(
                f"  {display_name(m.metric):<7} {format_score(m.metric, m.score)}{ci}  {m.signature}"
            )
        lines.append(f"  findings: {system.findings_total}")
        for (category, severity), count in sorted(system.findings.items()):
            lines.append(f"    {category:<28} {severity:<8} {count}")
    env.stdout.write("\n".join(lines) + "\n")
    return ExitStatus.SUCCESS


def run_compare(args: argparse.Namespace, env: Any) -> ExitStatus:
    """The gate's verdict on RUN_B against RUN_A, printed and written like the gate's."""
    from evalharness.cli.gate import _write_outputs
    from evalharness.gate.ci import terminal_summary
    from evalharness.gate.compare import GateVerdict
    from evalharness.gate.thresholds import Thresholds, thresholds_from_options
    from evalharness.history.compare import compare_runs

    thresholds = thresholds_from_options(
        Thresholds(),
        min_specs=args.min,
        max_specs=args.max,
        drop_specs=args.max_drop,
        findings_specs=args.max_findings,
        scalars={
            "alpha": args.alpha,
            "test": args.test,
            "samples": args.samples,
            "seed": args.seed,
            "no_more_findings": args.no_more_findings,
        },
    )
    with _open(args, env) as store:
        suite = compare_runs(
            store,
            args.run_a,
            args.run_b,
            thresholds,
            system_a=args.system_a,
            system_b=args.system_b,
            allow_signature_change=args.allow_signature_change,
        )
    verdict = GateVerdict((suite,))
    _write_outputs(verdict, args)
    env.stdout.write(terminal_summary(verdict))
    for note in suite.notes:
        env.info(f"note: {note}")
    return verdict.exit_status


def run_trend(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Write the trend page."""
    from evalharness.fsutil import atomic_write_text
    from evalharness.history.trend import render_trend

    with _open(args, env) as store:
        points = store.points(args.suite, args.system, args.last)
    atomic_write_text(args.html, render_trend(points, title=args.title))
    charts = len({(p.suite, p.system, p.metric) for p in points})
    env.info(f"wrote {args.html}: {len({p.run_id for p in points})} runs, {charts} charts")
    return ExitStatus.SUCCESS


def run_export(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Write the CSV export."""
    from evalharness.history.export import write_points_csv

    with _open(args, env) as store:
        points = store.points(args.suite, args.system, args.last)
    rows = write_points_csv(points, args.csv)
    env.info(f"wrote {args.csv}: {rows} rows")
    return ExitStatus.SUCCESS


def record_location(args: argparse.Namespace, env: Any, configured: str | None = None) -> str:
    """Where ``--record`` appends: ``--history``, ``$EVALHARNESS_HISTORY``, config, default."""
    return history_location(getattr(args, "history", None), env.environ, configured)


def default_suite(reference: str) -> str:
    """Suite name of an ``evaluate`` run recorded without ``--suite``."""
    return Path(reference).stem or "default"


def gate_keeper(kept: dict[str, ReportToRecord], suite: str) -> Any:
    """A callback for ``gate_suite`` that keeps the suite's candidate report."""

    def keep(report: dict[str, Any], systems: tuple[str, ...] | None) -> None:
        kept[suite] = ReportToRecord(report, suite, "gate", systems=systems)

    return keep


def record_gate_runs(
    args: argparse.Namespace, env: Any, verdict: Any, kept: Mapping[str, ReportToRecord]
) -> None:
    """Append the gated runs, with their status, when ``--record`` or ``[history] record`` asks.

    Raises:
        InputError: the history cannot be written (the gate's reports are already written).
    """
    from dataclasses import replace

    configured, record = None, bool(args.record)
    if args.config:
        from evalharness.gate.config import load_config

        config = load_config(args.config)
        configured, record = config.history_path, record or config.history_record
    runs = [replace(kept[s.name], gate_status=s.status) for s in verdict.suites if s.name in kept]
    if record and runs:
        record_reports(runs, record_location(args, env, configured), env, quiet=args.quiet)
