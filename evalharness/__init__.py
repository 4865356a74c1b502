"""evalharness: translation-quality evaluation harness."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from evalharness.pipeline import RunResult


def evaluate(*args: Any, **kwargs: Any) -> RunResult:
    """Evaluate hypotheses against a reference; see :func:`evalharness.pipeline.evaluate`."""
    from evalharness.pipeline import evaluate as _evaluate

    return _evaluate(*args, **kwargs)


__all__ = ["__version__", "evaluate"]
