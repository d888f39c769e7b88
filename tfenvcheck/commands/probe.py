"""`tfenvcheck probe`: the facts about the host, the target interpreter and its TensorFlow."""

from __future__ import annotations

import argparse

from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_OK
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.probe_text import render_probe


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "probe",
        help="show what the target interpreter, its TensorFlow and this machine really have",
        description="Gather facts: the host's CPU, memory, disk and GPUs; the target's Python, packages "
        "and paths; and whether TensorFlow imports there, which Keras backs tf.keras and which "
        "devices it sees. Probes of the target run in subprocesses under timeouts.",
    )
    options.add_target_options(parser)
    options.add_output_options(parser)
    parser.add_argument("--no-tensorflow", action="store_true", help="do not import TensorFlow in the target (fast)")
    options.add_timeout_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = options.target_from(args)
    if not args.json:
        stderr_console().print("Probing {} ({})...".format(target.executable, target.reason), style="dim")
    facts = gather_facts(target, with_tensorflow=not args.no_tensorflow, tensorflow_timeout=args.timeout)
    emit(args, facts.to_dict(), lambda out: render_probe(facts, out, verbose=args.verbose))
    return EXIT_OK
