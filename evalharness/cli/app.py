"""Command line: the one place where exceptions become messages and exit codes.

``raw_main`` parses arguments and dispatches to a subcommand module in
:mod:`evalharness.cli`; each module registers its parser and returns an
:class:`~evalharness.errors.ExitStatus`. Nothing below this module prints to the
terminal or exits.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from evalharness import __version__
from evalharness.errors import EvalHarnessError, ExitStatus

COMMAND_MODULES = ("evaluate", "report", "gate", "baseline", "comet", "meta", "history")


@dataclass
class Environment:
    """Streams and environment variables of one CLI invocation (injectable for tests)."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    @property
    def stderr_is_tty(self) -> bool:
        """Whether progress bars may be drawn on stderr."""
        isatty = getattr(self.stderr, "isatty", None)
        return bool(isatty and isatty())

    def info(self, message: str) -> None:
        """A status line on stderr (format choices, warnings)."""
        print(message, file=self.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors reach ``raw_main``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(f"{self.prog}: {message}")


class _ArgumentError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand registered."""
    import importlib

    parser = _Parser(
        prog="evalharness",
        description="Evaluate machine translation: align, score, find errors, gate CI.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--traceback", action="store_true", help="re-raise errors with a full traceback"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"evalharness.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"evalharness.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def raw_main(argv: Sequence[str] | None = None, env: Environment | None = None) -> ExitStatus:
    """Run one command and map every outcome to an exit status.

    Args:
        argv: Arguments without the program name (default: ``sys.argv[1:]``).
        env: Streams and environment (default: the process's).

    Returns:
        The exit status; only :func:`main` calls ``sys.exit``.
    """
    env = env or Environment()
    args_list = list(sys.argv[1:] if argv is None else argv)
    traceback = "--traceback" in args_list
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(args_list)
        except _ArgumentError as exc:
            print(f"error: {exc}", file=env.stderr)
            return ExitStatus.USAGE
        except SystemExit as exc:  # --help
            return ExitStatus(int(exc.code or 0))
        if args.version:
            print(f"evalharness {__version__}", file=env.stdout)
            return ExitStatus.SUCCESS
        handler = getattr(args, "handler", None)
        if handler is None:
            parser.print_help(env.stderr)
            return ExitStatus.USAGE
        with warnings.catch_warnings():
            warnings.showwarning = _warning_printer(env)
            return ExitStatus(handler(args, env))
    except EvalHarnessError as exc:
        return _report(exc, f"error: {exc}", exc.exit_status, traceback, env)
    except KeyboardInterrupt as exc:
        return _report(exc, "error: interrupted", ExitStatus.INTERRUPTED, traceback, env)
    except Terminated as exc:
        status = ExitStatus.HANGUP if exc.signum == 1 else ExitStatus.TERMINATED
        return _report(exc, f"error: stopped by signal {exc.signum}", status, traceback, env)
    except MemoryError as exc:
        message = "error: out of memory: the input is too large for this machine; split it"
        return _report(exc, message, ExitStatus.INPUT, traceback, env)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"error: {where}{_one_line(str(exc.strerror or exc))}"
        return _report(exc, message, ExitStatus.INPUT, traceback, env)
    except Exception as exc:
        detail = _one_line(str(exc))
        message = f"internal error: {type(exc).__name__}: {detail} (rerun with --traceback)"
        return _report(exc, message, ExitStatus.INTERNAL, traceback, env)


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM or SIGHUP so that cleanup runs (see :func:`main`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"signal {signum}")
        self.signum = signum


def _report(exc: BaseException, message: str, status: ExitStatus, traceback: bool,
            env: Environment) -> ExitStatus:
    """Print one line (or the traceback with ``--traceback``) and keep the exit status."""
    if traceback:
        import traceback as tb

        tb.print_exception(exc, file=env.stderr)
    print(message, file=env.stderr)
    return status


def _warning_printer(env: Environment) -> Any:
    """``warnings.showwarning`` replacement: one ``warning: ...`` line, no source path."""

    def show(message: Warning | str, *_args: object, **_kwargs: object) -> None:
        print(f"warning: {_one_line(str(message))}", file=env.stderr)

    return show


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class CliResult:
    """What an in-process CLI run returned and printed (for tests)."""

    exit_status: ExitStatus
    stdout: str
    stderr: str


def run_cli(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> CliResult:
    """Run the CLI in-process with captured streams.

    Args:
        argv: Arguments without the program name.
        environ: Environment variables seen by the command (default: a copy of os.environ).
    """
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ=dict(environ or os.environ))
    status = raw_main(argv, env)
    return CliResult(status, out.getvalue(), err.getvalue())


def main() -> None:
    """Console-script entry point.

    SIGTERM and SIGHUP (what CI timeouts send) raise :class:`Terminated` in the
    main thread, like Ctrl-C raises KeyboardInterrupt, so temporary files are
    removed and caches committed before the process exits (130 for Ctrl-C, 143
    for SIGTERM).
    """
    import signal

    def _terminate(signum: int, _frame: object) -> None:
        raise Terminated(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    sys.exit(int(raw_main()))
