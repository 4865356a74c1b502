"""What the language profiles cost on a large document (issue 14: at most 5%).

WMT23 zh-en (refA against GPT-4's output, no source, as in ``bench/lexical.py``)
repeated to N lines, in one process,
on one core (``workers=1``, so CPU and wall time agree and other load counts
less). Measured, each the fastest of ``--repeat`` runs:

- detection: :func:`evalharness.lang.detect.resolve_languages` on the reference
  lines (the target language), which ``evaluate`` runs unless ``-l`` is given;
- the error checks with the detected pair (once, with the ``language`` check's
  own time measured), and with ``languages=None`` (no profile: what the checks
  cost without the language work);
- the lexical metrics (BLEU, chrF, TER statistics and scores) for scale.

The share printed is (detection + the ``language`` check) over the whole
in-process work (detection, metrics, checks with profiles).

Data: ``--data DIR`` (env ``EVALHARNESS_DATA``, default ``../shared/data``).
Usage: python bench/lang_cost.py [--data DIR] [--segments N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from _util import DATA, WMT_SUBDIR, load_average, table  # noqa: E402


def _fastest(repeat: int, job: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = job()
        best = min(best, time.perf_counter() - start)
    return best, result


def _lines(path: Path, n: int) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [lines[i % len(lines)] for i in range(n)]


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=os.environ.get("EVALHARNESS_DATA", str(DATA)))
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from evalharness.checks import find_errors, get_checks, line_segments
    from evalharness.lang.detect import resolve_languages
    from evalharness.metrics import get_metric

    wmt = Path(args.data) / WMT_SUBDIR
    refs = _lines(wmt / "generaltest2023.zh-en.ref.refA.en", args.segments)
    hyps = _lines(wmt / "generaltest2023.zh-en.hyp.GPT4-5shot.en", args.segments)
    load_before = load_average()
    t_detect, pair = _fastest(args.repeat, lambda: resolve_languages(None, refs))
    t_metrics, metrics = _fastest(args.repeat, lambda: {
        name: get_metric(name).compute(hyps, refs) for name in ("bleu", "chrf", "ter")})
    segments = line_segments(refs, hyps)

    def checks(languages: Any) -> Any:
        return find_errors(segments, metrics, workers=1, languages=languages)

    language = next(c for c in get_checks() if c.id == "language")
    spent = [0.0]
    find = language.find

    def timed_find(*a: Any) -> Any:
        start = time.perf_counter()
        try:
            return find(*a)
        finally:
            spent[0] += time.perf_counter() - start

    language.find = timed_find  # type: ignore[method-assign]
    try:
        t_with, found = _fastest(1, lambda: checks(pair))
    finally:
        del language.find
    t_language = spent[0]
    t_without, _ = _fastest(args.repeat, lambda: checks(None))
    whole = t_detect + t_metrics + t_with
    cost = t_detect + t_language
    rows = [
        ["step", "seconds", "share of the whole"],
        [f"detection of the target ({pair.target.code}) from the reference", f"{t_detect:.2f}",
         f"{t_detect / whole:.1%}"],
        ["BLEU+chrF+TER statistics and scores", f"{t_metrics:.2f}", f"{t_metrics / whole:.1%}"],
        ["checks with the detected profiles", f"{t_with:.2f}", f"{t_with / whole:.1%}"],
        ["of which the `language` check (its `find`, timed)", f"{t_language:.2f}",
         f"{t_language / whole:.1%}"],
        ["checks without profiles (languages=None)", f"{t_without:.2f}", ""],
    ]  # fmt: skip
    findings = sum(len(f) for f in found)
    return (
        f"### Language profiles at {args.segments:,} segments (one core, fastest of "
        f"{args.repeat}, {load_before} before, {load_average()} after)\n\n" + table(rows) + "\n\n"
        f"Detection plus the `language` check: {cost:.2f} s, {cost / whole:.1%} of the whole "
        f"(target at most 5%). The other checks' language rules, as the difference of the "
        f"checks with and without profiles (noisy on a shared machine): "
        f"{t_with - t_language - t_without:+.2f} s. {findings:,} findings with profiles.\n"
    )


if __name__ == "__main__":
    print(main())
