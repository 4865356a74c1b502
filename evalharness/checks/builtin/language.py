"""Check ``language``: output in a language other than the target (critical).

Needs the run's target language. Two levels:

- the whole hypothesis: when the document, read as one text, is in another
  language than the target (and than the reference), every segment with text
  gets the finding;
- one segment: its letters are mostly in another script than the
  reference's, or the identifier is all but sure (:data:`SURE`) of another
  language and most of its words are unknown to the target's word list.

Either way the identified language must differ from the reference's own, so a
reference that the identifier misreads (names, a short line) never makes a
finding. Identification (py3langid, about 0.7 ms a call) runs only on segments
that fail the cheap tests first. The source is never needed; the ``untranslated``
check still reports source text copied into the hypothesis.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache

from evalharness.checks.base import register_check
from evalharness.checks.builtin.untranslated import script_of
from evalharness.checks.context import DocumentContext, is_removed, target_profile
from evalharness.lang.detect import Detection, identify, identify_document
from evalharness.lang.profiles import LanguageProfile, known_profiles
from evalharness.lang.words import has_frequencies, zipf
from evalharness.records import AlignedSegment, Finding

MIN_LETTERS = 15
"""Segments with fewer letters are too short to tell a language by."""
SURE = 0.99
"""Identifier confidence needed for a same-script segment."""
DOCUMENT_SURE = 0.9
"""Identifier confidence needed for a whole hypothesis."""
IDENTIFY_FIRST_SEGMENTS = 200
"""In documents up to this many segments the identifier (loaded for detection
anyway, well under a millisecond a segment) decides first and the target's word
list is read only for a segment it finds in another language: loading the word
list costs a quarter to half a second. Larger documents test the word list first."""
KNOWN_SHARE = 0.5
"""A same-script segment with at least this share of words known to the target is on target."""


def main_script(text: str) -> str | None:
    """The script family of most of the letters of ``text`` (None without letters).

    Ties go to the script whose first letter comes first in ``text``.
    """
    if text.isascii():  # ASCII letters are all Latin
        return "latin" if text.lower() != text.upper() else None
    counts: dict[str, int] = {}
    # Counter keeps the characters in order of first appearance, so the scripts
    # are met in that order too; count distinct characters, not every one.
    for char, n in Counter(text).items():
        script = script_of(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + n
    return max(counts, key=counts.__getitem__) if counts else None


def known_share(text: str, code: str) -> float:
    """Share of the words of ``text`` that the word list of ``code`` knows (1 without a list)."""
    words = _words(text)
    if not words or not has_frequencies(code):
        return 1.0
    known = _known_words(code)
    return sum(map(known.__getitem__, _look_up(words, code, known))) / len(words)


def mostly_known(text: str, code: str, share: float = KNOWN_SHARE) -> bool:
    """``known_share(text, code) >= share``, looking words up only until the answer is sure."""
    words = _words(text)
    if not words or not has_frequencies(code):
        return share <= 1.0
    known = _known_words(code)
    total, hits = len(words), 0
    for seen, word in enumerate(_look_up(words, code, known), start=1):
        hits += known[word]
        if hits / total >= share:
            return True
        if (hits + total - seen) / total < share:
            return False
    return hits / total >= share


def _words(text: str) -> list[str]:
    words = [w.strip(".,;:!?\"'()«»„“”‘’") for w in text.split()]
    return [w.lower() for w in words if len(w) >= 2 and w.isalpha()]


def _look_up(words: list[str], code: str, known: dict[str, bool]) -> Iterator[str]:
    """Each word in turn, after recording in ``known`` whether ``code``'s word list has it."""
    for word in words:
        if word not in known:
            known[word] = zipf(word, code) > 0
        yield word


@cache
def _known_words(code: str) -> dict[str, bool]:
    """Per language, whether each word met so far has a frequency (a dict: faster than zipf's cache)."""
    return {}


