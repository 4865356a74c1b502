"""What a CI log shows of a gate verdict: GitHub workflow annotations and a terminal summary.

``::error`` annotations point at the file and line of each finding that broke
a threshold, so GitHub shows them on the pull request's diff.
"""

from __future__ import annotations

from evalharness.gate.verdict import FindingRef, GateVerdict


def github_annotations(verdict: GateVerdict) -> list[str]:
    """``::error`` workflow commands for every failed check and refused suite."""
    lines = []
    for suite in verdict.suites:
        if suite.refusal is not None:
            title = f"evalharness gate: {suite.name} not compared"
            lines.append(f"::error title={_escape(title, True)}::{_escape(suite.refusal)}")
        for case, check in suite.failures():
            title = f"evalharness gate: {suite.name} {case} {check.kind}"
            lines.append(f"::error title={_escape(title, True)}::{_escape(check.message)}")
            lines += [_finding_annotation(suite.name, finding) for finding in check.findings]
    return lines


def _finding_annotation(suite: str, finding: FindingRef) -> str:
    """``::error file=F,line=N,title=...::message`` pointing at a finding's line."""
    where = f"file={_escape(finding.path, True)}"
    if finding.line is not None:
        where += f",line={finding.line}"
    title = f"evalharness {suite}: {finding.category} ({finding.check})"
    return f"::error {where},title={_escape(title, True)}::{_escape(finding.message)}"


def _escape(text: str, prop: bool = False) -> str:
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def terminal_summary(verdict: GateVerdict) -> str:
    """One line per suite and metric, then the overall status."""
    from evalharness.gate.compare import display_name, format_score

    lines = []
    for suite in verdict.suites:
        if suite.refusal is not None:
            lines.append(f"{suite.name}: REFUSED")
            continue
        for m in suite.metrics:
            status = "ok" if m.passed else "FAIL"
            p = "" if m.p_value is None else f", p={m.p_value:.4f}"
            delta = "" if m.delta is None else f" ({format_score(m.metric, m.delta, True)}{p})"
            base = format_score(m.metric, m.baseline)
            cand = format_score(m.metric, m.candidate)
            lines.append(
                f"{suite.name}: {display_name(m.metric):<7} {base} -> {cand}{delta}  {status}"
            )
        if suite.findings is not None:
            status = "ok" if suite.findings.passed else "FAIL"
            lines.append(f"{suite.name}: findings {dict(suite.findings.candidate)}  {status}")
        lines += [f"{suite.name}: {case}: {c.message}" for case, c in suite.failures()]
    lines.append(f"gate: {verdict.status}")
    return "\n".join(lines) + "\n"
