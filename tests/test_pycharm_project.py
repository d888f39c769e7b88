"""Resolving a project's interpreter the way PyCharm does, end to end over each OS layout's tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.pycharm_trees import (
    CONDA_SDK,
    EXAM_SDK,
    GONE_SDK,
    LAYOUTS,
    SSH_SDK,
    environ_for,
    jdk_entry,
    make_config_dir,
    realistic_entries,
    write_project,
)
from tfenvcheck.errors import UsageError
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT
from tfenvcheck.pycharm.lookup import UnusableProjectInterpreter, project_interpreter, usable_project_interpreter
from tfenvcheck.pycharm.overview import pycharm_overview


def fake_exam_venv(home: Path) -> Path:
    """Where PyCharm's exam SDK points; a file is enough for resolution (probing is tested in test_pycharm_cli)."""
    python = home / "PycharmProjects" / "tfexam" / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    return python


def ids(resolution) -> list[str]:
    return [found["id"] for found in resolution.issues]


@pytest.mark.parametrize("system,layout", LAYOUTS)
def test_project_resolves_through_each_os_layout(tmp_path: Path, system: str, layout: str) -> None:
    home = tmp_path / "home"
    python = fake_exam_venv(home)
    config = make_config_dir(
        home, system, layout, "PyCharm2019.3" if layout == LEGACY_LAYOUT else "PyCharm2023.2", realistic_entries()
    )
    project = write_project(home / "PycharmProjects" / "tfexam", EXAM_SDK)
    resolution = project_interpreter(project, environ=environ_for(home, system), system=system)
    assert (resolution.sdk_name, resolution.sdk_name_from) == (EXAM_SDK, "project")
    assert resolution.module_file == project / ".idea" / "tfexam.iml"
    assert resolution.config_dir.path == config
    assert resolution.interpreter == str(python)
    assert resolution.issues == []
    assert resolution.reason == "PyCharm project {}: SDK '{}'".format(project, EXAM_SDK)


