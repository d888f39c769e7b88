"""Make a venv with pip in it, and install requirements into it as of a date.

uv resolves "as if on the guide's date" (`--exclude-newer`): the 2022-07 exam pins that make plain
pip backtrack for minutes resolve in seconds, and TensorFlow 2.0.0 gets the protobuf, numpy and
h5py of its day instead of today's. Exact pins (`==`) name a version on purpose and are not
date-bound (a fix may pin a release newer than the guide). Plain pip is the fallback when uv is
missing; it cannot bound by date, so the registry's pins (pins.py) do the repairing there.

Every child runs in a session of its own and is killed with its children when tfenvcheck is
interrupted, so nothing keeps writing into an environment that is being removed.
"""

from __future__ import annotations

import datetime
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.errors import EXIT_FAILURES, TfenvcheckError
from tfenvcheck.probes.spawn import Captured, run_captured
from tfenvcheck.probes.target_pip import run_target_pip

UV = "uv"
PIP = "pip"
INSTALLERS = (UV, PIP)

LineHandler = Callable[[str], None]


class InstallFailed(TfenvcheckError):
    exit_code = EXIT_FAILURES


def find_uv() -> str | None:
    """uv's binary from the `uv` package installed beside tfenvcheck, else `uv` on PATH."""
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return shutil.which(UV)


def venv_python(environment: Path) -> Path:
    return environment / "Scripts" / "python.exe" if os.name == "nt" else environment / "bin" / "python"


def exclude_newer(guide_date: datetime.date | None) -> str | None:
    """The day after the guide: everything published on the guide's date is in."""
    return None if guide_date is None else (guide_date + datetime.timedelta(days=1)).isoformat()


def is_exact(requirement: str) -> bool:
    return any(
        spec.operator in ("==", "===") and "*" not in spec.version for spec in Requirement(requirement).specifier
    )


def run_streaming(command: Sequence[str], on_line: LineHandler, what: str, env: dict[str, str] | None = None) -> None:
    """Run `command`, handing each output line to `on_line`; raise InstallFailed with its last lines on failure."""
    try:
        done = run_captured(command, env, on_line=on_line, in_empty_folder=False)
    except OSError as error:
        raise InstallFailed("{}: cannot run {}: {}".format(what, command[0], error.strerror or error)) from None
    raise_unless_done(done, what)


def raise_unless_done(done: Captured, what: str) -> None:
    if done.returncode != 0:
        tail = [line for line in done.stdout.splitlines() if line][-4:]
        raise InstallFailed(
            "{} failed (exit status {}): {}".format(what, done.returncode, " | ".join(tail) or "no output")
        )


def create_venv(base_python: str, environment: Path, on_line: LineHandler) -> None:
    """`python -m venv`: the base interpreter's own venv, with the pip it bundles (ensurepip)."""
    run_streaming(
        [base_python, "-m", "venv", str(environment)], on_line, "creating the venv with {}".format(base_python)
    )


def pip_arguments(requirements: Sequence[str], no_deps: bool) -> list[str]:
    return [
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        *(["--no-deps"] if no_deps else []),
        *requirements,
    ]


@dataclass(frozen=True)
class Installer:
    """Installs requirements into a venv: with uv (date-bound) or with the venv's own pip."""

    name: str
    uv_binary: str | None = None

    def describe(self, date: str | None) -> str:
        if self.name == UV:
            return (
                "uv, resolving as of {}".format(date) if date else "uv (no date bound: the profile has no guide date)"
            )
        return "pip (no date bound)"

    def command(self, python: Path, requirements: Sequence[str], date: str | None, no_deps: bool = False) -> list[str]:
        if self.name == PIP:
            return [str(python), "-m", "pip", *pip_arguments(requirements, no_deps)]
        options = ["--no-deps"] if no_deps else []
        # No --compile-bytecode: compiling all of TensorFlow and tensorflow-datasets doubled the time to a
        # working env here, while the check that follows compiles just what the profile's imports use.
        command = [self.uv_binary or UV, "pip", "install", "--python", str(python), *options]
        if date:
            command += ["--exclude-newer", date]
            # A date past today lifts the bound for the exactly pinned packages alone.
            unbounded = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
            for name in sorted({canonicalize_name(Requirement(r).name) for r in requirements if is_exact(r)}):
                command += ["--exclude-newer-package", "{}={}".format(name, unbounded)]
        return command + list(requirements)

    def install(
        self, python: Path, requirements: Sequence[str], date: str | None, on_line: LineHandler, no_deps: bool = False
    ) -> None:
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)  # the venv is named explicitly; an active one must not interfere
        what = "installing with {}".format(self.name)
        if self.name == UV:
            run_streaming(self.command(python, requirements, date, no_deps), on_line, what, env=env)
            return
        try:
            done = run_target_pip(
                str(python), pip_arguments(requirements, no_deps), on_line=on_line, env=env, in_empty_folder=False
            )
        except OSError as error:
            raise InstallFailed("{}: cannot run {}: {}".format(what, python, error.strerror or error)) from None
        raise_unless_done(done, what)


def choose_installer(preferred: str | None) -> Installer:
    """uv when it is there (or asked for), else pip; `--installer uv` without uv is an error."""
    if preferred == PIP:
        return Installer(PIP)
    uv_binary = find_uv()
    if uv_binary is not None:
        return Installer(UV, uv_binary)
    if preferred == UV:
        raise InstallFailed("--installer uv: uv is not installed (pip install uv, or leave the option out to use pip)")
    return Installer(PIP)