def language_name(code: str) -> str:
    """English name of a language code we have a profile for, else the code."""
    names = {p.code: p.name for p in known_profiles()}
    return names.get(code, code)


class LanguageCheck:
    """Segments, or a whole hypothesis, in a language other than the target."""

    id = "language"
    per_segment = True
    any_length = True

    def prepare(self, context: DocumentContext) -> None:
        """Identify the whole hypothesis's language once (before segments are shared out)."""
        target = target_profile(context)
        if target is not None:
            context.remember("language_document", lambda: _document_language(context, target))

    def find(self, segment: AlignedSegment, context: DocumentContext) -> list[Finding]:
        """A critical finding when the segment is not in the target language."""
        target = target_profile(context)
        hyp = segment.hyp_text
        if target is None or not segment.hyp or is_removed(segment):
            return []
        letters = sum(map(str.isalpha, hyp))
        if letters < MIN_LETTERS // 3:
            return []
        whole = context.remember("language_document", lambda: _document_language(context, target))
        if whole is not None:
            return [_finding(hyp, whole, target, whole_document=True)]
        if letters < MIN_LETTERS or sum(map(str.isalpha, prose(hyp))) < MIN_LETTERS:
            return []
        small = len(context.segments) <= IDENTIFY_FIRST_SEGMENTS
        found = _segment_language(segment, target, identify_first=small)
        return [] if found is None else [_finding(hyp, found, target, whole_document=False)]


_TAGS_RE = re.compile(r"(?:[#@]|https?://|www\.)\S+")


def prose(text: str) -> str:
    """``text`` without hashtags, handles and web addresses, which no language translates."""
    return _TAGS_RE.sub(" ", text)


def _segment_language(
    segment: AlignedSegment, target: LanguageProfile, identify_first: bool = False
) -> str | None:
    """The other language of the segment, or None; ``identify_first`` changes the cost, not the answer."""
    hyp, ref = prose(segment.hyp_text), prose(segment.ref_text)
    hyp_script = main_script(hyp)
    ref_script = main_script(ref) if ref else None
    other_script = ref_script is not None and hyp_script != ref_script
    if not identify_first and not other_script and mostly_known(hyp, target.code):
        return None
    detection = identify(hyp)
    if detection.code in (target.code, "und"):
        return None
    if not other_script and detection.confidence < SURE:
        return None
    if identify_first and not other_script and mostly_known(hyp, target.code):
        return None
    if ref and identify(ref).code == detection.code:
        return None
    return detection.code


def _document_language(context: DocumentContext, target: LanguageProfile) -> str | None:
    """The other language the whole hypothesis is in, or None when it is on target."""
    hyps = [s.hyp_text for s in context.segments if s.hyp and not is_removed(s)]
    refs = [s.ref_text for s in context.segments if s.ref]
    if sum(len(h) for h in hyps) < 3 * MIN_LETTERS:
        return None
    detection: Detection = identify_document(hyps)
    if detection.code in (target.code, "und") or detection.confidence < DOCUMENT_SURE:
        return None
    if refs and identify_document(refs).code == detection.code:
        return None
    joined = " ".join(hyps)
    other_script = bool(refs) and main_script(joined) != main_script(" ".join(refs))
    if not other_script and mostly_known(joined, target.code):
        return None
    return detection.code


def _finding(hyp: str, code: str, target: LanguageProfile, *, whole_document: bool) -> Finding:
    what = "The whole hypothesis" if whole_document else "This hypothesis segment"
    return Finding(
        check="language",
        category="accuracy/wrong-language",
        severity="critical",
        hyp_span=hyp,
        ref_span="",
        message=f"{what} is in {language_name(code)} ({code}), not in the target language, "
        f"{target.name} ({target.code}).",
        confidence=0.9,
        hyp_start=0,
        hyp_end=len(hyp),
    )


register_check(LanguageCheck())
