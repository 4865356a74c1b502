"""What the gate reads from an ``evaluate`` JSON report, and how two runs are paired.

Two runs are comparable only when their metric signatures agree (sacrebleu's
version aside) and their reference segments are the same text. Document-mode
runs may align the hypotheses differently, so segments are paired on blocks of
reference sentences that neither run's alignment splits, with stats summed per block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evalharness.errors import GateRefusal, InputError
from evalharness.gate.verdict import FindingRef, display_name
from evalharness.records import SEVERITIES

# Package versions (sacrebleu's ``version``, COMET's ``comet``) and COMET's
# numeric ``precision`` move scores far less than any drop tolerance; they are
# reported as notes. Every other field (tokenizer, case, smoothing, chrF
# settings, COMET model and input mode) changes what is measured and refuses.
_IGNORED_SIGNATURE_KEYS = frozenset({"version", "comet", "precision"})


@dataclass(frozen=True)
class SystemSnapshot:
    """What the gate needs of one system of a JSON report.

    Attributes:
        origin: Where it came from, for messages.
        reference_sha256: Digest of the reference segment texts.
        scores: Metric -> corpus score, for metrics with status ``ok``.
        unavailable: Metric -> reason, for metrics that could not be computed.
        signatures: Metric -> signature.
        ref_counts: Reference sentences in each segment, in order.
        ref_texts: Reference text of each segment.
        stats: Metric -> per-segment sufficient statistics (``None`` if missing).
        findings: Severity -> findings of that severity or worse.
        reference_set: Digests of every reference (``references`` of the
            report); ``None`` for reports older than that field.
        categories: Category -> findings of that category.
        finding_refs: Every finding, located (file, line, segment), in segment order.
    """

    origin: str
    reference_sha256: str | None
    scores: Mapping[str, float]
    unavailable: Mapping[str, str]
    signatures: Mapping[str, str]
    ref_counts: tuple[int, ...]
    ref_texts: tuple[str, ...]
    stats: Mapping[str, np.ndarray | None]
    findings: Mapping[str, int]
    reference_set: tuple[str, ...] | None = None
    categories: Mapping[str, int] = field(default_factory=dict)
    finding_refs: tuple[FindingRef, ...] = ()


def system_snapshot(report: Mapping[str, Any], system: str | None, origin: str) -> SystemSnapshot:
    """Read one system of an ``evaluate`` JSON report (the first when ``system`` is None).

    Raises:
        InputError: the report lacks the system or the fields the gate needs.
    """
    try:
        systems = report["systems"]
        entry = systems[0] if system is None else next(s for s in systems if s["name"] == system)
        return _read_system(report, entry, origin)
    except StopIteration:
        raise InputError(f"the report has no system named {system!r}", origin) from None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"not a complete evaluate report ({exc!r})", origin) from None


def _read_system(report: Mapping[str, Any], entry: Mapping[str, Any], origin: str) -> SystemSnapshot:
    """The snapshot of one system entry; raises KeyError/TypeError/ValueError when malformed."""
    segments = entry["segments"]
    metrics = entry["metrics"]
    counts = tuple(int(str(seg["alignment"]).split("-")[0]) for seg in segments)
    texts = tuple(str(seg["ref"]) for seg in segments)
    ok = {
        n: m
        for n, m in metrics.items()
        if m.get("status", "ok") == "ok" and m.get("score") is not None
    }
    scores = {n: float(m["score"]) for n, m in ok.items()}
    if not all(np.isfinite(v) for v in scores.values()):
        raise ValueError("a metric score is not a finite number")
    by_severity = entry.get("findings", {}).get("by_severity", {})
    by_category = entry.get("findings", {}).get("by_category", {})
    return SystemSnapshot(
        origin=origin,
        reference_sha256=report.get("reference", {}).get("sha256"),
        scores=scores,
        unavailable={
            n: str(m.get("reason") or "unavailable") for n, m in metrics.items() if n not in ok
        },
        signatures={n: str(m.get("signature", "")) for n, m in metrics.items()},
        ref_counts=counts,
        ref_texts=texts,
        stats={n: _stats_array(segments, n) for n in ok},
        findings=_at_or_worse(by_severity),
        reference_set=_reference_set(report),
        categories={str(k): int(v) for k, v in by_category.items()},
        finding_refs=finding_refs(segments, str(entry.get("path") or origin)),
    )


def _reference_set(report: Mapping[str, Any]) -> tuple[str, ...] | None:
    entries = report.get("references")
    if not isinstance(entries, list):
        return None
    return tuple(sorted(str(e.get("sha256")) for e in entries if isinstance(e, Mapping)))


def check_reference_sets(base: SystemSnapshot, cand: SystemSnapshot) -> None:
    """Refuse to compare runs scored against different sets of references.

    A report without ``references`` (older than multi-reference support) had
    exactly one reference; its digest is compared by :func:`pair_segments`.

    Raises:
        GateRefusal: the sets differ in size or in content.
    """
    n_base = len(base.reference_set) if base.reference_set is not None else 1
    n_cand = len(cand.reference_set) if cand.reference_set is not None else 1
    if n_base != n_cand:
        raise GateRefusal(
            f"the baseline ({base.origin}) was scored against {n_base} reference(s), the "
            f"candidate against {n_cand}; gate with the baseline's reference set or refresh it "
            "with evalharness baseline update"
        )
    if base.reference_set is not None and cand.reference_set is not None and (
        base.reference_set != cand.reference_set
    ):
        raise GateRefusal(
            f"the baseline ({base.origin}) was made on another reference (the sha256 of "
            f"its {n_base} reference text(s) differ); gate with the baseline's references or "
            "refresh it with evalharness baseline update"
        )


def finding_refs(segments: Sequence[Mapping[str, Any]], path: str) -> tuple[FindingRef, ...]:
    """Every finding of a report's segments, with the file line it points at."""
    refs = []
    for seg in segments:
        lines = list(seg.get("hyp_lines") or []) or list(seg.get("ref_lines") or [])
        for err in seg.get("errors") or ():
            refs.append(
                FindingRef(
                    path=path,
                    line=int(lines[0]) if lines else None,
                    segment=int(seg.get("id", 0)),
                    check=str(err.get("check") or ""),
                    category=str(err.get("category") or "other"),
                    severity=str(err.get("severity") or "minor"),
                    span=str(err.get("hyp_span") or err.get("ref_span") or ""),
                    message=str(err.get("message") or ""),
                )
            )
    return tuple(refs)


