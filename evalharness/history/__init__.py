"""Run history: every recorded run in an embedded database, trends over time, drift.

``evaluate --record`` and ``gate --record`` append runs to a SQLite file
(default :data:`DEFAULT_PATH`) or a PostgreSQL database; ``evalharness history``
lists, shows, compares (with the gate's paired tests), charts and exports them.
Modules: :mod:`~.capture` (report -> run record), :mod:`~.store`, :mod:`~.schema`
(migrations), :mod:`~.backends` (SQLite and PostgreSQL), :mod:`~.compare`,
:mod:`~.trend` (HTML page), :mod:`~.export` (CSV).
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_PATH = ".evalharness/history.sqlite"
ENV_LOCATION = "EVALHARNESS_HISTORY"
ENV_TIMEOUT = "EVALHARNESS_HISTORY_TIMEOUT"


def history_location(
    option: str | None, environ: Mapping[str, str], configured: str | None = None
) -> str:
    """Where the history lives: ``--history``, else the environment, else the config, else the default."""
    return option or environ.get(ENV_LOCATION) or configured or DEFAULT_PATH
