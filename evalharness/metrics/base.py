"""The one small interface every metric implements, and the metric registry.

The registry holds, for each name, the factory that builds the metric and its
:class:`~evalharness.metrics.info.MetricInfo` (label, direction, number format), which
every view reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from evalharness.errors import UsageError
from evalharness.metrics.info import MetricInfo
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
_INFO: dict[str, MetricInfo] = {}


def register_metric(name: str, factory: MetricFactory, info: MetricInfo | None = None) -> None:
    """Make a metric available under ``name`` (lower case) for ``--metrics``.

    Args:
        name: The name users give to ``--metrics``; stored lower case.
        factory: Builds the metric from its keyword options.
        info: Label, direction and number format for every view. Default: the name as
            label, the factory's ``higher_is_better`` attribute (True if it has none),
            2 decimals.
    """
    key = name.lower()
    if info is None:
        higher = getattr(factory, "higher_is_better", True)
        info = MetricInfo(key, name, higher_is_better=higher if isinstance(higher, bool) else True)
    elif info.name != key:
        raise UsageError(f"metric {name!r} registered with the info of {info.name!r}")
    _REGISTRY[key] = factory
    _INFO[key] = info


def metric_info(name: str) -> MetricInfo:
    """The registered label, direction and number format of ``name``.

    A metric unknown here (say, a plugin's, read back from a report) gets its name as
    label, higher-is-better and 2 decimals.
    """
    _load_builtin()
    key = name.strip().lower()
    return _INFO.get(key) or MetricInfo(key, name)


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