def _stats_array(segments: Sequence[Mapping[str, Any]], metric: str) -> np.ndarray | None:
    rows = [seg.get("stats", {}).get(metric) for seg in segments]
    if not rows or any(r is None for r in rows):
        return None
    array = np.asarray(rows, dtype=float)
    if array.ndim != 2 or not np.isfinite(array).all():
        raise ValueError(f"{metric} statistics are not a table of finite numbers")
    return array


def _at_or_worse(by_severity: Mapping[str, int]) -> dict[str, int]:
    counts = [int(by_severity.get(s, 0)) for s in SEVERITIES]
    return {s: sum(counts[i:]) for i, s in enumerate(SEVERITIES)}


def check_signatures(
    base: SystemSnapshot, cand: SystemSnapshot, metrics: Sequence[str]
) -> list[str]:
    """Refuse metrics whose signatures differ; return notes on ignored differences.

    Raises:
        GateRefusal: a setting that changes scores differs (tokenizer, case,
            smoothing, COMET model or input mode).
    """
    notes = []
    for metric in metrics:
        a, b = base.signatures.get(metric, ""), cand.signatures.get(metric, "")
        if _signature_fields(a) != _signature_fields(b):
            raise GateRefusal(
                f"{display_name(metric)} signatures differ, the scores are not comparable: "
                f"baseline {a!r} ({base.origin}) vs candidate {b!r}. Rerun with the baseline's "
                "settings, or update the baseline on purpose (evalharness baseline update)"
            )
        if a != b:
            notes.append(
                f"{display_name(metric)} signatures differ in versions or precision: {a!r} vs {b!r}"
            )
    return notes


