"""A Markdown summary of a gate verdict, for ``$GITHUB_STEP_SUMMARY`` and merge requests."""

from __future__ import annotations

from pathlib import Path

from evalharness.fsutil import atomic_write_text
from evalharness.gate.verdict import (
    TEST_NAMES,
    GateVerdict,
    MetricVerdict,
    SuiteVerdict,
    display_name,
    format_score,
)

_STATUS = {"pass": "✅ passed", "regression": "❌ regression", "refused": "⛔ refused"}
_HEADER = (
    "| suite | metric | baseline | candidate | delta | 95% CI of delta | p-value | result |\n"
    "|---|---|---:|---:|---:|---|---:|---|\n"
)


def markdown_summary(verdict: GateVerdict) -> str:
    """A heading, one table row per suite and metric, then failures, refusals and notes."""
    lines = [f"### evalharness gate: {_STATUS[verdict.status]}", "", _HEADER.rstrip("\n")]
    for suite in verdict.suites:
        lines += _suite_rows(suite)
    details = _details(verdict)
    if details:
        lines += ["", *details]
    tests = sorted({m.test for s in verdict.suites for m in s.metrics})
    if tests:
        names = ", ".join(TEST_NAMES[t] for t in tests)
        lines += ["", f"<sub>p-values: {names}, seeded; delta = candidate - baseline.</sub>"]
    return "\n".join(lines) + "\n"


def write_markdown(verdict: GateVerdict, path: str | Path) -> None:
    """Write :func:`markdown_summary` atomically."""
    atomic_write_text(path, markdown_summary(verdict))


def _suite_rows(suite: SuiteVerdict) -> list[str]:
    name = _cell(suite.name)
    if suite.refusal is not None:
        return [f"| {name} | | | | | | | ⛔ refused (see below) |"]
    rows = [_metric_row(name, m) for m in suite.metrics]
    if suite.findings is not None:
        f = suite.findings
        base, cand = f.baseline.get("major", 0), f.candidate.get("major", 0)
        result = "✅ pass" if f.passed else "❌ fail"
        rows.append(
            f"| {name} | findings (major+) | {base} | {cand} | {cand - base:+d} | | | {result} |"
        )
    return rows or [f"| {name} | | | | | | | no metric compared |"]


def _metric_row(suite: str, m: MetricVerdict) -> str:
    ci = (
        ""
        if m.ci95 is None
        else (
            f"[{format_score(m.metric, m.ci95[0], True)}, {format_score(m.metric, m.ci95[1], True)}]"
        )
    )
    p = "" if m.p_value is None else f"{m.p_value:.4f}"
    failed = [c.kind for c in m.checks if not c.passed]
    result = "✅ pass" if not failed else "❌ fail: " + ", ".join(failed)
    if not m.checks:
        result = "no threshold"
    cells = [
        suite,
        display_name(m.metric) + ("" if m.higher_is_better else " (lower is better)"),
        format_score(m.metric, m.baseline),
        format_score(m.metric, m.candidate),
        format_score(m.metric, m.delta, True) if m.delta is not None else "",
        ci,
        p,
        result,
    ]
    return "| " + " | ".join(cells) + " |"


def _details(verdict: GateVerdict) -> list[str]:
    lines = []
    for suite in verdict.suites:
        if suite.refusal is not None:
            lines.append(f"- ⛔ **{_cell(suite.name)}** not compared: {_cell(suite.refusal)}")
        for case, check in suite.failures():
            lines.append(f"- ❌ **{_cell(suite.name)} / {case}**: {_cell(check.message)}")
        lines += [f"- ℹ️ {_cell(suite.name)}: {_cell(note)}" for note in suite.notes]
    return lines


def _cell(text: str) -> str:
    """Keep table cells on one line and their pipes literal."""
    return text.replace("|", "\\|").replace("\n", " ")
