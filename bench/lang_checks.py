"""The error checks per target language: acceptance figures of issue 11, item 4.

Rows (each a dict; ``main()`` prints them as a table):

1. German, WMT21 TED en-de MQM (calibration): gold = a segment with a Major
   Accuracy error. Flagged = any major/critical finding. Precision of our flags
   against the same number of lowest-sentence-chrF segments, and the share of
   segments without any Major error that get a major flag.
2. The same figures for WMT21 TED zh-en and WMT23 zh-en news (no regressions;
   WMT23 is for reporting only, nothing was tuned on it).
3. Hebrew human vs human: WMT23 en-he refA (reference) vs refB (hypothesis),
   first 600 lines, documents from the docids: major findings per 100 segments;
   the same figure for WMT23 en-de GPT4-5shot and ONLINE-A against refA (a sanity
   check of false majors on German news).
4. Off-target: the Czech/Russian parallel sentences of ``tests/data/langs``
   (our own text): share of segments with a ``language`` finding for a Russian
   hypothesis against a Czech reference, with and without the source, and for
   the Czech text itself (should be 0).

Data: ``--data DIR`` (env ``EVALHARNESS_DATA``, default ``../shared/data``).
Usage: python bench/lang_checks.py [--data DIR] [--only german|zh|hebrew|offtarget]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

import pandas as pd  # noqa: E402
from sacrebleu.metrics import CHRF  # noqa: E402

from evalharness.checks import find_errors, line_segments  # noqa: E402
from evalharness.lang.profiles import LanguagePair, parse_language_pair  # noqa: E402
from evalharness.records import Finding, MetricResult  # noqa: E402

DEFAULT_DATA = HERE.parent.parent / "shared" / "data"
LANGS = HERE.parent / "tests" / "data" / "langs"
HEBREW_LINES = 600
_CHRF = CHRF()


def _chrf(hyp: str, ref: str) -> float | None:
    return _CHRF.sentence_score(hyp, [ref]).score if hyp and ref else None


def run_document(
    refs: Sequence[str], hyps: Sequence[str], srcs: Sequence[str] | None,
    languages: LanguagePair | None,
) -> list[tuple[Finding, ...]]:
    """Findings per line of one line-aligned document, with sentence chrF as the score."""
    segments = line_segments(refs, hyps, srcs)
    scores = tuple(_chrf(h, r) for r, h in zip(refs, hyps, strict=True))
    metrics = {"chrf": MetricResult("chrf", None, "", segment_scores=scores)}
    return list(find_errors(segments, metrics, has_source=srcs is not None, languages=languages,
                            workers=1))


def is_major(findings: Sequence[Finding]) -> bool:
    """True when any finding is major or critical."""
    return any(f.severity in ("major", "critical") for f in findings)


def _load_mqm(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep="\t", quoting=3, keep_default_na=False)
    errors = frame["errors"].map(json.loads)
    frame["gold"] = errors.map(
        lambda es: any(e["severity"] == "Major" and e["category"].startswith("Accuracy/") for e in es))
    frame["any_major"] = errors.map(lambda es: any(e["severity"] == "Major" for e in es))
    return frame


def mqm_row(path: Path, spec: str) -> dict[str, object]:
    """Precision of our major flags vs lowest chrF at the same count, and false majors."""
    frame = _load_mqm(path)
    languages = parse_language_pair(spec)
    found: list[tuple[Finding, ...]] = [()] * len(frame)
    for _, group in frame.groupby(["system", "doc_id"], sort=False):
        group = group.sort_values("doc_seg_id")
        results = run_document(list(group.reference), list(group.hypothesis),
                               list(group.source), languages)
        for position, findings in zip(group.index, results, strict=True):
            found[frame.index.get_loc(position)] = findings
    gold = list(frame.gold)
    ours = [is_major(f) for f in found]
    chrf = [_chrf(h, r) or 0.0 for h, r in zip(frame.hypothesis, frame.reference, strict=True)]
    lowest = set(sorted(range(len(chrf)), key=chrf.__getitem__)[: sum(ours)])
    flagged = sum(ours)
    precision = sum(o and g for o, g in zip(ours, gold, strict=True)) / max(flagged, 1)
    base = sum(gold[i] for i in lowest) / max(len(lowest), 1)
    clean = [not m for m in frame.any_major]
    false_majors = sum(o and c for o, c in zip(ours, clean, strict=True)) / max(sum(clean), 1)
    checks: Counter[str] = Counter()
    for findings in found:
        checks.update({f.check for f in findings if f.severity in ("major", "critical")})
    return {
        "data": path.name, "languages": spec, "segments": len(frame), "gold": sum(gold),
        "flagged": flagged, "precision": round(precision, 3), "lowest_chrf_precision": round(base, 3),
        "lift": round(precision - base, 3), "false_major_rate": round(false_majors, 3),
        "majors_by_check": dict(checks.most_common()),
    }


def majors_row(data: Path, pair: str, ref_name: str, hyp_name: str,
               limit: int | None = None) -> dict[str, object]:
    """Major findings per 100 segments of one WMT23 file against a reference, per document."""
    folder = data / "wmt23_multilingual" / pair
    target = pair.split("-")[1]

    def lines(name: str) -> list[str]:
        text = (folder / f"generaltest2023.{pair}.{name}").read_text(encoding="utf-8")
        return text.splitlines()[:limit]

    src, ref, docs = lines("src.en"), lines(f"ref.{ref_name}.{target}"), lines("docids")
    hyp = lines(f"{hyp_name}.{target}")
    languages = parse_language_pair(pair)
    majors = 0
    checks: Counter[str] = Counter()
    start = 0
    while start < len(docs):
        end = start
        while end < len(docs) and docs[end] == docs[start]:
            end += 1
        for findings in run_document(ref[start:end], hyp[start:end], src[start:end], languages):
            major = [f for f in findings if f.severity in ("major", "critical")]
            majors += len(major)
            checks.update(f.check for f in major)
        start = end
    return {
        "data": f"wmt23 {pair} {ref_name} vs {hyp_name}", "languages": pair, "segments": len(ref),
        "majors_per_100": round(100 * majors / len(ref), 2), "majors_by_check": dict(checks.most_common()),
    }


def hebrew_row(data: Path) -> dict[str, object]:
    """Human vs human: refB judged against refA, first :data:`HEBREW_LINES` lines."""
    return majors_row(data, "en-he", "refA", "ref.refB", HEBREW_LINES)


def german_system_rows(data: Path) -> list[dict[str, object]]:
    """Sanity check of false majors: WMT23 en-de systems against refA."""
    return [majors_row(data, "en-de", "refA", f"hyp.{s}") for s in ("GPT4-5shot", "ONLINE-A")]


def offtarget_rows() -> list[dict[str, object]]:
    """Share of segments with a ``language`` finding, Czech reference vs Russian/Czech output."""
    src = (LANGS / "cs_ru.en").read_text(encoding="utf-8").splitlines()
    ces = (LANGS / "cs_ru.cs").read_text(encoding="utf-8").splitlines()
    rus = (LANGS / "cs_ru.ru").read_text(encoding="utf-8").splitlines()
    cs_mt = (LANGS / "cs_ru.mt.cs").read_text(encoding="utf-8").splitlines()
    languages = parse_language_pair("en-cs")
    rows = []
    for label, hyp in (("Russian hypothesis", rus), ("Czech hypothesis", cs_mt)):
        for with_src in (True, False):
            found = run_document(ces, hyp, src if with_src else None, languages)
            flagged = sum(any(f.check == "language" for f in fs) for fs in found)
            rows.append({"data": f"cs reference, {label}", "languages": "en-cs",
                         "source": with_src, "segments": len(found),
                         "language_finding_share": round(flagged / len(found), 3)})
    return rows


def rows(data_dir: Path | str) -> list[dict[str, object]]:
    """All acceptance rows (see the module docstring)."""
    data = Path(data_dir)
    out = [mqm_row(data / "mqm" / "wmt21_ted_ende_mqm.tsv", "en-de")]
    out.append(mqm_row(data / "mqm" / "wmt21_ted_zhen_mqm.tsv", "zh-en"))
    out.append(mqm_row(data / "mqm" / "wmt23_zhen_news_sxs_mqm.tsv", "zh-en"))
    out.append(hebrew_row(data))
    out.extend(german_system_rows(data))
    out.extend(offtarget_rows())
    return out


def main(argv: Sequence[str] | None = None) -> None:
    """Print the rows, one JSON object a line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("EVALHARNESS_DATA", str(DEFAULT_DATA)))
    parser.add_argument("--only", choices=["german", "zh", "hebrew", "offtarget"])
    args = parser.parse_args(argv)
    data = Path(args.data)
    if args.only == "german":
        found = [mqm_row(data / "mqm" / "wmt21_ted_ende_mqm.tsv", "en-de")]
    elif args.only == "zh":
        found = [mqm_row(data / "mqm" / n, "zh-en")
                 for n in ("wmt21_ted_zhen_mqm.tsv", "wmt23_zhen_news_sxs_mqm.tsv")]
    elif args.only == "hebrew":
        found = [hebrew_row(data), *german_system_rows(data)]
    elif args.only == "offtarget":
        found = offtarget_rows()
    else:
        found = rows(data)
    for row in found:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
