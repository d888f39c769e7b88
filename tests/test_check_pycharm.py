"""`check --pycharm-project` judges the interpreter PyCharm would run, not the shell's."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import make_venv, require_python, run_cli
from tests.helpers.pycharm_trees import jdk_entry, make_config_dir, pycharm_home_with, write_project
from tfenvcheck.pycharm.installations import find_installations


def pycharm_home(tmp_path, sdk_home: str):
    home = tmp_path / "home"
    config = make_config_dir(
        home, "Linux", "current", "PyCharm2023.2", [jdk_entry("Python 3.8 (tfexam)", sdk_home, "VirtualEnvSdkFlavor")]
    )
    project = write_project(home / "PycharmProjects" / "tfexam", "Python 3.8 (tfexam)")
    return home, config, project


def check(*args: str, home) -> dict:
    env = dict(os.environ, HOME=str(home))
    env.pop("VIRTUAL_ENV", None)
    done = run_cli("check", "--json", "--no-tensorflow", *args, env=env)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_check_judges_the_project_interpreter(tmp_path):
    venv_python = make_venv(require_python("3.8"), tmp_path / "home" / "PycharmProjects" / "tfexam" / "venv")
    home, config, project = pycharm_home(tmp_path, "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python")
    result = check(
        "--pycharm-project", str(project), "--pycharm-config", str(config), "--profile", "exam-2021-mid", home=home
    )
    assert result["facts"]["target"]["executable"] == str(venv_python)
    assert result["facts"]["interpreter"]["version"].startswith("3.8.")
    findings = {f["id"]: f for f in result["findings"]}
    assert findings["pycharm.target"]["status"] == "ok"
    assert findings["python.version"]["status"] == "ok"


def test_check_warns_when_the_judged_interpreter_is_not_pycharms(tmp_path):
    make_venv(require_python("3.8"), tmp_path / "home" / "PycharmProjects" / "tfexam" / "venv")
    home, config, project = pycharm_home(tmp_path, "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python")
    shell_python = str(require_python("3.11"))
    result = check(
        "--python", shell_python, "--pycharm-project", str(project), "--pycharm-config", str(config), home=home
    )
    finding = {f["id"]: f for f in result["findings"]}["pycharm.target"]
    assert finding["status"] == "warn"
    assert finding["seen"] == "judged " + shell_python


def test_project_whose_interpreter_is_gone_is_one_line_and_exit_3(tmp_path):
    home, config, project = pycharm_home(tmp_path, "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python")
    env = dict(os.environ, HOME=str(home))
    done = run_cli("check", "--pycharm-project", str(project), "--pycharm-config", str(config), env=env)
    assert done.returncode == 3
    assert "no usable interpreter" in done.stderr and "does not exist" in done.stderr
    assert "Traceback" not in done.stderr


# -- PyCharm itself: installed, the guide's version, the exam plugin ----------------------------------


def check_exam_2022_07(home) -> dict[str, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VIRTUAL_ENV", "PYCHARM_"))}
    env["HOME"] = str(home)
    done = run_cli(
        "check",
        "--json",
        "--no-tensorflow",
        "--python",
        str(require_python("3.8")),
        "--profile",
        "exam-2022-07",
        env=env,
    )
    assert done.returncode == 1, done.stderr  # the bare interpreter lacks the exam's packages
    return {f["id"]: f for f in json.loads(done.stdout)["findings"]}


def test_pycharm_2021_3_3_with_the_exam_plugin_is_ok(tmp_path):
    installation = pycharm_home_with(tmp_path / "home")
    findings = check_exam_2022_07(tmp_path / "home")
    assert findings["pycharm.installed"]["status"] == "ok"
    assert findings["pycharm.installed"]["seen"] == "PyCharm Community 2021.3.3 at {}".format(installation)
    assert findings["pycharm.version"]["status"] == "ok"
    assert findings["pycharm.version"]["title"] == "PyCharm 2021.3.3 is a version the guide names"
    assert findings["pycharm.exam-plugin"]["status"] == "ok"
    assert findings["pycharm.exam-plugin"]["title"] == (
        "exam plugin installed and enabled: Google Developers Certification 1.0.3 in PyCharm Community 2021.3.3"
    )


def test_pycharm_2021_3_3_without_the_plugin_fails_naming_it_and_how_to_install_it(tmp_path):
    pycharm_home_with(tmp_path / "home", exam_plugin=False)
    findings = check_exam_2022_07(tmp_path / "home")
    assert findings["pycharm.version"]["status"] == "ok"
    plugin = findings["pycharm.exam-plugin"]
    assert plugin["status"] == "fail"
    assert (
        plugin["title"]
        == 'the exam plugin "Google Developers Certification" is not installed in PyCharm Community 2021.3.3'
    )
    assert plugin["hint"] == (
        'in PyCharm open Settings (Preferences on macOS) > Plugins > Marketplace, search for "Google Developers '
        'Certification", click Install and restart PyCharm'
    )


def test_pycharm_2019_3_fails_on_the_version(tmp_path):
    pycharm_home_with(tmp_path / "home", "2019.3.4", "193.6911.25")
    findings = check_exam_2022_07(tmp_path / "home")
    version = findings["pycharm.version"]
    assert version["status"] == "fail" and version["title"] == "PyCharm 2019.3.4 is not a version the guide names"
    assert version["expected"] == "PyCharm 2021.3, or 2022 and later, as the guide of exam-2022-07 says"


def test_no_pycharm_at_all_says_where_it_looked(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    if find_installations(home=home, environ={"HOME": str(home)}).installations:
        pytest.skip("this machine has PyCharm installed outside the home folder")
    findings = check_exam_2022_07(home)
    installed = findings["pycharm.installed"]
    assert installed["status"] == "warn" and installed["title"] == "PyCharm is not installed (the exam runs inside it)"
    assert installed["seen"].startswith("looked in /opt, {0}, {0}/.local/share, /usr/share, ".format(home))
    assert "{}/.local/share/JetBrains/Toolbox/apps".format(home) in installed["seen"]
    assert "pycharm.version" not in findings and "pycharm.exam-plugin" not in findings
