r"""Numbers written the way other languages write them.

- CJK numerals: "三千", "一百二十", "3万", "1.5亿", "２０億" (full-width digits are
  digits to Python's ``\\d`` and ``float`` already);
- number words in the languages of ``text2num`` (its rules ship in its wheel):
  "zweitausend" == 2000, "vingt et un" == 21; Russian, Ukrainian and Hindi
  through ``number-parser`` (rules in its wheel too): "двадцать пять" == 25.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CJK_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
               "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_MYRIADS = {"万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
_NUMERALS = "".join([*_CJK_DIGITS, *_CJK_UNITS, *_CJK_MYRIADS])
_DIGIT_SCALE_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<scale>[十百千万萬億亿兆]+)")
_NUMERAL_RUN_RE = re.compile(f"[{_NUMERALS}]{{2,}}")
WORD_NUMBER_LANGUAGES = frozenset({"en", "fr", "es", "pt", "de", "nl", "da", "it"})
"""Languages whose number words ``text2num`` converts."""
PARSER_LANGUAGES = frozenset({"ru", "uk", "hi"})
"""Further languages whose number words ``number-parser`` converts ("двадцать пять" = 25)."""


def cjk_numeral_value(numerals: str) -> float | None:
    """Value of a run of CJK numerals ("三千五百" -> 3500, "十二" -> 12), or None."""
    total, section, digit = 0, 0, None
    for char in numerals:
        if char in _CJK_DIGITS:
            if digit is not None:  # "二〇二三": digits read one by one
                return _digit_by_digit(numerals)
            digit = _CJK_DIGITS[char]
        elif char in _CJK_UNITS:
            section += (1 if digit is None else digit) * _CJK_UNITS[char]
            digit = None
        else:
            total += (section + (digit or 0)) * _CJK_MYRIADS[char]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def _digit_by_digit(numerals: str) -> float | None:
    if not all(c in _CJK_DIGITS for c in numerals):
        return None
    return float("".join(str(_CJK_DIGITS[c]) for c in numerals))


def cjk_numbers(text: str) -> list[tuple[int, int, float]]:
    """``(start, end, value)`` of CJK numbers: digits with a CJK scale, or numeral runs.

    A numeral run needs a digit numeral first and a unit or a second digit
    ("三千", "十二" no: "十分" is "very"), so idioms made of one numeral stay words.
    """
    found: list[tuple[int, int, float]] = []
    for match in _DIGIT_SCALE_RE.finditer(text):
        value = float(match.group("num"))
        for char in match.group("scale"):
            value *= _CJK_UNITS.get(char) or _CJK_MYRIADS[char]
        found.append((match.start(), match.end(), value))
    for match in _NUMERAL_RUN_RE.finditer(text):
        run = match.group()
        if run[0] not in _CJK_DIGITS or any(s <= match.start() < e for s, e, _ in found):
            continue
        parsed = cjk_numeral_value(run)
        if parsed is not None:
            found.append((match.start(), match.end(), parsed))
    return sorted(found)


@lru_cache(maxsize=4096)
def spelled_values(text: str, code: str) -> frozenset[float]:
    """Values of the number words in ``text`` (language ``code``), via text2num.

    Empty for languages neither text2num nor number-parser covers.
    """
    if code in PARSER_LANGUAGES:
        from number_parser import parse

        converted = str(parse(text, language=code))
    elif code in WORD_NUMBER_LANGUAGES:
        from text_to_num import alpha2digit

        converted = alpha2digit(text, code)
    else:
        return frozenset()
    if converted == text:
        return frozenset()
    before = set(re.findall(r"\d+", text))
    return frozenset(float(n) for n in re.findall(r"\d+", converted) if n not in before)
