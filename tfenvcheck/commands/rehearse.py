"""`tfenvcheck rehearse`: the exam's five kinds of question, trained, saved as .h5, reloaded in a fresh
process and scored, in the target; with the time each takes and the diagnosis of what breaks."""

from __future__ import annotations

import argparse
from pathlib import Path

from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit, unwrapped
from tfenvcheck.commands.run import facts_or_none
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.rehearse.questions import QUESTIONS
from tfenvcheck.rehearse.result import rehearsal_document, save_rehearsal
from tfenvcheck.rehearse.runner import DEFAULT_TIMEOUT, RehearsalSettings, run_rehearsal
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.rehearse_text import RehearsalProgress, render_rehearsal


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "rehearse",
        help="run the exam's five kinds of question end to end in the target: train, save .h5, reload, score",
        description="Rehearse the exam in the target interpreter: a basic regression, 28x28 images in 10 classes, "
        "a CNN on JPEGs read from class folders, text classification from a JSON file (Tokenizer, padding, "
        "Embedding + LSTM) and a windowed time series from a CSV (Conv1D + LSTM). The data is synthetic and "
        "learnable. Each question trains and saves its model as .h5, then a fresh process of the target "
        "reloads it and scores it on held-out data, as the grader does. With an exam profile the code is "
        "the exam's Keras 2 code (on a Keras 3 target too, which shows what breaks); with a course profile "
        "it is tf.keras's own. Exit 0 when every question passes, 1 otherwise.",
    )
    parser.add_argument(
        "--question",
        type=int,
        nargs="+",
        action="extend",
        choices=sorted(QUESTIONS),
        metavar="N",
        help="only these questions, 1 to 5 (--question 1 3, or repeated; default: all five)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke size: the same APIs and .h5 round trip on little data, scores not judged (seconds a question)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the seed of the data and of TensorFlow (default: 1)")
    parser.add_argument(
        "--timeout",
        type=options.positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="give up on a question's training, or on its reloading and scoring, after this long "
        "(default: %(default)g)",
    )
    parser.add_argument("--output", metavar="FILE", type=Path, help="also save the rehearsal as JSON in FILE")
    options.add_profile_option(parser)
    options.add_registry_option(parser)
    options.add_target_options(parser)
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    profile = resolve_profile(args.profile)
    breakages = load_registry(args.registry)
    target = options.target_from(args)
    questions = [QUESTIONS[n] for n in sorted(set(args.question or QUESTIONS))]
    code = "keras2" if profile.kind == "exam" else "target"
    settings = RehearsalSettings(quick=args.quick, seed=args.seed, code=code, timeout=args.timeout)
    err = unwrapped(stderr_console())
    if not args.json:
        err.print(
            "Rehearsing {} question{} in {} ({}), profile {}{}...".format(
                len(questions),
                "" if len(questions) == 1 else "s",
                target.executable,
                target.reason,
                profile.name,
                ", quick" if args.quick else "",
            ),
            style="dim",
        )
    with RehearsalProgress(err, len(questions)) as progress:
        outcomes = run_rehearsal(target.executable, questions, settings, breakages, progress, facts_or_none(target))
    document = rehearsal_document(
        outcomes,
        quick=args.quick,
        seed=args.seed,
        profile={"name": profile.name, "kind": profile.kind},
        code=code,
        python=target.executable,
        reason=target.reason,
    )
    if args.output:
        save_rehearsal(document, args.output)
    emit(args, document, lambda out: render_rehearsal(document, out, verbose=args.verbose))
    if args.output and not args.json:
        err.print("Saved to {}".format(args.output), style="dim")
    return EXIT_OK if all(q["passed"] for q in outcomes) else EXIT_FAILURES
