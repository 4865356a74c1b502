"""Dates written the way each language writes them.

- Month names of every CLDR locale, from ``babel`` (its data ships in the
  wheel): "16. Mai 2023", "3. listopadu", "16 mai 2023", "16 de mayo de 2023",
  "16 мая 2023 г.", "16 במאי 2023"; the words between day and month ("de",
  Hebrew's glued ב) come from the locale's long date pattern, and so does the
  order (day first, or month first as in "May 16" and Hungarian "május 16.").
- CJK dates: "2023年5月16日", "5月16日", Korean "2023년 5월 16일".
- Numeric dates "16/05/2023", "16.05.2023", "2023-05-16", read in the order of
  the locale's short date pattern (``M/d/yy`` in English, ``dd.MM.yy`` in
  German); a reading with a month over 12 is read the other way round, so
  "16/05/2023" and "05/16/2023" are the same day everywhere.

Every date is a day and a month, with its year when one is written; the
number check compares the day-month part as a date and the year as a year.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

_CJK_DATE = re.compile(
    r"(?:(?P<year>\d{2,4})\s*[年년]\s*)?(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
)
_NUMERIC_DATE = re.compile(
    r"(?<![\d.,/-])(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})(?![\d]|[.,/-]\d)"
)
_CJK_CODES = frozenset({"zh", "ja", "ko"})


class LocalDate(NamedTuple):
    """A date in a text: the day-month part and, when written, the year.

    Attributes:
        start: Offset of the date's first character.
        end: Offset one past the day-month part (one past the date when it has no year).
        month: 1-12.
        day: 1-31.
        year: The year, or None.
        year_start: Offset of the year (``end`` when there is none).
        year_end: Offset one past the year (``end`` when there is none).
    """

    start: int
    end: int
    month: int
    day: int
    year: int | None = None
    year_start: int = 0
    year_end: int = 0


@cache
def _patterns(code: str) -> tuple[str, str]:
    """The locale's long and short date patterns ("d. MMMM y", "dd.MM.yy"); empty if unknown."""
    from babel.core import Locale, UnknownLocaleError
    from babel.dates import get_date_format

    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return "", ""
    return (str(get_date_format("long", locale=locale).pattern),
            str(get_date_format("short", locale=locale).pattern))


@cache
def month_names(code: str) -> dict[str, int]:
    """Lower-case month names of ``code`` (wide and abbreviated, format and stand-alone)."""
    from babel.core import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return {}
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale=locale).items():
                folded = str(name).lower().rstrip(".")
                if len(folded) >= 3 and not any(c.isdigit() for c in folded):
                    names.setdefault(folded, int(month))
    return names


def _connector(pattern: str, first: str, second: str) -> str:
    """The letters between two fields of a date pattern ("de", "ב"), without quotes and dots."""
    match = re.search(f"{first}+(.*?){second}+", pattern)
    if not match:
        return ""
    return re.sub(r"[\s'.,]", "", match.group(1))


@cache
def _named_date_re(code: str) -> re.Pattern[str] | None:
    names = month_names(code)
    long_pattern = _patterns(code)[0]
    if not names or not long_pattern:
        return None
    months = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    month = rf"(?P<month>{months})\.?(?![^\W\d_])"
    year = r"(?P<year>\d{4})(?!\d)"
    if long_pattern.find("d") < long_pattern.find("M"):
        glue = _connector(long_pattern, "d", "M")
        before = rf"(?:{re.escape(glue)}-?\s*)?" if glue else ""
        after = _connector(long_pattern, "M", "y")
        after_re = rf"(?:{re.escape(after)}\s+)?" if after else ""
        body = rf"(?<!\d)(?P<day>\d{{1,2}})\.?\s*{before}{month}(?:,?\s*{after_re}{year})?"
    else:
        body = rf"(?:(?<!\d){year}\.?,?\s+)?{month}\s*(?P<day>\d{{1,2}})(?!\d)\.?"
    return re.compile(body, re.IGNORECASE)


def _numeric_order(code: str) -> str:
    """Order of day, month and year in the locale's short dates: ``dmy``, ``mdy`` or ``ymd``."""
    short = _patterns(code)[1] or "M/d/yy"
    fields = sorted((short.find(c), c) for c in "dMy" if c in short)
    return "".join(c.lower() for _, c in fields) if len(fields) == 3 else "mdy"


def _full_year(year: str) -> int:
    value = int(year)
    return value + 2000 if len(year) == 2 and value < 70 else value + 1900 if len(year) == 2 else value


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _numeric_dates(text: str, code: str) -> list[LocalDate]:
    order = _numeric_order(code)
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        a, b, c = match.group("a"), match.group("b"), match.group("c")
        if len(a) == 4:
            if len(c) > 2:
                continue
            year_text, first, second, first_is_month = a, b, c, True
            year_span, part = match.span("a"), (match.start("b"), match.end())
        elif len(a) <= 2:
            year_text, first, second = c, a, b
            first_is_month = order.index("m") < order.index("d")
            year_span, part = match.span("c"), (match.start(), match.start("c"))
        else:
            continue
        month, day = (int(first), int(second)) if first_is_month else (int(second), int(first))
        if not _valid(month, day):
            month, day = day, month
        if _valid(month, day):
            found.append(LocalDate(*part, month, day, _full_year(year_text), *year_span))
    return found


def local_dates(text: str, code: str | None) -> list[LocalDate]:
    """The dates of ``text`` in language ``code`` (``None``: English), in order, without overlaps.

    Named dates are those of the language's own month names (English keeps its
    own rules elsewhere); numeric dates are read in every language.
    """
    language = code or "en"
    found: list[LocalDate] = []
    if language in _CJK_CODES:
        for match in _CJK_DATE.finditer(text):
            month, day = int(match.group("month")), int(match.group("day"))
            if _valid(month, day):
                year = match.group("year")
                found.append(_with_year(match, month, day, _full_year(year) if year else None))
    elif language != "en":
        named = _named_date_re(language)
        for match in named.finditer(text) if named is not None else ():
            month = month_names(language)[match.group("month").lower()]
            day = int(match.group("day"))
            if _valid(month, day):
                year = match.group("year")
                found.append(_with_year(match, month, day, int(year) if year else None))
    if any(c.isdigit() for c in text):
        found.extend(_numeric_dates(text, language))
    kept: list[LocalDate] = []
    for date in sorted(found):
        if not kept or date.start >= max(kept[-1].end, kept[-1].year_end):
            kept.append(date)
    return kept


def _with_year(match: re.Match[str], month: int, day: int, year: int | None) -> LocalDate:
    """A date from a match with groups ``day``, ``month`` and an optional ``year``."""
    if year is None:
        return LocalDate(match.start(), match.end(), month, day, None, match.end(), match.end())
    year_start, year_end = match.span("year")
    if year_start == match.start():  # the year comes first: the day-month part follows it
        return LocalDate(match.start("month"), match.end(), month, day, year, year_start, year_end)
    return LocalDate(match.start(), year_start, month, day, year, year_start, year_end)
