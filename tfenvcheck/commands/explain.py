"""`tfenvcheck explain [FILE]`: which known breakages a pasted text shows (a traceback, a PyCharm
console, a pip log), best first, judged against the target's facts unless --no-target."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK, CouldNotCheck
from tfenvcheck.explain.diagnose import FactsFor, explain_lines
from tfenvcheck.explain.document import explanation_document
from tfenvcheck.explain.reading import opened_input, text_lines
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.explain_text import render_explanation
from tfenvcheck.target import Target


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="name the known breakages a pasted error shows (a traceback, a console, a pip log)",
        description="Read any text (FILE, or standard input: `pbpaste | tfenvcheck explain`, or paste and "
        "press Ctrl-D) and report the known breakages whose errors it shows, best first, with the lines "
        "quoted, the fix and the sources; lines known to be harmless are labelled so. Each match is judged "
        "against the target's facts (the usual target options; --no-target judges the text alone). "
        "Exit status: 1 when a known breakage shows, 0 when none does.",
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="the text to explain (default, or -: standard input)")
    options.add_target_options(parser)
    parser.add_argument("--no-target", action="store_true", help="judge the text alone, without probing a target")
    options.add_registry_option(parser)
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def facts_of(target: Target) -> FactsFor:
    """How the facts to judge matches by are gathered: TensorFlow is imported in the target only when an
    entry's conditions need what only it can tell (the GPUs it sees)."""

    def gather(entries: Sequence[Breakage]) -> Facts:
        needs_tensorflow = any(entry.when.driver_gpu_unseen_by_tensorflow for entry in entries)
        return gather_facts(target, with_tensorflow=needs_tensorflow)

    return gather


def chosen_target(args: argparse.Namespace) -> Target | None:
    """The target named by the options; the discovered one, or none (said on stderr) when discovery finds
    nothing; none with --no-target."""
    if args.no_target:
        return None
    if args.python or args.pycharm_project:
        return options.target_from(args)
    try:
        return options.target_from(args)
    except CouldNotCheck as error:
        stderr_console().print("tfenvcheck: no target ({}); judging the text alone".format(error), style="dim")
        return None


def run(args: argparse.Namespace) -> int:
    breakages = load_registry(args.registry)
    target = chosen_target(args)
    if args.file in (None, "-") and sys.stdin.isatty():
        stderr_console().print("Paste the text, then press Ctrl-D (Ctrl-Z and Enter on Windows).", style="dim")
    with opened_input(args.file) as stream:
        explanation = explain_lines(text_lines(stream), breakages, facts_of(target) if target else None)
    emit(
        args,
        explanation_document(explanation),
        lambda out: render_explanation(explanation, out, verbose=args.verbose),
    )
    return EXIT_FAILURES if explanation.diagnoses else EXIT_OK
