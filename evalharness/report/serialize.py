"""The canonical JSON report (schema ``evalharness.report/1``).

Other tools and CI read this file: field names are stable; new fields may be
added. Floats keep full precision.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from evalharness import __version__
from evalharness.errors import InputError
from evalharness.fsutil import atomic_write_chunks
from evalharness.records import AlignedSegment, Document, MetricResult

if TYPE_CHECKING:
    from evalharness.results import RunResult, SystemResult

SCHEMA = "evalharness.report/1"


def package_versions() -> dict[str, str | None]:
    """Versions of evalharness and the metric packages (None when not installed)."""
    versions: dict[str, str | None] = {"evalharness": __version__}
    for key, dist in (("sacrebleu", "sacrebleu"), ("comet", "unbabel-comet")):
        try:
            versions[key] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[key] = None
    return versions


def reference_digest(texts: list[str]) -> str:
    """sha256 over the reference segment texts: identifies the test set in baselines."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def reference_entry(doc: Document) -> dict[str, Any]:
    """One reference of the ``references`` list: file, field and a digest of its text.

    The digest covers the loaded text (and the field of a TSV/JSONL column), so
    it does not depend on sentence splitting or alignment.
    """
    field = doc.metadata.get("field") if doc.format in ("tsv", "jsonl") else None
    return {
        "path": doc.path,
        "format": doc.format,
        "field": field,
        "sha256": reference_digest([doc.text]),
    }


def _languages(run: RunResult) -> dict[str, Any] | None:
    """The run's languages and, when the checks ran, how each check treated the target.

    ``checks`` maps a check id to ``language-specific``, ``generic`` (script-generic
    rules) or ``skipped``, so a reader knows which findings a target without a
    profile could not get.
    """
    if run.languages is None:
        return None
    entry = run.languages.to_dict()
    if run.options.get("checks"):
        from evalharness.checks.base import language_support

        entry["checks"] = language_support(run.languages)
    return entry


def run_to_dict(run: RunResult) -> dict[str, Any]:
    """The whole run as the JSON report dict."""
    first = run.systems[0].segments if run.systems else ()
    ref_texts = [s.ref_text for s in first if s.ref]
    return {
        "schema": SCHEMA,
        "created": run.created,
        "versions": package_versions(),
        "options": dict(run.options),
        "languages": _languages(run),
        "reference": {
            "path": run.reference.path,
            "format": run.reference.format,
            "sentences": run.reference_sentences,
            "sha256": reference_digest(ref_texts),
            "metadata": dict(run.reference.metadata),
        },
        "references": [reference_entry(doc) for doc in run.all_references],
        "source": None
        if run.source is None
        else {"path": run.source.path, "format": run.source.format},
        "systems": [system_to_dict(s) for s in run.systems],
    }


def system_to_dict(system: SystemResult) -> dict[str, Any]:
    """One system's entry of the report."""
    significance = None
    if system.significance:
        baseline = next(iter(system.significance.values())).baseline
        significance = {
            "baseline": baseline,
            "metrics": {
                name: {
                    "delta": c.delta,
                    "p_value": c.p_value,
                    "ci95": list(c.ci95) if c.ci95 else None,
                    "method": c.method,
                }
                for name, c in system.significance.items()
            },
        }
    columns = _segment_columns(system.metrics, len(system.segments))
    return {
        "name": system.name,
        "path": system.path,
        "format": system.document.format,
        "metrics": {name: metric_to_dict(m) for name, m in system.metrics.items()},
        "significance": significance,
        "alignment": {"segments": len(system.segments), "counts": system.alignment_counts()},
        "findings": system.finding_counts(),
        "segments": [
            _segment_entry(seg, columns, i, system.findings[i])
            for i, seg in enumerate(system.segments)
        ],
    }


def _segment_columns(
    metrics: Mapping[str, MetricResult], n_segments: int
) -> list[tuple[str, list[Any], list[Any] | None]]:
    """(name, segment scores, statistics rows) of each metric, as JSON-ready lists.

    Converting each metric's columns once (``tolist`` of whole arrays) instead
    of one row at a time gives the same values as :func:`segment_to_dict`.
    """
    columns = []
    for name, result in metrics.items():
        if result.status != "ok":
            continue
        scores = [_num(v) for v in result.segment_scores[:n_segments]]
        rows = None
        if result.stats is not None:
            stats = result.stats
            if isinstance(stats, np.ndarray) and stats.dtype.kind in "iuf" and stats.ndim == 2:
                rows = stats[: len(scores)].tolist()
                if stats.dtype.kind == "f" and np.isnan(stats).any():
                    rows = [[_num(v) for v in row] for row in rows]
            else:
                rows = [_row(result.stats[i]) for i in range(len(scores))]
        columns.append((name, scores, rows))
    return columns


def _segment_entry(
    seg: AlignedSegment,
    columns: list[tuple[str, list[Any], list[Any] | None]],
    index: int,
    findings: Any,
) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    stats: dict[str, Any] = {}
    for name, values, rows in columns:
        if index >= len(values):
            continue
        scores[name] = values[index]
        if rows is not None:
            stats[name] = rows[index]
    return _segment_fields(seg, scores, stats, findings)


