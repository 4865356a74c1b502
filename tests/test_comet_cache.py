"""COMET score cache: round trips, keys, concurrent writers, corrupt files, file hashes."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from evalharness.metrics.comet import models as comet_models
from evalharness.metrics.comet.cache import (
    CachedScore,
    CacheWarning,
    CometCache,
    cache_path,
    default_cache_dir,
    segment_key,
)


def key(i: int, model: str = "m@abc") -> bytes:
    return segment_key(model, "fp32", "src+mt+ref", f"src {i}", f"mt {i}", f"ref {i}")


def test_round_trip_with_spans(tmp_path: Path) -> None:
    spans = ({"text": "Asis", "severity": "major", "confidence": 0.8, "start": 17, "end": 21},)
    with CometCache.open(tmp_path / "c.sqlite") as cache:
        cache.store(
            "m@abc", {key(1): CachedScore(0.5, False), key(2): CachedScore(-0.25, True, spans)}
        )
        found = cache.lookup([key(1), key(2), key(3)])
        assert cache.count() == 2
    assert found == {key(1): CachedScore(0.5, False, None), key(2): CachedScore(-0.25, True, spans)}
    with CometCache.open(tmp_path / "c.sqlite") as reopened:  # persisted
        assert reopened.lookup([key(2)])[key(2)].error_spans == spans


def test_lookup_of_many_keys_crosses_the_parameter_limit(tmp_path: Path) -> None:
    entries = {key(i): CachedScore(i / 3000, False) for i in range(3000)}
    with CometCache.open(tmp_path / "c.sqlite") as cache:
        cache.store("m@abc", entries)
        assert cache.lookup(list(entries)) == entries


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            ("m@1", "fp32", "src+mt+ref", "ab", "c", "r"),
            ("m@1", "fp32", "src+mt+ref", "a", "bc", "r"),
        ),
        (
            ("m@1", "fp32", "src+mt+ref", "s", "t", "r"),
            ("m@2", "fp32", "src+mt+ref", "s", "t", "r"),
        ),
        (
            ("m@1", "fp32", "src+mt+ref", "s", "t", "r"),
            ("m@1", "fp16", "src+mt+ref", "s", "t", "r"),
        ),
        (
            ("m@1", "fp32", "src+mt+ref", "r", "t", "r"),
            ("m@1", "fp32", "src=ref+mt+ref", "r", "t", "r"),
        ),
    ],
)
def test_keys_separate_every_field(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert segment_key(*a) != segment_key(*b)
    assert segment_key(*a) == segment_key(*a)


def _writer(path: str, worker: int, rounds: int) -> None:
    with CometCache.open(path) as cache:
        for r in range(rounds):
            # Each round: 20 keys of its own plus 5 that every worker writes.
            own = {
                key(worker * 10_000 + r * 20 + i): CachedScore(float(worker), False)
                for i in range(20)
            }
            shared = {key(-1 - i): CachedScore(1.0, False) for i in range(5)}
            cache.store("m@abc", {**own, **shared})
            assert len(cache.lookup(list(own))) == 20


def test_concurrent_writers_do_not_corrupt(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(path, w, 25)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(120)
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    with CometCache.open(path) as cache:
        assert cache.count() == 4 * 25 * 20 + 5
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "comet.sqlite"
    path.write_bytes(b"this is not an SQLite database, it is a text file" * 100)
    with pytest.warns(CacheWarning, match="moved it to comet.sqlite.corrupt-"):
        cache = CometCache.open(path)
    with cache:
        assert cache.enabled
        cache.store("m@abc", {key(1): CachedScore(0.1, False)})
        assert cache.lookup([key(1)])
    aside = list(tmp_path.glob("comet.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")


def test_file_corrupted_while_open_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "comet.sqlite"
    with CometCache.open(path) as cache:
        cache.store("m@abc", {key(1): CachedScore(0.1, False)})
        cache.close()
        path.write_bytes(b"\0garbage" * 2000)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        cache._conn = sqlite3.connect(path)  # a connection that meets the damage mid-run
        with pytest.warns(CacheWarning, match="unreadable"):
            assert cache.lookup([key(1)]) == {}
        cache.store("m@abc", {key(2): CachedScore(0.2, False)})
        assert set(cache.lookup([key(1), key(2)])) == {key(2)}


def test_unusable_location_disables_the_cache_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    with pytest.warns(CacheWarning, match="scoring without it"):
        cache = CometCache.open(blocker / "comet.sqlite")
    assert not cache.enabled
    assert cache.lookup([key(1)]) == {}
    cache.store("m@abc", {key(1): CachedScore(0.1, False)})  # a no-op, not an error


def test_default_location_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "evalharness"
    assert cache_path(None) == tmp_path / "xdg" / "evalharness" / "comet.sqlite"
    assert cache_path(str(tmp_path / "mine")) == tmp_path / "mine" / "comet.sqlite"


def test_checkpoint_hash_is_computed_once_per_path_size_mtime(tmp_path: Path) -> None:
    ckpt = tmp_path / "model.ckpt"
    ckpt.write_bytes(b"weights v1")
    stat = ckpt.stat()
    with CometCache.open(tmp_path / "c.sqlite") as cache:
        first = comet_models.checkpoint_sha256(ckpt, cache)
        comet_models._HASHES.clear()  # a new process: only the cache remembers
        ckpt.write_bytes(b"weights v2")  # same size, same mtime: trusted, not re-read
        os.utime(ckpt, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert comet_models.checkpoint_sha256(ckpt, cache) == first
        os.utime(ckpt, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert comet_models.checkpoint_sha256(ckpt, cache) != first


def test_hub_blobs_are_named_by_their_hash(tmp_path: Path) -> None:
    sha = "ab" * 32
    blob = tmp_path / "blobs" / sha
    blob.parent.mkdir()
    blob.write_bytes(b"not hashed")
    link = tmp_path / "model.ckpt"
    link.symlink_to(blob)
    assert comet_models.checkpoint_sha256(link) == sha
