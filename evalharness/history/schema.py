"""The history database's schema, as numbered migrations written once for both dialects.

Each migration is a list of statements with ``{id}``, ``{blob}`` and ``{real}``
holes that :class:`~evalharness.history.backends.Dialect` fills in (SQLite and
PostgreSQL spell an auto-numbered key, a byte string and a float differently;
everything else is the same SQL). A database records the number of the last
migration applied in ``meta.schema_version``; opening it applies the missing
ones in one transaction, and a database from a newer evalharness is refused.

Never edit a released migration: add the next one.
"""

from __future__ import annotations

from collections.abc import Sequence

from evalharness.errors import InputError
from evalharness.history.backends import Database, Transaction

MIGRATIONS: Sequence[Sequence[str]] = (
    # 1: runs, their systems, and every metric of every system.
    (
        """CREATE TABLE runs (
            id {id},
            uid TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            suite TEXT NOT NULL,
            command TEXT NOT NULL,
            git_commit TEXT,
            git_branch TEXT,
            reference_sha256 TEXT,
            source_sha256 TEXT,
            languages TEXT,
            versions TEXT,
            options TEXT)""",
        """CREATE TABLE systems (
            id {id},
            run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            path TEXT,
            hypothesis_sha256 TEXT,
            findings_total INTEGER NOT NULL,
            ref_counts {blob} NOT NULL,
            ref_texts {blob} NOT NULL)""",
        """CREATE TABLE metrics (
            system_id BIGINT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
            run_id BIGINT NOT NULL,
            metric TEXT NOT NULL,
            status TEXT NOT NULL,
            score {real},
            ci95_low {real},
            ci95_high {real},
            signature TEXT NOT NULL,
            reason TEXT,
            stats {blob},
            sentence_scores {blob},
            PRIMARY KEY (system_id, metric))""",
        "CREATE INDEX runs_suite ON runs (suite, id)",
        "CREATE INDEX systems_run ON systems (run_id)",
        "CREATE INDEX metrics_run ON metrics (run_id)",
    ),
    # 2: the gate's verdict on a run, and findings by category and severity.
    (
        "ALTER TABLE runs ADD COLUMN gate_status TEXT",
        """CREATE TABLE findings (
            system_id BIGINT NOT NULL REFERENCES systems(id) ON DELETE CASCADE,
            run_id BIGINT NOT NULL,
            category TEXT NOT NULL,
            severity TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (system_id, category, severity))""",
        "CREATE INDEX systems_name ON systems (name, run_id)",
    ),
    # 3: reference texts stored once per distinct content (runs of a suite share
    # them); systems.ref_texts stays for rows written before, empty after.
    (
        """CREATE TABLE texts (
            id {id},
            digest TEXT NOT NULL UNIQUE,
            data {blob} NOT NULL)""",
        "ALTER TABLE systems ADD COLUMN ref_texts_id BIGINT REFERENCES texts(id)",
    ),
    # 4: each metric's direction as the recorder's registry had it, so that
    # reading a trend needs no metric plugin loaded (1 higher is better, 0 lower).
    ("ALTER TABLE metrics ADD COLUMN higher_is_better INTEGER",),
)

SCHEMA_VERSION = len(MIGRATIONS)
META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def schema_version(db: Database) -> int:
    """The last migration applied to ``db`` (0 for an empty database).

    Raises:
        InputError: the database cannot be read.
    """
    if not db.query(db.dialect.table_exists, ("meta",)):
        return 0
    rows = db.query("SELECT value FROM meta WHERE key = 'schema_version'")
    try:
        return int(rows[0][0]) if rows else 0
    except ValueError:
        raise InputError(f"unreadable schema version {rows[0][0]!r}", db.location) from None


def migrate(db: Database, target: int = SCHEMA_VERSION) -> int:
    """Bring ``db`` to schema ``target``, applying the missing migrations in one transaction.

    Concurrent callers are serialized (the write lock, or PostgreSQL's advisory
    lock), and each re-reads the version inside the transaction, so a migration
    runs once.

    Returns:
        The schema version after migrating.

    Raises:
        InputError: the database is from a newer evalharness, or cannot be written.
    """
    current = schema_version(db)
    _refuse_newer(db, current)
    if current >= target:
        return current

    def apply(tx: Transaction) -> int:
        db.lock_for_migration(tx)
        tx.ddl(META_TABLE)
        rows = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        version = int(rows[0][0]) if rows else 0
        _refuse_newer(db, version)
        for number in range(version + 1, target + 1):
            for statement in MIGRATIONS[number - 1]:
                tx.ddl(statement)
        if version < target:
            tx.execute("DELETE FROM meta WHERE key = 'schema_version'")
            tx.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(target),))
        return max(version, target)

    return db.write(apply)


def _refuse_newer(db: Database, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise InputError(
            f"history schema version {version} is newer than this evalharness reads "
            f"(up to {SCHEMA_VERSION}); upgrade evalharness to use this database",
            db.location,
        )
