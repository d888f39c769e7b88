"""The `tfenvcheck` command: builds the top parser from the command modules in `tfenvcheck.commands`,
runs the chosen one, and maps errors to exit codes.

Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import NoReturn

from tfenvcheck import __version__
from tfenvcheck.commands import COMMAND_MODULES, command_module, command_name
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, EXIT_OK, EXIT_USAGE, TfenvcheckError
from tfenvcheck.render.console import degrade_unencodable_output


class OneLineErrorParser(argparse.ArgumentParser):
    """A bad option is one line on stderr (and exit 2), like every other error, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, "{}: error: {} (see `{} --help`)\n".format(self.prog, message, self.prog))


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or with `argv` naming a command first, of that one alone."""
    parser = OneLineErrorParser(
        prog="tfenvcheck",
        description="Check, time and repair a TensorFlow environment before an exam, a course or a project. "
        "tfenvcheck runs in its own Python and judges another interpreter (the target), "
        "which it never needs to be installed into.",
        epilog="Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.",
    )
    parser.add_argument("--version", action="version", version="tfenvcheck " + __version__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = [m for m in COMMAND_MODULES if argv and command_name(m) == argv[0]]
    for module in named or COMMAND_MODULES:
        command_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    degrade_unencodable_output()
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser(arguments)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.handler(args))
    except TfenvcheckError as error:
        print("tfenvcheck: error: {}".format(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("tfenvcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one line unless asked for the traceback
        if os.environ.get("TFENVCHECK_DEBUG"):
            traceback.print_exc()
        print(
            "tfenvcheck: internal error: {}: {} (set TFENVCHECK_DEBUG=1 to see the traceback)".format(
                type(error).__name__, error
            ),
            file=sys.stderr,
        )
        return EXIT_COULD_NOT_CHECK
