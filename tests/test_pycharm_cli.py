"""`tfenvcheck pycharm`, and `--pycharm-project` choosing the target that is then probed for real:
a venv made from a pyenv Python, as PyCharm would have made it for the exam project."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.helpers import make_venv, require_python, run_cli, stand_in_program
from tests.helpers.pycharm_trees import (
    CONDA_SDK,
    EXAM_SDK,
    GONE_SDK,
    SSH_SDK,
    jdk_entry,
    make_config_dir,
    realistic_entries,
    write_project,
)
from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT
from tfenvcheck.target import discover_target

LOCAL_REMOTE_SDK = "Remote Python 3.8 (WSL Ubuntu)"


@pytest.fixture(scope="module")
def pycharm_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Linux home with PyCharm 2023.2 (and an old 2019.3), the exam project and its real venv."""
    home = tmp_path_factory.mktemp("pycharm") / "home"
    project = home / "PycharmProjects" / "tfexam"
    make_venv(require_python("3.8"), project / "venv")
    # A remote SDK whose path is a local script that would leave a mark if anything ran it.
    tripwire = stand_in_program(home / "tripwire.sh", "touch '{}'".format(home / "REMOTE-SDK-WAS-RUN"))
    entries = [
        *realistic_entries(),
        jdk_entry(
            LOCAL_REMOTE_SDK,
            str(tripwire),
            "UnixPythonSdkFlavor",
            attributes={"DISTRIBUTION_ID": "Ubuntu", "INTERPRETER_PATH": str(tripwire)},
        ),
    ]
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", entries)
    make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharmCE2019.3", [jdk_entry("Python 3.6", "/usr/bin/python3.6")])
    write_project(project, EXAM_SDK)
    return home


def exam_project(home: Path) -> Path:
    return home / "PycharmProjects" / "tfexam"


def exam_python(home: Path) -> str:
    return str(exam_project(home) / "venv" / "bin" / "python")


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), NO_COLOR="1", COLUMNS="200", **extra)
    return env


