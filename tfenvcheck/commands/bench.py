"""`tfenvcheck bench`: time the tutorials' training in the target, say what it means for the exam."""

from __future__ import annotations

import argparse
from pathlib import Path

from tfenvcheck.bench.compare import compare_results
from tfenvcheck.bench.result_file import (
    bench_result,
    host_fingerprint,
    load_bench_result,
    save_bench_result,
    target_fingerprint,
)
from tfenvcheck.bench.runner import DEVICES, BenchSettings, run_bench
from tfenvcheck.bench.sampling import DEFAULT_BUDGET_SECONDS
from tfenvcheck.bench.workloads import FAMILIES, WORKLOADS
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, EXIT_FAILURES, EXIT_OK, UsageError
from tfenvcheck.render.bench_text import BenchProgress, render_bench, render_compare
from tfenvcheck.render.console import stderr_console

# What --data-dir may point at, for each kind of workload: the extracted folder or its parent.
DATA_FOLDERS = {"image": "flower_photos", "text": "aclImdb"}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif")
MODES = {
    "quick": "time a warm-up and enough steady steps to project each tutorial (default; minutes)",
    "full": "run each tutorial's training as written (on a CPU the text tutorial takes hours)",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="time the tutorials' image and text training in the target; is it fast enough for the exam?",
        description="Train the models of two tensorflow.org tutorials in the target interpreter, the way exam "
        "candidates check their machine: image classification (A0 baseline, A1 augmented) and text "
        "classification with an RNN (B0, B1 stacked). Synthetic data of the tutorials' exact shapes "
        "and sizes unless --data-dir points at the real folders. Reports the first epoch apart from "
        "the steady state, the median step with p10/p90, samples/s and FLOP/s, the projected time of "
        "each tutorial as written, and a verdict for a 5-hour, 5-model exam (on the CPU and the GPU "
        "separately when TensorFlow sees a GPU).",
    )
    parser.add_argument(
        "what",
        nargs="?",
        choices=sorted(FAMILIES),
        default="all",
        help="image (A0, A1), text (B0, B1) or all (default)",
    )
    parser.add_argument(
        "--workload",
        action="append",
        choices=sorted(WORKLOADS),
        metavar="ID",
        help="only this workload: A0, A1, B0 or B1 (repeatable; overrides the positional choice)",
    )
    add_run_options(parser)
    options.add_target_options(parser)
    options.add_output_options(parser)
    add_smoke_options(parser)
    parser.set_defaults(handler=run)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """How the workloads run (mode, data, device, time limit), where the results go, or --compare."""
    mode = parser.add_mutually_exclusive_group()
    for name, help_text in MODES.items():
        mode.add_argument("--" + name, dest="mode", action="store_const", const=name, help=help_text)
    parser.set_defaults(mode="quick")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        type=Path,
        help="the extracted flower_photos/ and/or aclImdb/ folders (or a folder holding them); "
        "default: synthetic data of the same shapes and sizes",
    )
    parser.add_argument(
        "--device",
        choices=DEVICES,
        default="auto",
        help="auto (default): the GPU and the CPU where TensorFlow sees a GPU, else the CPU",
    )
    parser.add_argument("--output", metavar="FILE", type=Path, help="also save the results as JSON in FILE")
    parser.add_argument(
        "--timeout",
        type=options.positive_seconds,
        metavar="SECONDS",
        help="give up on the target after this long (default: no limit)",
    )
    parser.add_argument(
        "--budget",
        type=options.positive_seconds,
        metavar="SECONDS",
        help="with --quick: sample until each projection is known to +-5%% (image) or +-10%% (text), or "
        "until the whole bench has run this long (default {:.0f})".format(DEFAULT_BUDGET_SECONDS),
    )
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("A.json", "B.json"),
        type=Path,
        help="compare two saved results instead of running anything",
    )


