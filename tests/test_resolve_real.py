"""`check --resolve` against the package registry as it serves this machine today, for real pyenv
venvs that hold nothing but pip: what pip would install is named and judged, and nothing is installed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from packaging.version import Version

from tests.helpers import require_python, run_child, run_cli

pytestmark = pytest.mark.slow


def bare_venv(version: str, where: Path) -> Path:
    """A venv of the pyenv Python `version` without even pip (seconds to make): nothing to install into it."""
    run_child([require_python(version), "-m", "venv", "--without-pip", where], timeout=120, check=True)
    return where


def site_packages_listing(venv: Path) -> dict[str, tuple[int, int]]:
    """Every path under the venv's lib/ with its size and modification time."""
    lib = venv / "lib"
    return {str(p.relative_to(lib)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(lib.rglob("*"))}


def test_exam_2020_07_on_python_37_names_protobuf_4_h5py_3_and_numpy_120_installing_nothing(tmp_path):
    bare_37_venv = bare_venv("3.7", tmp_path / "exam")
    before = site_packages_listing(bare_37_venv)
    python = str(bare_37_venv / "bin" / "python")
    done = run_cli("check", "--resolve", "--profile", "exam-2020-07", "--no-tensorflow", "--json", "--python", python)
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    pins = document["resolve"]["pins"]
    assert pins["tensorflow"] == "2.0.0"
    assert Version(pins["protobuf"]).major == 4
    assert Version(pins["h5py"]).major == 3
    assert Version(pins["numpy"]) >= Version("1.20")
    section = {f["id"]: f for f in document["findings"] if f["id"].startswith("resolve.")}
    for entry, fix in (
        ("protobuf4-descriptors", "require protobuf==3.20.3 beside the others"),
        ("h5py3-str-decode", "require h5py==2.10.0 beside the others"),
        ("numpy120-symbolic-lstm", "require numpy==1.19.5 beside the others"),
    ):
        assert section["resolve." + entry]["status"] == "fail"
        assert section["resolve." + entry]["hint"].endswith("Fix before installing: " + fix)
    assert "protobuf 4." in section["resolve.resolved"]["title"]
    assert site_packages_listing(bare_37_venv) == before


def test_a_report_with_resolve_carries_what_pip_would_install_today(tmp_path):
    venv = bare_venv("3.7", tmp_path / "exam")
    python = str(venv / "bin" / "python")
    done = run_cli(
        "report", "--resolve", "--profile", "exam-2020-07", "--no-tensorflow", "--python", python,
        "--json", str(tmp_path / "report.json"), "--markdown", str(tmp_path / "report.md"),
        env=dict(os.environ, TFENVCHECK_STATE_DIR=str(tmp_path / "state")),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    check = json.loads((tmp_path / "report.json").read_text())["check"]
    assert check["resolve"]["pins"]["tensorflow"] == "2.0.0"
    statuses = {f["id"]: f["status"] for f in check["findings"] if f["id"].startswith("resolve.")}
    assert statuses["resolve.protobuf4-descriptors"] == "fail"
    assert "pip would install today: tensorflow 2.0.0" in (tmp_path / "report.md").read_text()


def test_python_313_with_tensorflow_2_18_is_told_no_wheel_exists_before_installing(tmp_path):
    venv = bare_venv("3.13", tmp_path / "course")
    before = site_packages_listing(venv)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tensorflow==2.18.0\n")
    python = str(venv / "bin" / "python")
    done = run_cli("check", "--resolve", "--requirements", str(requirements), "--no-tensorflow", "--python", python)
    assert done.returncode == 1, done.stderr
    assert "What pip would install today" in done.stdout
    assert "pip would install nothing today: No TensorFlow wheel for this Python: 3.13 needs TensorFlow 2.20" in (
        " ".join(done.stdout.split())
    )
    done = run_cli(
        "check", "--resolve", "--requirements", str(requirements), "--no-tensorflow", "--json", "--python", python
    )
    document = json.loads(done.stdout)
    assert document["resolve"]["resolved"] is False
    assert [f["id"] for f in document["findings"] if f["id"].startswith("resolve.")] == ["resolve.no-wheel-for-python"]
    assert site_packages_listing(venv) == before
