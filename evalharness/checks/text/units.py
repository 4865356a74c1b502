"""Numbers with measurement units (``2.5 GB``, ``10 px``, ``5 km``), for the format check.

The ``number`` check owns values, currencies and percentages; this module only
reads the unit written after a number, so that the format check can report a
unit that changed while the value stayed (``10 GB`` -> ``10 MB``). Localised
symbols are the same unit (French ``Go`` is ``GB``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "b": "B", "kb": "kB", "mb": "MB", "gb": "GB", "tb": "TB", "pb": "PB",
    "kib": "KiB", "mib": "MiB", "gib": "GiB", "tib": "TiB",
    "ko": "kB", "mo": "MB", "go": "GB",  # French; not "to" (English "5 to 10")
    "px": "px", "pt": "pt", "em": "em", "rem": "rem", "dpi": "dpi", "ppi": "ppi",
    "ms": "ms", "s": "s", "sec": "s", "min": "min", "h": "h",
    "hz": "Hz", "khz": "kHz", "mhz": "MHz", "ghz": "GHz",
    "mm": "mm", "cm": "cm", "m": "m", "km": "km", "mi": "mi", "ft": "ft",
    "mg": "mg", "g": "g", "kg": "kg", "lb": "lb", "lbs": "lb",
    "ml": "ml", "l": "l", "°c": "°C", "°f": "°F", "w": "W", "kw": "kW", "v": "V",
    "mah": "mAh", "fps": "fps", "kbps": "kbps", "mbps": "Mbps", "gbps": "Gbps",
    "kbit/s": "kbps", "mbit/s": "Mbps", "gbit/s": "Gbps", "mb/s": "MB/s",
}  # fmt: skip
_MEASURE = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*)\s?(°[CF]|[A-Za-z]{1,4}(?:/s)?)(?![\w°])"
)


@dataclass(frozen=True)
class Measure:
    """A number with a unit.

    Attributes:
        text: As written (``2,5 Go``).
        values: The values the digits can mean (``2,5`` is 2.5 or 25).
        unit: The normalised unit (``GB``).
        start: Offset of the first character.
        end: Offset one past the last.
    """

    text: str
    values: frozenset[float]
    unit: str
    start: int
    end: int


def measures(text: str) -> list[Measure]:
    """Every number followed by a known unit symbol."""
    found = []
    for m in _MEASURE.finditer(text):
        unit = _UNITS.get(m.group(2).lower())
        if unit is None:
            continue
        found.append(Measure(m.group(), readings(m.group(1)), unit, m.start(), m.end()))
    return found


def readings(digits: str) -> frozenset[float]:
    """What a number can mean with either decimal convention (``1,000`` is 1000 or 1.0)."""
    values = {float(re.sub(r"[.,]", "", digits))}
    if len(re.findall(r"[.,]", digits)) == 1:
        values.add(float(digits.replace(",", ".")))
    return frozenset(values)
