"""Filling a new venv: the profile's requirements, then the registry's pins until none is missing.

Each step runs inside `step(key, title)`, a plain callable given by the caller (the command shows a
spinner and times it); the block gets a function to pass each line of the installer's output to.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable

from tfenvcheck.createenv.installer import Installer, create_venv
from tfenvcheck.createenv.interpreters import JudgedInterpreter
from tfenvcheck.createenv.pins import NeededPin, needed_pins, with_pins
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage

StepRunner = Callable[[str, str], AbstractContextManager[Callable[[str], None]]]
# Pins can make another breakage apply (a downgrade that brings its own trouble); a few rounds settle it.
MAX_PIN_ROUNDS = 3


def build_environment(
    base: JudgedInterpreter,
    destination: Path,
    python: Path,
    profile: Profile,
    breakages: list[Breakage],
    installer: Installer,
    date: str | None,
    step: StepRunner,
) -> list[NeededPin]:
    """The venv, the profile's requirements, then the registry's pins until none is missing."""
    with step("venv", "Creating a venv at {} with Python {}".format(destination, base.to_dict()["version"])) as show:
        create_venv(base.candidate.path, destination, show)
    if profile.requires:
        with step(
            "install", "Installing {} requirement(s) with {}".format(len(profile.requires), installer.describe(date))
        ) as show:
            installer.install(python, [str(r) for r in profile.requires], date, show)
    applied: list[NeededPin] = []
    for _ in range(MAX_PIN_ROUNDS):
        with step("pins", "Asking the known-breakages registry what the environment still needs"):
            needed = needed_pins(python, breakages)
        new = [pin for pin in needed if pin.breakage.id not in {done.breakage.id for done in applied}]
        if not new:
            break
        applied += new
        with step(
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
    seconds: dict[str, float],
) -> dict[str, Any]:
    """What was built, for the result document; `seconds` has each step's time and the total as "built"."""
    return {
        "path": str(destination),
        "python": str(python),
        "base": base.to_dict(),
        "installer": installer.name,
        "exclude_newer": date,
        "requirements": [str(r) for r in profile.requires],
        "pins": [pin.to_dict() for pin in pins],
        "seconds": seconds,
    }
