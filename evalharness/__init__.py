"""evalharness: translation-quality evaluation harness.

The public API is loaded lazily so that ``import evalharness`` (and the CLI's
start-up) stays cheap; each name below is the real object, with its real
signature, the first time it is used::

    import evalharness
    run = evalharness.evaluate("ref.txt", ["mt.txt"], metrics="bleu,chrf")
    print(run.systems[0].metrics["bleu"].score)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from evalharness.checks.base import register_check
    from evalharness.metrics.base import register_metric
    from evalharness.metrics.info import MetricInfo
    from evalharness.pipeline import EvaluateOptions, evaluate
    from evalharness.results import RunResult, SystemResult

_LAZY = {
    "evaluate": "evalharness.pipeline",
    "EvaluateOptions": "evalharness.pipeline",
    "RunResult": "evalharness.results",
    "SystemResult": "evalharness.results",
    "register_metric": "evalharness.metrics.base",
    "MetricInfo": "evalharness.metrics.info",
    "register_check": "evalharness.checks.base",
}

__all__ = [
    "EvaluateOptions",
    "MetricInfo",
    "RunResult",
    "SystemResult",
    "__version__",
    "evaluate",
    "register_check",
    "register_metric",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'evalharness' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
