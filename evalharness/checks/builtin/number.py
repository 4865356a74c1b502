"""Check ``number``: numbers, amounts, dates and codes that differ between reference and hypothesis.

A reference number with the same value in the hypothesis (in any wording) is
fine. Left-over numbers are paired by kind and position: a pair is a changed
value (major accuracy/mistranslation); a reference number without a partner is
an omission, a hypothesis number without one an addition (major for amounts,
percentages, dates, codes and numbers of 10 and more written in digits; minor
for years, ordinals, small counts and numbers written in words). An ordered
pair (a score "2-1", a range, "from X to Y") written in the opposite order is a
changed value too, although the same numbers occur (major).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed, target_profile
from evalharness.checks.text.number_mentions import (
    WORD_VALUES,
    NumberMention,
    extract_numbers,
    hour_key,
)
from evalharness.checks.text.number_order import NumberPair, reversed_pairs
from evalharness.checks.text.numbers_locale import spelled_values
from evalharness.lang.profiles import CJK_LANGUAGES
from evalharness.records import AlignedSegment, Finding, Severity

_NON_DIGITS = re.compile(r"\D")
_NUMERIC = frozenset({"number", "money", "percent"})
_MINOR_KINDS = frozenset({"year", "ordinal", "month", "decade", "time"})
_WORDS_BY_VALUE = {value: word for word, value in WORD_VALUES.items()}


def _compatible(ref: NumberMention, hyp: NumberMention) -> bool:
    if ref.kind == hyp.kind:
        return True
    if ref.kind in _NUMERIC and hyp.kind in _NUMERIC:
        return True
    return ref.family == hyp.family == "date" or {ref.kind, hyp.kind} == {"ordinal", "number"}


_DUAL_WORDS = frozenset({"both", "either", "neither", "pair", "couple", "twice", "double", "twin"})


def _spelled_in(mention: NumberMention, text: str, language: str | None = None) -> bool:
    """A small number written in digits on one side and in words on the other.

    "Two" also stands as "both", "either", "neither", "pair"...: "either of the
    two countries" is "neither country".
    """
    if mention.value is None or mention.value != int(mention.value):
        return False
    if language not in (None, "en"):
        return mention.value in spelled_values(text, str(language))
    if mention.value == 2 and not _DUAL_WORDS.isdisjoint(re.findall(r"[a-z]+", text.lower())):
        return True
    word = _WORDS_BY_VALUE.get(int(mention.value))
    return word is not None and f" {word} " in f" {text.lower()} "


def _unmatched(
    mine: Sequence[NumberMention], theirs: Sequence[NumberMention]
) -> list[NumberMention]:
    """Mentions of ``mine`` left after matching ``theirs``: same text first, then same value."""
    pool = list(theirs)
    left = []
    for mention in sorted(mine, key=lambda m: all(m.text != t.text for t in theirs)):
        match = next((t for t in pool if t.text == mention.text), None)
        match = match or next((t for t in pool if t.key == mention.key), None)
        # "10-22" and "10:00-22:00": a time on the hour says the same as its hour
        match = match or next((t for t in pool if hour_key(t) == hour_key(mention)), None)
        if match is None:
            left.append(mention)
        else:
            pool.remove(match)
    return sorted(left, key=lambda m: m.start)


class NumberCheck:
    """Changed, missing and added numbers, amounts, dates and codes."""

    id = "number"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """Findings for the numbers of one aligned segment."""
        if not segment.ref or not segment.hyp or is_removed(segment):
            return []
        ref_text, hyp_text = segment.ref_text, segment.hyp_text
        index = context.index(segment)
        ref, hyp = _numbers(context, index)
        lone_ref = _unmatched(ref, hyp)
        lone_hyp = _unmatched(hyp, ref)
        unit_findings = _unit_changes(ref, hyp)
        pairs = _pair(lone_ref, lone_hyp, len(ref_text), len(hyp_text))
        paired_ref = {id(r) for r, _ in pairs}
        paired_hyp = {id(h) for _, h in pairs}
        nearby_ref, nearby_hyp = _nearby_keys(context, index)
        findings = unit_findings + [_changed(r, h) for r, h in pairs]
        findings += [_reordered(r, h, ref_text, hyp_text)
                     for r, h in reversed_pairs(ref_text, ref, hyp_text, hyp)]
        for mention in lone_ref:
            if id(mention) in paired_ref or mention.key in nearby_hyp:
                continue
            if not _spelled_in(mention, hyp_text, _code(context)):
                findings.append(_missing(mention))
        for mention in lone_hyp:
            if id(mention) in paired_hyp or mention.key in nearby_ref:
                continue
            if not _spelled_in(mention, ref_text, _code(context)):
                findings.append(_added(mention))
        return findings


def _pair(
    ref: Sequence[NumberMention], hyp: Sequence[NumberMention], ref_len: int, hyp_len: int
) -> list[tuple[NumberMention, NumberMention]]:
    """Pair left-over numbers of compatible kinds, nearest relative position first."""
    candidates = sorted(
        (
            _digits(r) != _digits(h),
            abs(r.start / max(ref_len, 1) - h.start / max(hyp_len, 1)),
            i,
            j,
        )
        for i, r in enumerate(ref)
        for j, h in enumerate(hyp)
        if _compatible(r, h)
    )
    used_r: set[int] = set()
    used_h: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_r and j not in used_h:
            used_r.add(i)
            used_h.add(j)
            pairs.append((ref[i], hyp[j]))
    return pairs


def _digits(mention: NumberMention) -> str:
    """Significant digits: "0.269 billion" and "2.69" both give "269"."""
    return _NON_DIGITS.sub("", mention.text).lstrip("0").rstrip("0")


def _numbers(
    context: DocumentContext, index: int
) -> tuple[tuple[NumberMention, ...], tuple[NumberMention, ...]]:
    """The number mentions of a segment's two sides, extracted once per document."""
    table = context.remember("numbers", dict)
    if index not in table:
        segment = context.segments[index]
        profile = target_profile(context)
        decimal = "." if profile is None else profile.decimal_sep
        cjk = profile is not None and profile.code in CJK_LANGUAGES
        code = None if profile is None else profile.code
        table[index] = (extract_numbers(segment.ref_text, decimal, cjk, code),
                        extract_numbers(segment.hyp_text, decimal, cjk, code))
    found: tuple[tuple[NumberMention, ...], tuple[NumberMention, ...]] = table[index]
    return found


