"""Env actions (a .pth file in the target's site-packages) and the clear refusals of `fix`: a target
without pip, no network for a pin, and a system Python whose standard library is not the user's."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.helpers import make_venv, require_python, run_cli
from tests.helpers.fix_targets import ENV_ENTRY, bare_venv, fix_env, registry

PIN_ENTRY = """
id = "test-pin"
title = "test entry: a distribution is missing"
symptom = "ImportError"
[when]
missing = ["tfenvcheck-test-absent"]
[[fix]]
kind = "pin"
requirements = ["{requirement}"]
"""
SYSTEM_PATCH_ENTRY = """
id = "test-system-patch"
title = "test entry: a patch of linecache.py"
symptom = "none"
[when]
file = { module = "linecache", contains = "def getlines(" }
[[fix]]
kind = "patch"
module = "linecache"
find = "def getlines("
replace = "def getlines ("
"""


def variable_in(python: Path) -> str | None:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    done = subprocess.run(
        [str(python), "-c", "import os; print(os.environ.get('TF_CPP_MIN_LOG_LEVEL'))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    return None if done.stdout.strip() == "None" else done.stdout.strip()


def test_env_is_set_for_every_run_of_the_target_and_undo_removes_it(tmp_path):
    python = bare_venv(tmp_path / "venv")
    env = fix_env(tmp_path / "state")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    entries = registry(tmp_path / "registry", ENV_ENTRY)
    done = run_cli("fix", "test-env", "--python", str(python), "--registry", str(entries), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    [action] = record["actions"]
    pth = Path(action["path"])
    assert pth.parent.name == "site-packages" and pth.parent.parent.parent.parent == tmp_path / "venv"
    assert pth.name == "tfenvcheck-env-TF_CPP_MIN_LOG_LEVEL.pth"
    assert "import os; os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')" in pth.read_text()
    assert variable_in(python) == "2"
    assert record["verification"][0]["status"] == "gone"

    again = run_cli("fix", "test-env", "--python", str(python), "--registry", str(entries), "--yes", env=env)
    assert again.returncode == 0
    assert again.stdout.startswith("test-env: already fixed (run {}".format(record["run_id"]))
    undone = run_cli("undo", "--python", str(python), "--yes", env=env)
    assert undone.returncode == 0, undone.stderr
    assert not pth.exists()
    assert variable_in(python) is None


def test_a_target_without_pip_is_refused_before_anything_changes(tmp_path):
    python = bare_venv(tmp_path / "venv")
    entries = registry(tmp_path / "registry", PIN_ENTRY.format(requirement="six==1.17.0"))
    done = run_cli(
        "fix", "test-pin", "--python", str(python), "--registry", str(entries), "--yes", env=fix_env(tmp_path / "state")
    )
    assert done.returncode == 3
    assert done.stderr.splitlines()[-1] == (
        "tfenvcheck: error: cannot fix {python}: the target has no pip ({python} -m pip: No module named pip); add it "
        "with `{python} -m ensurepip --upgrade`, then run tfenvcheck fix again; nothing was changed".format(
            python=python
        )
    )
    assert not (tmp_path / "state" / "runs").exists()


def no_network_available() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-n", "true"], timeout=60).returncode == 0


@pytest.mark.slow  # makes a venv with pip, and pip tries the network
@pytest.mark.skipif(not no_network_available(), reason="needs `unshare -n` (root on Linux) to cut the network")
def test_a_pin_without_network_says_so_and_changes_nothing(tmp_path):
    python = make_venv(require_python("3.11"), tmp_path / "venv")
    freeze = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, timeout=120
    ).stdout
    entries = registry(tmp_path / "registry", PIN_ENTRY.format(requirement="six==1.16.0"))
    env = fix_env(tmp_path / "state", PIP_RETRIES="1")
    done = subprocess.run(
        [
            "unshare",
            "-n",
            sys.executable,
            "-m",
            "tfenvcheck",
            "fix",
            "test-pin",
            "--python",
            str(python),
            "--registry",
            str(entries),
            "--yes",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    [action] = json.loads(done.stdout)["actions"]
    assert action["status"] == "failed"
    assert action["error"].startswith("no network: pip could not reach the package index (")
    assert action["error"].endswith(
        "); connect to the internet (or set PIP_INDEX_URL to a reachable index) and run it again; nothing was changed"
    )
    assert action["freeze_before"] == action["freeze_after"] == freeze.split()
    assert (
        subprocess.run(
            [str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True, timeout=120
        ).stdout
        == freeze
    )


SYSTEM_PYTHON = Path("/usr/bin/python3")


def linecache_path() -> str:
    return subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import linecache; print(linecache.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv") or not SYSTEM_PYTHON.exists(),
    reason="needs root (to run tfenvcheck as nobody), setpriv and a system /usr/bin/python3",
)
def test_a_system_python_is_refused_with_the_reason_and_the_alternative():
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:  # pytest's tmp_path is private to root
        os.chmod(folder, 0o755)
        refused_as_nobody(Path(folder))


def refused_as_nobody(folder: Path) -> None:
    state = folder / "state"
    state.mkdir()
    os.chown(state, 65534, 65534)
    entries = registry(folder / "registry", SYSTEM_PATCH_ENTRY)
    before = hashlib.sha256(Path(linecache_path()).read_bytes()).hexdigest()
    done = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-m",
            "tfenvcheck",
            "fix",
            "test-system-patch",
            "--python",
            str(SYSTEM_PYTHON),
            "--registry",
            str(entries),
            "--yes",
        ],
        capture_output=True,
        text=True,
        env=fix_env(state),
        cwd="/",
        timeout=300,
    )
    assert done.returncode == 3, done.stderr
    stdlib = os.path.dirname(linecache_path())
    assert hashlib.sha256(Path(linecache_path()).read_bytes()).hexdigest() == before
    assert done.stderr.splitlines()[-1] == (
        "tfenvcheck: error: cannot fix {}: {} is not writable by you (it belongs to root): this is an installation you "
        "do not own, such as the system's Python. Make a venv from a python.org, pyenv or Homebrew Python and use that, "
        "or run tfenvcheck fix with the rights to change it (sudo); nothing was changed".format(SYSTEM_PYTHON, stdlib)
    )
