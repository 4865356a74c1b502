"""Numbers, amounts, dates and codes in a text, with values that compare across wordings.

``15,000`` == ``15000`` == ``15 thousand`` == ``fifteen thousand``; ``29 September``
== ``September 29th``; ``5%`` == ``5 per cent``; ``$5bn`` == ``5 billion dollars``;
``A24`` == ``A-24``. Each mention gets a ``key``: two mentions with the same key
say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evalharness.checks.text.dates_locale import local_dates
from evalharness.checks.text.lexicon import MONTHS
from evalharness.checks.text.numbers_locale import cjk_numbers

_MONTH_NAMES = "|".join(
    name for m in sorted(MONTHS, key=len, reverse=True) for name in (m.capitalize(), m.upper())
)
_ORDINAL = r"(?:st|nd|rd|th)"
_DATE_DM = re.compile(
    rf"\b(?P<day>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<month>{_MONTH_NAMES})\b\.?"
)
_DATE_MD = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL}?(?![\d,.]\d)\b"
)
_MONTH = re.compile(rf"\b(?P<month>{_MONTH_NAMES})\b")
_MAY_CONTEXT = re.compile(
    r"\b(?:in|of|since|until|till|from|by|early|late|mid|last|next|this|through|before|after)\s+$",
    re.IGNORECASE,
)
_CURRENCY = r"(?P<cur>US\$|HK\$|A\$|C\$|\$|£|€|¥|RMB\s?|Rs\.?\s?)"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?P<scale>trillion|billion|million|thousand|hundred|bn|tn|mn|m|k)"
_UNIT = (
    r"(?P<unit>per\s?cent|percent|percentage\s+points?|%|prozent|pour\s?cent|por\s?ciento|"
    r"per\s?cento|procent[oa]?|процент(?:а|ов)?|dollars?|pounds?|euros?|yuan|yen|"
    r"rupees?|roubles?|rubles?|francs?|won)"
)
_AMOUNT = re.compile(
    rf"{_CURRENCY}?{_NUMBER}(?:\s?{_SCALE}(?![a-z]))?(?:\s?{_UNIT}(?![a-z]))?", re.IGNORECASE
)
_COMMA_NUMBER = r"(?P<num>\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_COMMA_AMOUNT = re.compile(
    rf"{_CURRENCY}?{_COMMA_NUMBER}(?:\s?{_SCALE}(?![^\W\d_]))?(?:\s?{_UNIT}(?![^\W\d_]))?",
    re.IGNORECASE,
)
"""Amounts where a comma marks decimals and dots or spaces group thousands ("10.000", "1,5")."""
_PERCENT_RE = re.compile(r"cent|zent|ciento|процент|%")
_CODE = re.compile(r"\b(?:[A-Z]{1,5}-?\d+[A-Z]?|\d+[A-Z]{1,2})\b")
_DECADE = re.compile(r"(?:\b(?P<century>1[5-9]|20))?['’]?(?P<decade>\d0)s\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_ORDINAL_DIGITS = re.compile(rf"\b(?P<num>\d+){_ORDINAL}\b")
_WORD_RE = re.compile(r"[A-Za-z]+")
_GAP_RE = re.compile(r"[\s-]+")

_SCALES = {
    "trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6,
    "m": 1e6, "thousand": 1e3, "k": 1e3, "hundred": 1e2,
}
_UNITS_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_WORDS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS_WORDS)}
WORD_VALUES.update({w: 20 + 10 * i for i, w in enumerate(_TENS_WORDS)})
_WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
                "trillion": 10**12}
_WORD_ORDINALS = {
    w: i
    for i, w in enumerate(
        ["_", "_", "_", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"]
    )
    if w != "_"
}
_NUMBER_STARTS = frozenset([*WORD_VALUES, *_WORD_SCALES, *_WORD_ORDINALS, "a", "half"])
_DIGIT_RE = re.compile(r"\d")
# A spelled number holds at least one of these words ("a" and "half" only before a scale).
_NUMBER_WORDS = frozenset([*WORD_VALUES, *_WORD_SCALES, *_WORD_ORDINALS])
_LETTERS_RE = re.compile(r"[A-Za-z]+")
_MONTH_WORDS = frozenset(name for m in MONTHS for name in (m.capitalize(), m.upper()))
_CURRENCY_NAMES = {
    "$": "dollar", "us$": "dollar", "hk$": "dollar", "a$": "dollar", "c$": "dollar",
    "dollar": "dollar", "dollars": "dollar", "£": "pound", "pound": "pound", "pounds": "pound",
    "€": "euro", "euro": "euro", "euros": "euro", "¥": "yen/yuan", "yuan": "yuan", "rmb": "yuan",
    "yen": "yen",
}


@dataclass(frozen=True)
class NumberMention:
    """A number, amount, date or code in a text.

    Attributes:
        text: As written.
        start: Offset of its first character.
        end: Offset one past its end.
        kind: ``number``, ``percent``, ``money``, ``year``, ``ordinal``, ``date``,
            ``month``, ``decade``, ``time`` or ``code``.
        key: Comparison key: equal keys mean the same value.
        value: Numeric value (scaled), or None for dates and codes.
        unit: Currency or ``%``, when written.
        spelled: True when written in words ("two").
    """

    text: str
    start: int
    end: int
    kind: str
    key: str
    value: float | None = None
    unit: str | None = None
    spelled: bool = False

    @property
    def family(self) -> str:
        """Mentions of one family can stand for each other: ``value``, ``date`` or ``code``."""
        if self.kind in ("date", "month"):
            return "date"
        return "code" if self.kind in ("code", "time", "decade") else "value"


def _value_key(value: float) -> str:
    return f"value:{value:.10g}"


def extract_numbers(
    text: str, decimal_sep: str = ".", cjk: bool = False, language: str | None = None
) -> tuple[NumberMention, ...]:
    """All number mentions of ``text``, in order, without overlaps.

    Args:
        text: The text.
        decimal_sep: The language's decimal separator: ``.`` (English: "10,000.5")
            or ``,`` (German, French, Russian...: "10.000,5", "10 000,5").
        cjk: Also read CJK numerals ("三千", "3万").
        language: The text's language code, for its dates ("16. Mai 2023",
            "16/05/2023"); ``None``: English.
    """
    taken = [False] * (len(text) + 1)
    found: list[NumberMention] = []

    def add(mention: NumberMention) -> None:
        if any(taken[mention.start : mention.end]):
            return
        for i in range(mention.start, mention.end):
            taken[i] = True
        found.append(mention)

    digits = _DIGIT_RE.search(text) is not None
    words = set(_LETTERS_RE.findall(text))
    for mention in _local_dates(text, language) if digits else ():
        add(mention)
    if not _MONTH_WORDS.isdisjoint(words):
        for mention in _dates(text, digits):
            add(mention)
    if cjk:
        for start, end, value in cjk_numbers(text):
            add(NumberMention(text[start:end], start, end, "number", _value_key(value), value))
    if digits:
        for mention in _times_and_codes(text):
            add(mention)
        for mention in _amounts(text, decimal_sep):
            add(mention)
    if not _NUMBER_WORDS.isdisjoint({w.lower() for w in words}):
        for mention in _spelled_numbers(text):
            add(mention)
    if not found:
        return ()
    return tuple(sorted((m for m in found if not _list_marker(text, m)), key=lambda m: m.start))


_LIST_MARKER_RE = re.compile(r"\d{1,2}(?:[.)]\s|\s+(?=[A-Z\"“']))")


def _list_marker(text: str, mention: NumberMention) -> bool:
    """"2 Avoid ..." or "1. It is ...": an item number opening the text, not a quantity."""
    if mention.kind != "number" or mention.spelled or text[: mention.start].strip():
        return False
    return _LIST_MARKER_RE.match(text, mention.start) is not None


def _dates(text: str, digits: bool = True) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    for pattern in (_DATE_DM, _DATE_MD) if digits else ():
        for match in pattern.finditer(text):
            month = MONTHS[match.group("month").lower()]
            day = int(match.group("day"))
            if 1 <= day <= 31:
                mentions.append(NumberMention(match.group().rstrip("."), match.start(),
                                              match.start() + len(match.group().rstrip(".")),
                                              "date", f"date:{month}-{day}"))
    for match in _MONTH.finditer(text):
        name = match.group("month")
        if len(name) >= 3 and (name.lower() != "may" or _MAY_CONTEXT.search(text[: match.start()])):
            mentions.append(NumberMention(name, match.start(), match.end(), "month",
                                          f"month:{MONTHS[name.lower()]}"))
    return mentions


def _local_dates(text: str, language: str | None) -> list[NumberMention]:
    """Dates in the language's own formats: a day-month part, and the year as a year."""
    mentions = []
    for date in local_dates(text, language):
        part = text[date.start : date.end].rstrip(" .,/-")
        end = date.start + len(part)
        mentions.append(NumberMention(part, date.start, end, "date",
                                      f"date:{date.month}-{date.day}"))
        if date.year is not None:
            mentions.append(NumberMention(text[date.year_start : date.year_end], date.year_start,
                                          date.year_end, "year", _value_key(date.year),
                                          float(date.year)))
    return mentions


