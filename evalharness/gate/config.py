"""Gate settings: thresholds, and the test-set suites of ``evalharness.toml``.

The file has one optional ``[gate]`` table of defaults and one ``[[suite]]``
table per test set; a suite may override any default. Paths are relative to the
directory of the file::

    [gate]
    metrics = ["bleu", "chrf", "ter"]
    test = "bootstrap"            # or "ar" (approximate randomization)
    alpha = 0.05
    max_drop = { bleu = 1.0, chrf = 1.0, ter = 1.0 }

    [history]                     # optional: record every gate run
    record = true
    path = ".evalharness/history.sqlite"

    [[suite]]
    name = "bbc"
    reference = "references/bbc.md"   # or references = ["refA.txt", "refB.txt"]
    hypothesis = "hypotheses/bbc-garbled.txt"
    baseline = "baselines/bbc.json"
    min = { bleu = 10 }
    glossary = "glossary.tsv"     # terms for the glossary check
    max_findings = { "terminology/*" = 0, "design/markup" = 0, major = 5 }
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from evalharness.errors import InputError, UsageError
from evalharness.gate.categories import is_category_pattern
from evalharness.inputs.formats import FORMATS
from evalharness.lang.profiles import parse_language_pair
from evalharness.records import SEVERITIES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = "evalharness.toml"
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


@dataclass(frozen=True)
class Suite:
    """One test set to gate: a candidate, its baseline and the rules.

    Attributes:
        name: Suite name (JUnit test-suite name).
        reference: Reference file (the first one with several).
        hypothesis: Candidate hypothesis file.
        baseline: Saved ``evaluate`` JSON report to compare with, or ``None``
            when ``baseline_hypothesis`` is given instead.
        source: Optional source file.
        fmt: Input format; ``None`` means the baseline's (or ``auto``).
        metrics: Metrics to compute; ``None`` means the baseline's.
        baseline_hypothesis: Another system's output, evaluated in the same run.
        baseline_system: Which system of the baseline report (default: the first).
        metric_params: Metric options (``{"bleu": {"tokenize": "intl"}}``).
        language_pair: ``SRC-TGT`` (``en-de``); ``None`` detects the languages.
        glossary: Glossary file for the ``glossary`` check, or ``None``.
        thresholds: The rules for this suite.
        references: Every reference file, the first included, when there are
            several (``references = [...]`` in the file); else empty.
    """

    name: str
    reference: str
    hypothesis: str
    baseline: str | None = None
    source: str | None = None
    fmt: str | None = None
    metrics: tuple[str, ...] | None = None
    baseline_hypothesis: str | None = None
    baseline_system: str | None = None
    metric_params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    language_pair: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    glossary: str | None = None
    references: tuple[str, ...] = ()

    @property
    def reference_files(self) -> list[str]:
        """Every reference file, the first one first."""
        return list(self.references or (self.reference,))


@dataclass(frozen=True)
class GateConfig:
    """A parsed ``evalharness.toml``."""

    path: str
    suites: tuple[Suite, ...]
    history_path: str | None = None
    history_record: bool = False

    def select(self, names: Sequence[str] | None) -> tuple[Suite, ...]:
        """The suites with these names (all when ``names`` is empty).

        Raises:
            UsageError: a name matches no suite.
        """
        if not names:
            return self.suites
        known = {s.name: s for s in self.suites}
        missing = [n for n in names if n not in known]
        if missing:
            raise UsageError(
                f"no suite named {', '.join(missing)} in {self.path}; "
                f"suites: {', '.join(known) or '(none)'}"
            )
        return tuple(known[n] for n in names)


_SUITE_KEYS = {
    "name", "reference", "references", "hypothesis", "baseline", "source", "format", "metrics",
    "baseline_hypothesis", "baseline_system", "tokenize", "lowercase", "language_pair", "glossary",
}  # fmt: skip
_DEFAULT_KEYS = {"metrics", "format", "tokenize", "lowercase", "language_pair", "glossary"}
_THRESHOLD_KEYS = {
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


def load_config(path: str | Path) -> GateConfig:
    """Read ``evalharness.toml``.

    Raises:
        InputError: the file is missing, not valid TOML, has unknown keys, wrong
            types, no suites, or two suites with one name.
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such config file", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read config: {exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", str(path)) from None
    unknown = set(data) - {"gate", "suite", "history"}
    if unknown:
        raise InputError(f"unknown top-level keys: {', '.join(sorted(unknown))}", str(path))
    defaults = _table(data.get("gate", {}), "[gate]", str(path), _DEFAULT_KEYS)
    raw_suites = data.get("suite", [])
    if not isinstance(raw_suites, list) or not raw_suites:
        raise InputError("no [[suite]] tables: nothing to gate", str(path))
    suites = tuple(
        _parse_suite(
            _merge(defaults, _table(raw, "[[suite]]", str(path), _SUITE_KEYS)), p.parent, str(path)
        )
        for raw in raw_suites
    )
    names = [s.name for s in suites]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"suite names must be unique: {', '.join(duplicates)}", str(path))
    history_path, record = _history_table(data.get("history", {}), p.parent, str(path))
    return GateConfig(str(path), suites, history_path, record)


