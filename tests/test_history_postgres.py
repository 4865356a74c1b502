"""The history on a real PostgreSQL server: a temporary cluster on a local socket.

``make test`` installs the server from Debian (``make postgres``); the cluster is
made with initdb under /tmp and started with pg_ctl (as the ``postgres`` user
when the tests run as root), one fresh database per test. The tests skip only
when the server binaries are absent, and say so.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import history_util
import pandas as pd
import pytest
from history_util import Reports, record_concurrently

from evalharness.cli.app import run_cli
from evalharness.history.backends import open_database
from evalharness.history.schema import SCHEMA_VERSION, migrate, schema_version

history_reports = history_util.history_reports  # the session fixture


def postgres_bindir() -> Path | None:
    """Directory of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(found[0]).parent if found else None


def _as_server_user(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a temporary cluster's ``postgres`` database."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed; "
                    "`make postgres` installs them (apt-get install postgresql)")  # fmt: skip
    root = Path(tempfile.mkdtemp(prefix="eh-pg-", dir="/tmp"))
    root.chmod(0o755)
    data, sock = root / "data", root / "sock"
    for d in (data, sock):
        d.mkdir()
        if os.geteuid() == 0:
            shutil.chown(d, "postgres")
    port = _free_port()
    run = lambda argv: subprocess.run(_as_server_user(argv), check=True, capture_output=True)  # noqa: E731
    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-N",
         "-E", "UTF8"])  # fmt: skip
    options = f"-k {sock} -p {port} -c listen_addresses='' -F"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o", options,
         "start"])  # fmt: skip
    try:
        yield f"postgresql://postgres@/postgres?host={sock}&port={port}"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: str) -> str:
    """A fresh, empty database on the temporary cluster."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_server.replace("/postgres?", f"/{name}?")


def history(url: str, *argv: str) -> Any:
    return run_cli(["history", *argv, "--history", url])


def test_concurrent_recorders_on_postgres(
    history_reports: Reports, pg_url: str, tmp_path: Path
) -> None:
    for report in (history_reports.gpt4, history_reports.nllb):
        result = history(pg_url, "record", str(report), "--suite", "news")
        assert result.exit_status == 0, result.stderr
    record_concurrently(history_reports.nllb, pg_url, 8)
    out = tmp_path / "runs.csv"
    assert history(pg_url, "export", "--csv", str(out)).exit_status == 0
    assert sorted(pd.read_csv(out)["run_id"].unique()) == list(range(1, 11))
    page = tmp_path / "trend.html"
    assert history(pg_url, "trend", "--html", str(page)).exit_status == 0
    assert "<p>10 runs, 6 charts." in page.read_text()


def test_compare_on_postgres_equals_sqlite(
    history_reports: Reports, pg_url: str, tmp_path: Path
) -> None:
    for report in (history_reports.gpt4, history_reports.nllb):
        assert history(pg_url, "record", str(report), "--suite", "news").exit_status == 0
    verdicts = []
    for location, name in ((pg_url, "pg.json"), (str(history_reports.db), "lite.json")):
        result = history(location, "compare", "1", "2", "--json", str(tmp_path / name))
        assert result.exit_status in (0, 1), result.stderr
        verdicts.append(json.loads((tmp_path / name).read_text())["suites"][0]["metrics"])
    assert verdicts[0] == verdicts[1] != []
    shown = history(pg_url, "show", "2")
    assert "system nllb" in shown.stdout and "tok:13a" in shown.stdout


def test_migration_and_newer_schema_on_postgres(pg_url: str) -> None:
    db = open_database(pg_url, create=False)
    try:
        assert migrate(db, target=1) == 1
        assert schema_version(db) == 1
        assert migrate(db) == SCHEMA_VERSION
        db.write(lambda tx: tx.execute("UPDATE meta SET value = '99'"))
    finally:
        db.close()
    result = history(pg_url, "list")
    assert result.exit_status == 3 and "newer" in result.stderr


def test_unreachable_server_is_one_line_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://user:secret@/db?host={tmp_path}&port=1"
    result = history(url, "list")
    assert result.exit_status == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "secret" not in lines[0] and "user:***@" in lines[0]
