"""The checks over chunks on forked workers find exactly what the serial run finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalharness.checks import find_errors, line_segments
from evalharness.checks.parallel import worker_count
from evalharness.metrics import get_metric

WMT = Path(__file__).resolve().parent / "data" / "wmt23_zhen"


def _lines(name: str) -> list[str]:
    return (WMT / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(worker_count() < 2, reason="needs fork and two cores")
def test_parallel_findings_equal_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    import evalharness.checks.parallel as chunked

    monkeypatch.setattr(chunked, "CHUNK_SEGMENTS", 100)  # many chunk boundaries
    refs = _lines("generaltest2023.zh-en.ref.refA.en")
    hyps = _lines("generaltest2023.zh-en.hyp.GPT4-5shot.en")
    # Empty lines make 1-0 and 0-1 segments, whose neighbours cross chunk boundaries.
    for index in range(0, len(refs), 97):
        refs[index] = ""
    for index in range(50, len(hyps), 89):
        hyps[index] = ""
    segments = line_segments(refs, hyps)
    metrics = {"chrf": get_metric("chrf").compute(hyps, refs)}
    serial = find_errors(segments, metrics, workers=1)
    parallel = find_errors(segments, metrics, workers=2, parallel_min_segments=10)
    assert sum(len(found) for found in serial) > 100
    assert parallel == serial


def test_small_documents_stay_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    import evalharness.checks.base as base

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("forked for a small document")

    monkeypatch.setattr(base, "run_parallel", refuse)
    segments = line_segments(["The cat sat."], ["The dog sat."])
    assert len(find_errors(segments, {}, workers=2)) == 1


def _sigterm_is_default(_: int) -> bool:
    import signal

    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


@pytest.mark.skipif(worker_count() < 2, reason="needs fork and two cores")
def test_pool_workers_end_on_sigterm_despite_the_cli_handler() -> None:
    # The CLI turns SIGTERM into an exception; a forked worker that inherited that
    # handler could raise inside a queue lock when the pool terminates, and hang it.
    import multiprocessing
    import signal

    from evalharness.checks.parallel import default_signals

    def raising(signum: int, _frame: object) -> None:
        raise RuntimeError(signum)

    previous = signal.signal(signal.SIGTERM, raising)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(2, initializer=default_signals) as pool:
            assert pool.map(_sigterm_is_default, range(4)) == [True] * 4
    finally:
        signal.signal(signal.SIGTERM, previous)
