"""JUnit XML for CI test reports (GitHub Actions test reporters, GitLab ``reports: junit``).

One ``<testsuite>`` per gate suite, one ``<testcase>`` per metric (plus one for
the findings when a findings threshold is set). A failed threshold is a
``<failure>`` whose message names the metric, the baseline and candidate scores,
the delta, its interval and the p-value; a failed findings threshold lists the
findings it counted, each with its file line, segment and span (the term or tag);
a refused comparison is an ``<error>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from evalharness.fsutil import atomic_write_text
from evalharness.gate.verdict import CheckResult, GateVerdict, SuiteVerdict

_CLASS_PREFIX = "evalharness.gate.compare"


def junit_xml(verdict: GateVerdict) -> str:
    """The verdict as a JUnit XML document (UTF-8 text with an XML declaration)."""
    root = ET.Element("testsuites", name="evalharness gate")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in verdict.suites:
        element = _suite_element(suite)
        root.append(element)
        for key in totals:
            totals[key] += int(element.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(verdict: GateVerdict, path: str | Path) -> None:
    """Write :func:`junit_xml` atomically."""
    atomic_write_text(path, junit_xml(verdict))


def _suite_element(suite: SuiteVerdict) -> ET.Element:
    element = ET.Element("testsuite", name=suite.name)
    properties = ET.SubElement(element, "properties")
    for name, value in (
        ("baseline", suite.baseline),
        ("candidate", suite.candidate),
        ("pairing", suite.pairing),
        *(("note", note) for note in suite.notes),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    classname = f"{_CLASS_PREFIX}.{suite.name}"
    cases: list[ET.Element] = []
    if suite.refusal is not None:
        case = ET.Element("testcase", classname=classname, name="comparable")
        error = ET.SubElement(case, "error", type="GateRefusal", message=suite.refusal)
        error.text = suite.refusal
        cases.append(case)
    for metric in suite.metrics:
        cases.append(_case(classname, metric.metric, metric.checks))
    if suite.findings is not None:
        cases.append(_case(classname, "findings", suite.findings.checks))
    element.extend(cases)
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))
    return element


def _case(classname: str, name: str, checks: tuple[CheckResult, ...]) -> ET.Element:
    case = ET.Element("testcase", classname=classname, name=name)
    failed = [c for c in checks if not c.passed]
    if failed:
        failure = ET.SubElement(
            case,
            "failure",
            type="regression",
            message="; ".join(c.message for c in failed),
        )
        failure.text = "\n".join(_failure_lines(failed))
    out = ET.SubElement(case, "system-out")
    out.text = "\n".join(c.message for c in checks) or "no thresholds apply"
    return case


def _failure_lines(failed: list[CheckResult]) -> list[str]:
    """Each failed check, then the findings it counted (file:line, segment, term or tag)."""
    lines = []
    for check in failed:
        lines.append(f"{check.kind} {check.threshold:g}: {check.message}")
        lines += [f"  {finding.describe()}" for finding in check.findings]
    return lines
