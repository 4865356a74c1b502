"""Fault injection: environments and inputs that must end as clean errors, never as crashes.

Every run here must exit with a documented status (never 123), print no
traceback unless asked, and leave nothing half-written at any output path.
Unwritable paths are tested as an unprivileged user because the suite may run
as root, for whom every path is writable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

from evalharness.cli.app import run_cli
from evalharness.errors import ExitStatus
from evalharness.metrics.comet.cache import CachedScore, CacheWarning, CometCache

REPO = Path(__file__).resolve().parents[1]
REF = REPO / "references" / "bbc.md"
HYP = REPO / "hypotheses" / "bbc-garbled.txt"
FAST = ["--metrics", "bleu,chrf", "--bootstrap", "10", "--quiet"]


def evaluate(*extra: str | Path) -> tuple[ExitStatus, str]:
    done = run_cli(["evaluate", "--ref", str(REF), "--hyp", str(HYP), *FAST, *map(str, extra)])
    assert "Traceback" not in done.stderr
    return done.exit_status, done.stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


DROP_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
ROOT_WITHOUT_SETPRIV = os.geteuid() == 0 and shutil.which("setpriv") is None


def unprivileged(argv: list[str]) -> list[str]:
    """``argv`` run without the power to bypass file permissions.

    As root, permissions are not checked at all; dropping the DAC capabilities
    (util-linux ``setpriv``) makes the kernel check them as for anyone else.
    """
    return [*DROP_DAC, *argv] if os.geteuid() == 0 else argv


def run_unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess that cannot write where permissions forbid it."""
    return subprocess.run(
        unprivileged([sys.executable, "-m", "evalharness.cli", *args]),
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


# --- 1. outputs never replace special files ------------------------------------------


def test_output_to_a_character_device_writes_through(tmp_path: Path) -> None:
    status, _ = evaluate("--json", "/dev/null")
    assert status == ExitStatus.SUCCESS
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_fifo_writes_through_and_the_fifo_stays(tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    status, _ = evaluate("--json", fifo)
    reader.join(timeout=60)
    assert status == ExitStatus.SUCCESS
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["schema"] == "evalharness.report/1"
    assert leftovers(tmp_path) == []


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "report.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    status, _ = evaluate("--json", link)
    assert status == ExitStatus.SUCCESS
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text(encoding="utf-8"))["schema"] == "evalharness.report/1"
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


# --- 2. ordinary conditions are clean errors ------------------------------------------


def test_output_whose_parent_is_a_file_is_exit_3_naming_the_path(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    target = tmp_path / "blocker" / "report.json"
    status, stderr = evaluate("--json", target)
    assert status == ExitStatus.INPUT
    assert stderr.strip().splitlines()[-1].startswith(f"error: {target}: ")


def test_output_that_is_a_directory_is_exit_3(tmp_path: Path) -> None:
    status, stderr = evaluate("--json", tmp_path)
    assert status == ExitStatus.INPUT and "is a directory" in stderr


@pytest.mark.skipif(ROOT_WITHOUT_SETPRIV, reason="running as root without setpriv")
def test_unwritable_output_folder_and_junit_path_are_exit_3(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for source in (REF, HYP):
        (work / source.name).write_bytes(source.read_bytes())
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    done = run_unprivileged(
        ["evaluate", "--ref", REF.name, "--hyp", HYP.name, *FAST, "--json", "locked/r.json"], work
    )
    assert done.returncode == ExitStatus.INPUT, done.stderr
    assert done.stderr.strip() == "error: locked/r.json: cannot write here: permission denied"
    assert list(locked.iterdir()) == []
    baseline = work / "base.json"
    run_cli(["evaluate", "--ref", str(REF), "--hyp", str(HYP), *FAST, "--json", str(baseline)])
    done = run_unprivileged(
        ["gate", "--ref", REF.name, "--hyp", HYP.name, "--baseline", "base.json",
         "--metrics", "bleu", "--junit", "locked/gate.xml"], work,
    )  # fmt: skip
    assert done.returncode == ExitStatus.INPUT, done.stderr
    assert "locked/gate.xml" in done.stderr and "Traceback" not in done.stderr


def write_baseline(tmp_path: Path) -> dict:
    path = tmp_path / "base.json"
    status, _ = evaluate("--json", path)
    assert status == ExitStatus.SUCCESS
    return json.loads(path.read_text(encoding="utf-8"))


def gate(baseline: Path, *extra: str) -> tuple[ExitStatus, str]:
    done = run_cli(
        ["gate", "--ref", str(REF), "--hyp", str(HYP), "--baseline", str(baseline),
         "--metrics", "bleu,chrf", *extra]
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    return done.exit_status, done.stderr


def test_hostile_baselines_are_input_errors(tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    status, stderr = gate(nested)
    assert status == ExitStatus.INPUT and str(nested) in stderr
    report = write_baseline(tmp_path)
    report["systems"][0]["segments"][0]["stats"]["bleu"] = ["x", "y"]
    bad = tmp_path / "bad-stats.json"
    bad.write_text(json.dumps(report), encoding="utf-8")
    status, stderr = gate(bad)
    assert status == ExitStatus.INPUT and str(bad) in stderr
    report["systems"][0]["segments"][0]["stats"]["bleu"] = [float("inf")] * 9
    bad.write_text(json.dumps(report), encoding="utf-8")
    status, _ = gate(bad)
    assert status == ExitStatus.INPUT


def test_out_of_memory_is_exit_3_with_advice(monkeypatch: pytest.MonkeyPatch) -> None:
    from evalharness.metrics.lexical import adapters

    def exhausted(*_args: object, **_kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(adapters.TerMetric, "compute", exhausted)
    done = run_cli(["evaluate", "--ref", str(REF), "--hyp", str(HYP), "--metrics", "ter",
                    "--quiet", "--no-checks"])  # fmt: skip
    assert done.exit_status == ExitStatus.INPUT
    assert done.stderr.strip() == "error: out of memory: the input is too large for this machine; split it"


def test_text_format_on_one_very_long_line_finishes(tmp_path: Path) -> None:
    words = ("alpha beta gamma delta. " * 20_000).strip()  # ~480 kB, no line break
    path = tmp_path / "long.txt"
    path.write_text(words + "\n", encoding="utf-8")
    done = run_cli(["evaluate", "--ref", str(path), "--hyp", str(path), "--format", "text",
                    "--metrics", "bleu", "--quiet", "--no-checks", "--bootstrap", "1"])  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr


# --- 3. checks off is recorded, so findings gates refuse ------------------------------


def test_gate_on_findings_refuses_a_baseline_made_without_checks(tmp_path: Path) -> None:
    baseline = tmp_path / "nochecks.json"
    status, _ = evaluate("--no-checks", "--json", baseline)
    assert status == ExitStatus.SUCCESS
    assert json.loads(baseline.read_text(encoding="utf-8"))["options"]["checks"] is False
    status, stderr = gate(baseline, "--no-more-findings")
    assert status == ExitStatus.INPUT and "without the error checks" in stderr


# --- 4. --lowercase with the default metrics ------------------------------------------


def test_lowercase_applies_per_metric_as_sacrebleu_does(tmp_path: Path) -> None:
    report = tmp_path / "lc.json"
    done = run_cli(["evaluate", "--ref", str(REF), "--hyp", str(HYP), "--lowercase", "--quiet",
                    "--no-checks", "--bootstrap", "10", "--json", str(report)])  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    metrics = json.loads(report.read_text(encoding="utf-8"))["systems"][0]["metrics"]
    assert "case:lc" in metrics["bleu"]["signature"]
    assert "case:lc" in metrics["chrf"]["signature"]
    assert "case:lc" in metrics["ter"]["signature"]


# --- 5/6. damaged and read-only COMET caches -------------------------------------------


def fill_cache(path: Path) -> None:
    with CometCache.open(path) as cache:
        cache.store("m", {b"good": CachedScore(0.5, False, None), b"nan": CachedScore(0.1, False, None),
                          b"spans": CachedScore(0.2, False, None)})  # fmt: skip
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE scores SET score = 'abc' WHERE key = ?", (b"nan",))
        conn.execute("UPDATE scores SET spans = '{not json' WHERE key = ?", (b"spans",))
    conn.close()


def test_bad_cache_rows_are_dropped_with_a_warning_and_rescored(tmp_path: Path) -> None:
    path = tmp_path / "comet.sqlite"
    fill_cache(path)
    with pytest.warns(CacheWarning, match="dropped 2 unusable row"), CometCache.open(path) as cache:
        found = cache.lookup([b"good", b"nan", b"spans"])
        assert list(found) == [b"good"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with CometCache.open(path) as cache:
            assert cache.count() == 1 and list(cache.lookup([b"nan", b"spans"])) == []


def test_infinite_cached_score_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "comet.sqlite"
    with CometCache.open(path) as cache:
        cache.store("m", {b"k": CachedScore(float("inf"), False, None)})
    with pytest.warns(CacheWarning), CometCache.open(path) as cache:
        assert cache.lookup([b"k"]) == {}


@pytest.mark.skipif(ROOT_WITHOUT_SETPRIV, reason="running as root without setpriv")
def test_read_only_cache_is_read_not_moved_aside(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    path = folder / "comet.sqlite"
    with CometCache.open(path) as cache:
        cache.store("m", {b"k": CachedScore(0.25, False, None)})
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    path.chmod(0o444)
    folder.chmod(0o555)
    script = (
        "import warnings, sys\n"
        "from evalharness.metrics.comet.cache import CometCache, CachedScore\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        f"    c = CometCache.open({str(path)!r})\n"
        "    print(c.lookup([b'k'])[b'k'].score, c.readonly)\n"
        "    c.store('m', {b'n': CachedScore(0.5, False, None)})\n"
        "    print(len(w), str(w[0].message))\n"
    )
    done = subprocess.run(
        unprivileged([sys.executable, "-c", script]), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.strip().splitlines()
    assert first == "0.25 True"
    assert second.startswith("1 ") and "read-only" in second
    assert sorted(p.name for p in folder.iterdir()) == ["comet.sqlite"]


# --- 7. signals ------------------------------------------------------------------------


def long_inputs(tmp_path: Path) -> tuple[Path, Path]:
    ref = tmp_path / "ref.txt"
    hyp = tmp_path / "hyp.txt"
    lines = [f"Sentence number {i} says that the weather on day {i % 31} was fine." for i in range(20_000)]
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    hyp.write_text("\n".join(line.replace("fine", "good") for line in lines) + "\n", encoding="utf-8")
    return ref, hyp


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "expected"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signals_exit_with_their_code_and_leave_nothing_half_written(
    tmp_path: Path, signum: int, expected: int
) -> None:
    ref, hyp = long_inputs(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "evalharness.cli", "evaluate", "--ref", str(ref), "--hyp", str(hyp),
         "--format", "lines", "--metrics", "bleu,chrf,ter", "--bootstrap", "1000",
         "--json", str(out / "report.json"), "--html", str(out / "report.html")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(3)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode in (expected, 0), stderr
    assert "Traceback" not in stderr
    names = sorted(p.name for p in out.iterdir())
    assert leftovers(out) == []
    # Either the run finished before the signal (whole files) or nothing was written.
    assert names in ([], ["report.html", "report.json"])
    if proc.returncode == expected:
        assert stderr.strip().splitlines()[-1].startswith(("error: interrupted", "error: stopped by signal"))


# --- 9. --traceback keeps the exit status ------------------------------------------------


def test_traceback_keeps_the_exit_status(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    done = run_cli(["--traceback", "evaluate", "--ref", str(missing), "--hyp", str(HYP)])
    assert done.exit_status == ExitStatus.INPUT
    assert "Traceback" in done.stderr and done.stderr.strip().endswith("no such file")


# --- 10. smaller points ---------------------------------------------------------------------


def test_ci95_stays_inside_the_metric_range_on_a_tiny_input(tmp_path: Path) -> None:
    ref, hyp = tmp_path / "r.txt", tmp_path / "h.txt"
    ref.write_text("a\nthe cat sat\nzz\n", encoding="utf-8")
    hyp.write_text("b\nthe cat sat\nyy\n", encoding="utf-8")
    report = tmp_path / "r.json"
    done = run_cli(["evaluate", "--ref", str(ref), "--hyp", str(hyp), "--format", "lines",
                    "--metrics", "bleu,chrf,ter", "--quiet", "--no-checks", "--json", str(report)])  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    for name, metric in json.loads(report.read_text(encoding="utf-8"))["systems"][0]["metrics"].items():
        lo, hi = metric["ci95"]
        assert 0.0 <= lo <= hi, name
        if name != "ter":
            assert hi <= 100.0, name


@pytest.mark.slow
def test_damaged_cache_rows_in_a_run_warn_on_one_line_and_are_rescored(
    tiny_comet: Path, tmp_path: Path
) -> None:
    argv = ["evaluate", "--ref", str(REF), "--hyp", str(HYP), "--metrics", "comet",
            "--comet-model", str(tiny_comet), "--cache", str(tmp_path / "cache"), "--quiet",
            "--no-checks", "--json", str(tmp_path / "r.json")]  # fmt: skip
    first = run_cli(argv)
    assert first.exit_status == ExitStatus.SUCCESS, first.stderr
    scored = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(tmp_path / "cache" / "comet.sqlite")
    with conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM scores").fetchone()
        conn.execute("UPDATE scores SET score = 'not a number'")
    conn.close()
    again = run_cli(argv)
    assert again.exit_status == ExitStatus.SUCCESS, again.stderr
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: COMET cache ")
    assert f"dropped {n} unusable row" in lines[0] and ".py" not in lines[0]
    comet = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["systems"][0]["metrics"]["comet"]
    assert comet["segments_cached"] == 0 and comet["segments_scored"] > 0
    assert comet["score"] == pytest.approx(scored["systems"][0]["metrics"]["comet"]["score"], abs=1e-6)


@pytest.mark.slow
def test_comet_scores_are_committed_batch_by_batch(tiny_comet: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from evalharness.metrics.comet import metric as comet_metric

    real_store = CometCache.store
    calls: list[int] = []

    def store(self: CometCache, model_id: str, entries: dict) -> None:
        calls.append(len(entries))
        real_store(self, model_id, entries)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C after the second batch

    monkeypatch.setattr(CometCache, "store", store)
    argv = ["evaluate", "--ref", str(REF), "--hyp", str(HYP), "--metrics", "comet",
            "--comet-model", str(tiny_comet), "--cache", str(tmp_path / "cache"), "--quiet",
            "--no-checks", "--comet-batch-size", "4"]  # fmt: skip
    done = run_cli(argv)
    assert done.exit_status == ExitStatus.INTERRUPTED
    assert calls == [4, 4]
    with CometCache.open(tmp_path / "cache" / "comet.sqlite") as cache:
        assert cache.count() == 8
    assert comet_metric.score_samples is not None


def test_utf16_input_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Hello world\nSecond line\n".encode("utf-16"))
    done = run_cli(["evaluate", "--ref", str(path), "--hyp", str(HYP), "--quiet"])
    assert done.exit_status == ExitStatus.INPUT
    assert "UTF-16" in done.stderr and "re-encode it as UTF-8" in done.stderr


def test_bidi_controls_in_a_system_name_are_isolated_in_html(tmp_path: Path) -> None:
    html = tmp_path / "r.html"
    name = "sys\u202eevil"
    done = run_cli(["evaluate", "--ref", str(REF), "--hyp", str(HYP), *FAST, "--no-checks",
                    "--name", name, "--html", str(html)])  # fmt: skip
    assert done.exit_status == ExitStatus.SUCCESS, done.stderr
    page = html.read_text(encoding="utf-8")
    assert f"<bdi>{name}</bdi>" in page
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)  # data, not rendered
    assert markup.count(name) == markup.count(f"<bdi>{name}</bdi>")


@pytest.mark.slow
@pytest.mark.skipif(ROOT_WITHOUT_SETPRIV, reason="running as root without setpriv")
def test_unreadable_comet_encoder_directory_is_a_clean_error(tiny_comet: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(tiny_comet.parents[1], model)
    encoder = tmp_path / "encoder"
    shutil.copytree(tiny_comet.parents[2] / "encoder", encoder)
    hparams = model / "hparams.yaml"
    lines = hparams.read_text(encoding="utf-8").splitlines()
    hparams.write_text(
        "\n".join(f"pretrained_model: {encoder}" if line.startswith("pretrained_model:") else line
                  for line in lines) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    encoder.chmod(0)
    try:
        done = run_unprivileged(
            ["evaluate", "--ref", str(REF), "--hyp", str(HYP), "--metrics", "comet",
             "--comet-model", str(model / "checkpoints" / "model.ckpt"), "--no-cache", "--quiet",
             "--no-checks"], tmp_path,
        )  # fmt: skip
    finally:
        encoder.chmod(0o755)
    assert done.returncode in (ExitStatus.INPUT, ExitStatus.METRIC_UNAVAILABLE), done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
