"""Sentence-final punctuation classes, bracket and quote balance, number formats.

Language-aware where it matters: ``„…“``, ``„…”``, ``«…»`` and ``»…«`` are
balanced pairs, ``。`` ends a sentence like ``.``, ``？`` and ``؟`` ask like
``?`` (and ``;`` does in Greek).
"""

from __future__ import annotations

import re

from evalharness.lang.profiles import LanguageProfile

FINAL_CLASSES = {
    "question": "?？؟⸮",
    "exclamation": "!！",
    "stop": ".。．।۔።",
    "colon": ":：",
    "ellipsis": "…",
}
_CLOSERS = "\"'”’»«)]}>）】」』 \u00a0\u202f\t\n"
_TRAILING_MARKUP = re.compile(r"(?:</?[A-Za-z][^<>]*>|\s)+$")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)+(?![\w]|[.,]\d)")

# closing character -> openers it closes; opening character -> what it pushes.
_CLOSES = {
    ")": "(", "]": "[", "）": "（", "】": "【", "」": "「", "』": "『", "›": "‹",
    "”": "“„", "“": "„", "»": "«", "«": "»", '"': '"',
}  # fmt: skip
_OPENERS = frozenset("([（【「『‹“„«»\"")
_BRACKET = re.compile("[" + re.escape("".join(sorted(set(_CLOSES) | _OPENERS))) + "]")


def final_class(text: str, language: str | None = None) -> str:
    """The class of a text's final punctuation: ``question``, ``stop``, ... or ``none``.

    Closing quotes, brackets and tags after the mark are skipped
    (``Click <b>Save</b>.`` ends with a stop).
    """
    stripped = _TRAILING_MARKUP.sub("", text).rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "ellipsis"
    last = stripped[-1:] if stripped else ""
    if language == "el" and last in ";\u037e":
        return "question"
    for name, marks in FINAL_CLASSES.items():
        if last and last in marks:
            return name
    return "none"


def unbalanced(text: str) -> list[tuple[int, str]]:
    """Brackets and double quotes that are never closed or close nothing: (offset, char).

    Single quotes are left alone: ``’`` and ``'`` are apostrophes more often than quotes.
    """
    stack: list[tuple[int, str]] = []
    problems: list[tuple[int, str]] = []
    for match in _BRACKET.finditer(text):
        index, char = match.start(), match.group()
        if char in _CLOSES and stack and stack[-1][1] in _CLOSES[char]:
            stack.pop()
        elif char in _OPENERS:
            stack.append((index, char))
        elif char in _CLOSES:
            problems.append((index, char))
    return sorted(problems + stack)


def number_tokens(text: str) -> list[re.Match[str]]:
    """Numbers written with a decimal or group separator (``2.5``, ``1,000``, ``1.234,5``)."""
    return [
        m for m in _NUMBER.finditer(text)
        if not (m.start() and text[m.start() - 1] in "vV")
    ]  # fmt: skip


def number_value(token: str, profile: LanguageProfile) -> float | None:
    """The value of ``token`` read with a language's separators; None when it is not a number there."""
    digits = token
    for sep in profile.group_seps:
        if sep != profile.decimal_sep:
            groups = digits.split(sep)
            if len(groups) > 1 and not all(len(g.split(profile.decimal_sep)[0]) == 3 for g in groups[1:]):
                return None
            digits = digits.replace(sep, "")
    parts = digits.split(profile.decimal_sep)
    if len(parts) > 2 or not all(p.isdigit() for p in parts):
        return None
    return float(".".join(parts))
