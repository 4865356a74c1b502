"""Running lexical statistics on chunks of segments: threads for compiled kernels, forks for sacrebleu's.

Compiled kernels release the GIL, so chunks of segments are counted on threads
while the next chunk is tokenised; sacrebleu's own extraction (several
references, TER's sacrebleu engine) holds the GIL and runs on forked processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np

# Below this many segments a process pool costs more than it saves.
PARALLEL_MIN_SEGMENTS = 20_000
# Segments per chunk of the compiled path: chunks bound the memory of tokenised
# text and let the kernel of one chunk run while the next one is tokenised.
CHUNK_SEGMENTS = 2048


# Prepares one chunk (tokenising, holding the GIL) and returns the job that
# computes its rows (compiled, releasing the GIL).
ChunkJob = Callable[[], np.ndarray]


def chunked_rows(n: int, width: int, dtype: Any, chunk_job: Callable[[int, int], ChunkJob],
                  n_jobs: int | None) -> np.ndarray:
    """Rows of ``n`` segments, computed chunk by chunk; compiled jobs run on threads.

    This thread tokenises chunk ``k + 1`` while worker threads count chunk ``k``;
    at most ``2 * workers`` prepared chunks wait, which bounds memory.
    """
    out = np.empty((n, width), dtype)
    spans = [(a, min(a + CHUNK_SEGMENTS, n)) for a in range(0, n, CHUNK_SEGMENTS)]
    workers = n_jobs if n_jobs is not None else usable_cores()
    if workers <= 1 or len(spans) == 1:
        for a, b in spans:
            out[a:b] = chunk_job(a, b)()
        return out
    pending: deque[tuple[int, int, Future[np.ndarray]]] = deque()
    with ThreadPoolExecutor(workers) as pool:
        for a, b in spans:
            pending.append((a, b, pool.submit(chunk_job(a, b))))
            while len(pending) > 2 * workers:
                first, last, job = pending.popleft()
                out[first:last] = job.result()
        for first, last, job in pending:
            out[first:last] = job.result()
    return out


def usable_cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def map_chunks(fn: Callable[..., list[list[float]]], metric: Any, hyps: list[str],
                ref_streams: list[list[str | None]], n_jobs: int | None) -> list[list[float]]:
    """Apply ``fn`` to the whole input, or to chunks in a forked process pool when large."""
    workers = n_jobs if n_jobs is not None else (os.cpu_count() or 1)
    if (len(hyps) < PARALLEL_MIN_SEGMENTS or workers <= 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return fn(metric, hyps, ref_streams)
    n_chunks = workers * 4
    bounds = np.linspace(0, len(hyps), n_chunks + 1).astype(int)
    spans = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = pool.map(fn, [metric] * len(spans), [hyps[a:b] for a, b in spans],
                         [[s[a:b] for s in ref_streams] for a, b in spans])
        return [row for part in parts for row in part]
