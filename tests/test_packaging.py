"""The wheel carries every subpackage and every data file tfenvcheck reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.helpers import REPO


@pytest.mark.slow  # builds the wheel in an isolated environment: some seconds
def test_wheel_has_all_packages_and_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("tfenvcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (REPO / "tfenvcheck").rglob("__init__.py"):
        assert init.relative_to(REPO).as_posix() in names, "add {} to pyproject's packages".format(init.parent.name)
    for entry in (REPO / "fixes").glob("*.toml"):
        assert "tfenvcheck/known_breakages/" + entry.name in names
    data = [p for p in (REPO / "tfenvcheck").rglob("*") if p.suffix in (".toml", ".json", ".j2")]
    assert data
    for path in data:
        assert path.relative_to(REPO).as_posix() in names
