"""What the test modules share: real interpreters from pyenv, real virtual environments, the real CLI,
and stand-in programs (shell scripts) where a test needs an interpreter or a tool that misbehaves.

Real-stack venvs (with TensorFlow) are slow to build, so they are built once and cached between
runs outside the work tree, keyed by the interpreter version and the exact requirements:
`$TFENVCHECK_TEST_CACHE` (default `~/.cache/tfenvcheck-tests`). A venv is used only once its build
completed (a marker file), so an interrupted build is rebuilt, never half-used.

The PyCharm trees are in tests.helpers.pycharm_trees, the targets of `fix` in tests.helpers.fix_targets.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TFENVCHECK_TEST_CACHE", Path.home() / ".cache" / "tfenvcheck-tests"))
COMPLETE_MARKER = ".tfenvcheck-complete"


def pyenv_root() -> Path:
    return Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))


def find_pyenv_python(version: str) -> Path | None:
    """The pyenv interpreter whose version starts with `version` ("3.7" -> 3.7.16), if installed."""
    versions = pyenv_root() / "versions"
    if not versions.is_dir():
        return None
    for candidate in sorted(versions.iterdir(), reverse=True):
        if candidate.name == version or candidate.name.startswith(version + "."):
            python = candidate / "bin" / "python"
            if python.exists():
                return python
    return None


def require_python(version: str) -> Path:
    python = find_pyenv_python(version)
    if python is None:
        pytest.skip("Python {} is not installed under {}".format(version, pyenv_root() / "versions"))
    return python


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    cwd: str | Path | None = None,
    stdin: str = "",
) -> subprocess.CompletedProcess:
    """Run the real `tfenvcheck` command (as `python -m tfenvcheck`) and return the CompletedProcess.

    `stdin` is all a prompt gets to read; the default, nothing, answers every prompt with end of file."""
    return subprocess.run(
        [sys.executable, "-m", "tfenvcheck", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


def make_venv(python: Path, where: Path, requirements: list[str] = ()) -> Path:
    """A fresh venv at `where` made by `python`, with `requirements` pip-installed; returns its python."""
    subprocess.run([str(python), "-m", "venv", str(where)], check=True, capture_output=True)
    venv_python = where / "bin" / "python"
    if requirements:
        done = subprocess.run(
            [str(venv_python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError("pip install {} failed:\n{}".format(" ".join(requirements), done.stderr[-3000:]))
    return venv_python


def cached_venv(python_version: str, requirements: list[str]) -> Path:
    """A venv with `requirements`, built once and reused while nothing in its key changes."""
    python = require_python(python_version)
    key = hashlib.sha256(json.dumps([python.resolve().parent.parent.name, sorted(requirements)]).encode()).hexdigest()[
        :12
    ]
    where = CACHE / "venvs" / "py{}-{}".format(python_version, key)
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(str(where) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (where / COMPLETE_MARKER).exists():
            shutil.rmtree(where, ignore_errors=True)
            make_venv(python, where, requirements)
            (where / COMPLETE_MARKER).write_text(json.dumps({"python": str(python), "requirements": requirements}))
    return where / "bin" / "python"


def stand_in_program(path: Path, body: str, executable: bool = True) -> Path:
    """A shell script at `path` doing `body`, standing in for a program (nvidia-smi, py, a remote SDK)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    if executable:
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def stand_in_python(folder: Path, body: str, executable: bool = True) -> str:
    """A 'python' in `folder` that is really a shell script doing `body`; returns its path."""
    return str(stand_in_program(folder / "python", body, executable))
