"""The history store: record runs, list them, read them back for show, compare and trends.

``HistoryStore.open(location)`` connects (SQLite file or PostgreSQL URL),
brings the schema up to date and returns a store; every method is one or two
queries written once for both databases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from evalharness.errors import InputError
from evalharness.gate.snapshot import SystemSnapshot
from evalharness.history.backends import DEFAULT_TIMEOUT, Database, Transaction, open_database
from evalharness.history.capture import RunRecord, SystemRecord
from evalharness.history.codec import (
    encode_texts,
    pack_array,
    pack_texts,
    unpack_array,
    unpack_texts,
)
from evalharness.history.runs import (
    RunSummary,
    StoredMetric,
    StoredRun,
    StoredSystem,
    TrendPoint,
)
from evalharness.history.schema import migrate
from evalharness.records import SEVERITIES

_RUN_COLUMNS = (
    "r.id, r.uid, r.created, r.suite, r.command, r.git_commit, r.git_branch, r.gate_status"
)


class HistoryStore:
    """Recorded runs in one database.

    Args:
        db: An open database whose schema is current.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def open(
        cls, location: str, *, create: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> HistoryStore:
        """Connect and migrate.

        Args:
            location: SQLite file or ``postgresql://`` URL.
            create: Create a missing SQLite file (recording does; reading does not).
            timeout: Seconds a write waits for the lock.

        Raises:
            InputError: the database is missing, unreadable, corrupt, locked
                past the timeout, or from a newer evalharness.
        """
        db = open_database(location, create=create, timeout=timeout)
        try:
            migrate(db)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        """File or URL (password masked), for messages."""
        return self.db.location

    def record(self, *runs: RunRecord) -> list[int]:
        """Append runs in one transaction; returns their run ids.

        Raises:
            InputError: the database cannot be written (locked past the timeout,
                read-only, corrupt).
        """
        return self.db.write(lambda tx: [_insert_run(tx, run) for run in runs])

    def list_runs(
        self, suite: str | None = None, system: str | None = None, last: int | None = None
    ) -> list[RunSummary]:
        """Runs, oldest first, optionally of one suite, one system, the last ``last``."""
        where, params = _run_filter(suite, system, last)
        rows = self.db.query(
            f"SELECT {_RUN_COLUMNS}, s.name FROM runs r LEFT JOIN systems s ON s.run_id = r.id "
            f"WHERE r.id IN ({where}) ORDER BY r.id, s.position",
            params,
        )
        runs: dict[int, tuple[tuple[Any, ...], list[str]]] = {}
        for row in rows:
            head, names = runs.setdefault(int(row[0]), (row[:8], []))
            if row[8] is not None:
                names.append(str(row[8]))
        return [_summary(head, names) for head, names in runs.values()]

    def run(self, run_id: int) -> StoredRun:
        """One run with its systems, metrics and findings.

        Raises:
            InputError: no run has this id.
        """
        rows = self.db.query(
            f"SELECT {_RUN_COLUMNS}, r.reference_sha256, r.source_sha256, r.languages, "
            "r.versions, r.options FROM runs r WHERE r.id = ?",
            (run_id,),
        )
        if not rows:
            raise InputError(f"no run {run_id} in the history", self.location)
        row = rows[0]
        systems = self._systems(run_id)
        summary = _summary(row[:8], [s.name for s in systems])
        return StoredRun(
            summary=summary,
            reference_sha256=row[8],
            source_sha256=row[9],
            languages=row[10],
            versions=json.loads(row[11] or "{}"),
            options=json.loads(row[12] or "{}"),
            systems=tuple(systems),
        )

    def _systems(self, run_id: int) -> list[StoredSystem]:
        systems = self.db.query(
            "SELECT id, name, path, hypothesis_sha256, findings_total, ref_counts "
            "FROM systems WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        metrics = self.db.query(
            "SELECT system_id, metric, status, score, ci95_low, ci95_high, signature, reason "
            "FROM metrics WHERE run_id = ?",
            (run_id,),
        )
        findings = self.db.query(
            "SELECT system_id, category, severity, count FROM findings WHERE run_id = ?",
            (run_id,),
        )
        out = []
        for sid, name, path, digest, total, counts in systems:
            out.append(
                StoredSystem(
                    name=name,
                    path=path,
                    hypothesis_sha256=digest,
                    findings_total=int(total),
                    segments=len(unpack_array(counts)),
                    metrics=tuple(_stored_metric(m[1:]) for m in metrics if m[0] == sid),
                    findings={(f[1], f[2]): int(f[3]) for f in findings if f[0] == sid},
                )
            )
        return out

    def snapshot(self, run_id: int, system: str | None = None) -> SystemSnapshot:
        """What the gate needs of one stored system (the first when ``system`` is None).

        Raises:
            InputError: no such run or system, or its stored arrays are unreadable.
        """
        origin = f"run {run_id}"
        where, params = ("", (run_id,)) if system is None else (" AND name = ?", (run_id, system))
        rows = self.db.query(
            "SELECT s.id, s.name, s.ref_counts, COALESCE(t.data, s.ref_texts), r.reference_sha256 "
            "FROM systems s JOIN runs r ON r.id = s.run_id "
            f"LEFT JOIN texts t ON t.id = s.ref_texts_id WHERE s.run_id = ?{where} "
            "ORDER BY s.position LIMIT 1",
            params,
        )
        if not rows:
            what = "" if system is None else f" with a system named {system!r}"
            raise InputError(f"no run {run_id}{what} in the history", self.location)
        sid, name, counts, texts, ref_digest = rows[0]
        metrics = self.db.query(
            "SELECT metric, status, score, signature, reason, stats FROM metrics "
            "WHERE system_id = ?",
            (sid,),
        )
        severities = dict(
            self.db.query(
                "SELECT severity, SUM(count) FROM findings WHERE system_id = ? GROUP BY severity",
                (sid,),
            )
        )
        try:
            return _snapshot(f"{origin} ({name})", ref_digest, counts, texts, metrics, severities)
        except ValueError as exc:
            raise InputError(
                f"{origin}: stored statistics unreadable: {exc}", self.location
            ) from None

    def points(
        self, suite: str | None = None, system: str | None = None, last: int | None = None
    ) -> list[TrendPoint]:
        """Every metric of every system of the selected runs, ordered by suite, system, metric, run."""
        where, params = _run_filter(suite, system, last)
        system_filter = "" if system is None else " AND s.name = ?"
        rows = self.db.query(
            "SELECT r.id, r.created, r.suite, s.name, m.metric, m.status, m.score, m.ci95_low, "
            "m.ci95_high, m.signature, r.gate_status, r.git_commit, r.git_branch, s.findings_total, "
            "m.higher_is_better "
            "FROM metrics m JOIN systems s ON s.id = m.system_id JOIN runs r ON r.id = m.run_id "
            f"WHERE r.id IN ({where}){system_filter} "
            "ORDER BY r.suite, s.name, m.metric, r.id",
            (*params, *(() if system is None else (system,))),
        )
        return [
            TrendPoint(
                run_id=int(r[0]),
                created=r[1],
                suite=r[2],
                system=r[3],
                metric=r[4],
                status=r[5],
                score=r[6],
                ci95=None if r[7] is None or r[8] is None else (float(r[7]), float(r[8])),
                signature=r[9],
                gate_status=r[10],
                git_commit=r[11],
                git_branch=r[12],
                findings_total=int(r[13]),
                higher_is_better=None if r[14] is None else bool(r[14]),
            )
            for r in rows
        ]


@contextmanager
def open_store(location: str, **kwargs: Any) -> Iterator[HistoryStore]:
    """:meth:`HistoryStore.open` as a context manager that closes the store."""
    store = HistoryStore.open(location, **kwargs)
    try:
        yield store
    finally:
        store.close()


def _run_filter(
    suite: str | None, system: str | None, last: int | None
) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    params: list[Any] = []
    limit = ""
    if suite is not None:
        clauses.append("suite = ?")
        params.append(suite)
    if system is not None:
        clauses.append("EXISTS (SELECT 1 FROM systems x WHERE x.run_id = runs.id AND x.name = ?)")
        params.append(system)
    if last is not None:
        limit = " ORDER BY id DESC LIMIT ?"
        params.append(int(last))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT id FROM runs{where}{limit}", tuple(params)


def _summary(head: Sequence[Any], names: Sequence[str]) -> RunSummary:
    return RunSummary(
        run_id=int(head[0]),
        uid=head[1],
        created=head[2],
        suite=head[3],
        command=head[4],
        git_commit=head[5],
        git_branch=head[6],
        gate_status=head[7],
        systems=tuple(names),
    )


def _stored_metric(row: Sequence[Any]) -> StoredMetric:
    metric, status, score, low, high, signature, reason = row
    return StoredMetric(
        metric=metric,
        status=status,
        score=None if score is None else float(score),
        ci95=None if low is None or high is None else (float(low), float(high)),
        signature=signature,
        reason=reason,
    )


def _insert_run(tx: Transaction, run: RunRecord) -> int:
    run_id = tx.insert(
        "INSERT INTO runs (uid, created, suite, command, git_commit, git_branch, "
        "reference_sha256, source_sha256, languages, versions, options, gate_status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            run.uid, run.created, run.suite, run.command, run.git_commit, run.git_branch,
            run.reference_sha256, run.source_sha256, run.languages,
            json.dumps(dict(run.versions), sort_keys=True, default=str),
            json.dumps(dict(run.options), sort_keys=True, default=str),
            run.gate_status,
        ),
    )  # fmt: skip
    for position, system in enumerate(run.systems):
        _insert_system(tx, run_id, position, system)
    return run_id


