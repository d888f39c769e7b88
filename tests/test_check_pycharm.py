"""`check --pycharm-project` judges the interpreter PyCharm would run, not the shell's."""

from __future__ import annotations

import json
import os

from tests.helpers import make_venv, require_python, run_cli
from tests.helpers.pycharm_trees import jdk_entry, make_config_dir, write_project


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
