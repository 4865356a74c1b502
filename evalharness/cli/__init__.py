"""Command-line interface: one module per subcommand, one error boundary in :mod:`.app`."""

from evalharness.cli.app import Environment, main, raw_main

__all__ = ["Environment", "main", "raw_main"]
