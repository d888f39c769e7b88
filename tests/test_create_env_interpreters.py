"""create-env's search for a base Python, over real interpreters: pyenv trees, PATH folders, a venv
followed to its base, a conda-marked copy refused, the `py` launcher's listing, and the clear
message (exit 1, nothing left behind) when nothing on the machine fits."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from tests.helpers import python_version, require_python, run_cli, stand_in_program
from tfenvcheck.createenv.interpreters import (
    NoSuitablePython,
    find_base_interpreter,
    from_py_launcher,
    in_frameworks,
    no_suitable_python,
)
from tfenvcheck.createenv.python_range import needed_minor_versions, python_wanted, with_python_range
from tfenvcheck.profiles.loader import parse_profile, resolve_profile
from tfenvcheck.profiles.profile import Profile


def pyenv_tree(root: Path, *versions: str) -> Path:
    """A pyenv root whose versions/ links to the real pyenv installs of `versions` ("3.7", "3.11")."""
    (root / "versions").mkdir(parents=True)
    for version in versions:
        real = require_python(version).resolve().parent.parent
        (root / "versions" / real.name).symlink_to(real)
    return root


def bare_environ(tmp_path: Path, path_dirs: list[Path] = (), pyenv: Path | None = None) -> dict[str, str]:
    """An environment with nothing in it but the given PATH folders and pyenv root."""
    empty = tmp_path / "empty-pyenv"
    empty.mkdir(exist_ok=True)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.pathsep.join(str(p) for p in path_dirs),
        "HOME": str(home),
        "PYENV_ROOT": str(pyenv or empty),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }


def conda_like_python(base: Path, where: Path) -> Path:
    """A copy of a pyenv Python with a conda-meta folder in its prefix, which is how conda marks its envs."""
    version = "python" + ".".join(base.name.split(".")[:2])
    (where / "bin").mkdir(parents=True)
    shutil.copy2(base / "bin" / version, where / "bin" / version)
    (where / "bin" / "python3").symlink_to(version)
    (where / "lib").mkdir()
    (where / "lib" / version).symlink_to(base / "lib" / version)
    (where / "conda-meta").mkdir()
    return where / "bin" / "python3"


def test_pyenv_versions_are_judged_and_the_fitting_one_chosen(tmp_path: Path) -> None:
    root = pyenv_tree(tmp_path / "pyenv", "3.7", "3.11")
    chosen, judged = find_base_interpreter(
        resolve_profile("exam-2020-07"), environ=bare_environ(tmp_path, pyenv=root), system="Linux"
    )
    assert chosen is not None and chosen.facts.version.startswith("3.7.")
    assert chosen.candidate.found_in == "pyenv" and chosen.facts.origin == "pyenv"
    rejected = [j for j in judged if not j.suitable]
    assert len(rejected) == 1 and rejected[0].facts.version.startswith("3.11.")
    assert "is outside what exam-2020-07 needs" in rejected[0].rejected_because


def two_key_profile(requirement: str) -> Profile:
    return parse_profile('name = "my-course"\nrequires = ["{}"]\n'.format(requirement), Path("my.toml"))


@pytest.mark.parametrize(
    "requirement, python, tensorflow",
    [
        ("tensorflow-cpu==2.21.0", ">=3.10,<3.14", "2.21.0"),
        ("tensorflow==2.9.0", ">=3.7,<3.11", "2.9.0"),
        ("tensorflow>=2.5,<2.17", ">=3.9,<3.13", "2.16"),
    ],
)
def test_without_a_python_range_the_tensorflow_build_decides(requirement: str, python: str, tensorflow: str) -> None:
    profile = two_key_profile(requirement)
    assert profile.python is None and with_python_range(profile).python == SpecifierSet(python)
    assert python_wanted(profile) == "Python {} (what TensorFlow {} supports, from its build table)".format(
        python, tensorflow
    )


def test_a_two_key_profile_chooses_the_newest_python_its_tensorflow_supports(tmp_path: Path) -> None:
    root = pyenv_tree(tmp_path / "pyenv", "3.9", "3.12", "3.13")
    chosen, judged = find_base_interpreter(
        two_key_profile("tensorflow-cpu==2.21.0"), environ=bare_environ(tmp_path, pyenv=root), system="Linux"
    )
    assert chosen is not None and chosen.facts.version.startswith("3.13.")
    assert [j.facts.version[:4] for j in judged if not j.suitable] == ["3.9."]


def test_a_profile_without_python_or_tensorflow_takes_any_python(tmp_path: Path) -> None:
    root = pyenv_tree(tmp_path / "pyenv", "3.11", "3.12")
    profile = two_key_profile("numpy")
    chosen, _ = find_base_interpreter(profile, environ=bare_environ(tmp_path, pyenv=root), system="Linux")
    assert python_wanted(profile) == "any Python"
    assert chosen is not None and chosen.facts.version.startswith("3.12.")


def test_path_python_and_a_venv_followed_to_its_base(tmp_path: Path) -> None:
    base = require_python("3.8")
    venv = tmp_path / "some-venv"
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    environ = bare_environ(tmp_path, [venv / "bin"])
    chosen, judged = find_base_interpreter(resolve_profile("exam-2022-07"), environ=environ, system="Linux")
    by_place = {j.candidate.found_in: j for j in judged}
    assert "a virtual environment" in by_place["PATH"].rejected_because
    assert chosen is by_place["base of the venv {}".format(by_place["PATH"].candidate.path)]
    assert Path(chosen.candidate.path).resolve() == base.resolve().parent / Path(chosen.candidate.path).name
    assert chosen.facts.version.startswith("3.8.") and not chosen.facts.is_venv


def test_a_conda_python_is_refused_with_the_profiles_reason(tmp_path: Path) -> None:
    conda = conda_like_python(require_python("3.7").resolve().parent.parent, tmp_path / "miniconda3")
    profile = resolve_profile("exam-2020-07")
    chosen, judged = find_base_interpreter(profile, environ=bare_environ(tmp_path, [conda.parent]), system="Linux")
    assert chosen is None
    refused = [j for j in judged if j.facts and j.facts.origin == "conda"]
    assert refused and refused[0].facts.version.startswith("3.7.")
    assert refused[0].rejected_because == "Interpreter from conda, which exam-2020-07 refuses"
    message = str(no_suitable_python(profile, judged, given=False))
    assert "not from conda" in message and "pyenv install 3.7" in message


def test_given_python_that_does_not_fit_says_why(tmp_path: Path) -> None:
    python = require_python("3.11")
    profile = resolve_profile("exam-2022-07")
    chosen, judged = find_base_interpreter(profile, given=str(python), environ=bare_environ(tmp_path))
    assert chosen is None and [j.candidate.found_in for j in judged] == ["given with --python"]
    error = no_suitable_python(profile, judged, given=True)
    assert isinstance(error, NoSuitablePython) and error.exit_code == 1
    assert "cannot be used for exam-2022-07: Python 3.11" in str(error) and "3.8" in str(error)


def test_python_2_is_rejected_as_unsupported(tmp_path: Path) -> None:
    root = pyenv_tree(tmp_path / "pyenv", "2.7")
    chosen, judged = find_base_interpreter(
        resolve_profile("exam-2020-07"), environ=bare_environ(tmp_path, pyenv=root), system="Linux"
    )
    assert chosen is None and "unsupported interpreter: Python 2.7" in judged[0].rejected_because


def test_py_launcher_listing_is_read(tmp_path: Path) -> None:
    """`py -0p` in its old and new formats, paths with spaces; a real script stands in for py.exe."""
    listing = (
        " -V:3.12 *        C:\\Python312\\python.exe\n"
        " -V:3.7          C:\\Program Files\\Python37\\python.exe\n"
        " -3.8-64        C:\\Users\\exam\\AppData\\Local\\Programs\\Python\\Python38\\python.exe\n"
    )
    launcher = stand_in_program(tmp_path / "bin" / "py", "cat <<'EOF'\n{}EOF".format(listing))
    found = from_py_launcher({"PATH": str(launcher.parent)}, "Windows")
    assert [c.path for c in found] == [
        "C:\\Python312\\python.exe",
        "C:\\Program Files\\Python37\\python.exe",
        "C:\\Users\\exam\\AppData\\Local\\Programs\\Python\\Python38\\python.exe",
    ]
    assert {c.found_in for c in found} == {"py launcher"}
    assert from_py_launcher({"PATH": str(launcher.parent)}, "Linux") == []


def test_python_org_framework_installs_on_macos(tmp_path: Path) -> None:
    for version in ("3.7", "3.8", "Current"):
        (tmp_path / version / "bin").mkdir(parents=True)
    (tmp_path / "3.7" / "bin" / "python3").touch()
    (tmp_path / "3.8" / "bin" / "python3").touch()
    assert [c.path for c in in_frameworks("Darwin", tmp_path)] == [
        str(tmp_path / "3.7" / "bin" / "python3"),
        str(tmp_path / "3.8" / "bin" / "python3"),
    ]
    assert in_frameworks("Linux", tmp_path) == []


@pytest.mark.parametrize(
    "name,expected",
    [
        ("exam-2020-07", ["3.7"]),
        ("exam-2022-07", ["3.8"]),
        ("exam-2024", ["3.9"]),
    ],
)
def test_needed_versions_come_from_the_profile(name: str, expected: list[str]) -> None:
    assert needed_minor_versions(resolve_profile(name)) == expected


def test_no_suitable_python_on_the_machine_exits_1_and_leaves_nothing(tmp_path: Path) -> None:
    """PATH holds only a Python 3.11, pyenv has no versions, HOME is empty: the clear message, exit 1."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = require_python("3.11")
    (bin_dir / "python3").symlink_to(python)
    env = bare_environ(tmp_path, [bin_dir])
    destination = tmp_path / "exam-env"
    done = run_cli("create-env", "--profile", "exam-2020-07", str(destination), env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("tfenvcheck: error: no suitable Python for exam-2020-07: it needs 64-bit CPython 3.7")
    assert "pyenv install 3.7" in last and "python.org" in last and "py -0p" in last
    seen = "Python {} is outside what exam-2020-07 needs".format(python_version(python))
    assert seen in " ".join(done.stderr.split())
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not destination.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "empty-pyenv", "home"]