def _code(context: DocumentContext) -> str | None:
    profile = target_profile(context)
    return None if profile is None else profile.code


def _nearby_keys(context: DocumentContext, index: int) -> tuple[set[str], set[str]]:
    """Number keys of the neighbouring segments (a number may sit across a boundary)."""
    ref_keys: set[str] = set()
    hyp_keys: set[str] = set()
    for position in (index - 1, index + 1):
        if 0 <= position < len(context.segments):
            ref, hyp = _numbers(context, position)
            ref_keys.update(m.key for m in ref)
            hyp_keys.update(m.key for m in hyp)
    return ref_keys, hyp_keys


def _unit_changes(ref: Sequence[NumberMention], hyp: Sequence[NumberMention]) -> list[Finding]:
    findings = []
    for r in ref:
        for h in hyp:
            if r.key == h.key and r.unit and h.unit and r.unit != h.unit:
                findings.append(_finding(r, h, "accuracy/mistranslation", "major",
                                         f"Unit changed: {r.text!r} became {h.text!r}."))
                break
    return findings


def _changed(ref: NumberMention, hyp: NumberMention) -> Finding:
    what = "Date" if ref.family == "date" else "Code" if ref.family == "code" else "Number"
    return _finding(ref, hyp, "accuracy/mistranslation", "major",
                    f"{what} changed: the reference has {ref.text!r}, the hypothesis {hyp.text!r}.")


def _reordered(ref: NumberPair, hyp: NumberPair, ref_text: str, hyp_text: str) -> Finding:
    ref_start, ref_end = ref.text
    hyp_start, hyp_end = hyp.text
    ref_span, hyp_span = ref_text[ref_start:ref_end], hyp_text[hyp_start:hyp_end]
    return Finding(
        check="number",
        category="accuracy/mistranslation",
        severity="major",
        hyp_span=hyp_span,
        ref_span=ref_span,
        message=f"Number order reversed: the reference has {ref_span!r}, "
        f"the hypothesis {hyp_span!r}.",
        confidence=0.8,
        hyp_start=hyp_start,
        hyp_end=hyp_end,
        ref_start=ref_start,
        ref_end=ref_end,
    )


def _severity(mention: NumberMention) -> Severity:
    """Severity of a number on one side only: small bare counts are often paraphrased."""
    small = mention.kind == "number" and mention.value is not None and mention.value < 10
    return "minor" if mention.spelled or small or mention.kind in _MINOR_KINDS else "major"


def _missing(ref: NumberMention) -> Finding:
    return _finding(ref, None, "accuracy/omission", _severity(ref),
                    f"The reference's {ref.text!r} has no counterpart in the hypothesis.")


def _added(hyp: NumberMention) -> Finding:
    return _finding(None, hyp, "accuracy/addition", _severity(hyp),
                    f"The hypothesis's {hyp.text!r} has no counterpart in the reference.")


def _finding(
    ref: NumberMention | None,
    hyp: NumberMention | None,
    category: str,
    severity: Severity,
    message: str,
) -> Finding:
    spelled = (ref is not None and ref.spelled) or (hyp is not None and hyp.spelled)
    return Finding(
        check="number",
        category=category,
        severity=severity,
        hyp_span=hyp.text if hyp else "",
        ref_span=ref.text if ref else "",
        message=message,
        confidence=0.7 if spelled else 0.9,
        hyp_start=hyp.start if hyp else None,
        hyp_end=hyp.end if hyp else None,
        ref_start=ref.start if ref else None,
        ref_end=ref.end if ref else None,
    )


register_check(NumberCheck())
