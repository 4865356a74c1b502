"""Metrics: sacrebleu's BLEU, chrF, chrF++, TER and unbabel-comet's COMET."""

from evalharness.metrics.base import Metric, get_metric, metric_names, register_metric

__all__ = ["Metric", "get_metric", "metric_names", "register_metric"]
