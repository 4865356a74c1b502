"""``python -m evalharness.cli``: the console script, as a module."""

from evalharness.cli.app import main

main()