def add_smoke_options(parser: argparse.ArgumentParser) -> None:
    smoke = parser.add_argument_group("for tests and smoke runs (the results then differ from the tutorial's)")
    smoke.add_argument("--epochs", type=options.positive_int, metavar="N", help="with --full: train N epochs")
    smoke.add_argument(
        "--samples",
        type=options.positive_int,
        metavar="N",
        help="N synthetic training samples (validation scaled alike)",
    )
    smoke.add_argument("--steps", type=options.positive_int, metavar="N", help="with --quick: N steady steps")
    smoke.add_argument("--max-words", type=options.positive_int, metavar="N", help="cap synthetic reviews at N words")


def data_folder(data_dir: Path, family: str) -> Path:
    """`DIR/flower_photos` or DIR itself when it is that folder (likewise aclImdb)."""
    if not data_dir.is_dir():
        raise UsageError("--data-dir {}: no such directory".format(data_dir))
    name = DATA_FOLDERS[family]
    looks_right = _has_class_folders if family == "image" else _has_review_splits
    for candidate in (data_dir / name, data_dir):
        if looks_right(candidate):
            return candidate
    wanted = "class folders of images" if family == "image" else "train/ and test/, each with pos/ and neg/"
    raise UsageError("--data-dir {}: no {}/ ({}) for the {} workloads".format(data_dir, name, wanted, family))


def _has_class_folders(folder: Path) -> bool:
    return folder.is_dir() and any(
        sub.is_dir() and any(f.suffix.lower() in IMAGE_SUFFIXES for f in sub.iterdir()) for sub in folder.iterdir()
    )


def _has_review_splits(folder: Path) -> bool:
    return all((folder / split / label).is_dir() for split in ("train", "test") for label in ("pos", "neg"))


def settings_from(args: argparse.Namespace, families: set[str]) -> BenchSettings:
    """The run's settings, with --data-dir's folders checked before anything starts."""
    if args.epochs and args.mode != "full":
        raise UsageError("--epochs goes with --full (--quick runs short epochs of its own)")
    if args.steps and args.mode != "quick":
        raise UsageError("--steps goes with --quick")
    if args.budget and (args.mode != "quick" or args.steps):
        raise UsageError("--budget goes with --quick (and not with --steps, which fixes the steps sampled)")
    return BenchSettings(
        mode=args.mode,
        device=args.device,
        timeout=args.timeout,
        budget=args.budget,
        image_dir=data_folder(args.data_dir, "image") if args.data_dir and "image" in families else None,
        text_dir=data_folder(args.data_dir, "text") if args.data_dir and "text" in families else None,
        epochs=args.epochs,
        samples=args.samples,
        steps=args.steps,
        max_words=args.max_words,
    )


def run(args: argparse.Namespace) -> int:
    if args.compare:
        return run_compare(args)
    ids = args.workload or list(FAMILIES[args.what])
    workloads = [WORKLOADS[i] for i in dict.fromkeys(ids)]
    settings = settings_from(args, {w.family for w in workloads})
    target = options.target_from(args)
    err = stderr_console()
    if not args.json:
        err.print(
            "Benchmarking {} ({}), {} mode: {}...".format(
                target.executable, target.reason, args.mode, ", ".join(w.id for w in workloads)
            ),
            style="dim",
        )
    with BenchProgress(err) as progress:
        bench_run = run_bench(target.executable, workloads, settings, progress)
    result = bench_result(
        args.mode,
        host_fingerprint(),
        target_fingerprint(target.executable, target.reason, bench_run.environment),
        bench_run.workloads,
        bench_run.errors,
    )
    if args.output:
        save_bench_result(result, args.output)
    emit(args, result, lambda out: render_bench(result, out, verbose=args.verbose))
    if args.output and not args.json:
        err.print("Saved to {}".format(args.output), style="dim")
    if not bench_run.workloads:
        return EXIT_COULD_NOT_CHECK
    return EXIT_FAILURES if bench_run.errors else EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    first, second = (load_bench_result(path) for path in args.compare)
    comparison = compare_results(first, second)
    emit(
        args,
        comparison,
        lambda out: render_compare(comparison, str(args.compare[0]), str(args.compare[1]), out),
    )
    return EXIT_OK
