"""The wheel carries every subpackage and every data file tfenvcheck reads at run time."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, make_venv, require_python, run_child
from tfenvcheck.errors import EXIT_FAILURES


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


@pytest.mark.slow  # a venv of the oldest supported Python with tfenvcheck and its dependencies: a minute
def test_tfenvcheck_runs_on_its_oldest_supported_python(tmp_path):
    """`requires-python` says 3.9: the tool itself (not a payload) must run there, os-release included.
    It is installed as the README's set-up says (`pip install .`, no extra), and its report has charts."""
    python = make_venv(require_python("3.9"), tmp_path / "venv", [str(REPO)])
    done = run_child([str(python), "-m", "tfenvcheck", "probe", "--json", "--python", str(python)], timeout=300)
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    release = Path("/etc/os-release").read_text()
    pretty = next(
        line.split("=", 1)[1].strip().strip('"') for line in release.splitlines() if line.startswith("PRETTY_NAME=")
    )
    assert facts["host"]["os"]["distribution"] == pretty
    assert facts["interpreter"]["version"].startswith("3.9.")

    # The README's command, run outside the source tree (there, `python -m` would import the sources).
    bench = REPO / "docs" / "bench-dev-machine.json"
    page = tmp_path / "report.html"
    tool = python.parent / "tfenvcheck"
    args = ["report", "--python", str(python), "--no-tensorflow", "--from", str(bench), "--html", str(page)]
    done = run_child([str(tool), *args], timeout=300, cwd=tmp_path)
    assert done.returncode == EXIT_FAILURES, done.stderr  # Python 3.9 is not the default exam's
    html = page.read_text()
    assert "No charts" not in html
    for chart in ("exam-chart", "tutorial-chart"):
        figure = html[
            html.index('id="{}"'.format(chart)) : html.index("</figure>", html.index('id="{}"'.format(chart)))
        ]
        assert "<svg" in figure and "</svg>" in figure, chart
