"""Check ``untranslated``: source text left in the hypothesis (needs a source).

Two signs: characters of a script that the source uses and the reference does
not (Chinese characters in an English translation of Chinese), and runs of three
or more words copied from the source that the reference does not have (for
languages that share a script). A hypothesis identical to its source is critical.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache

from evalharness.checks.base import register_check
from evalharness.checks.context import DocumentContext, is_removed
from evalharness.checks.text.lexicon import Token, fold, is_content_word, tokenize
from evalharness.records import AlignedSegment, Finding, Severity

_SCRIPTS = (
    ("CJK", "cjk"), ("HIRAGANA", "cjk"), ("KATAKANA", "cjk"), ("HANGUL", "hangul"),
    ("CYRILLIC", "cyrillic"), ("ARABIC", "arabic"), ("HEBREW", "hebrew"), ("GREEK", "greek"),
    ("DEVANAGARI", "devanagari"), ("THAI", "thai"), ("LATIN", "latin"),
)
_NON_WORD = re.compile(r"\W+")
COPY_WORDS = 3
"""Words copied from the source that make an untranslated finding."""


@lru_cache(maxsize=1 << 16)
def script_of(char: str) -> str | None:
    """Script family of a letter ("cjk", "cyrillic", "latin", ...), else None (cached per character)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    for prefix, script in _SCRIPTS:
        if name.startswith(prefix):
            return script
    return "other"


def scripts(text: str) -> set[str]:
    """The script families used by the letters of ``text``."""
    return {s for s in map(script_of, set(text)) if s is not None}


def foreign_runs(text: str, foreign: set[str]) -> Iterator[tuple[int, int]]:
    """Offsets of maximal runs of ``foreign``-script letters (spaces and punctuation inside)."""
    start = last = -1
    for index, char in enumerate(text):
        script = script_of(char)
        if script in foreign:
            if start < 0:
                start = index
            last = index
        elif script is not None and start >= 0:
            yield start, last + 1
            start = -1
    if start >= 0:
        yield start, last + 1


def _copied_runs(src: str, hyp: str, ref: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, words) of hypothesis word runs found in the source but not the reference."""
    src_folded = " " + " ".join(fold(t.text) for t in tokenize(src)) + " "
    ref_folded = " " + " ".join(fold(t.text) for t in tokenize(ref)) + " "
    tokens = tokenize(hyp)
    i = 0
    while i < len(tokens):
        j = i
        while j < len(tokens) and _phrase(tokens[i : j + 1]) in src_folded:
            j += 1
        run = tokens[i:j]
        copied = len(run) >= COPY_WORDS and _phrase(run) not in ref_folded
        if copied and any(is_content_word(t.text) for t in run):
            yield run[0].start, run[-1].end, len(run)
            i = j
            continue
        i += 1


def _phrase(tokens: Sequence[Token]) -> str:
    return " " + " ".join(fold(t.text) for t in tokens) + " "


class UntranslatedCheck:
    """Source-language text in the hypothesis."""

    id = "untranslated"
    per_segment = True

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """Findings for foreign-script runs and copied source words."""
        if not context.has_source or not segment.src or not segment.hyp or is_removed(segment):
            return []
        src, hyp, ref = segment.src_text, segment.hyp_text, segment.ref_text
        hyp_words = _NON_WORD.sub("", hyp.casefold())
        # Punctuation or numbers alone ("”", "2023.") are the same in every language.
        same = hyp_words == _NON_WORD.sub("", src.casefold())
        if same and hyp_words and not hyp_words.isdigit() and src != ref:
            return [_finding(hyp, 0, len(hyp), "critical", "The hypothesis is the source, untranslated.")]
        findings = []
        foreign = scripts(src) - scripts(ref) - {"latin"}
        for start, end in foreign_runs(hyp, foreign):
            letters = sum(ch.isalpha() for ch in hyp[start:end])
            severity: Severity = "major" if letters >= 2 else "minor"
            findings.append(_finding(hyp, start, end, severity,
                                     f"Source-script text left untranslated: {hyp[start:end]!r}."))
        if not foreign:
            for start, end, words in _copied_runs(src, hyp, ref):
                severity = "major" if words > COPY_WORDS else "minor"
                findings.append(_finding(hyp, start, end, severity,
                                         f"Copied from the source: {hyp[start:end]!r}."))
        return findings


def _finding(hyp: str, start: int, end: int, severity: Severity, message: str) -> Finding:
    return Finding(
        check="untranslated",
        category="accuracy/untranslated",
        severity=severity,
        hyp_span=hyp[start:end],
        ref_span="",
        message=message,
        confidence=0.8,
        hyp_start=start,
        hyp_end=end,
    )


register_check(UntranslatedCheck())
