"""The one small interface every metric implements, and the metric registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from evalharness.errors import UsageError
from evalharness.records import MetricResult


@runtime_checkable
class Metric(Protocol):
    """A metric: per-segment sufficient statistics in, corpus and segment scores out.

    ``compute`` scores all segments once; ``score_from_stats`` turns any subset
    (or resample) of the rows of ``MetricResult.stats`` into a corpus score, so that
    bootstrap intervals and paired tests never re-tokenize.
    """

    name: str
    higher_is_better: bool

    def compute(
        self, hyps: Sequence[str], refs: Sequence[str], srcs: Sequence[str] | None = None
    ) -> MetricResult:
        """Score aligned segments; returns corpus score, segment scores, stats, signature."""
        ...

    def score_from_stats(self, stats: Any) -> float:
        """Corpus score of the given rows of sufficient statistics (a 2-D numpy array)."""
        ...


MetricFactory = Callable[..., Metric]
_REGISTRY: dict[str, MetricFactory] = {}


def register_metric(name: str, factory: MetricFactory) -> None:
    """Make a metric available under ``name`` (lower case) for ``--metrics``."""
    _REGISTRY[name.lower()] = factory


def metric_names() -> list[str]:
    """Names accepted by ``--metrics``."""
    _load_builtin()
    return sorted(_REGISTRY)


def get_metric(name: str, **options: Any) -> Metric:
    """Instantiate a registered metric.

    Raises:
        UsageError: for an unknown metric name.
    """
    _load_builtin()
    key = name.strip().lower()
    if key not in _REGISTRY:
        raise UsageError(f"unknown metric {name!r}; choose from: {', '.join(sorted(_REGISTRY))}")
    return _REGISTRY[key](**options)


BUILTIN_MODULES = ("evalharness.metrics.lexical.adapters", "evalharness.metrics.comet.metric")


def _load_builtin() -> None:
    # Importing the modules registers their metrics; comet's module is light
    # at import time (torch and comet are imported only when it scores).
    import importlib

    for module in BUILTIN_MODULES:
        importlib.import_module(module)
