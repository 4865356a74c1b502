"""Span-level agreement of the error report with MQM: character overlap on the hypothesis.

For each item, the characters our findings mark (``hyp_start:hyp_end``) are
compared with the characters the MQM raters marked on the target side (the
union over raters). Precision is the share of our marked characters that a
rater marked too, recall the share of the raters' characters that we marked;
counts are summed over all items (micro average). ``by_severity`` compares our
findings of one severity with MQM errors of the same severity;
``by_category`` does the same per category (MQM's category lower-cased, the
SxS ``(Translation 2)`` suffix removed, so ``Accuracy/Mistranslation`` meets our
``accuracy/mistranslation``), and adds ``recall_any``: the share of that
category's characters that any finding marks.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evalharness.meta.human import HumanItem, MqmSpan
from evalharness.records import Finding

_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


def normalise_category(category: str) -> str:
    """``Accuracy/Omission (Translation 2)`` -> ``accuracy/omission``."""
    return _SUFFIX.sub("", category).strip().lower()


@dataclass
class Overlap:
    """Character counts of one comparison."""

    predicted: int = 0
    gold: int = 0
    both: int = 0
    gold_any: int = 0

    def to_dict(self, with_any: bool = False) -> dict[str, float | int | None]:
        """Precision, recall, F1 and the counts behind them."""
        p = self.both / self.predicted if self.predicted else None
        r = self.both / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
        if p is not None and r is not None and p + r == 0:
            f = 0.0
        out: dict[str, float | int | None] = {
            "precision": p, "recall": r, "f1": f,
            "predicted_chars": self.predicted, "gold_chars": self.gold, "overlap_chars": self.both,
        }
        if with_any:
            out["recall_any"] = self.gold_any / self.gold if self.gold else None
        return out


def _mask(length: int, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    mask = np.zeros(length, bool)
    for start, end in spans:
        mask[max(start, 0) : min(end, length)] = True
    return mask


Span = tuple[int, int, str, str]
"""(start, end, severity, normalised category)."""


def _our_spans(findings: Sequence[Finding]) -> list[Span]:
    return [
        (f.hyp_start, f.hyp_end, f.severity, f.category)
        for f in findings
        if f.hyp_start is not None and f.hyp_end is not None
    ]


def _gold_spans(spans: Sequence[MqmSpan]) -> list[Span]:
    return [(s.start, s.end, s.severity, normalise_category(s.category)) for s in spans]


def _where(spans: list[Span], field: int, value: str) -> list[tuple[int, int]]:
    return [(s[0], s[1]) for s in spans if s[field] == value]


def _add(total: Overlap, length: int, ours: list[tuple[int, int]], gold: list[tuple[int, int]],
         any_ours: np.ndarray | None = None) -> None:
    pred, ref = _mask(length, ours), _mask(length, gold)
    total.predicted += int(pred.sum())
    total.gold += int(ref.sum())
    total.both += int((pred & ref).sum())
    if any_ours is not None:
        total.gold_any += int((any_ours & ref).sum())


def span_agreement(items: Sequence[HumanItem], findings: Sequence[Sequence[Finding]]) -> dict[str, object]:
    """Overall, per-severity and per-category character P/R/F1 over all items."""
    overall = Overlap()
    by_severity: dict[str, Overlap] = defaultdict(Overlap)
    by_category: dict[str, Overlap] = defaultdict(Overlap)
    severities = {"minor", "major", "critical"}
    categories: set[str] = set()
    for item, found in zip(items, findings, strict=True):
        severities |= {s.severity for s in item.spans}
        categories |= {normalise_category(s.category) for s in item.spans}
        categories |= {f.category for f in found if f.hyp_start is not None}
    for item, found in zip(items, findings, strict=True):
        n = len(item.hyp)
        ours, gold = _our_spans(found), _gold_spans(item.spans)
        _add(overall, n, [(s[0], s[1]) for s in ours], [(s[0], s[1]) for s in gold])
        for sev in severities:
            _add(by_severity[sev], n, _where(ours, 2, sev), _where(gold, 2, sev))
        any_mask = _mask(n, [(s[0], s[1]) for s in ours])
        for cat in categories:
            _add(by_category[cat], n, _where(ours, 3, cat), _where(gold, 3, cat), any_mask)
    return {
        "overall": overall.to_dict(),
        "by_severity": {k: by_severity[k].to_dict() for k in sorted(by_severity)},
        "by_category": {k: by_category[k].to_dict(with_any=True) for k in sorted(by_category)},
    }
