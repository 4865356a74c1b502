"""CI regression gate: baselines, thresholds, paired significance and verdicts.

:mod:`.compare` runs the comparison, :mod:`.snapshot` reads a run into the
per-segment statistics it needs, :mod:`.verdict` holds the result types,
:mod:`.config` reads ``evalharness.toml`` suites and thresholds.
"""
