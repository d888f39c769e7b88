"""`tfenvcheck create-env`: find a base Python, build the profile's environment as of its guide date,
add the pins the registry says it still needs, check it with confirmation, and point PyCharm at it."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tfenvcheck import documents
from tfenvcheck.checkrun import check_target
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.commands import options
from tfenvcheck.commands.output import emit
from tfenvcheck.createenv.assembly import build_environment, environment_summary
from tfenvcheck.createenv.build import check_destination, removed_unless_finished
from tfenvcheck.createenv.installer import INSTALLERS, UV, choose_installer, exclude_newer, venv_python
from tfenvcheck.createenv.interpreters import JudgedInterpreter, find_base_interpreter, no_suitable_python
from tfenvcheck.createenv.python_range import python_wanted
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.pycharm.register import (
    Registration,
    RegistrationError,
    refuse_while_ide_runs,
    register_interpreter,
    target_config_dir,
)
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.check_text import render_check
from tfenvcheck.render.console import stderr_console
from tfenvcheck.render.create_env_text import render_how_to_use, render_interpreters
from tfenvcheck.render.step_progress import Steps
from tfenvcheck.target import Target


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "create-env",
        help="build a working environment for an exam profile (Python, pins as of the guide's date)",
        description="Find a suitable base Python on this machine (PATH, pyenv, the py launcher, python.org installs, "
        "PyCharm's interpreters; refusing the origins the profile refuses), create a venv with pip in "
        "it, install the profile's requirements resolved as of the profile's guide date (with uv; pip "
        "when uv is missing), add the pins the known-breakages registry says it still needs, then "
        "check it with --confirm and say how to select it in PyCharm. A failed or interrupted "
        "creation leaves nothing behind.",
        epilog="Exit codes: 0 the environment is ready, 1 no suitable Python, a failed install, or the new "
        "environment has failures, 2 usage error (DIR not empty, bad profile), 3 could not check.",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        metavar="DIR",
        help="where to create the environment, a new or empty directory (default: ./venv-PROFILE)",
    )
    options.add_profile_option(parser)
    parser.add_argument(
        "--python",
        metavar="PATH",
        type=options.non_empty("a base interpreter"),
        help="build on this base interpreter instead of searching for one",
    )
    parser.add_argument(
        "--installer",
        choices=INSTALLERS,
        help="uv (resolves as of the guide's date; the default when installed) or pip (no date bound)",
    )
    parser.add_argument(
        "--register-pycharm",
        action="store_true",
        help="add the new interpreter to PyCharm's configured interpreters (PyCharm must be closed)",
    )
    parser.add_argument(
        "--pycharm-config",
        metavar="DIR",
        help="the PyCharm config directory to take interpreters from and to register in "
        "(default: every one found for the search, the newest for --register-pycharm)",
    )
    options.add_registry_option(parser)
    options.add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    profile = choose_profile(args.profile, None)
    destination = Path(args.directory or "venv-" + profile.name).expanduser().absolute()
    check_destination(destination)
    breakages = load_registry(args.registry)
    installer = choose_installer(args.installer)
    pycharm_config = Path(args.pycharm_config).expanduser() if args.pycharm_config else None
    if args.register_pycharm:  # before the minutes of building, not after
        target_config_dir(pycharm_config, os.environ)
        refuse_while_ide_runs()
    console = stderr_console()
    steps = Steps(console)

    with steps.step("search", "Looking for a base Python for {}: {}".format(profile.name, python_wanted(profile))):
        base, judged = find_base_interpreter(profile, args.python, pycharm_config)
    render_interpreters(judged, base, console)
    if base is None:
        raise no_suitable_python(profile, judged, given=bool(args.python))

    python = venv_python(destination)
    date = exclude_newer(profile.guide_date) if installer.name == UV else None
    with removed_unless_finished(
        destination,
        on_removed=lambda path: console.print(
            "Removed the unfinished environment at {}".format(escape(str(path))), style="yellow", soft_wrap=True
        ),
    ):
        pins = build_environment(base, destination, python, profile, breakages, installer, date, steps.step)
    built_seconds = time.monotonic() - started

    with steps.step("check", "Checking {} against {} (--confirm)".format(destination, profile.name)):
        result = check_target(Target(str(python), "the environment create-env built"), profile, breakages, confirm=True)
    registration = None
    if args.register_pycharm:
        try:
            registration = register_interpreter(python, base.to_dict()["version"], pycharm_config)
        except RegistrationError as error:
            raise RegistrationError("the environment at {} is built, but {}".format(destination, error)) from None

    seconds = dict(steps.seconds, built=round(built_seconds, 2))
    summary = environment_summary(destination, python, base, installer, date, profile, pins, seconds)

    def show(out: Console) -> None:
        render_check(result, out, verbose=args.verbose)
        render_how_to_use(summary, result, registration, out)

    emit(args, result_document_of(summary, judged, result, registration), show)
    return result.exit_code


def result_document_of(
    summary: dict[str, Any], judged: list[JudgedInterpreter], result: CheckResult, registration: Registration | None
) -> dict[str, Any]:
    """The create-env result: what was built, every interpreter looked at, the check and PyCharm's part."""
    return documents.envelope(
        documents.CREATE_ENV,
        environment=summary,
        interpreters=[j.to_dict() for j in judged],
        check=result_document(result),
        pycharm=registration.to_dict() if registration else None,
        exit_code=result.exit_code,
    )
