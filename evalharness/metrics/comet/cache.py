"""SQLite cache of COMET segment scores, so that a rerun scores only what changed.

One row per scored segment, keyed by a SHA-256 over the model identity (name and
checkpoint hash), the precision, the input mode and the (src, mt, ref) triple
that the model saw. The database runs in WAL mode with a busy timeout, so
several processes (CI jobs, Ray drivers) can read and write it at once.

A cache file that SQLite cannot read is moved aside (``*.corrupt-<timestamp>``)
with a warning and rebuilt; a cache we may read but not write (read-only file
or folder) is read and never written, with one warning; a row that is not a
finite score with readable spans is dropped with a warning and its segment
rescored; a cache that cannot be used at all only warns: scores are never lost
to a cache problem, they are recomputed.
Standard library only.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import math
import os
import sqlite3
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CACHE_FILE = "comet.sqlite"
SCHEMA_VERSION = "1"
_CHUNK = 500  # SQLite's default limit on host parameters is 999 in old builds
_BUSY_TIMEOUT_MS = 60_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scores (
    key BLOB PRIMARY KEY,
    model_id TEXT NOT NULL,
    score REAL NOT NULL,
    truncated INTEGER NOT NULL,
    spans TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (path, size, mtime_ns)
) WITHOUT ROWID;
"""


class CacheWarning(UserWarning):
    """The COMET cache had to be rebuilt or bypassed; scores are recomputed."""


@dataclass(frozen=True)
class CachedScore:
    """One cached segment result.

    Attributes:
        score: The segment score.
        truncated: Whether the encoder truncated this segment's input.
        error_spans: xCOMET error spans (``None`` for models without them).
    """

    score: float
    truncated: bool
    error_spans: tuple[Mapping[str, Any], ...] | None = None


