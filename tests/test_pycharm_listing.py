"""`tfenvcheck pycharm` lists the installations with version, build, path, config folder and plugins."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import run_cli
from tests.helpers.pycharm_trees import EXAM_PLUGIN, install_plugin, pycharm_home_with, write_installation
from tfenvcheck.pycharm.installations import find_installations


def pycharm(home, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYCHARM_"))}
    done = run_cli("pycharm", *args, env=dict(env, HOME=str(home), NO_COLOR="1", COLUMNS="200"), cwd=home)
    assert done.returncode == 0, done.stderr
    return done.stdout


def skip_if_installed_machine_wide(tmp_path):
    if find_installations(home=tmp_path / "empty", environ={"HOME": str(tmp_path / "empty")}).installations:
        pytest.skip("this machine has PyCharm installed outside the home folder")


def test_json_lists_installations_with_their_plugins(tmp_path):
    skip_if_installed_machine_wide(tmp_path)
    home = tmp_path / "home"
    installed = pycharm_home_with(home)
    install_plugin(
        home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3", "ideavim", "IdeaVIM", "IdeaVim", "1.10.3"
    )
    (home / ".config" / "JetBrains" / "PyCharmCE2021.3" / "disabled_plugins.txt").write_text("IdeaVIM\n")
    never_started = write_installation(home / "pycharm-2022.1.4", "PY", "2022.1.4", "221.6008.17")
    document = json.loads(pycharm(home, "--json"))
    assert document["kind"] == "tfenvcheck-pycharm"
    listed = [
        {key: i[key] for key in ("product", "version", "build", "path", "config_dir")}
        for i in document["installations"]
    ]
    machine_wide = len(
        find_installations(home=tmp_path / "empty", environ={"HOME": str(tmp_path / "empty")}).installations
    )
    assert listed[: 2 if not machine_wide else None][:2] == [
        {
            "product": "PyCharm Professional",
            "version": "2022.1.4",
            "build": "221.6008.17",
            "path": str(never_started),
            "config_dir": None,
        },
        {
            "product": "PyCharm Community",
            "version": "2021.3.3",
            "build": "213.7172.26",
            "path": str(installed),
            "config_dir": str(home / ".config" / "JetBrains" / "PyCharmCE2021.3"),
        },
    ]
    plugins = [
        {key: p[key] for key in ("id", "name", "version", "enabled")} for p in document["installations"][1]["plugins"]
    ]
    assert plugins == [
        {"id": "com.google.developers.certification", "name": EXAM_PLUGIN, "version": "1.0.3", "enabled": True},
        {"id": "IdeaVIM", "name": "IdeaVim", "version": "1.10.3", "enabled": False},
    ]
    assert str(home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps") in [
        place["path"] for place in document["installations_looked_in"]
    ]


def test_text_shows_version_build_path_config_and_plugins(tmp_path):
    home = tmp_path / "home"
    installed = pycharm_home_with(home)
    text = pycharm(home)
    assert "PyCharm Community 2021.3.3  (build 213.7172.26, toolbox)" in text
    assert str(installed) in text
    assert "Config   {}".format(home / ".config" / "JetBrains" / "PyCharmCE2021.3") in text
    assert "Plugins  Google Developers Certification 1.0.3" in text


def test_text_says_where_it_looked_when_nothing_is_installed(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    skip_if_installed_machine_wide(tmp_path)
    text = pycharm(home)
    assert "none found; looked in /opt, {}, ".format(home) in text
