"""The one reader of the word lists and patterns shipped in ``evalharness/data``.

Every stage that needs a shipped list (credits, bylines, abbreviations, sentence
rules, negations, function words, XLM-R languages) reads it here, once per process.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """Non-blank, non-comment lines of a file shipped in ``evalharness/data``."""
    raw = resources.files("evalharness").joinpath("data", name).read_text(encoding="utf-8")
    return tuple(
        line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def compiled_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """The regular expressions of a shipped pattern file, compiled."""
    return tuple(re.compile(line) for line in data_lines(name))
