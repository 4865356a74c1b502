"""Per-language figures: tokenizer parity with sacrebleu and language detection on WMT23.

1. Tokenizer parity: for each WMT23 pair (en-de, en-ja, en-zh, en-he) and system,
   the corpus BLEU of ``evaluate`` with no language flag (languages detected)
   against sacrebleu's ``BLEU(trg_lang=...)``, with the tokenizer of the signature.
2. Detection: py3langid on every line and on every document (docids) of every
   file, against the file's language.
3. Checks per language: the rows of ``bench/lang_checks.py:rows(data_dir)`` when
   that module exists (MQM lift and false alarms, majors per 100 segments for
   human vs human).

Usage: python bench/languages.py [--data DIR]   (default: $EVALHARNESS_DATA or ../shared/data)
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import sys
from pathlib import Path

from _util import REPO, table

PAIRS = ("en-de", "en-ja", "en-zh", "en-he")
SYSTEMS = ("GPT4-5shot", "ONLINE-A", "NLLB_Greedy")


def parity_rows(wmt: Path) -> list[list[str]]:
    """Our corpus BLEU (languages detected) against sacrebleu's for the target."""
    from sacrebleu.metrics import BLEU

    from evalharness.pipeline import evaluate

    rows = [["pair", "system", "detected", "tokenizer (signature)", "ours", "sacrebleu", "|diff|"]]
    for pair in PAIRS:
        tgt = pair.split("-")[1]
        folder = wmt / pair
        ref = folder / f"generaltest2023.{pair}.ref.refA.{tgt}"
        hyps = [folder / f"generaltest2023.{pair}.hyp.{s}.{tgt}" for s in SYSTEMS]
        run = evaluate(ref, hyps, folder / f"generaltest2023.{pair}.src.en", metrics="bleu",
                       run_checks=False, bootstrap_samples=1, names=SYSTEMS)
        assert run.languages is not None
        detected = f"{run.languages.source.code if run.languages.source else '?'}-" \
                   f"{run.languages.target.code}"
        refs = [_lines(ref)]
        for system, hyp in zip(run.systems, hyps, strict=True):
            bleu = system.metrics["bleu"]
            theirs = BLEU(trg_lang=tgt).corpus_score(_lines(hyp), refs).score
            tok = next(p for p in bleu.signature.split("|") if p.startswith("tok:"))
            rows.append([pair, system.name, detected, tok, f"{bleu.score:.6f}", f"{theirs:.6f}",
                         f"{abs((bleu.score or 0) - theirs):.1e}"])
    return rows


def detection_rows(wmt: Path) -> list[list[str]]:
    """Accuracy of py3langid per line and per document, for every WMT23 file."""
    from evalharness.lang.detect import identify, identify_document

    rows = [["file", "language", "lines", "line accuracy", "documents", "document accuracy",
             "most common confusion"]]
    for pair in PAIRS:
        folder = wmt / pair
        docids = _lines(folder / f"generaltest2023.{pair}.docids")
        for path in sorted(folder.glob(f"generaltest2023.{pair}.*")):
            if path.suffix == ".docids":
                continue
            code = path.suffix.lstrip(".")
            lines = _lines(path)
            found = [identify(line).code for line in lines]
            docs = [list(g) for _, g in itertools.groupby(zip(docids, lines, strict=True),
                                                        key=lambda x: x[0])]
            doc_ok = sum(identify_document([t for _, t in d]).code == code for d in docs)
            wrong = [c for c in found if c != code]
            confusion = max(set(wrong), key=wrong.count) if wrong else "-"
            rows.append([path.name.removeprefix("generaltest2023."), code, str(len(lines)),
                         f"{sum(c == code for c in found) / len(lines):.4f}", str(len(docs)),
                         f"{doc_ok / len(docs):.4f}", confusion])
    return rows


def check_tables(data_dir: Path) -> list[list[list[str]]] | None:
    """The rows of ``bench/lang_checks.py`` (the checks per language), when it exists.

    Rows of one kind (same fields) make one table: header first.
    """
    path = REPO / "bench" / "lang_checks.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("lang_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tables: dict[tuple[str, ...], list[list[str]]] = {}
    for row in module.rows(data_dir):
        keys = tuple(row)
        tables.setdefault(keys, [list(keys)]).append([str(row[k]) for k in keys])
    return list(tables.values())


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def main() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("EVALHARNESS_DATA", REPO.parent / "shared" / "data")))
    args = parser.parse_args()
    wmt = args.data / "wmt23_multilingual"
    parts = ["Tokenizer parity (corpus BLEU, no language flag)", table(parity_rows(wmt)), "",
             "Language detection (py3langid 0.2.2)", table(detection_rows(wmt))]
    checks = check_tables(args.data)
    if checks is not None:
        parts += ["", "Checks per language (bench/lang_checks.py)"]
        parts += [line for rows in checks for line in ("", table(rows))]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    print(main())
