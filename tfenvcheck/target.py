"""Which interpreter to judge, and why: the target is never tfenvcheck's own Python."""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping

from tfenvcheck.errors import CouldNotCheck


@dataclass(frozen=True)
class Target:
    executable: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def env_python(prefix: str) -> Path:
    """The interpreter inside a virtualenv or conda prefix."""
    if os.name == "nt":
        candidates = [Path(prefix, "Scripts", "python.exe"), Path(prefix, "python.exe")]
    else:
        candidates = [Path(prefix, "bin", "python3"), Path(prefix, "bin", "python")]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def resolve_python_option(value: str) -> str:
    """`--python` takes a path or a command name found on PATH (`python3.8`)."""
    if os.sep in value or (os.altsep and os.altsep in value) or Path(value).exists():
        return str(Path(value).expanduser().absolute())
    found = shutil.which(value)
    if found is None:
        raise CouldNotCheck("{} not found: give a path to a Python interpreter or a command on PATH".format(value))
    return found


def discover_target(python: str | None = None, environ: Mapping[str, str] | None = None) -> Target:
    """--python wins; then the active virtualenv, the active conda env, and python3/python on PATH."""
    environ = os.environ if environ is None else environ
    if python:
        return Target(resolve_python_option(python), "given with --python")
    if environ.get("VIRTUAL_ENV"):
        return Target(str(env_python(environ["VIRTUAL_ENV"])), "the active virtualenv (VIRTUAL_ENV)")
    if environ.get("CONDA_PREFIX"):
        return Target(str(env_python(environ["CONDA_PREFIX"])), "the active conda environment (CONDA_PREFIX)")
    for command in ("python3", "python"):
        found = shutil.which(command, path=environ.get("PATH"))
        if found:
            return Target(found, "the first {} on PATH".format(command))
    raise CouldNotCheck("no Python interpreter found: give one with --python PATH")
