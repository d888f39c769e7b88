"""The `tfenvcheck` command: parses arguments and wires the pipeline stages together.

Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from tfenvcheck import __version__
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, EXIT_OK, TfenvcheckError
from tfenvcheck.facts import gather_facts
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT
from tfenvcheck.render.console import stderr_console, stdout_console, write_json
from tfenvcheck.render.probe_text import render_probe
from tfenvcheck.target import discover_target


def add_target_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("target (the interpreter to judge)")
    group.add_argument(
        "--python", metavar="PATH",
        help="the interpreter to judge (a path, or a command on PATH); default: the active "
             "virtualenv, else the active conda env, else python3/python on PATH",
    )


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print only JSON on stdout (schema-versioned)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every detail")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfenvcheck",
        description="Check, time and repair a TensorFlow environment before an exam, a course or a project. "
                    "tfenvcheck runs in its own Python and judges another interpreter (the target), "
                    "which it never needs to be installed into.",
        epilog="Exit codes: 0 all good (warnings allowed), 1 failures found, 2 usage error, 3 could not check.",
    )
    parser.add_argument("--version", action="version", version="tfenvcheck " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    probe = commands.add_parser(
        "probe", help="show what the target interpreter, its TensorFlow and this machine really have",
        description="Gather facts: the host's CPU, memory, disk and GPUs; the target's Python, packages "
                    "and paths; and whether TensorFlow imports there, which Keras backs tf.keras and which "
                    "devices it sees. Probes of the target run in subprocesses under timeouts.",
    )
    add_target_options(probe)
    add_output_options(probe)
    probe.add_argument("--no-tensorflow", action="store_true", help="do not import TensorFlow in the target (fast)")
    probe.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
        help="give up on importing TensorFlow after this long (default: %(default)g)",
    )
    probe.set_defaults(handler=run_probe)
    return parser


def run_probe(args: argparse.Namespace) -> int:
    target = discover_target(args.python)
    if not args.json:
        stderr_console().print("Probing {} ({})...".format(target.executable, target.reason), style="dim")
    facts = gather_facts(target, with_tensorflow=not args.no_tensorflow, tensorflow_timeout=args.timeout)
    if args.json:
        write_json(json.dumps(facts, indent=2))
    else:
        render_probe(facts, stdout_console(), verbose=args.verbose)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        return args.handler(args)
    except TfenvcheckError as error:
        print("tfenvcheck: error: {}".format(error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("tfenvcheck: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: one line unless asked for the traceback
        if os.environ.get("TFENVCHECK_DEBUG"):
            traceback.print_exc()
        print("tfenvcheck: internal error: {}: {} (set TFENVCHECK_DEBUG=1 to see the traceback)".format(
            type(error).__name__, error), file=sys.stderr)
        return EXIT_COULD_NOT_CHECK
