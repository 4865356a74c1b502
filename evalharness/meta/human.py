"""Readers of human judgement files: MQM TSV, WMT DA/ESA CSV, plain ``system segment score``.

Every reader returns :class:`HumanJudgements`: one :class:`HumanItem` per
(system, segment), the score oriented so that higher is better. MQM items also
carry the segment's texts and its target-side error spans.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from evalharness.errors import InputError
from evalharness.inputs.formats import read_text
from evalharness.meta.weights import MqmWeights

HUMAN_FORMATS = ("mqm", "da", "tsv")


@dataclass(frozen=True)
class MqmSpan:
    """One annotated error on the hypothesis (``hypothesis[start:end]``)."""

    start: int
    end: int
    category: str
    severity: str
    rater: str


@dataclass(frozen=True)
class HumanItem:
    """The human score of one system on one segment.

    Attributes:
        system: System name.
        segment: Segment key (MQM ``global_seg_id``, or the file's segment id).
        score: Human score, higher is better (MQM: minus the weighted errors per rater).
        line: 1-based line of the file (the first one for averaged ratings).
        doc: Document id, when the file has one.
        src: Source text (MQM only).
        hyp: Hypothesis text (MQM only).
        ref: Reference text (MQM only).
        spans: Target-side MQM error spans.
    """

    system: str
    segment: str
    score: float
    line: int
    doc: str = ""
    src: str = ""
    hyp: str = ""
    ref: str = ""
    spans: tuple[MqmSpan, ...] = ()


@dataclass(frozen=True)
class HumanJudgements:
    """A human judgement file, read.

    Attributes:
        path: The file.
        format: ``mqm``, ``da`` or ``tsv``.
        items: One item per (system, segment), in file order.
        language_pair: ``src-tgt`` from an ``lp`` column, when present.
        score_column: The column the scores came from (``da``/``tsv``) or ``mqm``.
    """

    path: str
    format: str
    items: tuple[HumanItem, ...]
    language_pair: str | None = None
    score_column: str = "mqm"

    @property
    def systems(self) -> list[str]:
        """System names in order of first appearance."""
        return list(dict.fromkeys(i.system for i in self.items))


def read_verbatim(path: str) -> str:
    """The file as UTF-8 text, BOM and CR removed but not NFC-normalised.

    MQM span offsets count code points of the text as the raters saw it, so the
    text must not change length.

    Raises:
        InputError: see :func:`evalharness.inputs.formats.read_text`.
    """
    read_text(path)  # the same checks and messages as every other input
    data = Path(path).read_bytes().removeprefix(b"\xef\xbb\xbf")
    return data.decode("utf-8").replace("\r\n", "\n")


def _rows(path: str, delimiter: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a delimited file with a header, each with its 1-based line number."""
    text = read_verbatim(path)
    lines = text.split("\n")
    reader = csv.reader(
        lines, delimiter=delimiter, quoting=csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    )
    header: list[str] | None = None
    for number, fields in enumerate(reader, 1):
        if not fields or not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [f.strip() for f in fields]
            continue
        if len(fields) != len(header):
            raise InputError(f"has {len(fields)} fields, the header has {len(header)}", path, number)
        yield number, dict(zip(header, fields, strict=True))
    if header is None:
        raise InputError("empty file: no header and no rows", path)


def _segment_key(row: dict[str, str], path: str, line: int) -> tuple[str, str]:
    doc = row.get("doc_id") or row.get("doc") or ""
    for column in ("global_seg_id", "seg_id", "segment_id"):
        if row.get(column, "").strip():
            return row[column].strip(), doc
    if doc and row.get("doc_seg_id", "").strip():
        return f"{doc}#{row['doc_seg_id'].strip()}", doc
    raise InputError("no segment id (global_seg_id, seg_id, or doc_id + doc_seg_id)", path, line)


def _errors(row: dict[str, str], path: str, line: int) -> list[dict[str, object]]:
    try:
        errors = json.loads(row.get("errors") or "[]")
    except json.JSONDecodeError as exc:
        raise InputError(f"errors column is not JSON ({exc.msg})", path, line) from None
    if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
        raise InputError("errors column must be a JSON list of objects", path, line)
    return errors


def _raters(row: dict[str, str], errors: list[dict[str, object]]) -> int:
    if row.get("n_raters", "").strip().isdigit() and int(row["n_raters"]) > 0:
        return int(row["n_raters"])
    named = [r for r in row.get("raters", "").replace(";", ",").split(",") if r.strip()]
    return max(len(named), len({str(e.get("rater", "")) for e in errors}), 1)


def mqm_item(row: dict[str, str], weights: MqmWeights, path: str, line: int) -> HumanItem:
    """One MQM row as a scored item.

    Raises:
        InputError: no system or hypothesis column, bad errors JSON, an error
            without a weight for its severity.
    """
    if "system" not in row or "hypothesis" not in row:
        raise InputError("an MQM file needs 'system' and 'hypothesis' columns", path, line)
    segment, doc = _segment_key(row, path, line)
    errors = _errors(row, path, line)
    points = 0.0
    spans: list[MqmSpan] = []
    for error in errors:
        category, severity = str(error.get("category", "")), str(error.get("severity", ""))
        weight = weights.weight(category, severity)
        if weight is None:
            raise InputError(f"severity {severity!r} has no weight (see --weights)", path, line)
        points += weight
        start, end = error.get("start"), error.get("end")
        if error.get("side", "target") == "target" and isinstance(start, int) and isinstance(end, int):
            spans.append(MqmSpan(start, end, category, severity.lower(), str(error.get("rater", ""))))
    return HumanItem(
        system=row["system"], segment=segment, score=-points / _raters(row, errors), line=line,
        doc=doc, src=row.get("source", ""), hyp=row["hypothesis"], ref=row.get("reference", ""),
        spans=tuple(spans),
    )


def read_mqm(path: str, weights: MqmWeights | None = None) -> HumanJudgements:
    """Read a Google-style MQM TSV (one row per system and segment, errors as JSON).

    Raises:
        InputError: unreadable or malformed file, a (system, segment) twice.
    """
    weights = weights or MqmWeights()
    items: list[HumanItem] = []
    seen: set[tuple[str, str]] = set()
    pair: str | None = None
    for line, row in _rows(path, "\t"):
        item = mqm_item(row, weights, path, line)
        if (item.system, item.segment) in seen:
            raise InputError(f"system {item.system!r} segment {item.segment} appears twice", path, line)
        seen.add((item.system, item.segment))
        pair = pair or (row.get("lp") or None)
        items.append(item)
    if not items:
        raise InputError("no rows after the header", path)
    return HumanJudgements(path, "mqm", tuple(items), pair)


SYSTEM_COLUMNS = ("system", "sys", "system_name", "systemid", "system_id", "model")
SEGMENT_COLUMNS = ("seg_id", "segment_id", "segment", "sid", "item_id", "itemid", "line",
                   "global_seg_id")
SCORE_COLUMNS = ("score", "esa_score", "da_score", "raw", "human", "mqm", "z", "z_score")


def _pick(header: Sequence[str], wanted: Sequence[str], given: str | None, what: str,
          path: str) -> str:
    lowered = {h.lower(): h for h in header}
    if given:
        if given not in header and given.lower() not in lowered:
            raise InputError(f"no column {given!r} (columns: {', '.join(header)})", path, 1)
        return lowered.get(given.lower(), given)
    for name in wanted:
        if name in lowered:
            return lowered[name]
    raise InputError(f"no {what} column (tried {', '.join(wanted)})", path, 1)


def read_scores(path: str, fmt: str, score_column: str | None = None) -> HumanJudgements:
    """Read a ``da`` CSV/TSV or a ``tsv`` file of system, segment and score.

    ``tsv`` files may have no header: then the columns are system, segment,
    score; or system and score only, as in mt-metrics-eval's ``*.seg.score``
    files, where a system's k-th line is its segment k (``None`` = not rated).
    Several ratings of one (system, segment) are averaged.

    Raises:
        InputError: unreadable file, missing columns, a score that is not a number.
    """
    text = read_text(path)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first or fmt == "tsv" else ","
    fields = first.split(delimiter)
    headerless = fmt == "tsv" and len(fields) in (2, 3) and _is_number_or_none(fields[-1])
    rows = _headerless(text, path) if headerless else _rows(path, delimiter)
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    lines: dict[tuple[str, str], int] = {}
    columns: tuple[str, str, str] | None = None
    for line, row in rows:
        if columns is None:
            header = list(row)
            columns = (
                _pick(header, SYSTEM_COLUMNS, None, "system", path),
                _pick(header, SEGMENT_COLUMNS, None, "segment id", path),
                _pick(header, SCORE_COLUMNS, score_column, "score", path),
            )
        system, segment, score = (row[c].strip() for c in columns)
        if score == "None" and headerless:
            continue
        if not _is_number(score):
            raise InputError(f"score {score!r} is not a number", path, line)
        key = (system, segment)
        sums[key].append(float(score))
        lines.setdefault(key, line)
    if columns is None:
        raise InputError("no rows after the header", path)
    items = tuple(
        HumanItem(system=k[0], segment=k[1], score=sum(v) / len(v), line=lines[k])
        for k, v in sums.items()
    )
    return HumanJudgements(path, fmt, items, None, columns[2])


def _headerless(text: str, path: str) -> Iterator[tuple[int, dict[str, str]]]:
    width = len(text.split("\n", 1)[0].split("\t"))
    seen: dict[str, int] = defaultdict(int)
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        if len(fields) != width:
            raise InputError(f"expected {width} tab-separated fields, got {len(fields)}", path, number)
        seen[fields[0]] += 1
        segment = fields[1] if width == 3 else str(seen[fields[0]])
        yield number, {"system": fields[0], "segment": segment, "score": fields[-1]}


def _is_number_or_none(value: str) -> bool:
    return value.strip() == "None" or _is_number(value)


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip().lower() not in ("nan", "inf", "-inf", "+inf")
