"""Compare two stored runs exactly as the gate compares two reports.

The snapshots come from the store (:meth:`HistoryStore.snapshot`) and go
through :func:`evalharness.gate.compare.compare` unchanged, so the deltas,
intervals and p-values equal the gate's on the original files. One rule is
stricter than the gate's: any change of a metric's signature between the two
runs (a sacrebleu or COMET version, a tokenizer, a model, a precision) is drift
and refuses the comparison unless the caller allows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from evalharness.errors import GateRefusal
from evalharness.gate.compare import SuiteVerdict, SystemSnapshot, compare, display_name
from evalharness.gate.thresholds import Thresholds
from evalharness.history.store import HistoryStore


@dataclass(frozen=True)
class SignatureChange:
    """A metric whose signature differs between two runs."""

    metric: str
    before: str
    after: str

    def describe(self) -> str:
        """One clause for messages."""
        return f"{display_name(self.metric)} {self.before!r} -> {self.after!r}"


def signature_changes(base: SystemSnapshot, cand: SystemSnapshot) -> list[SignatureChange]:
    """Metrics scored in both runs whose signatures differ in any field."""
    return [
        SignatureChange(m, base.signatures.get(m, ""), cand.signatures.get(m, ""))
        for m in cand.scores
        if m in base.scores and base.signatures.get(m, "") != cand.signatures.get(m, "")
    ]


def compare_runs(
    store: HistoryStore,
    run_a: int,
    run_b: int,
    thresholds: Thresholds,
    *,
    system_a: str | None = None,
    system_b: str | None = None,
    allow_signature_change: bool = False,
) -> SuiteVerdict:
    """The gate's verdict on run ``run_b`` (candidate) against run ``run_a`` (baseline).

    Raises:
        InputError: a run or system is not in the store.
        GateRefusal: a signature changed and ``allow_signature_change`` is false,
            or the gate refuses the pair (another reference, missing statistics).
        MetricUnavailableError: a threshold names a metric run B lacks.
    """
    base = store.snapshot(run_a, system_a)
    cand = store.snapshot(run_b, system_b)
    changes = signature_changes(base, cand)
    if changes and not allow_signature_change:
        raise GateRefusal(
            f"signatures changed between run {run_a} and run {run_b}: "
            + "; ".join(c.describe() for c in changes)
            + " (drift: the scores may not be comparable; pass --allow-signature-change "
            "to compare anyway)"
        )
    notes: list[str] = []
    if changes:
        # Allowed on purpose: compare under the baseline's signatures, and say so.
        aligned = {c.metric: c.before for c in changes}
        cand = replace(cand, signatures={**cand.signatures, **aligned})
        notes = [f"signature changed, compared anyway: {c.describe()}" for c in changes]
    name = store.run(run_b).summary.suite
    verdict = compare(name, base, cand, thresholds, candidate_path=cand.origin)
    return replace(verdict, notes=(*notes, *verdict.notes))
