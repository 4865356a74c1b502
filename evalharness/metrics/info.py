"""What the views need to know about a metric: its label, its direction, its number format.

Every metric is registered with a :class:`MetricInfo` (``register_metric`` in
``metrics/base.py``); the terminal summary, the HTML report, the Markdown and JUnit
outputs and the gate read it there, so that a plugin metric is labelled and compared
the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    """Display metadata of one registered metric.

    Attributes:
        name: The registry key, lower case (``bleu``).
        label: The name shown to readers (``BLEU``, ``chrF``).
        higher_is_better: False for error rates such as TER: a rise is a regression.
        decimals: Digits after the point in tables and messages (2 for 0-100 scales,
            4 for COMET's 0-1 scale).
    """

    name: str
    label: str
    higher_is_better: bool = True
    decimals: int = 2

    def format(self, value: float | None, signed: bool = False) -> str:
        """``value`` with this metric's decimals (``+`` sign if ``signed``); ``n/a`` for None."""
        if value is None:
            return "n/a"
        return f"{value:+.{self.decimals}f}" if signed else f"{value:.{self.decimals}f}"


BUILTIN_INFO = {
    info.name: info
    for info in (
        MetricInfo("bleu", "BLEU"),
        MetricInfo("chrf", "chrF"),
        MetricInfo("chrf++", "chrF++"),
        MetricInfo("ter", "TER", higher_is_better=False),
        MetricInfo("comet", "COMET", decimals=4),
    )
}
