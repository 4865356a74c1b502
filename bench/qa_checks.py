"""Localisation QA checks (glossary, format): planted errors found, false alarms, cost.

1. The UI-string sets: ``tests/data/qa`` (development: English into German and
   French) and ``tests/data/qa_heldout`` (held out: shop strings into German and
   Spanish, written after the checks). Each ``*.planted.tsv`` row names the
   findings it should get (``expect``: ``glossary`` or ``format:<category>``);
   every ``glossary``/``format`` finding beyond them, and every one on the
   ``*.clean.tsv`` copies, is a false alarm. Run with the languages given (as
   ``-l`` does) and without (prefix-stem matching, no number formats).
2. The format check on 1,976 WMT23 zh-en news segments per system (source as
   the basis): findings by category, and CPU seconds per 1,000 segments.

``main()`` returns the Markdown that ``bench/run_all.py`` collects; about 30 s.
Usage: python bench/qa_checks.py [--data DIR]  (default: $EVALHARNESS_DATA or ../shared/data)
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from evalharness.checks import find_errors, line_segments  # noqa: E402
from evalharness.checks.text.glossary_file import load_glossary  # noqa: E402
from evalharness.lang.profiles import parse_language_pair  # noqa: E402

TESTS = HERE.parent / "tests" / "data"
SETS = (
    ("development", TESTS / "qa", "ui", "en-de", "glossary.en-de.tsv"),
    ("development", TESTS / "qa", "ui", "en-fr", "glossary.en-fr.tsv"),
    ("held out", TESTS / "qa_heldout", "strings", "en-de", "glossary.en-de.csv"),
    ("held out", TESTS / "qa_heldout", "strings", "en-es", "glossary.en-es.tbx"),
)
QA = ("glossary", "format")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _label(check: str, category: str) -> str:
    return check if check == "glossary" else f"{check}:{category}"


def score_set(folder: Path, name: str, pair: str, glossary: str, languages: bool) -> tuple[int, int, int]:
    """(planted found, planted, false alarms) of one string set."""
    terms = load_glossary(folder / glossary, target_lang=pair.split("-")[1])
    found = planted = alarms = 0
    for kind in ("planted", "clean"):
        rows = _rows(folder / f"{name}.{pair}.{kind}.tsv")
        segments = line_segments([r["ref"] for r in rows], [r["hyp"] for r in rows], [r["src"] for r in rows])
        results = find_errors(
            segments, {}, has_source=True, workers=1, checks=list(QA), glossary=terms,
            languages=parse_language_pair(pair) if languages else None,
        )  # fmt: skip
        for row, findings in zip(rows, results, strict=True):
            got = Counter(_label(f.check, f.category) for f in findings)
            want = Counter(t for t in row.get("expect", "").split() if t != "number")
            if kind == "clean":
                want = Counter()
            found += sum((got & want).values())
            planted += sum(want.values())
            alarms += sum((got - want).values())
    return found, planted, alarms


def sets_section() -> str:
    lines = ["| set | pair | languages | planted found | false alarms |", "|---|---|---|---|---|"]
    for label, folder, name, pair, glossary in SETS:
        for languages in (True, False):
            found, planted, alarms = score_set(folder, name, pair, glossary, languages)
            lines.append(
                f"| {label} | {pair} | {'given' if languages else 'none'} | {found}/{planted} | {alarms} |"
            )
    return "\n".join(lines)


def wmt_section(data: Path) -> str:
    wmt = data / "metric_vectors" / "wmt23_zhen_generaltest_full"
    if not wmt.exists():
        return f"(WMT23 data not found under {data}; skipped)"

    def read(name: str) -> list[str]:
        return (wmt / name).read_text(encoding="utf-8").rstrip("\n").split("\n")

    src, ref = read("generaltest2023.zh-en.src.zh"), read("generaltest2023.zh-en.ref.refA.en")
    lines = ["| system | segments | format findings | by category | CPU s / 1k segments |",
             "|---|---|---|---|---|"]  # fmt: skip
    for system in ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy"):
        hyp = read(f"generaltest2023.zh-en.hyp.{system}.en")
        segments = line_segments(ref, hyp, src)
        start = time.process_time()
        results = find_errors(segments, {}, has_source=True, workers=1, checks=["format"],
                              languages=parse_language_pair("zh-en"))  # fmt: skip
        seconds = time.process_time() - start
        counts = Counter(f.category for found in results for f in found)
        shown = ", ".join(f"{c} {n}" for c, n in counts.most_common())
        lines.append(f"| {system} | {len(segments)} | {sum(counts.values())} | {shown} | "
                     f"{seconds / len(segments) * 1000:.2f} |")  # fmt: skip
    return "\n".join(lines)


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("EVALHARNESS_DATA", HERE.parent.parent / "shared" / "data")))  # fmt: skip
    args = parser.parse_args()
    started = time.perf_counter()
    sections = [
        "Glossary and format checks on planted UI-string errors (development and held-out sets) "
        "and the format check on WMT23 zh-en news. The CPU column includes building the "
        "checks' document context.", "",
        sets_section(), "", wmt_section(args.data), "",
        f"({time.perf_counter() - started:.0f} s)",
    ]  # fmt: skip
    return "\n".join(sections)


if __name__ == "__main__":
    print(main())
