"""create-env never leaves half an environment: a non-empty DIR is refused before any work, and a
failed install, Ctrl-C or SIGTERM removes what was made (the real command, real venvs, real uv)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import require_python, run_cli
from tfenvcheck.createenv.installer import Installer, exclude_newer, is_exact
from tfenvcheck.profiles.loader import resolve_profile

NO_SUCH_DIST = "tfenvcheck-test-no-such-distribution==1.0"


def unresolvable_profile(tmp_path: Path) -> Path:
    path = tmp_path / "unresolvable.toml"
    path.write_text(
        'name = "unresolvable"\ntitle = "t"\ndescription = "d"\nsource = "s"\nguide_date = 2022-07-12\n'
        'python = ">=3.8,<3.9"\nrequires = ["{}"]\n'.format(NO_SUCH_DIST)
    )
    return path


def test_a_non_empty_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    destination = tmp_path / "env"
    destination.mkdir()
    (destination / "notes.txt").write_text("mine")
    done = run_cli("create-env", "--profile", "exam-2020-07", str(destination), timeout=60)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == "tfenvcheck: error: {} exists and is not empty: give a new directory for the environment".format(destination)
    )
    assert [p.name for p in destination.iterdir()] == ["notes.txt"] and (
        destination / "notes.txt"
    ).read_text() == "mine"


def test_a_failed_install_removes_the_environment(tmp_path: Path) -> None:
    python = require_python("3.8")
    destination = tmp_path / "env"
    done = run_cli(
        "create-env",
        "--profile",
        str(unresolvable_profile(tmp_path)),
        "--python",
        str(python),
        str(destination),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "tfenvcheck: error: installing with uv failed" in done.stderr
    assert "tfenvcheck-test-no-such-distribution" in done.stderr
    assert "Removed the unfinished environment at {}".format(destination) in done.stderr
    assert not destination.exists()


def test_a_failed_install_into_an_empty_folder_keeps_it_empty(tmp_path: Path) -> None:
    python = require_python("3.8")
    destination = tmp_path / "env"
    destination.mkdir()
    done = run_cli(
        "create-env",
        "--profile",
        str(unresolvable_profile(tmp_path)),
        "--python",
        str(python),
        str(destination),
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert destination.is_dir() and list(destination.iterdir()) == []


def processes_using(path: Path) -> list[str]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if any(str(path) in part for part in process.info.get("cmdline") or []):
            found.append(" ".join(process.info["cmdline"]))
    return found


@pytest.mark.parametrize("signum,exit_code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_creation_leaves_nothing(tmp_path: Path, signum: int, exit_code: int) -> None:
    """The signal arrives while `python -m venv` runs ensurepip (pyvenv.cfg is already written): the
    child is stopped, the folder removed, and the exit status says why."""
    python = require_python("3.7")
    destination = tmp_path / "env"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tfenvcheck",
            "create-env",
            "--profile",
            "exam-2020-07",
            "--python",
            str(python),
            str(destination),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A runner that started us in the background may ignore SIGINT, and children inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not (destination / "pyvenv.cfg").exists():
        assert process.poll() is None and time.monotonic() < deadline, "the venv was never started"
        time.sleep(0.02)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == exit_code, stderr
    assert "Removed the unfinished environment at {}".format(destination) in stderr
    assert not destination.exists()
    assert processes_using(destination) == []


def test_uv_command_is_date_bound_except_for_exact_pins(tmp_path: Path) -> None:
    profile = resolve_profile("exam-2020-07")
    date = exclude_newer(profile.guide_date)
    assert date == "2020-07-30"
    command = Installer("uv", "/opt/uv").command(
        tmp_path / "bin" / "python", ["tensorflow==2.0.0", "numpy", "scipy<1.6"], date
    )
    assert command[:5] == ["/opt/uv", "pip", "install", "--python", str(tmp_path / "bin" / "python")]
    assert command[5:7] == ["--exclude-newer", "2020-07-30"]
    assert command[7] == "--exclude-newer-package" and command[8].startswith("tensorflow=")
    assert command[9:] == ["tensorflow==2.0.0", "numpy", "scipy<1.6"]
    alone = Installer("uv", "/opt/uv").command(Path("py"), ["tf-keras~=2.9.0"], date, no_deps=True)
    assert alone[5] == "--no-deps" and alone[-1] == "tf-keras~=2.9.0" and "--exclude-newer-package" not in alone
    assert Installer("pip").command(Path("py"), ["numpy"], None) == [
        "py",
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "numpy",
    ]


@pytest.mark.parametrize(
    "requirement,exact",
    [
        ("h5py==2.10.0", True),
        ("numpy===1.19.5", True),
        ("numpy==1.19.*", False),
        ("scipy", False),
        ("protobuf<4,>=3.20", False),
        ("tf-keras~=2.16.0", False),
    ],
)
def test_exact_pins(requirement: str, exact: bool) -> None:
    assert is_exact(requirement) is exact
