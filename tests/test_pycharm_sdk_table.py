"""Parsing jdk.table.xml into Python SDKs, and what each SDK's problems are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.pycharm_trees import (
    CONDA_SDK,
    DOCKER_SDK,
    EXAM_SDK,
    GONE_SDK,
    SSH_SDK,
    jdk_entry,
    make_config_dir,
    realistic_entries,
    write_jdk_table,
)
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, ConfigDir
from tfenvcheck.pycharm.sdk_problems import sdk_problems
from tfenvcheck.pycharm.sdk_table import read_sdk_table, remote_kind


def read(tmp_path: Path, entries: list[str], application_home: Path | None = None):
    config = make_config_dir(tmp_path / "home", "Linux", CURRENT_LAYOUT, "PyCharm2023.2", entries)
    return read_sdk_table(ConfigDir(config, "PyCharm", "2023.2", CURRENT_LAYOUT), tmp_path / "home", application_home)


def problem_ids(sdk, system: str = "Linux") -> list[str]:
    return [found["id"] for found in sdk_problems(sdk, system)]


def test_realistic_table_lists_python_sdks_only_with_macros_expanded(tmp_path: Path) -> None:
    home = tmp_path / "home"
    table = read(tmp_path, realistic_entries())
    assert table.problem is None
    assert [sdk.name for sdk in table.sdks] == [EXAM_SDK, CONDA_SDK, SSH_SDK, DOCKER_SDK, GONE_SDK]
    exam = table.find(EXAM_SDK)
    assert exam.home_path == str(home / "PycharmProjects/tfexam/venv/bin/python")
    assert exam.raw_home_path == "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python"
    assert (exam.flavor, exam.remote, exam.version) == ("virtualenv", None, "Python 3.8.18")
    assert exam.associated_project == str(home / "PycharmProjects/tfexam")
    conda = table.find(CONDA_SDK)
    assert (conda.flavor, conda.conda_env, conda.remote) == ("conda", '{"env":"tf"}', None)


def test_remote_sdks_are_marked_and_have_no_local_home(tmp_path: Path) -> None:
    table = read(tmp_path, realistic_entries())
    ssh, docker = table.find(SSH_SDK), table.find(DOCKER_SDK)
    assert (ssh.remote, ssh.home_path, ssh.flavor) == ("ssh", None, "system")
    assert (docker.remote, docker.home_path) == ("docker", None)
    assert problem_ids(ssh) == problem_ids(docker) == ["pycharm-sdk-remote"]


@pytest.mark.parametrize(
    "home_path,attributes,expected",
    [
        ("ssh://me@host:22/usr/bin/python3", {}, "ssh"),
        ("sftp://me@host:22/usr/bin/python3", {}, "ssh"),
        ("docker-compose:///home/me/app/docker-compose.yml:app/python", {}, "docker"),
        ("wsl://Ubuntu-20.04/usr/bin/python3", {}, "wsl"),
        ("\\\\wsl$\\Ubuntu\\usr\\bin\\python3", {}, "wsl"),
        ("//wsl.localhost/Ubuntu/usr/bin/python3", {}, "wsl"),
        ("/usr/bin/python3", {"HOST": "gpu-box", "INTERPRETER_PATH": "/usr/bin/python3"}, "ssh"),
        ("/usr/bin/python3", {"DISTRIBUTION_ID": "Ubuntu"}, "wsl"),
        ("/usr/bin/python3", {}, None),
        ("C:\\Users\\me\\venv\\Scripts\\python.exe", {}, None),
    ],
)
def test_remote_kind(tmp_path: Path, home_path: str, attributes: dict[str, str], expected: str | None) -> None:
    table = read(tmp_path, [jdk_entry("sdk", home_path, attributes=attributes)])
    assert table.sdks[0].remote == expected
    assert remote_kind(home_path, None) == (expected if not attributes else None)


def test_flavors_from_flavor_id_and_conda_from_old_entries_paths(tmp_path: Path) -> None:
    table = read(
        tmp_path,
        [
            jdk_entry("venv", "/p/venv/bin/python", "VirtualEnvSdkFlavor"),
            jdk_entry("cpython", "/usr/bin/python3.8", "CPythonSdkFlavor"),
            jdk_entry("mac", "/usr/local/bin/python3", "MacPythonSdkFlavor"),
            jdk_entry("old conda", "/home/me/anaconda3/envs/tf/bin/python"),
            jdk_entry("old miniforge", "/opt/miniforge3/bin/python"),
            jdk_entry("old plain", "/home/me/venv/bin/python"),
        ],
    )
    assert [(s.name, s.flavor) for s in table.sdks] == [
        ("venv", "virtualenv"),
        ("cpython", "system"),
        ("mac", "system"),
        ("old conda", "conda"),
        ("old miniforge", "conda"),
        ("old plain", "unknown"),
    ]


def test_application_home_macro_expanded_only_when_known(tmp_path: Path) -> None:
    entry = jdk_entry("bundled", "$APPLICATION_HOME_DIR$/jbr/bin/python3", "CPythonSdkFlavor")
    unknown = read(tmp_path, [entry]).sdks[0]
    assert unknown.home_path is None
    assert problem_ids(unknown) == ["pycharm-sdk-home-unknown"]
    known = read(tmp_path, [entry], application_home=tmp_path / "pycharm-2023.2").sdks[0]
    assert known.home_path == str(tmp_path / "pycharm-2023.2/jbr/bin/python3")


def test_problems_of_missing_conda_and_apple_pythons(tmp_path: Path) -> None:
    home = tmp_path / "home"
    python = home / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    conda_python = home / "miniconda3" / "envs" / "tf" / "bin" / "python"
    conda_python.parent.mkdir(parents=True)
    conda_python.write_text("")
    table = read(
        tmp_path,
        [
            jdk_entry("fine", "$USER_HOME$/venv/bin/python", "VirtualEnvSdkFlavor"),
            jdk_entry("gone", "$USER_HOME$/deleted/venv/bin/python", "VirtualEnvSdkFlavor"),
            jdk_entry("conda", "$USER_HOME$/miniconda3/envs/tf/bin/python", "CondaEnvSdkFlavor"),
            jdk_entry("clt", "/Library/Developer/CommandLineTools/usr/bin/python3", "MacPythonSdkFlavor"),
            jdk_entry("xcode", "/Applications/Xcode-beta.app/Contents/Developer/usr/bin/python3", "MacPythonSdkFlavor"),
            jdk_entry("stub", "/usr/bin/python3", "MacPythonSdkFlavor"),
        ],
    )
    by_name = {sdk.name: sdk for sdk in table.sdks}
    assert problem_ids(by_name["fine"]) == []
    assert problem_ids(by_name["gone"]) == ["pycharm-sdk-home-missing"]
    assert problem_ids(by_name["conda"]) == ["pycharm-sdk-conda"]
    assert problem_ids(by_name["clt"], "Darwin") == ["pycharm-sdk-home-missing", "pycharm-sdk-apple-system-python"]
    assert problem_ids(by_name["xcode"], "Darwin") == ["pycharm-sdk-home-missing", "pycharm-sdk-apple-system-python"]
    # /usr/bin/python3 is Apple's stub on a Mac only.
    assert "pycharm-sdk-apple-system-python" in problem_ids(by_name["stub"], "Darwin")
    assert "pycharm-sdk-apple-system-python" not in problem_ids(by_name["stub"], "Linux")
    gone = sdk_problems(by_name["gone"], "Linux")[0]
    assert gone["sdk_name"] == "gone" and gone["path"] == str(home / "deleted/venv/bin/python")
    assert "does not exist" in gone["message"]


def test_missing_table_is_no_sdks_and_no_problem(tmp_path: Path) -> None:
    config = make_config_dir(tmp_path / "home", "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    table = read_sdk_table(ConfigDir(config, "PyCharm", "2023.2", CURRENT_LAYOUT), tmp_path / "home")
    assert (table.sdks, table.problem, table.to_dict()["exists"]) == ([], None, False)


def test_table_without_python_sdks(tmp_path: Path) -> None:
    config = make_config_dir(tmp_path / "home", "Linux", CURRENT_LAYOUT, "IdeaIC2023.2")
    write_jdk_table(config, [jdk_entry("corretto-17", "/usr/lib/jvm/java-17", sdk_type="JavaSDK")])
    table = read_sdk_table(ConfigDir(config, "IdeaIC", "2023.2", CURRENT_LAYOUT), tmp_path / "home")
    assert (table.sdks, table.problem) == ([], None)
