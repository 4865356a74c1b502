"""Exceptions and exit statuses.

Library code raises these; only :mod:`evalharness.cli.app` turns them into messages
and exit codes (see ``raw_main``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, stable across releases (see the README)."""

    SUCCESS = 0
    REGRESSION = 1
    USAGE = 2
    INPUT = 3
    METRIC_UNAVAILABLE = 4
    INTERNAL = 123
    INTERRUPTED = 130
    """Ctrl-C (SIGINT), as shells report it."""
    HANGUP = 129
    TERMINATED = 143
    """SIGTERM, as a CI timeout sends it."""


class EvalHarnessError(Exception):
    """Base class of every error that the CLI reports as a one-line message."""

    exit_status: ExitStatus = ExitStatus.INTERNAL


class UsageError(EvalHarnessError):
    """The command line or API call is wrong (unknown metric, bad option value)."""

    exit_status = ExitStatus.USAGE


class InputError(EvalHarnessError):
    """An input file cannot be used: missing, empty, binary, malformed, mismatched.

    Args:
        message: What is wrong, phrased for the user.
        path: The offending file, when there is one.
        line: 1-based line number, when it applies.
        offset: Byte offset, when a line number does not apply (encoding errors).
    """

    exit_status = ExitStatus.INPUT

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.offset = offset
        self.reason = message
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}"
            elif offset is not None:
                where += f": byte {offset}"
            where += ": "
        super().__init__(f"{where}{message}")


class OutputError(InputError):
    """An output path cannot be written: a directory, a file in the way, no permission.

    Exit status 3, like an unusable input: the run's environment is at fault.
    """


class MetricUnavailableError(EvalHarnessError):
    """A metric the user asked for cannot be computed (model missing, no network).

    Args:
        metric: Metric name, e.g. ``"comet"``.
        cause: Why it is unavailable.
        fix: What the user can do about it.
    """

    exit_status = ExitStatus.METRIC_UNAVAILABLE

    def __init__(self, metric: str, cause: str, fix: str = "") -> None:
        self.metric = metric
        self.cause = cause
        self.fix = fix
        text = f"{metric} unavailable: {cause}"
        if fix:
            text += f" (fix: {fix})"
        super().__init__(text)


class GateRefusal(EvalHarnessError):
    """A baseline cannot be compared with the candidate (signature or segment mismatch)."""

    exit_status = ExitStatus.INPUT
