"""`tfenvcheck create-env`: find a base Python, build the profile's environment as of its guide date,
add the pins the registry says it still needs, check it with confirmation, and point PyCharm at it."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from tfenvcheck import __version__
from tfenvcheck.checkrun import check_target
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.cli_options import add_output_options, add_registry_option
from tfenvcheck.createenv.build import check_destination, removed_unless_finished
from tfenvcheck.createenv.installer import (
    INSTALLERS,
    UV,
    Installer,
    choose_installer,
    create_venv,
    exclude_newer,
    venv_python,
)
from tfenvcheck.createenv.interpreters import JudgedInterpreter, find_base_interpreter, no_suitable_python
from tfenvcheck.createenv.pins import NeededPin, needed_pins, with_pins
from tfenvcheck.createenv.progress import Steps
from tfenvcheck.createenv.python_range import python_wanted
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.pycharm.register import (
    Registration,
    RegistrationError,
    refuse_while_ide_runs,
    register_interpreter,
    target_config_dir,
)
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.loader import load_registry
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.check_text import render_check
from tfenvcheck.render.console import stderr_console, stdout_console, write_json
from tfenvcheck.target import Target

RESULT_KIND = "tfenvcheck-create-env"
RESULT_SCHEMA_VERSION = 1
# Pins can make another breakage apply (a downgrade that brings its own trouble); a few rounds settle it.
MAX_PIN_ROUNDS = 3
PYCHARM_MENU = (
    "Settings (Preferences on macOS) > Project > Python Interpreter > Add Interpreter > "
    "Add Local Interpreter > Virtualenv Environment > Existing"
)


def add_create_env_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
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
    parser.add_argument(
        "--profile",
        metavar="NAME|FILE.toml",
        help="a shipped profile's name or a profile file (default: the newest official exam profile)",
    )
    parser.add_argument("--python", metavar="PATH", help="build on this base interpreter instead of searching for one")
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
    add_registry_option(parser)
    add_output_options(parser)
    parser.set_defaults(handler=run_create_env)


def run_create_env(args: argparse.Namespace) -> int:
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
    show_interpreters(judged, base, console)
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
        pins = build(base, destination, python, profile, breakages, installer, date, steps)
    built_seconds = time.monotonic() - started

    with steps.step("check", "Checking {} against {} (--confirm)".format(destination, profile.name)):
        result = check_target(Target(str(python), "the environment create-env built"), profile, breakages, confirm=True)
    registration = None
    if args.register_pycharm:
        try:
            registration = register_interpreter(python, base.facts["version"], pycharm_config)
        except RegistrationError as error:
            raise RegistrationError("the environment at {} is built, but {}".format(destination, error)) from None

    summary = environment_summary(destination, python, base, installer, date, profile, pins, steps, built_seconds)
    if args.json:
        write_json(json.dumps(result_json(summary, judged, result, registration), indent=2))
    else:
        out = stdout_console()
        render_check(result, out, verbose=args.verbose)
        show_how_to_use(summary, result, registration, out)
    return result.exit_code


def build(
    base: JudgedInterpreter,
    destination: Path,
    python: Path,
    profile: Profile,
    breakages: list[Breakage],
    installer: Installer,
    date: str | None,
    steps: Steps,
) -> list[NeededPin]:
    """The venv, the profile's requirements, then the registry's pins until none is missing."""
    with steps.step("venv", "Creating a venv at {} with Python {}".format(destination, base.facts["version"])) as show:
        create_venv(base.candidate.path, destination, show)
    if profile.requires:
        with steps.step(
            "install", "Installing {} requirement(s) with {}".format(len(profile.requires), installer.describe(date))
        ) as show:
            installer.install(python, [str(r) for r in profile.requires], date, show)
    applied: list[NeededPin] = []
    for _ in range(MAX_PIN_ROUNDS):
        with steps.step("pins", "Asking the known-breakages registry what the environment still needs"):
            needed = needed_pins(python, breakages)
        new = [pin for pin in needed if pin.breakage.id not in {done.breakage.id for done in applied}]
        if not new:
            break
        applied += new
        with steps.step(
            "pins",
            "Installing the fixes of {}: {}".format(
                ", ".join(sorted({pin.breakage.id for pin in new})),
                " ".join(r for pin in new for r in pin.requirements),
            ),
        ) as show:
            if any(not pin.no_deps for pin in new):
                installer.install(python, with_pins(profile.requires, applied), date, show)
            alone = [r for pin in new if pin.no_deps for r in pin.requirements]
            if alone:
                installer.install(python, alone, date, show, no_deps=True)
    return applied


def environment_summary(
    destination: Path,
    python: Path,
    base: JudgedInterpreter,
    installer: Installer,
    date: str | None,
    profile: Profile,
    pins: list[NeededPin],
    steps: Steps,
    built_seconds: float,
) -> dict[str, Any]:
    return {
        "path": str(destination),
        "python": str(python),
        "base": base.to_dict(),
        "installer": installer.name,
        "exclude_newer": date,
        "requirements": [str(r) for r in profile.requires],
        "pins": [pin.to_dict() for pin in pins],
        "seconds": dict(steps.seconds, built=round(built_seconds, 2)),
    }


def result_json(
    summary: dict[str, Any], judged: list[JudgedInterpreter], result: CheckResult, registration: Registration | None
) -> dict[str, Any]:
    return {
        "kind": RESULT_KIND,
        "schema_version": RESULT_SCHEMA_VERSION,
        "tool": {"name": "tfenvcheck", "version": __version__},
        "environment": summary,
        "interpreters": [j.to_dict() for j in judged],
        "check": result_document(result),
        "pycharm": registration.to_dict() if registration else None,
        "exit_code": result.exit_code,
    }


def show_interpreters(judged: list[JudgedInterpreter], chosen: JudgedInterpreter | None, console: Console) -> None:
    """Every interpreter looked at: the chosen one, the other suitable ones, and why each other was rejected."""
    for item in judged:
        where = escape("{} ({})".format(item.candidate.path, item.candidate.found_in))
        if item is chosen:
            console.print(
                "  [green]✓[/green] {}: Python {}, {} - chosen".format(
                    where, item.facts["version"], item.facts["origin"]
                ),
                soft_wrap=True,
            )
        elif item.suitable:
            console.print(
                "  [green]✓[/green] {}: Python {}, also suitable".format(where, item.facts["version"]),
                style="dim",
                soft_wrap=True,
            )
        else:
            console.print(
                "  [red]✗[/red] {}: {}".format(where, escape(item.rejected_because or "")), style="dim", soft_wrap=True
            )


def show_how_to_use(
    summary: dict[str, Any], result: CheckResult, registration: Registration | None, out: Console
) -> None:
    base = summary["base"]
    pins = "; registry fixes: " + ", ".join(pin["breakage"] for pin in summary["pins"]) if summary["pins"] else ""
    out.print()
    out.print(
        "Environment: {} (Python {} from {}, built in {:.1f} s with {}{}{})".format(
            escape(summary["path"]),
            base["version"],
            base["origin"],
            summary["seconds"]["built"],
            summary["installer"],
            " as of " + summary["exclude_newer"] if summary["exclude_newer"] else "",
            escape(pins),
        )
    )
    out.print("Interpreter: {}".format(escape(summary["python"])), style="bold")
    if registration is not None:
        state = "added to" if registration.added else "already in"
        out.print(
            "PyCharm: {!r} {} {}{}".format(
                registration.sdk.name,
                state,
                escape(str(registration.table)),
                " (backup: {})".format(escape(str(registration.backup))) if registration.backup else "",
            )
        )
        out.print(
            "Select it in PyCharm: Settings (Preferences on macOS) > Project > Python Interpreter > {!r}".format(
                registration.sdk.name
            )
        )
    else:
        out.print("Select it in PyCharm: {} > Interpreter: {}".format(PYCHARM_MENU, escape(summary["python"])))
    if result.exit_code != 0:
        out.print("The environment is kept so that you can look into the findings above.", style="yellow")
