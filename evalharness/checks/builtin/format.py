"""Check ``format``: what must survive translation, compared with the source.

The hypothesis is compared with the source, or with the reference when there is
no source. With both, whatever the reference agrees with is no error (a
localised URL, a placeholder the translator legitimately dropped).

* placeholders, HTML/XML tags (and their nesting), Markdown links, inline code:
  ``design/markup``, major;
* URLs and e-mail addresses: ``locale/url`` and ``locale/email``, major;
* numbers copied with the source language's separators (``2.5`` in German):
  ``locale/number-format``, minor;
* a measurement unit that changed while the number stayed (``10 GB`` ->
  ``10 MB``): ``locale/measurement``, major (changed or missing values,
  currencies and percentages are the ``number`` check's, never reported twice);
* leading/trailing whitespace and double spaces: ``fluency/whitespace``, minor;
* final punctuation (a question stays a question, a label keeps its colon, a
  final stop is not dropped; ``.`` may become ``。``) and unbalanced brackets
  and quotes: ``fluency/punctuation``, minor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.checks.text import markup, punctuation, units
from evalharness.checks.text.markup import FormatItem
from evalharness.lang.profiles import LanguageProfile
from evalharness.records import AlignedSegment, Finding, Severity

CATEGORIES = {
    markup.PLACEHOLDER: "design/markup",
    markup.TAG: "design/markup",
    markup.LINK: "design/markup",
    markup.CODE: "design/markup",
    markup.URL: "locale/url",
    markup.EMAIL: "locale/email",
}
_NAMES = {
    markup.PLACEHOLDER: "Placeholder", markup.TAG: "Tag", markup.LINK: "Link",
    markup.CODE: "Inline code", markup.URL: "URL", markup.EMAIL: "E-mail address",
}  # fmt: skip
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_NO_FINAL_STOP = frozenset({"th", "lo", "km", "my"})
_TERMINAL = frozenset({"stop", "exclamation", "ellipsis"})
_MARKDOWN = frozenset({markup.LINK, markup.CODE})


@dataclass(frozen=True)
class _Sides:
    basis: str
    basis_name: str
    hyp: str
    ref: str
    with_source: bool

    @property
    def other(self) -> str:
        """The reference when the source is the basis ('' otherwise): what it agrees with is fine."""
        return self.ref if self.with_source else ""


class FormatCheck:
    """Placeholders, tags, links, URLs, whitespace and punctuation the hypothesis broke."""

    id = "format"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """Format findings of one segment."""
        if not segment.hyp or is_removed(segment):
            return []
        with_source = bool(segment.src)
        basis = segment.src_text if with_source else segment.ref_text
        if not basis:
            return []
        sides = _Sides(
            basis, "source" if with_source else "reference", segment.hyp_text,
            segment.ref_text, with_source,
        )
        languages = context.languages
        target = languages.target.code if languages else None
        findings = item_findings(sides)
        findings += _whitespace(sides)
        findings += _final_punctuation(sides, target)
        findings += _balance(sides)
        findings += _units(sides)
        if with_source and languages and languages.source:
            findings += _number_format(sides, languages.source, languages.target)
        return findings


def item_findings(sides: _Sides) -> list[Finding]:
    """Missing, extra and changed placeholders, tags, links, code, URLs, e-mails; tag nesting."""
    basis_items = markup.format_items(sides.basis)
    hyp_items = markup.format_items(sides.hyp)
    ref_items = markup.format_items(sides.other) if sides.other else None
    basis_count = Counter((i.kind, i.key) for i in basis_items)
    hyp_count = Counter((i.kind, i.key) for i in hyp_items)
    ref_count = Counter((i.kind, i.key) for i in ref_items) if ref_items is not None else None
    missing: list[FormatItem] = []
    extra: list[FormatItem] = []
    for item in basis_items:
        key = (item.kind, item.key)
        expected = basis_count[key] if ref_count is None else min(basis_count[key], ref_count[key])
        if hyp_count[key] < expected:
            missing.append(item)
            hyp_count[key] += 1  # one finding per missing occurrence
    for item in reversed(hyp_items):
        key = (item.kind, item.key)
        allowed = basis_count[key] if ref_count is None else max(basis_count[key], ref_count[key])
        if hyp_count[key] > allowed:
            extra.append(item)
            hyp_count[key] -= 1
    extra.reverse()
    # Markdown is compared only where the basis uses it: elsewhere backticks are
    # quotation marks (`TeX-style') and brackets are prose.
    used = {i.kind for i in basis_items}
    extra = [i for i in extra if i.kind not in _MARKDOWN or i.kind in used]
    findings = _pair_changes(sides, missing, extra)
    if not any(i.kind == markup.TAG for i in missing + extra) and not markup.tag_errors(basis_items):
        for item, problem in markup.tag_errors(hyp_items):
            findings.append(_finding(
                "design/markup", "major", sides, item.start, item.end, None,
                f"Tags do not nest: {problem}.",
            ))
    return findings


def _pair_changes(sides: _Sides, missing: list[FormatItem], extra: list[FormatItem]) -> list[Finding]:
    findings = []
    unmatched = list(extra)
    for item in missing:
        partner = next((e for e in unmatched if e.kind == item.kind), None)
        name = _NAMES[item.kind]
        ref = _locate(sides.ref, item.text)
        if partner is not None:
            unmatched.remove(partner)
            message = f"{name} {item.text!r} of the {sides.basis_name} became {partner.text!r}."
            findings.append(_finding(
                CATEGORIES[item.kind], "major", sides, partner.start, partner.end, ref, message
            ))
        else:
            message = f"{name} {item.text!r} of the {sides.basis_name} is missing or broken."
            findings.append(_finding(CATEGORIES[item.kind], "major", sides, None, None, ref, message))
    for item in unmatched:
        message = f"{_NAMES[item.kind]} {item.text!r} is not in the {sides.basis_name}."
        findings.append(_finding(CATEGORIES[item.kind], "major", sides, item.start, item.end, None, message))
    return findings


def _whitespace(sides: _Sides) -> list[Finding]:
    findings = []
    for edge, index in (("leading", 0), ("trailing", -1)):
        basis_has, hyp_has, ref_has = (
            bool(text) and text[index].isspace() for text in (sides.basis, sides.hyp, sides.other)
        )
        if basis_has != hyp_has and not (sides.other and ref_has == hyp_has):
            state = "has" if basis_has else "lacks"
            findings.append(_finding(
                "fluency/whitespace", "minor", sides, None, None, None,
                f"The {sides.basis_name} {state} {edge} whitespace and the hypothesis does not.",
            ))
    allowed = len(_DOUBLE_SPACE.findall(sides.basis)) + len(_DOUBLE_SPACE.findall(sides.other))
    for m in list(_DOUBLE_SPACE.finditer(sides.hyp))[allowed:]:
        findings.append(_finding(
            "fluency/whitespace", "minor", sides, m.start(), m.end(), None,
            f"{len(m.group())} spaces in a row.",
        ))
    return findings


def _final_punctuation(sides: _Sides, target: str | None) -> list[Finding]:
    source_lang = None if sides.with_source else target
    want = punctuation.final_class(sides.basis, source_lang)
    got = punctuation.final_class(sides.hyp, target)
    if want == got or not _final_mismatch(want, got):
        return []
    if sides.other and punctuation.final_class(sides.other, target) == got:
        return []
    if target in _NO_FINAL_STOP and want == "stop" and got == "none":
        return []
    end = len(sides.hyp.rstrip())
    start = max(0, end - 1) if got != "none" else end
    message = (
        f"The {sides.basis_name} ends as a {want.replace('none', 'phrase without final punctuation')}"
        f", the hypothesis as a {got.replace('none', 'phrase without final punctuation')}."
    )
    return [_finding("fluency/punctuation", "minor", sides, start if got != "none" else None,
                     end if got != "none" else None, None, message)]


def _final_mismatch(want: str, got: str) -> bool:
    """A question or a label's colon that appeared or vanished, or final punctuation dropped.

    A stop where the source has none is no error (translators complete
    fragments), nor is a stop for an exclamation or an ellipsis.
    """
    if "question" in (want, got) or "colon" in (want, got):
        return True
    return want in _TERMINAL and got == "none"


def _balance(sides: _Sides) -> list[Finding]:
    if punctuation.unbalanced(sides.basis) or punctuation.unbalanced(sides.other):
        return []
    return [
        _finding("fluency/punctuation", "minor", sides, offset, offset + 1, None,
                 f"Unbalanced {char!r}: it is never closed or closes nothing.")
        for offset, char in punctuation.unbalanced(sides.hyp)
    ]


def _units(sides: _Sides) -> list[Finding]:
    basis, other = units.measures(sides.basis), units.measures(sides.other)
    findings = []
    for found in units.measures(sides.hyp):
        if any(m.unit == found.unit and m.values & found.values for m in basis + other):
            continue
        changed = next((m for m in basis if m.values & found.values), None)
        if changed is not None:
            findings.append(_finding(
                "locale/measurement", "major", sides, found.start, found.end, None,
                f"{changed.text!r} of the {sides.basis_name} became {found.text!r}: "
                f"the unit changed from {changed.unit} to {found.unit}.",
            ))
    return findings


def _number_format(sides: _Sides, source: LanguageProfile, target: LanguageProfile) -> list[Finding]:
    if (source.decimal_sep, source.group_seps) == (target.decimal_sep, target.group_seps):
        return []
    basis_numbers = {m.group() for m in punctuation.number_tokens(sides.basis)}
    findings = []
    for m in punctuation.number_tokens(sides.hyp):
        token = m.group()
        if token not in basis_numbers or token in sides.other:
            continue
        meant = punctuation.number_value(token, source)
        if meant is None or punctuation.number_value(token, target) == meant:
            continue
        findings.append(_finding(
            "locale/number-format", "minor", sides, m.start(), m.end(), None,
            f"{token!r} keeps the {source.name} number format; in {target.name} "
            f"the decimal separator is {target.decimal_sep!r}.",
        ))
    return findings


def _locate(text: str, needle: str) -> tuple[int, int] | None:
    start = text.find(needle) if text and needle else -1
    return (start, start + len(needle)) if start >= 0 else None


def _finding(
    category: str,
    severity: Severity,
    sides: _Sides,
    start: int | None,
    end: int | None,
    ref: Sequence[int] | None,
    message: str,
) -> Finding:
    return Finding(
        check="format",
        category=category,
        severity=severity,
        hyp_span=sides.hyp[start:end] if start is not None and end is not None else "",
        ref_span=sides.ref[ref[0] : ref[1]] if ref else "",
        message=message,
        confidence=0.9,
        hyp_start=start,
        hyp_end=end,
        ref_start=ref[0] if ref else None,
        ref_end=ref[1] if ref else None,
    )


register_check(FormatCheck())