def hour_key(mention: NumberMention) -> str:
    """The key of a time on the hour as a bare number ("10:00" is "10"), else its key."""
    if mention.kind == "time" and mention.text.endswith(":00"):
        return _value_key(float(mention.text.split(":")[0]))
    return mention.key


def _times_and_codes(text: str) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    for match in _TIME.finditer(text):
        mentions.append(NumberMention(match.group(), match.start(), match.end(), "time",
                                      f"time:{match.group()}"))
    for match in _DECADE.finditer(text):
        key = f"decade:{match.group('decade')}"
        mentions.append(NumberMention(match.group(), match.start(), match.end(), "decade", key))
    for match in _ORDINAL_DIGITS.finditer(text):
        value = float(match.group("num"))
        mentions.append(NumberMention(match.group(), match.start(), match.end(), "ordinal",
                                      _value_key(value), value))
    for match in _CODE.finditer(text):
        code = match.group().replace("-", "").upper()
        mentions.append(NumberMention(match.group(), match.start(), match.end(), "code",
                                      f"code:{code}"))
    return mentions


def _amounts(text: str, decimal_sep: str = ".") -> list[NumberMention]:
    mentions: list[NumberMention] = []
    comma = decimal_sep == ","
    for match in (_COMMA_AMOUNT if comma else _AMOUNT).finditer(text):
        number = match.group("num")
        if comma:
            value = float(re.sub(r"[.\s]", "", number).replace(",", "."))
        else:
            value = float(number.replace(",", ""))
        scale = (match.group("scale") or "").lower()
        value *= _SCALES.get(scale, 1.0)
        unit_text = (match.group("unit") or "").lower()
        currency = (match.group("cur") or "").strip().lower().rstrip(".")
        unit = "%" if _PERCENT_RE.search(unit_text) else None
        unit = unit or _CURRENCY_NAMES.get(currency) or _CURRENCY_NAMES.get(unit_text)
        kind = "percent" if unit == "%" else "money" if unit else "number"
        plain = number.isdigit() and not scale
        if kind == "number" and plain and len(number) == 4 and 1000 <= value <= 2100:
            kind = "year"
        end = match.end()
        mentions.append(NumberMention(text[match.start() : end], match.start(), end, kind,
                                      _value_key(value), value, unit))
    return mentions


