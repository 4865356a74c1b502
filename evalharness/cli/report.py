"""``evalharness report RUN.json --html FILE``: render a saved run as other report formats."""

from __future__ import annotations

import argparse
from typing import Any

from evalharness.errors import ExitStatus, UsageError


def register(subparsers: Any) -> None:
    """Add the ``report`` parser."""
    p = subparsers.add_parser(
        "report",
        help="render a saved JSON report (e.g. as HTML)",
        description=(
            "Render a JSON report written by 'evalharness evaluate --json' as a "
            "self-contained HTML page (one file, no network)."
        ),
    )
    p.add_argument("run", metavar="RUN.json", help="JSON report of an evaluate run")
    p.add_argument("--html", dest="html_out", metavar="FILE", help="write the HTML report here")
    p.add_argument("--quiet", action="store_true", help="no status line")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Read the run's JSON report and write each requested format.

    Raises:
        UsageError: No output was requested.
        InputError: The JSON report is unreadable or not an evalharness report.
    """
    if not args.html_out:
        raise UsageError("nothing to write: give --html FILE")
    from evalharness.report.html_report.render import write_html
    from evalharness.report.serialize import read_report

    report = read_report(args.run)
    write_html(report, args.html_out)
    if not args.quiet:
        env.info(f"wrote {args.html_out}")
    return ExitStatus.SUCCESS
