"""`tfenvcheck model FILE`: will a model file saved elsewhere (a notebook, another machine) load and
predict in the target, as an exam's grader loads it?"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.documents import MODEL, envelope
from tfenvcheck.errors import EXIT_FAILURES, EXIT_OK, CouldNotCheck
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.modelfile.judge import expectation
from tfenvcheck.modelfile.loading import LOAD_TIMEOUT, load_in_target
from tfenvcheck.modelfile.reading import read_model_metadata
from tfenvcheck.modelfile.remedy import diagnoses, remedies
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.model_text import render_model_check
from tfenvcheck.target import Target


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "model",
        help="check that a model file (.h5, .keras, SavedModel) loads and predicts in the target",
        description="Read the model file without TensorFlow (its format, the Keras that saved it, layers, "
        "parameters, shapes, size), judge it by the target's TensorFlow and Keras versions, then load it in "
        "the target with tf.keras.models.load_model, as an exam's grader does, and predict once on zeros of "
        "its input shape. On failure: the diagnosis and what to do. "
        "Exit status: 0 it loads and predicts, 1 it does not, 2 the file is not a model, 3 could not check.",
    )
    parser.add_argument("file", metavar="FILE", help="the model: an .h5 or .keras file, or a SavedModel folder")
    options.add_target_options(parser)
    parser.add_argument(
        "--profile", metavar="NAME|FILE.toml", help="the profile whose TensorFlow the remedy trains with"
    )
    options.add_registry_option(parser)
    options.add_output_options(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        default=LOAD_TIMEOUT,
        metavar="SECONDS",
        help="give up on loading the model in the target after this long (default: %(default)g)",
    )
    parser.set_defaults(handler=run)


def model_check(
    path: Path,
    target: Target,
    profile: Profile | None,
    breakages: list[Breakage],
    timeout: float = LOAD_TIMEOUT,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The model check document of `path` in `target` (a UsageError if the file is no model); its
    `metadata` when already read."""
    metadata = metadata if metadata is not None else read_model_metadata(path)
    facts = gather_facts(target, with_tensorflow=False)
    expected = expectation(metadata, facts)
    load = load_in_target(target.executable, path, timeout=timeout)
    # A crash or a timeout may come from import or from load_model: it is the file's failure to load.
    if load.stage == "import":
        error = load.error or {}
        said = ": ".join(part for part in (error.get("type"), error.get("first_line")) if part) or "no answer"
        raise CouldNotCheck(
            "TensorFlow does not import in {0} ({1}); `tfenvcheck check --python {0}` says why".format(
                target.executable, said
            )
        )
    return envelope(
        MODEL,
        status="ok" if load.loaded else "fail",
        file=metadata,
        target=dict(
            target.to_dict(),
            tensorflow_version=load.tensorflow_version,
            keras_version=load.keras_version,
            keras_backing=load.keras_backing,
        ),
        expectation=expected.to_dict(),
        load=load.to_dict(),
        diagnoses=[] if load.loaded else diagnoses(load, breakages, facts),
        remedies=remedies(load, profile),
    )


def run(args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    metadata = read_model_metadata(path)  # a file that is no model is refused before the target is probed
    profile = resolve_profile(args.profile) if args.profile else None
    target = options.target_from(args)
    if not args.json:
        loading = "Loading {} in {} ({})...".format(path, target.executable, target.reason)
        stderr_console().print(loading, style="dim", soft_wrap=True)
    document = model_check(path, target, profile, load_registry(args.registry), args.timeout, metadata)
    emit(args, document, lambda out: render_model_check(document, out, verbose=args.verbose))
    return EXIT_OK if document["status"] == "ok" else EXIT_FAILURES
