"""Category patterns of findings thresholds (``--max-findings "terminology/*=0"``)."""

from __future__ import annotations

from fnmatch import fnmatchcase

MQM_BRANCHES = frozenset(
    {"accuracy", "fluency", "terminology", "style", "locale", "design", "audience", "verity", "other"}
)
"""Top levels of the MQM typology: a bare one is a category pattern (``locale`` = ``locale/*``)."""

__all__ = ["MQM_BRANCHES", "category_matches", "is_category_pattern"]


def is_category_pattern(key: str) -> bool:
    """Whether a ``max_findings`` key names categories rather than a severity."""
    return "/" in key or any(c in key for c in "*?[") or key in MQM_BRANCHES


def category_matches(category: str, pattern: str) -> bool:
    """``terminology/wrong-term`` matches ``terminology/*``, ``terminology`` and ``*/wrong-term``."""
    category, pattern = category.lower(), pattern.lower()
    return fnmatchcase(category, pattern) or fnmatchcase(category, pattern + "/*")
