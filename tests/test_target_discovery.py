"""Which interpreter is judged, and the reason given, with real venvs and real PATH folders."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import require_python
from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.target import discover_target


@pytest.fixture
def venv(tmp_path) -> Path:
    where = tmp_path / "venv"
    subprocess.run([str(require_python("3.11")), "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    return where


def path_folder_with(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "bin-{}".format(name)
    folder.mkdir()
    (folder / name).symlink_to(require_python("3.11"))
    return folder


def test_python_option_wins_over_everything(venv, tmp_path):
    given = str(require_python("3.8"))
    target = discover_target(given, environ={"VIRTUAL_ENV": str(venv), "CONDA_PREFIX": str(tmp_path), "PATH": ""})
    assert target.executable == given
    assert target.reason == "given with --python"


def test_python_option_accepts_a_command_on_path(tmp_path, monkeypatch):
    folder = path_folder_with(tmp_path, "python3.11")
    monkeypatch.setenv("PATH", str(folder))
    target = discover_target("python3.11", environ={})
    assert target.executable == str(folder / "python3.11")


def test_active_virtualenv_comes_next(venv, tmp_path):
    target = discover_target(None, environ={"VIRTUAL_ENV": str(venv), "CONDA_PREFIX": str(tmp_path)})
    assert Path(target.executable).parent == venv / "bin"
    assert Path(target.executable).exists()
    assert target.reason == "the active virtualenv (VIRTUAL_ENV)"


def test_active_conda_env_comes_before_path(venv, tmp_path):
    folder = path_folder_with(tmp_path, "python3")
    target = discover_target(None, environ={"CONDA_PREFIX": str(venv), "PATH": str(folder)})
    assert Path(target.executable).parent == venv / "bin"
    assert target.reason == "the active conda environment (CONDA_PREFIX)"


def test_python3_on_path_before_python(tmp_path):
    python3 = path_folder_with(tmp_path, "python3")
    python = path_folder_with(tmp_path, "python")
    target = discover_target(None, environ={"PATH": "{}:{}".format(python, python3)})
    assert target.executable == str(python3 / "python3")
    assert target.reason == "the first python3 on PATH"
    only_python = discover_target(None, environ={"PATH": str(python)})
    assert only_python.reason == "the first python on PATH"


def test_nothing_found_is_a_clear_error(tmp_path):
    with pytest.raises(CouldNotCheck, match="no Python interpreter found: give one with --python PATH"):
        discover_target(None, environ={"PATH": str(tmp_path)})
