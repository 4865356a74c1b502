"""Metrics: sacrebleu's BLEU, chrF, chrF++, TER and unbabel-comet's COMET."""

from evalharness.metrics.base import Metric, get_metric, metric_info, metric_names, register_metric
from evalharness.metrics.info import MetricInfo

__all__ = ["Metric", "MetricInfo", "get_metric", "metric_info", "metric_names", "register_metric"]