def _spelled_numbers(text: str) -> list[NumberMention]:
    """Numbers written in words: "two", "twenty-five", "three million", "a hundred"."""
    mentions: list[NumberMention] = []
    words = [(m.group().lower(), m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    index = 0
    while index < len(words):
        if words[index][0] not in _NUMBER_STARTS:
            index += 1
            continue
        parsed = _parse_number_words(text, words, index)
        if parsed is None:
            word, start, end = words[index]
            if word in _WORD_ORDINALS:
                value = float(_WORD_ORDINALS[word])
                mentions.append(NumberMention(text[start:end], start, end, "ordinal",
                                              _value_key(value), value, spelled=True))
            index += 1
            continue
        value, last = parsed
        start, end = words[index][1], words[last][2]
        mentions.append(NumberMention(text[start:end], start, end, "number",
                                      _value_key(value), value, spelled=True))
        index = last + 1
    return mentions


def _parse_number_words(
    text: str, words: list[tuple[str, int, int]], index: int
) -> tuple[float, int] | None:
    """Value and last word index of a spelled number starting at ``words[index]``."""
    sequence = [words[index][0]]
    for position in range(index + 1, min(index + 12, len(words))):
        if not _GAP_RE.fullmatch(text[words[position - 1][2] : words[position][1]]):
            break
        sequence.append(words[position][0])
    value, consumed = _number_value(sequence)
    if consumed == 0 or sequence[:consumed] in (["one"], ["a"]):
        return None
    return value, index + consumed - 1


def _number_value(words: list[str]) -> tuple[float, int]:
    """Parse "two and a half million", "half a million", "one hundred and twenty"."""
    if words[:2] == ["half", "a"] and len(words) > 2 and words[2] in _WORD_SCALES:
        return 0.5 * _WORD_SCALES[words[2]], 3
    total, current, consumed, seen = 0.0, 0.0, 0, False
    i = 1 if words[0] == "a" and len(words) > 1 and words[1] in _WORD_SCALES else 0
    current = 1.0 if i else 0.0
    while i < len(words):
        word = words[i]
        if word in WORD_VALUES:
            current += WORD_VALUES[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _WORD_SCALES:
            total += max(current, 1) * _WORD_SCALES[word]
            current = 0
        elif word == "and" and seen and words[i + 1 : i + 3] == ["a", "half"]:
            current += 0.5
            i += 3
            consumed = i
            continue
        elif word == "and" and seen and i + 1 < len(words) and words[i + 1] in WORD_VALUES:
            i += 1
            continue
        else:
            break
        seen = True
        i += 1
        consumed = i
    return total + current, consumed
