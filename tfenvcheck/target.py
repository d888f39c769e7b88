"""Which interpreter to judge, and why: the target is never tfenvcheck's own Python."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.pycharm.lookup import project_interpreter, usable_project_interpreter
from tfenvcheck.pycharm.project import ProjectInterpreter, is_pycharm_project


@dataclass(frozen=True)
class Target:
    executable: str
    reason: str
    # How PyCharm resolved a project's interpreter, when a project was involved (facts["pycharm"]).
    pycharm: dict[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, str]:
        return {"executable": self.executable, "reason": self.reason}


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


def pycharm_facts(resolution: ProjectInterpreter | None, is_target: bool) -> dict[str, Any] | None:
    return None if resolution is None else dict(resolution.to_dict(), is_target=is_target)


def discover_target(
    python: str | None = None,
    environ: Mapping[str, str] | None = None,
    pycharm_project: str | Path | None = None,
    pycharm_config: str | Path | None = None,
    cwd: Path | None = None,
) -> Target:
    """--python wins; then --pycharm-project's interpreter, the active virtualenv, the active conda env,
    the interpreter of a PyCharm project in the current directory, and python3/python on PATH."""
    environ = os.environ if environ is None else environ
    config = Path(pycharm_config) if pycharm_config else None
    if python:
        executable = resolve_python_option(python)
        resolution = project_interpreter(Path(pycharm_project), config, environ) if pycharm_project else None
        is_target = resolution is not None and resolution.interpreter == executable
        return Target(executable, "given with --python", pycharm_facts(resolution, is_target))
    if pycharm_project:
        resolution = usable_project_interpreter(Path(pycharm_project), config, environ)
        assert resolution.interpreter is not None  # usable_project_interpreter raises otherwise
        return Target(resolution.interpreter, resolution.reason, pycharm_facts(resolution, True))
    if environ.get("VIRTUAL_ENV"):
        return Target(str(env_python(environ["VIRTUAL_ENV"])), "the active virtualenv (VIRTUAL_ENV)")
    if environ.get("CONDA_PREFIX"):
        return Target(str(env_python(environ["CONDA_PREFIX"])), "the active conda environment (CONDA_PREFIX)")
    cwd = Path.cwd() if cwd is None else cwd
    # A project here that does not resolve is not the target, but its issues still go to the facts.
    cwd_project = project_interpreter(cwd, config, environ) if is_pycharm_project(cwd) else None
    if cwd_project is not None and cwd_project.interpreter:
        return Target(cwd_project.interpreter, cwd_project.reason, pycharm_facts(cwd_project, True))
    for command in ("python3", "python"):
        found = shutil.which(command, path=environ.get("PATH"))
        if found:
            return Target(found, "the first {} on PATH".format(command), pycharm_facts(cwd_project, False))
    raise CouldNotCheck("no Python interpreter found: give one with --python PATH")