def _insert_system(tx: Transaction, run_id: int, position: int, system: SystemRecord) -> None:
    system_id = tx.insert(
        "INSERT INTO systems (run_id, position, name, path, hypothesis_sha256, findings_total, "
        "ref_counts, ref_texts, ref_texts_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            run_id, position, system.name, system.path, system.hypothesis_sha256,
            system.findings_total, pack_array(np.asarray(system.ref_counts, dtype=np.int32)),
            b"", _text_id(tx, system.ref_texts),
        ),
    )  # fmt: skip
    tx.executemany(
        "INSERT INTO metrics (system_id, run_id, metric, status, score, ci95_low, ci95_high, "
        "signature, reason, stats, sentence_scores, higher_is_better) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                system_id, run_id, m.metric, m.status, m.score,
                None if m.ci95 is None else m.ci95[0], None if m.ci95 is None else m.ci95[1],
                m.signature, m.reason,
                None if m.stats is None else pack_array(_compact(m.stats)),
                None if m.sentence_scores is None else pack_array(m.sentence_scores),
                None if m.higher_is_better is None else int(m.higher_is_better),
            )
            for m in system.metrics
        ],
    )  # fmt: skip
    tx.executemany(
        "INSERT INTO findings (system_id, run_id, category, severity, count) VALUES (?, ?, ?, ?, ?)",
        [(system_id, run_id, c, s, n) for (c, s), n in sorted(system.findings.items())],
    )


