"""Shared test helpers: real interpreters from pyenv, real virtual environments, the real CLI.

Real-stack venvs (with TensorFlow) are slow to build, so they are built once and cached between
runs outside the work tree, keyed by the interpreter version and the exact requirements:
`$TFENVCHECK_TEST_CACHE` (default `~/.cache/tfenvcheck-tests`). A venv is used only once its build
completed (a marker file), so an interrupted build is rebuilt, never half-used.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600, cwd: str | Path | None = None):
    """Run the real `tfenvcheck` command (as `python -m tfenvcheck`) and return the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "tfenvcheck", *args],
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


# The real stacks the integration tests judge. TF 2.0.0 installed today on Python 3.7 is broken by
# protobuf 4 (see shared/reference/known-breakages.md): that is what the probe must report.
TF_CURRENT = ("3.11", ["tensorflow-cpu==2.21.0"])
TF_2_0_BROKEN = ("3.7", ["tensorflow==2.0.0"])
TF_2_5_HEALTHY = ("3.8", ["tensorflow==2.5.0"])


@pytest.fixture(scope="session")
def tf_current_python() -> Path:
    return cached_venv(*TF_CURRENT)


@pytest.fixture(scope="session")
def tf_2_0_broken_python() -> Path:
    return cached_venv(*TF_2_0_BROKEN)


@pytest.fixture(scope="session")
def tf_2_5_python() -> Path:
    return cached_venv(*TF_2_5_HEALTHY)


# TF 2.0.0 on Python 3.7 with its known breakages pinned away (protobuf 4, numpy >= 1.20 with LSTM,
# h5py 3): the oldest stack the bench workloads must train in.
TF_2_0_PINNED = ("3.7", ["tensorflow==2.0.0", "protobuf==3.20.3", "numpy==1.19.5", "h5py==2.10.0"])


@pytest.fixture(scope="session")
def tf_2_0_pinned_python() -> Path:
    return cached_venv(*TF_2_0_PINNED)