def _signature_fields(signature: str) -> dict[str, str]:
    fields = {}
    for i, part in enumerate(signature.split("|")):
        key, sep, value = part.partition(":")
        if sep and key.strip() in _IGNORED_SIGNATURE_KEYS:
            continue
        fields[key.strip() if sep else f"#{i}"] = value.strip() if sep else part.strip()
    return fields


def pair_segments(base: SystemSnapshot, cand: SystemSnapshot) -> tuple[np.ndarray, np.ndarray]:
    """Block id of each baseline and candidate segment, so that blocks correspond.

    A block is a run of reference sentences that neither system's alignment
    splits; when both are line-aligned every segment is its own block.
    Hypothesis-only segments join the block of the reference sentence before them.

    Raises:
        GateRefusal: the references differ (digest, sentence count or text).
    """
    check_reference_sets(base, cand)
    # The digest is over the reference side of each segment, so it is only
    # comparable when both runs group reference sentences alike; otherwise the
    # block texts below compare the whole reference anyway.
    same_grouping = [n for n in base.ref_counts if n] == [n for n in cand.ref_counts if n]
    if (
        same_grouping
        and base.reference_sha256
        and cand.reference_sha256
        and base.reference_sha256 != cand.reference_sha256
    ):
        raise GateRefusal(
            f"the baseline ({base.origin}) was made on another reference: sha256 "
            f"{base.reference_sha256[:12]}... vs {cand.reference_sha256[:12]}...; "
            "gate against a baseline of the same test set (if only the sentence splitting "
            "changed, refresh the baseline with evalharness baseline update)"
        )
    n_base, n_cand = sum(base.ref_counts), sum(cand.ref_counts)
    if n_base != n_cand:
        raise GateRefusal(
            f"the baseline ({base.origin}) has {n_base} reference segments, the candidate "
            f"{n_cand}; the segments do not correspond"
        )
    allowed = np.ones(max(n_base, 1), dtype=bool)
    for counts in (base.ref_counts, cand.ref_counts):
        start = 0
        for n in counts:
            if n > 1:
                allowed[start : start + n - 1] = False
            start += n
    block_of_ref = np.concatenate([[0], np.cumsum(allowed[:-1])]).astype(np.int64)
    ids = [_segment_blocks(s.ref_counts, block_of_ref) for s in (base, cand)]
    _check_block_texts(base, cand, ids[0], ids[1])
    return ids[0], ids[1]


def _segment_blocks(counts: Sequence[int], block_of_ref: np.ndarray) -> np.ndarray:
    out, next_ref = [], 0
    for n in counts:
        out.append(block_of_ref[next_ref] if n else block_of_ref[max(next_ref - 1, 0)])
        next_ref += n
    return np.asarray(out, dtype=np.int64)


def _check_block_texts(
    base: SystemSnapshot, cand: SystemSnapshot, base_ids: np.ndarray, cand_ids: np.ndarray
) -> None:
    def texts(snap: SystemSnapshot, ids: np.ndarray) -> list[str]:
        blocks: list[list[str]] = [[] for _ in range(int(ids.max(initial=-1)) + 1)]
        for block, count, text in zip(ids, snap.ref_counts, snap.ref_texts, strict=True):
            if count:
                blocks[block].append(text)
        return [" ".join(b) for b in blocks]

    base_texts, cand_texts = texts(base, base_ids), texts(cand, cand_ids)
    for i, (a, b) in enumerate(zip(base_texts, cand_texts, strict=True)):
        if a != b:
            raise GateRefusal(
                f"reference block {i} differs between the baseline ({base.origin}) and the "
                f"candidate: {a[:60]!r} vs {b[:60]!r}; the segments do not correspond"
            )
