"""`tfenvcheck fixes`: the known-breakages registry, or only what applies to the target."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from tfenvcheck import documents
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_OK
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.registry.match import applicable
from tfenvcheck.render.breakages_text import render_breakages


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fixes",
        help="list the known breakages tfenvcheck detects and fixes",
        description="The known-breakages registry: what the user would see, and the fix. With --applicable, "
        "only the entries whose conditions hold for the target (probed for the purpose).",
    )
    parser.add_argument("--applicable", action="store_true", help="only what applies to the target")
    options.add_target_options(parser)
    options.add_registry_option(parser)
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    breakages = load_registry(args.registry)
    rows: Sequence[tuple[Breakage, list[str] | None]] = [(breakage, None) for breakage in breakages]
    if args.applicable:
        rows = applicable(breakages, gather_facts(options.target_from(args)))
    listing = [dict(breakage.summary(), seen=reasons) for breakage, reasons in rows]
    emit(
        args,
        documents.envelope(documents.BREAKAGES, breakages=listing),
        lambda out: render_breakages(rows, out, verbose=args.verbose),
    )
    return EXIT_OK
