"""`tfenvcheck run [target options] -- ARGS...`: run the target with ARGS, its output passed through,
its exit status returned; when it fails, the diagnosis of what it printed last, on stderr."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tfenvcheck.commands import options
from tfenvcheck.commands.explain import facts_of
from tfenvcheck.errors import CouldNotCheck, UsageError
from tfenvcheck.explain.diagnose import FactsFor, explain_lines
from tfenvcheck.explain.document import explanation_document
from tfenvcheck.explain.passthrough import exit_status, run_passed_through
from tfenvcheck.facts.model import Facts
from tfenvcheck.probes.spawn import describe_exit
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.explain_text import render_explanation
from tfenvcheck.target import Target


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the target with your arguments; when it fails, say which known breakage it shows",
        description='Run the target interpreter with ARGS (`-- train.py --epochs 3`, `-- -c "import tensorflow"`, '
        "`-- -m pytest`), its output passed through as it comes (through a pseudo-terminal on a terminal), and "
        "exit with its status (a signal as 128 + its number: SIGILL is 132). When it fails, the diagnosis of "
        "its last lines of output follows on stderr. When the target cannot be started, one line says so and "
        "the status is 3.",
    )
    options.add_target_options(parser)
    options.add_registry_option(parser)
    parser.add_argument("--diagnosis", metavar="FILE", type=Path, help="also write the diagnosis as JSON to FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="quote every matched line")
    parser.add_argument("args", nargs=argparse.REMAINDER, metavar="-- ARGS", help="the target's arguments")
    parser.set_defaults(handler=run)


def target_arguments(args: argparse.Namespace) -> list[str]:
    arguments = list(args.args)
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        raise UsageError(
            'give the target\'s arguments after --: tfenvcheck run -- train.py, or -- -c "import tensorflow"'
        )
    return arguments


def facts_or_none(target: Target) -> FactsFor:
    """Judging by the facts, or by the text alone when the target does not answer a probe."""
    gather = facts_of(target)

    def judged(entries: Sequence[Breakage]) -> Facts | None:
        try:
            return gather(entries)
        except CouldNotCheck:
            return None

    return judged


def run(args: argparse.Namespace) -> int:
    arguments = target_arguments(args)
    breakages = load_registry(args.registry)  # a bad registry is said before the target runs
    target = options.target_from(args)
    try:
        finished = run_passed_through([target.executable, *arguments], through_terminal=sys.stdout.isatty())
    except OSError as error:
        raise CouldNotCheck("cannot start {}: {}".format(target.executable, error.strerror or error)) from None
    status = exit_status(finished.returncode)
    explanation = None
    if status != 0:
        ending = "tfenvcheck: {} {}".format(target.executable, describe_exit(finished.returncode))
        explanation = explain_lines([*finished.tail, ending], breakages, facts_or_none(target))
        console = stderr_console()
        console.print("\n[bold]tfenvcheck:[/bold] the target {}".format(describe_exit(finished.returncode)))
        render_explanation(explanation, console, verbose=args.verbose)
    if args.diagnosis is not None:
        lines = explain_lines([], breakages) if explanation is None else explanation
        document = explanation_document(lines, exit_status=status, command=arguments)
        try:
            args.diagnosis.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        except OSError as error:
            raise CouldNotCheck("{}: cannot write the diagnosis ({})".format(args.diagnosis, error.strerror)) from None
    return status