def default_cache_dir() -> Path:
    """The per-user cache directory (XDG ``~/.cache/evalharness`` on Linux)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("evalharness", appauthor=False))


def cache_path(cache_dir: str | os.PathLike[str] | None) -> Path:
    """The database file inside ``cache_dir`` (default: :func:`default_cache_dir`)."""
    return Path(cache_dir or default_cache_dir()) / CACHE_FILE


def segment_key(model_id: str, precision: str, mode: str, src: str, mt: str, ref: str) -> bytes:
    """SHA-256 digest identifying one scored segment.

    Fields are length-prefixed, so no choice of texts can make two different
    tuples collide by concatenation.
    """
    digest = hashlib.sha256()
    for part in (model_id, precision, mode, src, mt, ref):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


class CometCache:
    """Segment scores in an SQLite file; open with :meth:`open`.

    Every method swallows no errors silently: a database that turns out to be
    corrupt is moved aside with a :class:`CacheWarning`, and the call behaves as
    if the cache were empty.
    """

    def __init__(
        self, path: Path, connection: sqlite3.Connection | None, readonly: bool = False
    ) -> None:
        self.path = path
        self._conn = connection
        self.readonly = readonly

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> CometCache:
        """Open (creating if needed) the cache at ``path``.

        A file SQLite cannot read is renamed ``<path>.corrupt-<UTC timestamp>``
        and a new cache is created; when even that fails (read-only directory)
        the cache is disabled with a warning.
        """
        target = Path(path)
        if target.exists() and not _writable(target):
            return cls._open_readonly(target)
        try:
            return cls(target, _connect(target))
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                return cls._open_readonly(target)
            if _is_busy(exc) or not target.exists():
                _warn(f"COMET cache {target} cannot be opened ({exc}); scoring without it")
                return cls(target, None)
            aside = _move_aside(target, exc)
            if aside is None:
                return cls(target, None)
        except sqlite3.DatabaseError as exc:
            aside = _move_aside(target, exc)
            if aside is None:
                return cls(target, None)
        except OSError as exc:
            _warn(f"COMET cache {target} cannot be used ({exc}); scoring without it")
            return cls(target, None)
        try:
            return cls(target, _connect(target))
        except (sqlite3.DatabaseError, OSError) as exc:
            _warn(f"COMET cache {target} cannot be recreated ({exc}); scoring without it")
            return cls(target, None)

    @classmethod
    def _open_readonly(cls, target: Path) -> CometCache:
        """Read a cache we may not write; new scores are not stored."""
        try:
            conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
            conn.execute("SELECT COUNT(*) FROM scores").fetchone()
        except (sqlite3.DatabaseError, OSError) as exc:
            _warn(f"COMET cache {target} is read-only and unreadable ({exc}); scoring without it")
            return cls(target, None)
        _warn(f"COMET cache {target} is read-only; reading it, new scores are not stored")
        return cls(target, conn, readonly=True)

    @property
    def enabled(self) -> bool:
        """False when the cache could not be opened (every lookup misses)."""
        return self._conn is not None

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> CometCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lookup(self, keys: Sequence[bytes]) -> dict[bytes, CachedScore]:
        """Cached results for those of ``keys`` that are present."""
        found: dict[bytes, CachedScore] = {}
        with self._guard("read"):
            for chunk in _chunks(list(dict.fromkeys(keys)), _CHUNK):
                marks = ",".join("?" * len(chunk))
                rows = self._execute(
                    f"SELECT key, score, truncated, spans FROM scores WHERE key IN ({marks})",
                    chunk,
                )
                bad: list[bytes] = []
                for key, score, truncated, spans in rows:
                    entry = _row_entry(score, truncated, spans)
                    if entry is None:
                        bad.append(bytes(key))
                    else:
                        found[bytes(key)] = entry
                if bad:
                    self._drop(bad)
        return found

    def _drop(self, keys: list[bytes]) -> None:
        """Delete unusable rows (when writable) so their segments are rescored."""
        _warn(
            f"COMET cache {self.path}: dropped {len(keys)} unusable row(s) "
            "(score not a finite number, or unreadable spans); rescoring them"
        )
        if self._conn is None or self.readonly:
            return
        with self._guard("write"), self._conn:
            self._conn.executemany("DELETE FROM scores WHERE key = ?", [(k,) for k in keys])

    def store(self, model_id: str, entries: Mapping[bytes, CachedScore]) -> None:
        """Insert or replace results, all in one transaction."""
        rows = [
            (key, model_id, e.score, int(e.truncated), _encode_spans(e.error_spans))
            for key, e in entries.items()
        ]
        if not rows or self._conn is None or self.readonly:
            return
        with self._guard("write"), self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO scores (key, model_id, score, truncated, spans) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def file_hash(self, path: str, size: int, mtime_ns: int) -> str | None:
        """A remembered SHA-256 of the file with this path, size and mtime."""
        with self._guard("read"):
            rows = self._execute(
                "SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
                (path, size, mtime_ns),
            )
            for (sha,) in rows:
                return str(sha)
        return None

    def remember_file_hash(self, path: str, size: int, mtime_ns: int, sha256: str) -> None:
        """Remember a file's SHA-256 so later runs need not hash it again."""
        if self._conn is None or self.readonly:
            return
        with self._guard("write"), self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)",
                (path, size, mtime_ns, sha256),
            )

    def count(self) -> int:
        """Number of cached segment results."""
        with self._guard("read"):
            for (n,) in self._execute("SELECT COUNT(*) FROM scores", ()):
                return int(n)
        return 0

    def _execute(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        if self._conn is None:
            return []
        return self._conn.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn a corrupt database met mid-run into a rebuild, not a crash."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            # Locked beyond the busy timeout, or disk full: skip, do not destroy.
            _warn(f"COMET cache {self.path}: {action} failed ({exc}); continuing without it")
        except sqlite3.DatabaseError as exc:
            self.close()
            if _move_aside(self.path, exc) is not None:
                with contextlib.suppress(sqlite3.DatabaseError, OSError):
                    self._conn = _connect(self.path)


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(_SCHEMA)
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        version = conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()[0]
        conn.isolation_level = "DEFERRED"
    except BaseException:
        conn.close()
        raise
    if version != SCHEMA_VERSION:
        conn.close()
        raise sqlite3.DatabaseError(f"cache schema {version!r}, expected {SCHEMA_VERSION!r}")
    return conn


def _writable(path: Path) -> bool:
    """Whether we may write the cache file and create its journal files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _row_entry(score: Any, truncated: Any, spans: Any) -> CachedScore | None:
    """The cached result of one row, or None when the row is unusable."""
    try:
        value = float(score)
        decoded = _decode_spans(spans)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or not (
        decoded is None or all(isinstance(s, Mapping) for s in decoded)
    ):
        return None
    return CachedScore(value, bool(truncated), decoded)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _move_aside(path: Path, cause: Exception) -> Path | None:
    """Rename a broken database (and its WAL files); None when that is impossible."""
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    try:
        os.replace(path, aside)
    except FileNotFoundError:
        aside = path  # already gone (another process moved it): just recreate
    except OSError as exc:
        _warn(
            f"COMET cache {path} is unreadable ({cause}) and cannot be moved ({exc}); scoring without it"
        )
        return None
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    if aside != path:
        _warn(
            f"COMET cache {path} is unreadable ({cause}); moved it to {aside.name} and started a new one"
        )
    return aside


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=3)


def _chunks(items: list[bytes], size: int) -> Iterable[list[bytes]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _encode_spans(spans: tuple[Mapping[str, Any], ...] | None) -> str | None:
    return None if spans is None else json.dumps([dict(s) for s in spans], ensure_ascii=False)


def _decode_spans(text: str | None) -> tuple[Mapping[str, Any], ...] | None:
    """Spans stored as a JSON list; raises ValueError/TypeError when they are not."""
    if text is None:
        return None
    spans = json.loads(text)
    if not isinstance(spans, list):
        raise ValueError("spans are not a list")
    return tuple(spans)