def test_module_sdk_wins_over_project_sdk(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fake_exam_venv(home)
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    project = write_project(tmp_path / "proj", project_sdk=GONE_SDK, module_sdk=EXAM_SDK)
    resolution = project_interpreter(project, environ=environ_for(home, "Linux"), system="Linux")
    assert (resolution.sdk_name, resolution.sdk_name_from) == (EXAM_SDK, "module")
    assert resolution.interpreter is not None


def test_module_found_without_modules_xml(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fake_exam_venv(home)
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    project = write_project(tmp_path / "proj", project_sdk=GONE_SDK, module_sdk=EXAM_SDK, modules_xml=False)
    resolution = project_interpreter(project, environ=environ_for(home, "Linux"), system="Linux")
    assert resolution.module_file == project / ".idea" / "tfexam.iml"
    assert resolution.sdk_name == EXAM_SDK


def test_name_with_no_entry_is_invalid_interpreter(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    project = write_project(tmp_path / "proj", "Python 3.7 (deleted-long-ago)")
    resolution = project_interpreter(project, environ=environ_for(home, "Linux"), system="Linux")
    assert ids(resolution) == ["pycharm-sdk-not-found"]
    assert "Invalid interpreter" in resolution.issues[0]["message"]
    assert resolution.issues[0]["sdk_name"] == "Python 3.7 (deleted-long-ago)"
    assert resolution.interpreter is None
    with pytest.raises(UnusableProjectInterpreter, match="Invalid interpreter") as raised:
        usable_project_interpreter(project, environ=environ_for(home, "Linux"))
    assert raised.value.resolution.sdk_name == "Python 3.7 (deleted-long-ago)"


def test_no_config_dir_at_all_is_invalid_interpreter(tmp_path: Path) -> None:
    project = write_project(tmp_path / "proj", EXAM_SDK)
    resolution = project_interpreter(project, environ=environ_for(tmp_path / "empty-home", "Linux"), system="Linux")
    assert ids(resolution) == ["pycharm-sdk-not-found"]
    assert "no PyCharm configuration found" in resolution.issues[0]["message"]


def test_deleted_venv_conda_and_remote_sdks_are_reported(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    environ = environ_for(home, "Linux")
    gone = project_interpreter(write_project(tmp_path / "gone", GONE_SDK), environ=environ, system="Linux")
    assert ids(gone) == ["pycharm-sdk-home-missing"] and gone.interpreter is None
    remote = project_interpreter(write_project(tmp_path / "remote", SSH_SDK), environ=environ, system="Linux")
    assert ids(remote) == ["pycharm-sdk-remote"] and remote.interpreter is None
    conda_python = home / "miniconda3" / "envs" / "tf" / "bin" / "python"
    conda_python.parent.mkdir(parents=True)
    conda_python.write_text("")
    conda = project_interpreter(write_project(tmp_path / "conda", CONDA_SDK), environ=environ, system="Linux")
    # A conda SDK is still probed: it is the check stage that judges it.
    assert ids(conda) == ["pycharm-sdk-conda"] and conda.interpreter == str(conda_python)


def test_project_without_interpreter(tmp_path: Path) -> None:
    project = write_project(tmp_path / "proj", project_sdk=None)
    resolution = project_interpreter(project, environ=environ_for(tmp_path, "Linux"), system="Linux")
    assert ids(resolution) == ["pycharm-no-project-sdk"]


def test_newest_config_dir_that_lists_the_name_wins(tmp_path: Path) -> None:
    home = tmp_path / "home"
    old_python, new_python = home / "old" / "python", home / "new" / "python"
    for python in (old_python, new_python):
        python.parent.mkdir(parents=True)
        python.write_text("")
    make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharm2019.3", [jdk_entry(EXAM_SDK, str(old_python))])
    newest = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", [jdk_entry(EXAM_SDK, str(new_python))])
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2024.1", [jdk_entry("another", "/x/python")])
    resolution = project_interpreter(write_project(tmp_path / "proj", EXAM_SDK), environ=environ_for(home, "Linux"))
    assert (resolution.config_dir.path, resolution.interpreter) == (newest, str(new_python))


def test_explicit_config_dir_is_the_only_one_used(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fake_exam_venv(home)
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    elsewhere = make_config_dir(
        tmp_path / "other", "Linux", CURRENT_LAYOUT, "PyCharm2022.1", [jdk_entry("unrelated", "/x/python")]
    )
    project = write_project(tmp_path / "proj", EXAM_SDK)
    resolution = project_interpreter(project, config=elsewhere, environ=environ_for(home, "Linux"))
    assert ids(resolution) == ["pycharm-sdk-not-found"]
    assert str(elsewhere / "options" / "jdk.table.xml") in resolution.issues[0]["message"]


def test_unusable_given_paths_are_usage_errors(tmp_path: Path) -> None:
    project = write_project(tmp_path / "proj", EXAM_SDK)
    with pytest.raises(UsageError, match="no such directory"):
        project_interpreter(tmp_path / "nope")
    with pytest.raises(UsageError, match="not a PyCharm project"):
        project_interpreter(tmp_path)
    with pytest.raises(UsageError, match="no options/jdk.table.xml"):
        project_interpreter(project, config=tmp_path)
    with pytest.raises(UsageError, match="no such directory"):
        project_interpreter(project, config=tmp_path / "nope")


@pytest.mark.parametrize("system,layout", LAYOUTS)
def test_overview_for_each_os_layout(tmp_path: Path, system: str, layout: str) -> None:
    home = tmp_path / "home"
    fake_exam_venv(home)
    config = make_config_dir(
        home, system, layout, "PyCharmCE2023.2" if layout == CURRENT_LAYOUT else "PyCharmCE2019.3", realistic_entries()
    )
    project = write_project(home / "PycharmProjects" / "tfexam", EXAM_SDK)
    overview = pycharm_overview(cwd=project, environ=environ_for(home, system), system=system)
    assert overview["schema_version"] == 1
    [listed] = overview["config_dirs"]
    assert listed["config_dir"]["path"] == str(config) and listed["problem"] is None
    assert [sdk["name"] for sdk in listed["sdks"]] == [
        EXAM_SDK,
        CONDA_SDK,
        SSH_SDK,
        "Remote Python Docker (tensorflow/tensorflow:2.5.0)",
        GONE_SDK,
    ]
    issues = {sdk["name"]: [i["id"] for i in sdk["issues"]] for sdk in listed["sdks"]}
    assert issues[EXAM_SDK] == [] and issues[SSH_SDK] == ["pycharm-sdk-remote"]
    assert issues[GONE_SDK] == ["pycharm-sdk-home-missing"]
    assert "pycharm-sdk-conda" in issues[CONDA_SDK]
    found_where = {location["layout"]: location["found"] for location in overview["looked_at"]}
    assert found_where[layout] == [str(config)]
    assert overview["project"]["interpreter"] == str(home / "PycharmProjects/tfexam/venv/bin/python")


def test_overview_without_project(tmp_path: Path) -> None:
    overview = pycharm_overview(cwd=tmp_path, environ=environ_for(tmp_path, "Linux"), system="Linux")
    assert overview["project"] is None and overview["config_dirs"] == []
