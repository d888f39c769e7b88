"""`create-env --register-pycharm` writes to the config folder of the newest PyCharm installed, not
merely the newest config folder (one left behind by a PyCharm since removed)."""

from __future__ import annotations

import pytest

from tests.helpers.pycharm_trees import (
    environ_for,
    make_config_dir,
    pycharm_home_with,
    realistic_entries,
    write_installation,
)
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.pycharm.register import register_interpreter, target_config_dir


@pytest.fixture
def home(tmp_path):
    if find_installations(home=tmp_path / "empty", environ={"HOME": str(tmp_path / "empty")}).installations:
        pytest.skip("this machine has PyCharm installed outside the home folder")
    return tmp_path / "home"


def test_the_config_of_the_installed_pycharm_wins_over_a_newer_leftover_folder(home):
    pycharm_home_with(home)  # PyCharm Community 2021.3.3, started once
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())  # left by a removed 2023.2
    installed = home / ".config" / "JetBrains" / "PyCharmCE2021.3"
    assert target_config_dir(None, environ_for(home, "Linux")).path == installed
    python = home / "PycharmProjects" / "tfexam" / "venv" / "bin" / "python"
    registration = register_interpreter(python, "3.8.18", None, environ_for(home, "Linux"))
    assert registration.added and registration.table == installed / "options" / "jdk.table.xml"
    assert registration.sdk.home_path == str(python)


def test_a_newest_installation_never_started_leaves_the_choice_to_the_newest_one_started(home):
    pycharm_home_with(home)  # PyCharm Community 2021.3.3, started once
    write_installation(home / "pycharm-2022.2.1", "PY", "2022.2.1", "222.3739.56")  # no config folder yet
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")  # left by a removed 2023.2
    chosen = target_config_dir(None, environ_for(home, "Linux"))
    assert chosen.path == home / ".config" / "JetBrains" / "PyCharmCE2021.3"
    assert (chosen.product, chosen.version) == ("PyCharmCE", "2021.3")


def test_without_installations_the_newest_config_folder_is_used(home):
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharmCE2021.3")
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    assert target_config_dir(None, environ_for(home, "Linux")).path == home / ".config" / "JetBrains" / "PyCharm2023.2"