def metric_to_dict(result: MetricResult) -> dict[str, Any]:
    """A metric's corpus-level entry."""
    entry: dict[str, Any] = {
        "score": _num(result.score),
        "signature": result.signature,
        "ci95": [float(result.ci95[0]), float(result.ci95[1])] if result.ci95 else None,
        "status": result.status,
    }
    if result.reason:
        entry["reason"] = result.reason
    if result.details is not None:
        # JSON-ready: tuples (BLEU's precisions) as lists, so the dict round-trips.
        entry["details"] = {
            k: list(v) if isinstance(v, tuple) else v for k, v in asdict(result.details).items()
        }
    for key, value in result.extra.items():
        if key != "error_spans":
            entry[key] = value
    return entry


def segment_to_dict(
    seg: AlignedSegment, index: int, metrics: Mapping[str, MetricResult], findings: Any
) -> dict[str, Any]:
    """One segment of one system."""
    scores: dict[str, Any] = {}
    stats: dict[str, Any] = {}
    for name, result in metrics.items():
        if result.status != "ok" or index >= len(result.segment_scores):
            continue
        scores[name] = _num(result.segment_scores[index])
        if result.stats is not None:
            stats[name] = _row(result.stats[index])
    return _segment_fields(seg, scores, stats, findings)


def _row(row: Any) -> list[Any]:
    return [_num(v) for v in (row.tolist() if hasattr(row, "tolist") else row)]


def _segment_fields(
    seg: AlignedSegment, scores: dict[str, Any], stats: dict[str, Any], findings: Any
) -> dict[str, Any]:
    removed = next((s.removed for s in seg.hyp + seg.ref if s.removed), None)
    return {
        "id": seg.id,
        "ref": seg.ref_text,
        "hyp": seg.hyp_text,
        "src": seg.src_text,
        "ref_lines": seg.ref_lines,
        **_references_fields(seg),
        "hyp_lines": seg.hyp_lines,
        "alignment": seg.alignment,
        "removed": removed,
        "similarity": seg.similarity,
        "scores": scores,
        "stats": stats,
        "errors": [f.to_dict() for f in findings],
    }


def _references_fields(seg: AlignedSegment) -> dict[str, Any]:
    """``references`` (every reference's text) and ``closest_ref`` of a multi-reference segment.

    ``closest_ref`` indexes ``references``: the reference the findings' ``ref_span``,
    ``ref_start`` and ``ref_end`` refer to.
    """
    if not seg.refs:
        return {}
    return {"references": list(seg.reference_texts()), "closest_ref": seg.closest}


def _num(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, bool)):
        return value
    number = float(value)
    if number.is_integer() and abs(number) < 2**53 and not isinstance(value, float):
        return int(number)
    return None if math.isnan(number) else number


def dumps(report: Mapping[str, Any]) -> str:
    """Serialise a report dict (UTF-8, no ASCII escaping, full float precision).

    The report is indented by one space per level, except that each segment is
    one line: the segments make up nearly all of a report, and one line each
    keeps a 100k-segment file small, fast to write (C encoder) and easy to grep.
    """
    return "".join(iter_dumps(report))


def iter_dumps(report: Mapping[str, Any]) -> Iterator[str]:
    """The text of :func:`dumps` in pieces (at most ``_SEGMENTS_PER_PIECE`` segments each)."""
    systems = report.get("systems")
    if not isinstance(systems, list):
        yield _dump(report, indent=1) + "\n"
        return
    marker = f"@segments-{uuid.uuid4().hex}-"
    shell = dict(report)
    shell["systems"] = [
        {**system, "segments": f"{marker}{i}"}
        if isinstance(system, Mapping) and isinstance(system.get("segments"), list)
        else system
        for i, system in enumerate(systems)
    ]
    rest = _dump(shell, indent=1)
    for i, system in enumerate(systems):
        token = json.dumps(f"{marker}{i}")
        if token not in rest:
            continue
        head, rest = rest.split(token, 1)
        last_line = head[head.rfind("\n") + 1 :]
        depth = len(last_line) - len(last_line.lstrip(" "))
        segments = system["segments"]
        if not segments:
            yield head + "[]"
            continue
        yield head + "["
        pad = "\n" + " " * (depth + 1)
        for start in range(0, len(segments), _SEGMENTS_PER_PIECE):
            part = segments[start : start + _SEGMENTS_PER_PIECE]
            yield ("," if start else "") + ",".join(pad + _dump(seg) for seg in part)
        yield "\n" + " " * depth + "]"
    yield rest + "\n"


_SEGMENTS_PER_PIECE = 1000


def _dump(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)


def write_json(report: Mapping[str, Any], path: str | Path) -> None:
    """Write the report atomically, streaming it (memory stays at one piece of text).

    See :func:`evalharness.fsutil.atomic_write_chunks`: on error the target keeps
    its previous content.
    """
    atomic_write_chunks(path, (piece.encode("utf-8") for piece in iter_dumps(report)))


def read_report(path: str | Path) -> dict[str, Any]:
    """Load a saved report, checking its schema.

    Raises:
        InputError: unreadable, not JSON, or not an evalharness report.
    """
    from evalharness.inputs.formats import read_text

    text = read_text(path)
    try:
        report = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", str(path), exc.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to be a report", str(path)) from None
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise InputError(f"not an evalharness report (schema {SCHEMA} expected)", str(path))
    return report
