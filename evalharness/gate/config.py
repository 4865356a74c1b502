"""Gate settings: the test-set suites of ``evalharness.toml`` (thresholds: :mod:`.thresholds`).

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

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evalharness.errors import InputError, UsageError
from evalharness.gate.thresholds import THRESHOLD_KEYS, Thresholds, thresholds_from_table
from evalharness.inputs.formats import FORMATS
from evalharness.lang.profiles import parse_language_pair

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = "evalharness.toml"


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
    unknown = set(value) - allowed - set(THRESHOLD_KEYS)
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


def metric_params(tokenize: str | None, lowercase: bool) -> dict[str, dict[str, Any]]:
    """Metric options for the pipeline from ``tokenize``/``lowercase`` settings."""
    params: dict[str, dict[str, Any]] = {}
    if tokenize:
        params["bleu"] = {"tokenize": tokenize}
    if lowercase:
        for name in ("bleu", "chrf", "chrf++", "ter"):
            params.setdefault(name, {})["lowercase"] = True
    return params