def test_no_python_at_all_with_json(tmp_path: Path) -> None:
    env = bare_environ(tmp_path)
    done = run_cli("create-env", "--profile", "exam-2022-07", "--json", str(tmp_path / "env"), env=env, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert "none of the 0 interpreters found fits" in done.stderr
    assert not (tmp_path / "env").exists()


def test_the_json_shape_of_a_judged_interpreter(tmp_path: Path) -> None:
    root = pyenv_tree(tmp_path / "pyenv", "3.7")
    chosen, _ = find_base_interpreter(
        resolve_profile("exam-2020-07"), environ=bare_environ(tmp_path, pyenv=root), system="Linux"
    )
    record = json.loads(json.dumps(chosen.to_dict()))
    real = require_python("3.7")
    assert record == {
        "path": str(root / "versions" / real.resolve().parent.parent.name / "bin" / "python"),
        "found_in": "pyenv",
        "version": python_version(real),  # what the interpreter itself says
        "origin": "pyenv",
        "bits": 64,
        "suitable": True,
        "rejected_because": None,
    }


def test_pycharms_configured_interpreters_are_candidates(tmp_path: Path) -> None:
    from tests.helpers.pycharm_trees import jdk_entry, make_config_dir
    from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT

    environ = bare_environ(tmp_path)
    python = str(require_python("3.7"))
    make_config_dir(
        Path(environ["HOME"]),
        "Linux",
        CURRENT_LAYOUT,
        "PyCharm2023.2",
        [
            jdk_entry("Python 3.7", python, "CPythonSdkFlavor", version="Python 3.7.16"),
            jdk_entry("Remote", "sftp://exam@box:22/usr/bin/python3", "UnixPythonSdkFlavor"),
        ],
    )
    chosen, judged = find_base_interpreter(resolve_profile("exam-2020-07"), environ=environ, system="Linux")
    assert [(j.candidate.path, j.candidate.found_in) for j in judged] == [(python, "PyCharm SDK 'Python 3.7'")]
    assert chosen is judged[0]
