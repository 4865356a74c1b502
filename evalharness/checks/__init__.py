"""Per-segment error checks with MQM categories and severities.

Entry point: :func:`find_errors`. Each check is a plugin implementing
:class:`Check` (an ``id`` and ``find(segment, context)``); :func:`register_check`
adds one. Built-in checks: ``entity``, ``name``, ``number``, ``omission``,
``addition``, ``consistency``, ``low_score``, ``polarity``, ``unrelated``,
``untranslated``, ``xcomet``, ``language``, and the localisation QA checks
``glossary`` (terms of ``--glossary``) and ``format`` (placeholders, tags, links,
URLs, whitespace, punctuation); see ``docs/checks.md``.
"""

from evalharness.checks.base import Check, check_ids, find_errors, get_checks, register_check
from evalharness.checks.context import DocumentContext, build_context, line_segments

__all__ = [
    "Check",
    "DocumentContext",
    "build_context",
    "check_ids",
    "find_errors",
    "get_checks",
    "line_segments",
    "register_check",
]
