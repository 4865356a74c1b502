"""How well the error checks find real and planted errors.

1. MQM: each row of an MQM file is a 1-1 segment with its source; rows are
   grouped into documents by (system, doc_id). A row is *gold positive* when any
   rater marked an error with category ``Accuracy/*`` and severity ``Major``.
   A row is *flagged* when ``find_errors`` reports a major or critical finding.
   The baseline flags rows whose sentence chrF is below a threshold chosen (best
   F1) on the two WMT21 TED files. Figures are reported for the TED files
   (calibration) and for WMT23 zh-en news (evaluation; nothing was tuned on it).
2. Synthetic: errors planted into real sentences (entity swaps, misspelt names,
   changed numbers and dates, dropped clauses, inserted boilerplate and inserted
   sentences), into copies of the reference (six rounds; the acceptance figures)
   and once into MT output without a major accuracy error (a harder stress
   test); recall per type. False alarms: unplanted rows of the reference copies,
   and MT rows without any rater error (other systems' translations found
   error-free), run as hypothesis vs reference; share with a major finding.
3. Cost: CPU seconds of ``find_errors`` per 1,000 WMT23 segments, cold caches.

``main()`` returns the Markdown that ``bench/run_all.py`` (``make bench``) collects;
about 20 s. Usage: python bench/errors.py [--quick] [--only mqm|synthetic|false-alarms|cost]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
import pandas as pd  # noqa: E402
from sacrebleu.metrics import CHRF  # noqa: E402

sys.path[:0] = [str(HERE), str(HERE.parent)]
from _util import data_dir, parse_args, table  # noqa: E402

from evalharness.checks import find_errors, line_segments  # noqa: E402
from evalharness.checks.text.lexicon import function_words  # noqa: E402
from evalharness.lang.profiles import LanguagePair, parse_language_pair  # noqa: E402
from evalharness.records import Finding, MetricResult  # noqa: E402

TED = ("wmt21_ted_zhen_mqm.tsv",)
TED_ALL = ("wmt21_ted_zhen_mqm.tsv", "wmt21_ted_ende_mqm.tsv")
NEWS = "wmt23_zhen_news_sxs_mqm.tsv"
SEED = 20240601
CHRF_METRIC = CHRF()


def load(name: str) -> pd.DataFrame:
    frame = pd.read_csv(data_dir() / "mqm" / name, sep="\t", quoting=3, keep_default_na=False)
    frame["gold"] = frame["errors"].map(_major_accuracy)
    frame["clean"] = frame["errors"].map(lambda e: json.loads(e) == [])
    return frame


def _major_accuracy(errors: str) -> bool:
    return any(
        e["severity"] == "Major" and e["category"].startswith("Accuracy/")
        for e in json.loads(errors)
    )


# --- running the checks -------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    src: str
    ref: str
    hyp: str


def run_document(
    rows: Sequence[Row], has_source: bool = True, languages: LanguagePair | None = None
) -> list[tuple[Finding, ...]]:
    """Findings per row of one document (rows are 1-1 segments; empty ref = 0-1)."""
    segments = line_segments([r.ref for r in rows], [r.hyp for r in rows], [r.src for r in rows])
    scores = tuple(
        CHRF_METRIC.sentence_score(r.hyp, [r.ref]).score if r.ref and r.hyp else None for r in rows
    )
    metrics = {"chrf": MetricResult("chrf", None, "", segment_scores=scores)}
    return list(find_errors(segments, metrics, has_source=has_source, languages=languages))


def run_frame(frame: pd.DataFrame) -> list[tuple[Finding, ...]]:
    """Findings per row of an MQM frame, documents = (system, doc_id), languages from ``lp``."""
    out: list[tuple[Finding, ...]] = [()] * len(frame)
    languages = parse_language_pair(frame.lp.iloc[0]) if "lp" in frame and len(frame) else None
    for _, group in frame.groupby(["system", "doc_id"], sort=False):
        group = group.sort_values("doc_seg_id")
        rows = [Row(s, r, h) for s, r, h in zip(group.source, group.reference, group.hypothesis, strict=False)]
        for position, found in zip(group.index, run_document(rows, languages=languages), strict=False):
            out[frame.index.get_loc(position)] = found
    return out


def is_major(findings: Sequence[Finding]) -> bool:
    return any(f.severity in ("major", "critical") for f in findings)


# --- MQM precision / recall ------------------------------------------------------------


def prf(flags: Sequence[bool], gold: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(f and g for f, g in zip(flags, gold, strict=False))
    precision = tp / max(sum(flags), 1)
    recall = tp / max(sum(gold), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return precision, recall, f1


def best_chrf_threshold(chrf: Sequence[float], gold: Sequence[bool]) -> float:
    candidates = [t / 2 for t in range(0, 201)]
    return max(candidates, key=lambda t: prf([c < t for c in chrf], gold)[2])


def sentence_chrf(frame: pd.DataFrame) -> list[float]:
    return [CHRF_METRIC.sentence_score(h, [r]).score for h, r in zip(frame.hypothesis, frame.reference, strict=False)]


def mqm_section(quick: bool) -> str:
    calib = pd.concat([load(n) for n in TED_ALL], ignore_index=True)
    threshold = best_chrf_threshold(sentence_chrf(calib), list(calib.gold))
    rows = [["data", "rows", "gold major-accuracy rows", "method", "flagged", "precision", "recall", "F1"]]
    per_check: dict[str, Counter[str]] = {}
    for name in (*TED, NEWS):
        frame = load(name)
        if quick:
            frame = frame[frame.doc_id.isin(sorted(set(frame.doc_id))[:3])].reset_index(drop=True)
        found = run_frame(frame)
        gold = list(frame.gold)
        ours = [is_major(f) for f in found]
        base = [c < threshold for c in sentence_chrf(frame)]

        chrf = sentence_chrf(frame)
        matched = sorted(range(len(chrf)), key=chrf.__getitem__)[: sum(ours)]
        lowest = [i in set(matched) for i in range(len(chrf))]
        for label, flags in (("checks (any major finding)", ours), (f"chrF < {threshold:g}", base),
                             ("chrF, as many lowest rows as the checks flag", lowest)):
            p, r, f1 = prf(flags, gold)
            rows.append([name, str(len(frame)), str(sum(gold)), label, str(sum(flags)),
                         f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}"])
        per_check[name] = _per_check(found, gold)
    lines = ["### MQM: segments with a major accuracy error", "", table(rows), ""]
    lines += ["Per check (rows where the check reports a major finding / of which gold):", ""]
    check_rows = [["data", *sorted({c for v in per_check.values() for c in v if "/" not in c})]]
    for name, counts in per_check.items():
        check_rows.append([name] + [f"{counts[c]} / {counts[c + '/gold']}" for c in check_rows[0][1:]])
    return "\n".join(lines + [table(check_rows), ""])


def _per_check(found: Sequence[Sequence[Finding]], gold: Sequence[bool]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for findings, positive in zip(found, gold, strict=False):
        for check in {f.check for f in findings if f.severity in ("major", "critical")}:
            counts[check] += 1
            counts[check + "/gold"] += positive
    return counts


# --- planting errors -------------------------------------------------------------------

_CAPS_RE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+(?: (?:of |the |de )?[A-Z][a-z]+){0,2}\b")
_NUMBER_RE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
_CALENDAR = (*_MONTHS, *["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
_BOILERPLATE = (
    "Share this article", "Read more", "Advertisement", "Sign up for our daily newsletter",
    "Follow us on Twitter", "Click here to subscribe", "Share this:", "Related articles",
    "All rights reserved.", "Image caption", "Listen to this article", "Skip to content",
)
_BYLINE_ROLES = ("Staff Reporter", "Political Correspondent", "in Beijing", "Reuters", "AP")


@dataclass(frozen=True)
class Planted:
    kind: str
    hyp: str
    hyp_span: tuple[int, int] | None
    ref_span: tuple[int, int] | None


LOWER_WORDS: set[str] = set()
"""Words written in lower case somewhere in the current data set (set per data set)."""


def _caps(text: str) -> list[re.Match[str]]:
    """Mid-sentence capitalised names none of whose words is ever written in lower case."""
    return [
        m for m in _CAPS_RE.finditer(text)
        if m.group().split()[0].lower() not in function_words()
        and not any(w in _CALENDAR for w in m.group().split())
        and not any(w.lower() in LOWER_WORDS for w in m.group().split() if w[0].isupper())
    ]


def plant_swap(ref: str, hyp: str, rng: random.Random, pool: Sequence[str]) -> Planted | None:
    shared = [m for m in _caps(hyp) if m.group() in ref]
    if not shared:
        return None
    target = rng.choice(shared)
    size = len(target.group().split())
    options = [p for p in pool if len(p.split()) == size and p not in ref and p not in hyp]
    if not options:
        return None
    new = rng.choice(options)
    out = hyp[: target.start()] + new + hyp[target.end() :]
    return Planted("entity swap", out, (target.start(), target.start() + len(new)), None)


def _misspell(word: str, rng: random.Random) -> str:
    for _ in range(20):
        letters = list(word)
        for _ in range(rng.choice((1, 1, 2))):
            i = rng.randrange(1, len(letters))
            op = rng.choice(("sub", "del", "dup", "swap"))
            if op == "sub":
                pool = "aeiou" if letters[i] in "aeiou" else "bcdfgklmnprstvz"
                letters[i] = rng.choice(pool)
            elif op == "del" and len(letters) > 4:
                del letters[i]
            elif op == "dup":
                letters.insert(i, letters[i])
            elif i + 1 < len(letters):
                letters[i], letters[i + 1] = letters[i + 1], letters[i]
        new = "".join(letters)
        if new.lower() != word.lower():
            return new
    return word + "e"


def plant_misspelling(ref: str, hyp: str, rng: random.Random, pool: Sequence[str]) -> Planted | None:
    names = [m for m in _caps(hyp) if m.group() in ref and any(len(w) >= 4 for w in m.group().split())]
    if not names:
        return None
    target = rng.choice(names)
    words = [w for w in re.finditer(r"[A-Z][a-z]{3,}", target.group())]
    word = rng.choice(words)
    start = target.start() + word.start()
    new = _misspell(word.group(), rng)
    out = hyp[:start] + new + hyp[start + len(word.group()) :]
    return Planted("misspelt name", out, (start, start + len(new)), None)


def _change_number(text: str, rng: random.Random) -> str:
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    i = rng.choice(digits)
    choices = [d for d in "0123456789" if d != text[i] and not (i == 0 and d == "0")]
    return text[:i] + rng.choice(choices) + text[i + 1 :]


def plant_number(ref: str, hyp: str, rng: random.Random, pool: Sequence[str]) -> Planted | None:
    numbers = [m for m in _NUMBER_RE.finditer(hyp) if m.group() in ref and hyp[: m.start()].strip()]
    months = [m for m in re.finditer(r"\b(?:" + "|".join(_MONTHS) + r")\b", hyp) if m.group() in ref]
    if months and (not numbers or rng.random() < 0.3):
        target = rng.choice(months)
        new = rng.choice([m for m in _MONTHS if m != target.group()])
    elif numbers:
        target = rng.choice(numbers)
        new = _change_number(target.group(), rng)
    else:
        return None
    out = hyp[: target.start()] + new + hyp[target.end() :]
    return Planted("changed number/date", out, (target.start(), target.start() + len(new)), None)


def plant_clause(ref: str, hyp: str, rng: random.Random, pool: Sequence[str]) -> Planted | None:
    parts = [m for m in re.finditer(r", ([^,]+?)(?=,|[.!?]?$)", hyp)]
    stop = function_words()
    eligible = [m for m in parts
                if sum(w.lower() not in stop for w in re.findall(r"[A-Za-z]+", m.group(1))) >= 4]
    if not eligible:
        return None
    target = rng.choice(eligible)
    out = hyp[: target.start()] + hyp[target.end() :]
    span = None
    if target.group(1) in ref:
        start = ref.index(target.group(1))
        span = (start, start + len(target.group(1)))
    return Planted("dropped clause", out, None, span)


PLANTERS: dict[str, Callable[[str, str, random.Random, Sequence[str]], Planted | None]] = {
    "entity swap": plant_swap,
    "misspelt name": plant_misspelling,
    "changed number/date": plant_number,
    "dropped clause": plant_clause,
}
_EXPECTED_CHECKS = {
    "entity swap": {"entity", "name"},
    "misspelt name": {"name", "entity"},
    "changed number/date": {"number"},
    "dropped clause": {"omission"},
}


def boilerplate_line(rng: random.Random, names: Sequence[str]) -> str:
    if rng.random() < 0.35 and names:
        return f"By {rng.choice(names)}, {rng.choice(_BYLINE_ROLES)}"
    return rng.choice(_BOILERPLATE)


def _overlaps(a: tuple[int, int] | None, start: int | None, end: int | None) -> bool:
    if a is None or start is None or end is None:
        return a is None
    return start < a[1] and a[0] < end


def detected(kind: str, planted: Planted, findings: Sequence[Finding]) -> bool:
    for f in findings:
        if f.check not in _EXPECTED_CHECKS[kind] or f.severity not in ("major", "critical"):
            continue
        if _overlaps(planted.hyp_span, f.hyp_start, f.hyp_end) and _overlaps(
            planted.ref_span, f.ref_start, f.ref_end
        ):
            return True
    return False


@dataclass
class Tally:
    planted: Counter[str]
    found: Counter[str]
    segment_major: Counter[str]
    untouched: int = 0
    untouched_major: int = 0


def _documents(frame: pd.DataFrame, mode: str) -> list[list[Row]]:
    if mode == "reference copy":
        frame = frame[frame.system == frame.system.iloc[0]]
    docs = []
    for _, group in frame.groupby(["system", "doc_id"], sort=False):
        group = group.sort_values("doc_seg_id")
        docs.append([
            Row(s, r, r if mode == "reference copy" else h)
            for s, r, h in zip(group.source, group.reference, group.hypothesis, strict=False)
        ])
    return docs


def synthetic(frame: pd.DataFrame, mode: str, seed: int) -> Tally:
    rng = random.Random(seed)
    LOWER_WORDS.clear()
    LOWER_WORDS.update(w for r in frame.reference for w in re.findall(r"\b[a-z]+\b", r))
    pool = sorted({m.group() for r in set(frame.reference) for m in _caps(r)})
    names = [p for p in pool if len(p.split()) == 2]
    tally = Tally(Counter(), Counter(), Counter())
    kinds = list(PLANTERS)
    for doc_number, rows in enumerate(_documents(frame, mode)):
        inserted = _insert_additions(rows, rng, names, frame, doc_number)
        planted: dict[int, Planted] = {}
        for i in rng.sample(range(len(rows)), k=len(rows)):
            if i in inserted or rng.random() > 0.45:
                continue
            for kind in rng.sample(kinds, k=len(kinds)):
                result = PLANTERS[kind](rows[i].ref, rows[i].hyp, rng, pool)
                if result is not None:
                    planted[i] = result
                    rows[i] = replace(rows[i], hyp=result.hyp)
                    break
        found = run_document(rows, has_source=False)
        for i, result in planted.items():
            tally.planted[result.kind] += 1
            tally.found[result.kind] += detected(result.kind, result, found[i])
            tally.segment_major[result.kind] += is_major(found[i])
        for i, kind in inserted.items():
            tally.planted[kind] += 1
            additions = [f for f in found[i] if f.check == "addition"]
            want_major = kind == "inserted sentence"
            ok = any((f.severity == "major") == want_major for f in additions)
            tally.found[kind] += ok
            tally.segment_major[kind] += is_major(found[i])
        if mode == "reference copy":
            for i, _row in enumerate(rows):
                if i not in planted and i not in inserted:
                    tally.untouched += 1
                    tally.untouched_major += is_major(found[i])
    return tally


def _insert_additions(
    rows: list[Row], rng: random.Random, names: Sequence[str], frame: pd.DataFrame, doc: int
) -> dict[int, str]:
    """Insert two boilerplate lines and one sentence of another document as 0-1 rows."""
    others = [r for r in frame.reference if len(r.split()) >= 6]
    lines = [("inserted boilerplate", boilerplate_line(rng, names)) for _ in range(2)]
    lines.append(("inserted sentence", rng.choice(others)))
    for _kind, text in lines:
        rows.insert(rng.randrange(len(rows) + 1), Row("", "", text))
    positions: dict[int, str] = {}
    texts = {text: kind for kind, text in lines}
    for i, row in enumerate(rows):
        if not row.ref and row.hyp in texts:
            positions[i] = texts[row.hyp]
    return positions


SEEDS = 6
"""Planting rounds into the reference copies (different errors, same sentences)."""


def _merge(total: Tally, part: Tally) -> None:
    total.planted.update(part.planted)
    total.found.update(part.found)
    total.segment_major.update(part.segment_major)
    total.untouched += part.untouched
    total.untouched_major += part.untouched_major


def synthetic_section(quick: bool) -> tuple[str, dict[str, Tally]]:
    """Planted errors: into reference copies (acceptance figures), and into clean-rated MT."""
    rows = [["sentences from", "planted into", "error type", "planted", "found (right check, "
             "span, severity)", "recall", "segment has a major finding"]]
    by_data: dict[str, Tally] = {}
    for name in (*TED, NEWS):
        frame = load(name)
        if quick:
            frame = frame[frame.doc_id.isin(sorted(set(frame.doc_id))[:4])]
        for mode in ("reference copy", "clean-rated MT output"):
            source = frame if mode == "reference copy" else frame[frame.clean | ~frame.gold]
            tally = Tally(Counter(), Counter(), Counter())
            for seed in range(SEEDS if mode == "reference copy" and not quick else 1):
                _merge(tally, synthetic(source, mode, SEED + seed))
            for kind in sorted(tally.planted):
                n, k = tally.planted[kind], tally.found[kind]
                rows.append([name, mode, kind, str(n), str(k), f"{k / max(n, 1):.3f}",
                             f"{tally.segment_major[kind] / max(n, 1):.3f}"])
            if mode == "reference copy":
                by_data[name] = tally
    lines = ["### Synthetic: planted errors, all rows", "",
             f"Reference copies: {SEEDS} planting rounds over the same documents. Clean-rated MT "
             "output (rows without a major accuracy error) is harder: the planted clause or name "
             "sits in a sentence that already paraphrases the reference.", "", table(rows), ""]
    return "\n".join(lines), by_data


def false_alarms(quick: bool) -> dict[str, tuple[int, int, Counter[str]]]:
    """Per file: clean rows (no rater error at all), those with a major finding, by check."""
    out = {}
    for name in (*TED, NEWS):
        frame = load(name)
        if quick:
            frame = frame[frame.doc_id.isin(sorted(set(frame.doc_id))[:3])].reset_index(drop=True)
        found = run_frame(frame)
        clean = [f for f, c in zip(found, frame.clean, strict=False) if c]
        alarms = [f for f in clean if is_major(f)]
        by_check = Counter(x.check for f in alarms for x in f if x.severity != "minor")
        out[name] = (len(clean), len(alarms), by_check)
    return out


def false_alarm_section(alarms: dict[str, tuple[int, int, Counter[str]]]) -> str:
    rows = [["data", "rows without any rater error", "with a major finding", "rate", "by check"]]
    for name, (clean, flagged, by_check) in alarms.items():
        rows.append([name, str(clean), str(flagged), f"{flagged / max(clean, 1):.3f}",
                     ", ".join(f"{c} {n}" for c, n in by_check.most_common())])
    return "\n".join(["### False alarms on clean MT output (other systems' translations the "
                      "raters found error-free)", "", table(rows), ""])


def summary_section(by_data: dict[str, Tally], alarms: dict[str, tuple[int, int, Counter[str]]]) -> str:
    """Recall per planted type and false-alarm rates, one column per data set."""
    names = list(by_data)
    label = {TED[0]: "TED zh-en (calibration)", NEWS: "WMT23 news zh-en (evaluation)"}
    rows = [["planted into reference sentences", *[label.get(n, n) for n in names]]]
    kinds = sorted({k for t in by_data.values() for k in t.planted})
    for kind in kinds:
        cells = []
        for name in names:
            t = by_data[name]
            cells.append(f"{t.found[kind] / max(t.planted[kind], 1):.3f} ({t.found[kind]}/{t.planted[kind]})")
        rows.append([f"recall: {kind}", *cells])
    rows.append(["false alarms: unplanted reference copies with a major finding",
                 *[f"{by_data[n].untouched_major / max(by_data[n].untouched, 1):.3f} "
                   f"({by_data[n].untouched_major}/{by_data[n].untouched})" for n in names]])
    rows.append(["false alarms: error-free MT rows with a major finding",
                 *[f"{alarms[n][1] / max(alarms[n][0], 1):.3f} ({alarms[n][1]}/{alarms[n][0]})"
                   for n in names]])
    return "\n".join(["### Summary", "", table(rows), ""])


def cost_section() -> str:
    """Seconds of ``find_errors`` per 1,000 segments on the WMT23 test set (3 systems vs refA)."""
    from _util import wmt_dir

    ref = (wmt_dir() / "generaltest2023.zh-en.ref.refA.en").read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows = [["system", "segments", "seconds", "seconds per 1,000 segments"]]
    total = count = 0.0
    for system in ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy"):
        path = wmt_dir() / f"generaltest2023.zh-en.hyp.{system}.en"
        hyp = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        segments = line_segments(ref, hyp)
        scores = tuple(CHRF_METRIC.sentence_score(h, [r]).score for h, r in zip(hyp, ref, strict=True))
        metrics = {"chrf": MetricResult("chrf", None, "", segment_scores=scores)}
        started = time.process_time()
        find_errors(segments, metrics)
        seconds = time.process_time() - started
        total += seconds
        count += len(segments)
        rows.append([system, str(len(segments)), f"{seconds:.2f}", f"{1000 * seconds / len(segments):.3f}"])
    rows.append(["all", f"{count:.0f}", f"{total:.2f}", f"{1000 * total / count:.3f}"])
    return "\n".join(["### Cost of the checks (CPU seconds in one fresh process, each system once, cold caches)", "",
                      table(rows), ""])


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a few documents only")
    parser.add_argument("--only", choices=("mqm", "synthetic", "false-alarms", "cost"))
    args = parse_args(parser)
    started = time.perf_counter()
    # Timed first, before the other sections warm the per-word caches.
    cost = cost_section() if args.only in (None, "cost") else None
    sections = ["Error checks (`evalharness.checks.find_errors`) on MQM-rated MT output and on "
                "planted errors. Calibration: WMT21 TED; WMT23 news is reported, never tuned on.", ""]
    if args.only in (None, "synthetic", "false-alarms"):
        alarms = false_alarms(args.quick)
        if args.only in (None, "synthetic"):
            text, by_data = synthetic_section(args.quick)
            sections.append(summary_section(by_data, alarms))
        sections.append(false_alarm_section(alarms))
        if args.only in (None, "synthetic"):
            sections.append(text)
    if args.only in (None, "mqm"):
        sections.append(mqm_section(args.quick))
    if cost is not None:
        sections.append(cost)
    sections.append(f"({time.perf_counter() - started:.0f} s)")
    return "\n".join(sections)


if __name__ == "__main__":
    print(main())
