"""What the test modules share: real interpreters from pyenv, real virtual environments, the real CLI,
and stand-in programs (shell scripts) where a test needs an interpreter or a tool that misbehaves.

Real-stack venvs (with TensorFlow) are slow to build, so they are built once and cached between
runs outside the work tree, keyed by the interpreter version and the exact requirements:
`$TFENVCHECK_TEST_CACHE` (default `~/.cache/tfenvcheck-tests`). A venv is used only once its build
completed (a marker file), so an interrupted build is rebuilt, never half-used. What a venv holds
is what pip would install, since the tests judge stacks as users get them and uv's resolver can
choose otherwise (TensorFlow 2.5 with tensorflow-datasets 4.3: pip takes protobuf 3, uv protobuf 5):
the venv's pip resolves (`--dry-run --report`), and uv installs exactly those releases, downloading
in parallel and keeping each wheel once in the cache's uv/ folder for every venv that needs it.
Files are copied out of that cache, never linked, so a test that patches a venv's file cannot change
another venv. A pip too old to report (before 22.2: Python 3.7's) installs by itself.

The PyCharm trees are in tests.helpers.pycharm_trees, the targets of `fix` in tests.helpers.fix_targets,
synthetic facts records (a target's, built without probing it) in tests.helpers.facts.
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
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TFENVCHECK_TEST_CACHE", Path.home() / ".cache" / "tfenvcheck-tests"))
COMPLETE_MARKER = ".tfenvcheck-complete"
FORCED_LOG = ".tfenvcheck-forced.log"
# The pyenv interpreters the tests run (`pyenv install` each); `.ci/run` checks they are all there.
PYENV_VERSIONS = ("2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
# Timeouts of the child processes tests start: a quick command, and a pip install of TensorFlow.
CHILD_TIMEOUT = 600.0
VENV_BUILD_TIMEOUT = 1500.0


def in_ci() -> bool:
    """CI=true, as GitHub Actions, GitLab CI and most CI services set it."""
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> NoReturn:
    """Skip a test that needs an interpreter, TensorFlow or a browser this machine lacks; fail in CI."""
    if in_ci():
        pytest.fail("CI=true and the test cannot run: " + reason, pytrace=False)
    pytest.skip(reason)


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
        missing("Python {} is not installed under {}".format(version, pyenv_root() / "versions"))
    return python


def missing_pyenv_versions() -> list[str]:
    """The versions of PYENV_VERSIONS that pyenv does not have here."""
    return [version for version in PYENV_VERSIONS if find_pyenv_python(version) is None]


def run_child(args: list[str], timeout: float = CHILD_TIMEOUT, **options) -> subprocess.CompletedProcess:
    """subprocess.run with a timeout (a hang fails the test) and the output captured as text."""
    options.setdefault("capture_output", True)
    options.setdefault("text", True)
    return subprocess.run([str(arg) for arg in args], timeout=timeout, **options)


def python_version(python: str | Path) -> str:
    """The version the interpreter itself reports ("3.11.7"), as the tests' expectations need it."""
    done = run_child([python, "-c", "import platform; print(platform.python_version())"], timeout=60, check=True)
    return done.stdout.strip()


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = CHILD_TIMEOUT,
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
    run_child([python, "-m", "venv", where], timeout=300, check=True)
    venv_python = where / "bin" / "python"
    if requirements:
        pip_install(venv_python, requirements)
    return venv_python


# What pip would install, as JSON on stdout (pip 22.2 and later), and uv installing exactly that.
PIP_REPORT = ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "--dry-run", "--report", "-"]
UV_INSTALL_EXACTLY = ["-m", "uv", "pip", "install", "--quiet", "--link-mode=copy", "--no-deps"]


def install_as_pip_would(venv_python: Path, requirements: list[str]) -> None:
    """`requirements` installed into the venv as its pip resolves them; uv does the installing."""
    version = run_child([venv_python, "-c", "import pip; print(pip.__version__)"], timeout=60, check=True)
    if tuple(int(part) for part in version.stdout.split(".")[:2]) < (22, 2):  # no --report yet
        pip_install(venv_python, requirements)
        return
    resolved = run_child([venv_python, *PIP_REPORT, *requirements], timeout=VENV_BUILD_TIMEOUT)
    if resolved.returncode != 0:
        raise RuntimeError("pip could not resolve {}:\n{}".format(" ".join(requirements), resolved.stderr[-3000:]))
    report = json.loads(resolved.stdout)["install"]
    pins = ["{}=={}".format(item["metadata"]["name"], item["metadata"]["version"]) for item in report]
    installed = run_child(
        [sys.executable, *UV_INSTALL_EXACTLY, "--python", venv_python, *pins],
        timeout=VENV_BUILD_TIMEOUT,
        env={**os.environ, "UV_CACHE_DIR": str(CACHE / "uv")},
    )
    if installed.returncode != 0:
        raise RuntimeError("uv pip install {} failed:\n{}".format(" ".join(pins), installed.stderr[-3000:]))


def pip_install(venv_python: Path, requirements: list[str]) -> subprocess.CompletedProcess:
    done = run_child(
        [venv_python, "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
        timeout=VENV_BUILD_TIMEOUT,
    )
    if done.returncode != 0:
        raise RuntimeError("pip install {} failed:\n{}".format(" ".join(requirements), done.stderr[-3000:]))
    return done


def cached_venv(python_version: str, requirements: list[str], forced: list[str] = ()) -> Path:
    """A venv with `requirements`, built once and reused while nothing in its key changes.

    `forced` is installed by a second pip run, as a user forces a package past TensorFlow's pins
    (pip installs it and warns of the conflict); that run's output is kept in FORCED_LOG."""
    python = require_python(python_version)
    key_parts = [python.resolve().parent.parent.name, sorted(requirements)] + ([list(forced)] if forced else [])
    key = hashlib.sha256(json.dumps(key_parts).encode()).hexdigest()[:12]
    where = CACHE / "venvs" / "py{}-{}".format(python_version, key)
    where.parent.mkdir(parents=True, exist_ok=True)
    with open(str(where) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (where / COMPLETE_MARKER).exists():
            shutil.rmtree(where, ignore_errors=True)
            venv_python = make_venv(python, where)
            install_as_pip_would(venv_python, requirements)
            if forced:
                (where / FORCED_LOG).write_text(pip_install(venv_python, list(forced)).stderr)
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