def _text_id(tx: Transaction, texts: Sequence[str]) -> int:
    """Id of these texts in the ``texts`` table, stored once per distinct content."""
    raw = encode_texts(texts)
    digest = hashlib.sha256(raw).hexdigest()
    found = tx.execute("SELECT id FROM texts WHERE digest = ?", (digest,))
    if found:
        return int(found[0][0])
    tx.execute(
        "INSERT INTO texts (digest, data) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        (digest, pack_texts(raw)),
    )
    return int(tx.execute("SELECT id FROM texts WHERE digest = ?", (digest,))[0][0])


def _compact(stats: np.ndarray) -> np.ndarray:
    """Whole counts (BLEU's, chrF's) as int32, half the bytes; anything else unchanged.

    The snapshot turns them back into floats, so the gate sees the report's values.
    """
    whole = stats.size and np.all(np.isfinite(stats)) and np.all(stats == np.round(stats))
    if whole and np.abs(stats).max() < 2**31:
        return stats.astype(np.int32)
    return stats


def _snapshot(
    origin: str,
    reference_sha256: str | None,
    counts: bytes,
    texts: bytes,
    metrics: Sequence[Sequence[Any]],
    by_severity: dict[str, Any],
) -> SystemSnapshot:
    ok = [m for m in metrics if m[1] == "ok" and m[2] is not None]
    severity_counts = [int(by_severity.get(s) or 0) for s in SEVERITIES]
    return SystemSnapshot(
        origin=origin,
        reference_sha256=reference_sha256,
        scores={m[0]: float(m[2]) for m in ok},
        unavailable={m[0]: str(m[4] or "unavailable") for m in metrics if m not in ok},
        signatures={m[0]: str(m[3]) for m in metrics},
        ref_counts=tuple(int(n) for n in unpack_array(counts)),
        ref_texts=tuple(unpack_texts(texts)),
        stats={m[0]: None if m[5] is None else unpack_array(m[5]).astype(float) for m in ok},
        # The gate counts findings at each severity or worse.
        findings={s: sum(severity_counts[i:]) for i, s in enumerate(SEVERITIES)},
    )
