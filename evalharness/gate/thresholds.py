"""Gate thresholds: floors, ceilings, allowed drops, finding limits and the paired test.

:class:`Thresholds` is one suite's settings; :func:`thresholds_from_table` reads
them from an ``evalharness.toml`` table and :func:`thresholds_from_options` from
command-line options such as ``--max-drop bleu=0.5`` or
``--max-findings "terminology/*=0"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from evalharness.errors import UsageError
from evalharness.gate.categories import is_category_pattern
from evalharness.records import SEVERITIES

TESTS = ("bootstrap", "ar")
# Drops smaller than these are noise for a CI gate even when significant on a
# large test set; TER is lower-is-better, so for TER a rise counts as a drop.
DEFAULT_MAX_DROP: Mapping[str, float] = {
    "bleu": 1.0,
    "chrf": 1.0,
    "chrf++": 1.0,
    "ter": 1.0,
    "comet": 0.01,
}
_OFF = ("off", "none", "inf")
THRESHOLD_KEYS = {
    "min": "min_score",
    "max": "max_score",
    "max_drop": "max_drop",
    "max_findings": "max_findings",
    "no_more_findings": "no_more_findings",
    "alpha": "alpha",
    "test": "test",
    "samples": "samples",
    "seed": "seed",
}


@dataclass(frozen=True)
class Thresholds:
    """What makes the gate fail.

    Attributes:
        min_score: Metric -> lowest acceptable candidate score.
        max_score: Metric -> highest acceptable candidate score (e.g. for TER).
        max_drop: Metric -> largest tolerated significant drop from the baseline;
            ``None`` switches the drop check off for that metric. Metrics not
            named use :data:`DEFAULT_MAX_DROP`.
        max_findings: Severity -> most findings of that severity or worse, or
            category pattern (``terminology/*``, ``design/markup``; fnmatch, and a
            bare MQM branch such as ``locale`` means ``locale/*``) -> most findings
            whose category matches.
        no_more_findings: Fail when the candidate has more major-or-critical
            findings than the baseline.
        alpha: Significance level of the paired test.
        test: ``bootstrap`` (paired bootstrap resampling) or ``ar`` (paired
            approximate randomization).
        samples: Resamples (bootstrap) or trials (approximate randomization);
            ``None`` means sacrebleu's defaults, 1000 and 10000.
        seed: Seed of the paired test, so that a rerun gives the same verdict.
    """

    min_score: Mapping[str, float] = field(default_factory=dict)
    max_score: Mapping[str, float] = field(default_factory=dict)
    max_drop: Mapping[str, float | None] = field(default_factory=dict)
    max_findings: Mapping[str, int] = field(default_factory=dict)
    no_more_findings: bool = False
    alpha: float = 0.05
    test: str = "bootstrap"
    samples: int | None = None
    seed: int = 12345

    def __post_init__(self) -> None:
        if not 0.0 < self.alpha < 1.0:
            raise UsageError(f"alpha must be between 0 and 1, got {self.alpha}")
        if self.test not in TESTS:
            raise UsageError(f"unknown test {self.test!r}; choose from: {', '.join(TESTS)}")
        if self.samples is not None and self.samples < 1:
            raise UsageError(f"the paired test needs at least 1 sample, got {self.samples}")
        for key in self.max_findings:
            if key not in SEVERITIES and not is_category_pattern(key):
                raise UsageError(
                    f"unknown severity {key!r} in max-findings; choose from: "
                    f"{', '.join(SEVERITIES)}, or give a category pattern such as terminology/*"
                )

    @property
    def paired_samples(self) -> int:
        """Resamples or trials the paired test runs."""
        if self.samples is not None:
            return self.samples
        return 1000 if self.test == "bootstrap" else 10000

    def drop_tolerance(self, metric: str) -> float | None:
        """Tolerated drop of ``metric``; ``None`` when the drop check is off."""
        if metric in self.max_drop:
            return self.max_drop[metric]
        return DEFAULT_MAX_DROP.get(metric, 0.0)

    def named_metrics(self) -> set[str]:
        """Metrics that a threshold names explicitly (these must be computed)."""
        return (
            set(self.min_score)
            | set(self.max_score)
            | {m for m, tol in self.max_drop.items() if tol is not None}
        )

    def updated(self, changes: Mapping[str, Any]) -> Thresholds:
        """A copy with ``changes`` applied; mappings are merged key by key."""
        values: dict[str, Any] = {}
        for key, value in changes.items():
            current = getattr(self, key)
            values[key] = {**current, **value} if isinstance(current, Mapping) else value
        return replace(self, **values)


def thresholds_from_table(raw: Mapping[str, Any], base: Thresholds | None = None) -> Thresholds:
    """Thresholds from TOML keys (``min``, ``max``, ``max_drop``, ``alpha`` ...).

    Raises:
        ValueError: a value has the wrong type.
        UsageError: a value is out of range (alpha, test, severity).
    """
    changes: dict[str, Any] = {}
    for key, attr in THRESHOLD_KEYS.items():
        if key not in raw:
            continue
        value = raw[key]
        if attr in ("min_score", "max_score"):
            changes[attr] = {_metric(k): _number(v, key) for k, v in _mapping(value, key).items()}
        elif attr == "max_drop":
            changes[attr] = {
                _metric(k): _tolerance(v, key) for k, v in _mapping(value, key).items()
            }
        elif attr == "max_findings":
            changes[attr] = {k.lower(): _count(v, key) for k, v in _mapping(value, key).items()}
        else:
            changes[attr] = _scalar(attr, value)
    return (base or Thresholds()).updated(changes)


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} must be a table of metric = value")
    return value


def _metric(name: str) -> str:
    return name.strip().lower()


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{key!r} values must be numbers, got {value!r}")
    return float(value)


def _tolerance(value: Any, key: str) -> float | None:
    if isinstance(value, str) and value.strip().lower() in _OFF:
        return None
    number = _number(value, key)
    if number < 0:
        raise ValueError(f"{key!r} values must be >= 0, got {value!r}")
    return None if math.isinf(number) else number


def _count(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key!r} values must be whole numbers >= 0, got {value!r}")
    return value


def _scalar(attr: str, value: Any) -> Any:
    if attr == "no_more_findings":
        ok = isinstance(value, bool)
    elif attr == "alpha":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str if attr == "test" else int) and not isinstance(value, bool)
    if not ok:
        raise ValueError(f"{attr!r} has the wrong type: {value!r}")
    return float(value) if attr == "alpha" else value


def parse_assignments(specs: Iterable[str] | None, option: str) -> dict[str, str]:
    """``["bleu=30,chrf=50", "ter=60"]`` -> ``{"bleu": "30", "chrf": "50", "ter": "60"}``.

    Raises:
        UsageError: an item is not ``NAME=VALUE``.
    """
    out: dict[str, str] = {}
    for spec in specs or ():
        for item in spec.split(","):
            if not item.strip():
                continue
            name, sep, value = item.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise UsageError(
                    f"{option} expects NAME=VALUE (e.g. {option} bleu=30), got {item!r}"
                )
            out[name.strip().lower()] = value.strip()
    return out


def thresholds_from_options(
    base: Thresholds,
    *,
    min_specs: Sequence[str] | None = None,
    max_specs: Sequence[str] | None = None,
    drop_specs: Sequence[str] | None = None,
    findings_specs: Sequence[str] | None = None,
    scalars: Mapping[str, Any] | None = None,
) -> Thresholds:
    """``base`` with command-line thresholds (``--min bleu=30`` ...) applied on top.

    Raises:
        UsageError: a value is not a number (or ``off`` for ``--max-drop``).
    """
    raw: dict[str, Any] = {k: v for k, v in (scalars or {}).items() if v is not None}
    for key, option, specs in (
        ("min", "--min", min_specs),
        ("max", "--max", max_specs),
        ("max_drop", "--max-drop", drop_specs),
        ("max_findings", "--max-findings", findings_specs),
    ):
        pairs = parse_assignments(specs, option)
        if pairs:
            raw[key] = {k: _cli_value(v, option) for k, v in pairs.items()}
    try:
        return thresholds_from_table(raw, base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _cli_value(text: str, option: str) -> Any:
    if text.lower() in _OFF and option == "--max-drop":
        return text
    try:
        number = float(text)
    except ValueError:
        raise UsageError(f"{option} needs a number, got {text!r}") from None
    if option == "--max-findings":
        if not number.is_integer():
            raise UsageError(f"{option} needs a whole number, got {text!r}")
        return int(number)
    return number