def test_pycharm_command_shows_config_dirs_sdks_and_project(pycharm_home: Path) -> None:
    done = run_cli("pycharm", env=cli_env(pycharm_home), cwd=exam_project(pycharm_home), timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "{}/.config/JetBrains/<product><version> (2020.1+ layout): 1 config dir found".format(pycharm_home) in out
    assert "{}/.<product><version>/config (pre-2020.1 layout): 1 config dir found".format(pycharm_home) in out
    assert out.index("PyCharm Professional 2023.2") < out.index("PyCharm Community 2019.3")
    for name in (EXAM_SDK, CONDA_SDK, SSH_SDK, GONE_SDK, LOCAL_REMOTE_SDK):
        assert name in out
    assert "remote (ssh)" in out and "remote (wsl)" in out
    assert "Project  {}".format(exam_project(pycharm_home)) in out
    assert "Interpreter  {}".format(exam_python(pycharm_home)) in out
    assert "'{}' (project SDK, .idea/misc.xml)".format(EXAM_SDK) in out
    assert not (pycharm_home / "REMOTE-SDK-WAS-RUN").exists()


def test_pycharm_command_json(pycharm_home: Path, tmp_path: Path) -> None:
    done = run_cli(
        "pycharm",
        "--json",
        "--pycharm-project",
        str(exam_project(pycharm_home)),
        env=cli_env(pycharm_home),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    overview = json.loads(done.stdout)
    assert overview["schema_version"] == 1
    assert [c["config_dir"]["label"] for c in overview["config_dirs"]] == [
        "PyCharm Professional 2023.2",
        "PyCharm Community 2019.3",
    ]
    project = overview["project"]
    assert (project["sdk_name"], project["interpreter"], project["issues"]) == (EXAM_SDK, exam_python(pycharm_home), [])
    assert project["sdk"]["flavor"] == "virtualenv"


def test_pycharm_command_with_given_config_dir(pycharm_home: Path, tmp_path: Path) -> None:
    legacy = pycharm_home / ".PyCharmCE2019.3"
    done = run_cli(
        "pycharm", "--json", "--pycharm-config", str(legacy), env=cli_env(pycharm_home), cwd=tmp_path, timeout=60
    )
    overview = json.loads(done.stdout)
    assert overview["looked_at"] == [] and overview["project"] is None
    assert [c["config_dir"]["path"] for c in overview["config_dirs"]] == [str(legacy / "config")]
    done = run_cli("pycharm", "--pycharm-config", str(tmp_path), env=cli_env(pycharm_home), timeout=60)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "no options/jdk.table.xml" in done.stderr


def test_pycharm_command_outside_a_project(tmp_path: Path) -> None:
    done = run_cli("pycharm", env=cli_env(tmp_path), cwd=tmp_path, timeout=60)
    assert done.returncode == 0
    assert "no PyCharm, DataSpell or IntelliJ IDEA config dir found" in done.stdout
    assert "Project  none" in done.stdout


def probe_json(*args: str, env: dict[str, str], cwd: Path | None = None) -> dict:
    done = run_cli("probe", "--no-tensorflow", "--json", *args, env=env, cwd=cwd, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_probe_judges_the_project_interpreter_for_real(pycharm_home: Path, tmp_path: Path) -> None:
    project = exam_project(pycharm_home)
    facts = probe_json("--pycharm-project", str(project), env=cli_env(pycharm_home), cwd=tmp_path)
    assert facts["target"] == {
        "executable": exam_python(pycharm_home),
        "reason": "PyCharm project {}: SDK '{}'".format(project, EXAM_SDK),
    }
    assert facts["interpreter"]["version"].startswith("3.8.")
    assert facts["interpreter"]["is_venv"] and facts["interpreter"]["origin"] == "pyenv"
    pycharm = facts["pycharm"]
    assert (pycharm["sdk_name"], pycharm["interpreter"], pycharm["is_target"]) == (
        EXAM_SDK,
        exam_python(pycharm_home),
        True,
    )
    assert pycharm["config_dir"] == str(pycharm_home / ".config" / "JetBrains" / "PyCharm2023.2")
    assert pycharm["issues"] == []


def test_probe_in_a_project_directory_uses_its_interpreter(pycharm_home: Path) -> None:
    facts = probe_json(env=cli_env(pycharm_home), cwd=exam_project(pycharm_home))
    assert facts["target"]["executable"] == exam_python(pycharm_home)
    assert facts["target"]["reason"].startswith("PyCharm project ")
    assert facts["interpreter"]["version"].startswith("3.8.")


def test_active_virtualenv_wins_over_the_project_in_the_current_directory(pycharm_home: Path) -> None:
    env = cli_env(pycharm_home, VIRTUAL_ENV=str(Path(sys.executable).parent.parent))
    facts = probe_json(env=env, cwd=exam_project(pycharm_home))
    assert facts["target"]["reason"] == "the active virtualenv (VIRTUAL_ENV)"
    assert facts["pycharm"] is None


def test_python_option_wins_but_the_project_is_still_reported(pycharm_home: Path) -> None:
    facts = probe_json(
        "--python", sys.executable, "--pycharm-project", str(exam_project(pycharm_home)), env=cli_env(pycharm_home)
    )
    assert facts["target"] == {"executable": sys.executable, "reason": "given with --python"}
    assert facts["pycharm"]["interpreter"] == exam_python(pycharm_home)
    assert facts["pycharm"]["is_target"] is False


@pytest.mark.parametrize(
    "sdk_name,words",
    [
        ("Python 3.7 (never configured)", "Invalid interpreter"),
        (GONE_SDK, "does not exist"),
        (SSH_SDK, "remote (ssh) interpreter"),
        (LOCAL_REMOTE_SDK, "remote (wsl) interpreter"),
    ],
)
def test_unusable_project_interpreter_is_a_one_line_error(
    pycharm_home: Path, tmp_path: Path, sdk_name: str, words: str
) -> None:
    project = write_project(tmp_path / "proj", sdk_name)
    done = run_cli("probe", "--no-tensorflow", "--pycharm-project", str(project), env=cli_env(pycharm_home), timeout=60)
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1 and words in done.stderr
    assert done.stderr.startswith("tfenvcheck: error: PyCharm project {}: no usable interpreter".format(project))
    assert not (pycharm_home / "REMOTE-SDK-WAS-RUN").exists()


def test_missing_project_dir_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("probe", "--pycharm-project", str(tmp_path / "nope"), env=cli_env(tmp_path), timeout=60)
    assert done.returncode == 2 and "no such directory" in done.stderr


# --- discover_target's order, in process ------------------------------------------------------


def test_discovery_order(pycharm_home: Path, tmp_path: Path) -> None:
    project = exam_project(pycharm_home)
    env = {"HOME": str(pycharm_home), "PATH": str(Path(sys.executable).parent)}
    assert discover_target(environ=env, cwd=project).executable == exam_python(pycharm_home)
    assert discover_target(pycharm_project=project, environ=env, cwd=tmp_path).pycharm["is_target"] is True
    venv = dict(env, VIRTUAL_ENV=str(project / "venv"))
    assert discover_target(environ=venv, cwd=project).reason == "the active virtualenv (VIRTUAL_ENV)"
    conda = dict(env, CONDA_PREFIX=str(tmp_path))
    assert discover_target(environ=conda, cwd=project).reason == "the active conda environment (CONDA_PREFIX)"
    on_path = discover_target(environ=env, cwd=tmp_path)
    assert on_path.reason.startswith("the first python") and on_path.pycharm is None
    assert on_path.to_dict() == {"executable": on_path.executable, "reason": on_path.reason}


def test_unresolvable_project_here_falls_back_to_path_and_keeps_its_issues(pycharm_home: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "proj", GONE_SDK)
    env = {"HOME": str(pycharm_home), "PATH": str(Path(sys.executable).parent)}
    target = discover_target(environ=env, cwd=project)
    assert target.reason.startswith("the first python")
    assert target.pycharm["is_target"] is False
    assert [i["id"] for i in target.pycharm["issues"]] == ["pycharm-sdk-home-missing"]
    with pytest.raises(CouldNotCheck, match="does not exist"):
        discover_target(pycharm_project=project, environ=env)


def test_python_option_naming_the_project_interpreter_is_the_project_target(pycharm_home: Path) -> None:
    env = {"HOME": str(pycharm_home)}
    target = discover_target(exam_python(pycharm_home), environ=env, pycharm_project=exam_project(pycharm_home))
    assert target.reason == "given with --python" and target.pycharm["is_target"] is True


def test_rendering_shows_names_and_paths_literally(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from tfenvcheck.pycharm.overview import pycharm_overview
    from tfenvcheck.render.pycharm_text import render_pycharm

    home = tmp_path / "home"
    odd = "Python 3.8 [bold]exam[/bold]"
    make_config_dir(
        home,
        "Linux",
        CURRENT_LAYOUT,
        "PyCharm2023.2",
        [jdk_entry(odd, "$USER_HOME$/[red]venv/bin/python", "VirtualEnvSdkFlavor")],
    )
    project = write_project(tmp_path / "[proj]", odd)
    out = io.StringIO()
    render_pycharm(
        pycharm_overview(cwd=project, environ={"HOME": str(home)}, system="Linux"),
        Console(file=out, width=300, no_color=True),
    )
    text = out.getvalue()
    assert "  {}  [virtualenv]".format(odd) in text
    assert "{}/[red]venv/bin/python".format(home) in text
    assert "Project  {}".format(project) in text and "'{}' (project SDK, .idea/misc.xml)".format(odd) in text
