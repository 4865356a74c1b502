"""MQM error weights: how a segment's annotated errors become one human score.

The defaults are Google's (Freitag et al. 2021, the ``wmt-mqm-human-evaluation``
release): Major 5, Minor 1, a Minor ``Fluency/Punctuation`` error 0.1, a
``Non-translation!`` 25 whatever its severity, a ``Source issue`` 0 (the source
is at fault, not the translation). A segment scores minus the weighted sum of
its errors divided by the number of raters, so higher is better and an
error-free segment scores 0. ``Critical`` (25) and ``Neutral`` (0) cover files
that use those severities.

Users change them with ``--weights``: a TOML file::

    [severity]
    major = 5
    minor = 1

    [[category]]
    name = "Fluency/Punctuation"
    severity = "minor"     # optional: the rule then applies to this severity only
    weight = 0.1

or an inline list ``major=5,minor=1,minor:Fluency/Punctuation=0.1,Non-translation!=25``
(a key with a ``/``, a ``!`` or a ``:`` names a category; the others a severity).
Category rules given by the user come before the defaults; the first rule that
matches an error wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalharness.errors import InputError, UsageError


@dataclass(frozen=True)
class CategoryWeight:
    """A weight for one MQM category (matched case-insensitively, whole name).

    Attributes:
        category: The category as the file spells it, e.g. ``Fluency/Punctuation``.
        weight: Points of one such error.
        severity: Only errors of this severity (lower case), or ``None`` for any.
    """

    category: str
    weight: float
    severity: str | None = None

    def matches(self, category: str, severity: str) -> bool:
        """Whether an error of this category and severity takes this weight."""
        if self.category.casefold() != category.strip().casefold():
            return False
        return self.severity is None or self.severity == severity.strip().lower()


DEFAULT_SEVERITY_WEIGHTS: Mapping[str, float] = {
    "critical": 25.0,
    "major": 5.0,
    "minor": 1.0,
    "neutral": 0.0,
}
DEFAULT_CATEGORY_WEIGHTS: tuple[CategoryWeight, ...] = (
    CategoryWeight("Non-translation!", 25.0),
    CategoryWeight("Non-translation", 25.0),
    CategoryWeight("Source issue", 0.0),
    CategoryWeight("Fluency/Punctuation", 0.1, "minor"),
)


@dataclass(frozen=True)
class MqmWeights:
    """Points per MQM error: category rules first, then the severity's weight."""

    severity: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    categories: tuple[CategoryWeight, ...] = DEFAULT_CATEGORY_WEIGHTS

    def weight(self, category: str, severity: str) -> float | None:
        """Points of one error, or ``None`` for a severity with no weight."""
        for rule in self.categories:
            if rule.matches(category, severity):
                return rule.weight
        return self.severity.get(severity.strip().lower())

    def to_dict(self) -> dict[str, Any]:
        """The weights as written in the meta report."""
        return {
            "severity": dict(self.severity),
            "categories": [
                {"category": r.category, "severity": r.severity, "weight": r.weight}
                for r in self.categories
            ],
        }


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"--weights: {where} must be a number, got {value!r}")
    return float(value)


def _combine(severity: Mapping[str, float], rules: list[CategoryWeight]) -> MqmWeights:
    merged = dict(DEFAULT_SEVERITY_WEIGHTS)
    merged.update(severity)
    return MqmWeights(merged, tuple(rules) + DEFAULT_CATEGORY_WEIGHTS)


def parse_inline_weights(spec: str) -> MqmWeights:
    """Parse ``major=5,minor=1,minor:Fluency/Punctuation=0.1``.

    Raises:
        UsageError: an item is not ``KEY=NUMBER``.
    """
    severity: dict[str, float] = {}
    rules: list[CategoryWeight] = []
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        key, sep, value = item.rpartition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or not key.strip() or number is None:
            raise UsageError(f"--weights: expected KEY=NUMBER, got {item!r}")
        key = key.strip()
        head, colon, tail = key.partition(":")
        if colon and head.strip().lower() in {**DEFAULT_SEVERITY_WEIGHTS, **severity}:
            rules.append(CategoryWeight(tail.strip(), number, head.strip().lower()))
        elif "/" in key or "!" in key or colon or " " in key:
            rules.append(CategoryWeight(key, number))
        else:
            severity[key.lower()] = number
    return _combine(severity, rules)


def read_weights_toml(path: str | Path) -> MqmWeights:
    """Read a weights TOML file (``[severity]`` and ``[[category]]`` tables).

    Raises:
        InputError: the file is unreadable or not TOML.
        UsageError: a weight is not a number or a category rule has no name.
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read weights: {exc.strerror}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from None
    table = data.get("meta", {}).get("weights", data) if "meta" in data else data
    severity = {
        str(k).lower(): _number(v, f"severity {k}") for k, v in table.get("severity", {}).items()
    }
    rules = []
    for rule in table.get("category", []):
        name = rule.get("name") if isinstance(rule, dict) else None
        if not name:
            raise UsageError(f"--weights {path}: every [[category]] needs a name")
        sev = rule.get("severity")
        rules.append(
            CategoryWeight(str(name), _number(rule.get("weight"), f"category {name}"),
                           str(sev).lower() if sev else None)
        )
    return _combine(severity, rules)


def load_weights(spec: str | None) -> MqmWeights:
    """Weights from ``--weights``: a ``.toml`` file, an inline list, or the defaults."""
    if not spec:
        return MqmWeights()
    if spec.endswith(".toml") or Path(spec).is_file():
        return read_weights_toml(spec)
    return parse_inline_weights(spec)