def _history_table(raw: Any, root: Path, path: str) -> tuple[str | None, bool]:
    """``[history]``: ``path`` (a file relative to the config, or a URL) and ``record``."""
    if not isinstance(raw, dict) or set(raw) - {"path", "record"}:
        raise InputError("[history] must be a table with 'path' and 'record' only", path)
    location, record = raw.get("path"), raw.get("record", False)
    if location is not None and (not isinstance(location, str) or not location):
        raise InputError("[history] path must be a non-empty string", path)
    if not isinstance(record, bool):
        raise InputError("[history] record must be true or false", path)
    if location is not None and "://" not in location:
        location = _resolve(root, location)
    return location, record


def _table(value: Any, what: str, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{what} must be a table", path)
    unknown = set(value) - allowed - set(_THRESHOLD_KEYS)
    if unknown:
        raise InputError(f"unknown keys in {what}: {', '.join(sorted(unknown))}", path)
    return value


def _merge(defaults: Mapping[str, Any], suite: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(defaults)
    for key, value in suite.items():
        base = merged.get(key)
        merged[key] = (
            {**base, **value} if isinstance(base, dict) and isinstance(value, dict) else value
        )
    return merged


def _parse_suite(raw: Mapping[str, Any], root: Path, path: str) -> Suite:
    pair = raw.get("language_pair")
    if isinstance(pair, str):
        try:
            parse_language_pair(pair)
        except UsageError as exc:
            raise UsageError(f"{path}: suite {raw.get('name', '?')!r}: {exc}") from None
    try:
        return _build_suite(raw, root)
    except (TypeError, ValueError, UsageError) as exc:
        label = raw.get("name", "?")
        raise InputError(f"suite {label!r}: {exc}", path) from None


def _build_suite(raw: Mapping[str, Any], root: Path) -> Suite:
    references = _references(raw)
    for key in ("name", "hypothesis"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ValueError(f"needs a {key!r} string")
    if bool(raw.get("baseline")) == bool(raw.get("baseline_hypothesis")):
        raise ValueError("needs exactly one of 'baseline' and 'baseline_hypothesis'")
    fmt = raw.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")
    metrics = raw.get("metrics")
    if metrics is not None and (
        not isinstance(metrics, list) or not all(isinstance(m, str) for m in metrics)
    ):
        raise ValueError("'metrics' must be a list of names")
    pair = raw.get("language_pair")
    if pair is not None and not isinstance(pair, str):
        raise ValueError("'language_pair' must be a string such as \"en-de\"")
    return Suite(
        name=raw["name"],
        reference=_resolve(root, references[0]),
        references=tuple(_resolve(root, r) for r in references) if len(references) > 1 else (),
        hypothesis=_resolve(root, raw["hypothesis"]),
        baseline=_resolve(root, raw.get("baseline")),
        source=_resolve(root, raw.get("source")),
        fmt=fmt,
        metrics=tuple(m.lower() for m in metrics) if metrics is not None else None,
        baseline_hypothesis=_resolve(root, raw.get("baseline_hypothesis")),
        baseline_system=raw.get("baseline_system"),
        metric_params=metric_params(raw.get("tokenize"), bool(raw.get("lowercase", False))),
        language_pair=pair,
        thresholds=thresholds_from_table(raw),
        glossary=_resolve(root, raw.get("glossary")),
    )


def _references(raw: Mapping[str, Any]) -> list[str]:
    """``reference = "file"`` or ``references = ["a", "b"]`` (exactly one of them)."""
    if ("reference" in raw) == ("references" in raw):
        raise ValueError("needs exactly one of 'reference' and 'references'")
    if "reference" in raw:
        value = raw["reference"]
        if not isinstance(value, str) or not value:
            raise ValueError("needs a 'reference' string")
        return [value]
    values = raw["references"]
    if not isinstance(values, list) or not values or not all(
        isinstance(v, str) and v for v in values
    ):
        raise ValueError("'references' must be a non-empty list of paths")
    if len(set(values)) != len(values):
        raise ValueError("'references' names a file twice")
    return list(values)


def _resolve(root: Path, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected a path string, got {value!r}")
    p = Path(value)
    return str(p if p.is_absolute() else root / p)


def thresholds_from_table(raw: Mapping[str, Any], base: Thresholds | None = None) -> Thresholds:
    """Thresholds from TOML keys (``min``, ``max``, ``max_drop``, ``alpha`` ...).

    Raises:
        ValueError: a value has the wrong type.
        UsageError: a value is out of range (alpha, test, severity).
    """
    changes: dict[str, Any] = {}
    for key, attr in _THRESHOLD_KEYS.items():
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


def metric_params(tokenize: str | None, lowercase: bool) -> dict[str, dict[str, Any]]:
    """Metric options for the pipeline from ``tokenize``/``lowercase`` settings."""
    params: dict[str, dict[str, Any]] = {}
    if tokenize:
        params["bleu"] = {"tokenize": tokenize}
    if lowercase:
        for name in ("bleu", "chrf", "chrf++", "ter"):
            params.setdefault(name, {})["lowercase"] = True
    return params


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
