"""`tfenvcheck profiles`: the shipped profiles, exams (history) apart from courses, the default marked."""

from __future__ import annotations

import argparse

from tfenvcheck import documents
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_OK
from tfenvcheck.profiles.listing import profile_rows
from tfenvcheck.render.check_text import render_profiles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "profiles",
        help="list the shipped exam and course profiles",
        description="List the exam (history) and course profiles `check --profile NAME` knows, the default marked.",
    )
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    rows = profile_rows()
    emit(
        args,
        documents.envelope(documents.PROFILES, profiles=rows),
        lambda out: render_profiles(rows, out, verbose=args.verbose),
    )
    return EXIT_OK
