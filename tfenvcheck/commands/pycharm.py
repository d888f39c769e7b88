"""`tfenvcheck pycharm`: PyCharm's installations and their plugins, its config dirs, the interpreters
each lists, and the project's one."""

from __future__ import annotations

import argparse
from pathlib import Path

from tfenvcheck import documents
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_OK
from tfenvcheck.pycharm.overview import pycharm_overview
from tfenvcheck.render.pycharm_text import render_pycharm


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "pycharm",
        help="show PyCharm's installations, plugins, config dirs, Python interpreters and the project's interpreter",
        description="Show the PyCharm installations found (and DataSpell, IntelliJ IDEA with the Python plugin): "
        "product, version, build, folder, config directory and installed plugins; where their "
        "config directories were looked for, "
        "the Python SDKs each lists, and which interpreter the PyCharm project in the current "
        "directory (or --pycharm-project DIR) resolves to, with any problems found. "
        "Nothing is run: remote SDKs are listed, never contacted.",
    )
    options.add_pycharm_config_option(parser)
    parser.add_argument(
        "--pycharm-project",
        metavar="DIR",
        help="the PyCharm project to resolve (default: the current directory, if it has .idea)",
    )
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    overview = pycharm_overview(
        config=Path(args.pycharm_config) if args.pycharm_config else None,
        project=Path(args.pycharm_project) if args.pycharm_project else None,
    )
    # The envelope carries the schema version; the overview's own one (also in facts records) is left out.
    content = {key: value for key, value in overview.items() if key != "schema_version"}
    emit(
        args, documents.envelope(documents.PYCHARM, **content), lambda out: render_pycharm(overview, out, args.verbose)
    )
    return EXIT_OK
