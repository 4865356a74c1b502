"""History store units: codec, schema migrations, capture of a report, location, config."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import history_util
import numpy as np
import pytest
from history_util import Reports

from evalharness.errors import InputError
from evalharness.gate.config import load_config
from evalharness.gate.snapshot import system_snapshot
from evalharness.history import DEFAULT_PATH, history_location
from evalharness.history.backends import Transaction, display_location, open_database
from evalharness.history.capture import capture_run
from evalharness.history.codec import pack_array, pack_texts, unpack_array, unpack_texts
from evalharness.history.schema import SCHEMA_VERSION, migrate, schema_version
from evalharness.history.store import HistoryStore, open_store

history_reports = history_util.history_reports  # the session fixture


@pytest.mark.parametrize(
    "array",
    [
        np.arange(12, dtype=float).reshape(4, 3),
        np.array([1.5, np.nan, -2.0]),
        np.array([1, 2, 0, 3], dtype=np.int32),
        np.zeros((0, 10)),
    ],
)
def test_arrays_round_trip_with_dtype_and_shape(array: np.ndarray) -> None:
    back = unpack_array(pack_array(array))
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_texts_round_trip_and_garbage_is_refused() -> None:
    texts = ["Zürich — 北京", "", 'quote " and \\ backslash']
    assert unpack_texts(pack_texts(texts)) == texts
    with pytest.raises(ValueError):
        unpack_array(b"not zlib")
    with pytest.raises(ValueError):
        unpack_texts(pack_array(np.zeros(3)))


def test_capture_keeps_what_the_gate_needs(history_reports: Reports) -> None:
    report = json.loads(history_reports.nllb.read_text())
    run = capture_run(report, suite="news", command="evaluate", environ={})
    (system,) = run.systems
    segments = report["systems"][0]["segments"]
    assert run.reference_sha256 == report["reference"]["sha256"]
    assert run.source_sha256 is not None and len(run.source_sha256) == 64
    assert system.ref_texts == tuple(s["ref"] for s in segments)
    expected: dict[tuple[str, str], int] = {}
    for seg in segments:
        for e in seg["errors"]:
            key = (e["category"], e["severity"])
            expected[key] = expected.get(key, 0) + 1
    assert system.findings == expected
    assert system.findings_total == report["systems"][0]["findings"]["total"]
    bleu = next(m for m in system.metrics if m.metric == "bleu")
    assert bleu.stats is not None and bleu.sentence_scores is not None
    np.testing.assert_array_equal(bleu.stats, [s["stats"]["bleu"] for s in segments])
    np.testing.assert_array_equal(bleu.sentence_scores, [s["scores"]["bleu"] for s in segments])
    directions = {m.metric: m.higher_is_better for m in system.metrics}
    assert directions == {"bleu": True, "chrf": True, "ter": False}


def test_stored_snapshot_equals_the_reports(history_reports: Reports) -> None:
    report = json.loads(history_reports.gpt4.read_text())
    direct = system_snapshot(report, None, "x")
    with open_store(str(history_reports.db)) as store:
        stored = store.snapshot(1)
    assert stored.scores == direct.scores and stored.signatures == direct.signatures
    assert stored.ref_counts == direct.ref_counts and stored.ref_texts == direct.ref_texts
    assert stored.findings == direct.findings
    assert stored.reference_sha256 == direct.reference_sha256
    for metric, stats in direct.stats.items():
        np.testing.assert_array_equal(stored.stats[metric], stats)


def test_migration_from_schema_1_keeps_old_runs(history_reports: Reports, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = open_database(str(path), create=True)
    assert migrate(db, target=1) == 1
    db.write(lambda tx: _insert_v1_run(tx))
    db.close()
    with open_store(str(path)) as store:
        assert schema_version(store.db) == SCHEMA_VERSION
        (old,) = store.list_runs()
        assert old.gate_status is None and old.systems == ("old-system",)
        assert store.run(1).systems[0].findings == {}
        assert store.snapshot(1).ref_texts == ("a",)  # written before texts were shared
        report = json.loads(history_reports.gpt4.read_text())
        store.record(capture_run(report, suite="news", command="gate", gate_status="pass"))
        assert [r.gate_status for r in store.list_runs()] == [None, "pass"]
    fresh = tmp_path / "fresh.sqlite"
    HistoryStore.open(str(fresh), create=True).close()
    assert _columns(path) == _columns(fresh)


def test_reference_texts_are_stored_once(history_reports: Reports, tmp_path: Path) -> None:
    report = json.loads(history_reports.gpt4.read_text())
    with open_store(str(tmp_path / "h.sqlite"), create=True) as store:
        runs = [capture_run(report, suite="news", command="evaluate") for _ in range(3)]
        store.record(*runs)
        assert store.db.query("SELECT COUNT(*) FROM texts") == [(1,)]
        assert store.snapshot(3).ref_texts == runs[0].systems[0].ref_texts


def _insert_v1_run(tx: Transaction) -> None:
    run_id = tx.insert(
        "INSERT INTO runs (uid, created, suite, command) VALUES ('u1', '2026-01-01', 's', 'evaluate')",
        (),
    )
    tx.insert(
        "INSERT INTO systems (run_id, position, name, findings_total, ref_counts, ref_texts) "
        "VALUES (?, 0, 'old-system', 0, ?, ?)",
        (run_id, pack_array(np.array([1], dtype=np.int32)), pack_texts(["a"])),
    )


def _columns(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: sorted(r[1] for r in conn.execute(f"PRAGMA table_info({t})")) for t in tables}


def test_corrupt_and_directory_paths_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00garbage" * 200)
    with pytest.raises(InputError, match="not a database") as info:
        HistoryStore.open(str(bad))
    assert str(bad) in str(info.value)
    with pytest.raises(InputError, match="directory"):
        HistoryStore.open(str(tmp_path))


@pytest.mark.parametrize(
    ("option", "environ", "configured", "expected"),
    [
        ("a.sqlite", {"EVALHARNESS_HISTORY": "b.sqlite"}, "c.sqlite", "a.sqlite"),
        (None, {"EVALHARNESS_HISTORY": "b.sqlite"}, "c.sqlite", "b.sqlite"),
        (None, {}, "c.sqlite", "c.sqlite"),
        (None, {}, None, DEFAULT_PATH),
    ],
)
def test_history_location_precedence(
    option: str | None, environ: dict[str, str], configured: str | None, expected: str
) -> None:
    assert history_location(option, environ, configured) == expected


def test_password_is_masked_in_messages() -> None:
    assert display_location("postgresql://me:pw@host/db") == "postgresql://me:***@host/db"
    assert display_location("postgresql://me@host/db") == "postgresql://me@host/db"
    assert display_location("runs/history.sqlite") == "runs/history.sqlite"


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ('record = "yes"', "record must be true or false"),
        ('path = ""', "non-empty"),
        ("colour = 1", "'path' and 'record' only"),
    ],
)
def test_history_config_errors(tmp_path: Path, table: str, error: str) -> None:
    config = tmp_path / "evalharness.toml"
    config.write_text(
        f'[history]\n{table}\n[[suite]]\nname = "s"\nreference = "r"\nhypothesis = "h"\n'
        'baseline = "b.json"\n'
    )
    with pytest.raises(InputError, match=error):
        load_config(config)


def test_history_config_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = tmp_path / "evalharness.toml"
    suite = '[[suite]]\nname = "s"\nreference = "r"\nhypothesis = "h"\nbaseline = "b.json"\n'
    config.write_text(f'[history]\nrecord = true\npath = "h/x.sqlite"\n{suite}')
    loaded = load_config(config)
    assert loaded.history_record and loaded.history_path == str(tmp_path / "h" / "x.sqlite")
    config.write_text(f'[history]\npath = "postgresql://u@h/db"\n{suite}')
    loaded = load_config(config)
    assert loaded.history_path == "postgresql://u@h/db" and not loaded.history_record
