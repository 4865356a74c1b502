"""``evalharness comet fetch MODEL --to DIR``: a self-contained bundle for air-gapped runs."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from evalharness.errors import ExitStatus


def register(subparsers: Any) -> None:
    """Add the ``comet`` parser and its ``fetch`` subcommand."""
    p = subparsers.add_parser(
        "comet",
        help="COMET model bundles for machines without network",
        description="Manage COMET models.",
    )
    sub = p.add_subparsers(dest="comet_command", metavar="SUBCOMMAND", parser_class=type(p))
    fetch = sub.add_parser(
        "fetch",
        help="download a model and write it as a self-contained bundle",
        description=(
            "Download MODEL (a Hugging Face Hub name such as Unbabel/wmt22-comet-da, or an "
            "already-local checkpoint or model directory) with its encoder's tokenizer and "
            "config, and write a bundle that `evaluate --comet-model DIR` loads with no network."
        ),
    )
    fetch.add_argument(
        "model", metavar="MODEL", help="Hub name, checkpoint file or model directory"
    )
    fetch.add_argument("--to", required=True, metavar="DIR", help="bundle directory to write")
    fetch.add_argument("--name", help="model name to report in signatures (default: MODEL)")
    fetch.add_argument("--force", action="store_true", help="replace an existing bundle at DIR")
    fetch.set_defaults(handler=run_fetch)
    p.set_defaults(handler=lambda _args, env: _usage(p, env))


def _usage(parser: argparse.ArgumentParser, env: Any) -> ExitStatus:
    parser.print_help(env.stderr)
    return ExitStatus.USAGE


def run_fetch(args: argparse.Namespace, env: Any) -> ExitStatus:
    """Resolve (downloading when needed) and write the bundle; print how to use it."""
    from evalharness.metrics.comet.bundle import write_bundle
    from evalharness.metrics.comet.models import resolve_model

    model = resolve_model(args.model, download=True)
    if args.name:
        model = replace(model, name=args.name)
    dest = Path(args.to)
    manifest = write_bundle(model, dest, force=args.force)
    megabytes = manifest.checkpoint_bytes / 1e6
    env.stdout.write(
        f"wrote COMET bundle {dest}\n"
        f"  model       {manifest.model} ({manifest.class_identifier})\n"
        f"  checkpoint  {manifest.checkpoint} ({megabytes:.1f} MB, sha256 {manifest.checkpoint_sha256[:16]}...)\n"
        f"  encoder     {manifest.encoder}/ (tokenizer and config of {manifest.pretrained_model})\n"
        f"use it with: evalharness evaluate ... --comet-model {dest}\n"
    )
    return ExitStatus.SUCCESS
