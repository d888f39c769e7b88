"""Registering a new interpreter in PyCharm's jdk.table.xml: real-shaped config dirs, existing entries
kept byte for byte, a backup, a second registration that changes nothing, tfenvcheck's own reader
listing the result, and a refusal while a (real) PyCharm process runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.pycharm_trees import environ_for, jdk_entry, make_config_dir, realistic_entries, write_jdk_table
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT, explicit_config_dir
from tfenvcheck.pycharm.register import RegistrationError, register_interpreter, running_ides
from tfenvcheck.pycharm.sdk_table import read_sdk_table


def exam_python(home: Path) -> Path:
    return home / "tfexam" / "venv-exam-2020-07" / "bin" / "python"


def backups(config: Path) -> list[Path]:
    return sorted((config / "options").glob("jdk.table.xml.tfenvcheck-backup-*"))


def test_registration_adds_one_entry_and_keeps_the_others_byte_for_byte(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    table = config / "options" / "jdk.table.xml"
    before = table.read_bytes()
    python = exam_python(home)

    registration = register_interpreter(python, "3.7.16", config, environ_for(home, "Linux"))

    assert registration.added and registration.table == table
    assert registration.sdk.name == "Python 3.7 (venv-exam-2020-07)"
    assert registration.sdk.home_path == str(python) and registration.sdk.flavor == "virtualenv"
    assert registration.sdk.raw_home_path == "$USER_HOME$/tfexam/venv-exam-2020-07/bin/python"
    assert registration.sdk.version == "Python 3.7.16"
    after = table.read_bytes()
    start = after.index(b'\n    <jdk version="2">\n      <name value="Python 3.7 (venv-exam-2020-07)"')
    end = after.index(b"</jdk>", start) + len(b"</jdk>")
    assert after[:start] + after[end:] == before  # everything else untouched, byte for byte
    assert backups(config) == [registration.backup] and registration.backup.read_bytes() == before
    sdks = read_sdk_table(explicit_config_dir(config), home).sdks
    assert [sdk.name for sdk in sdks][:-1] == [sdk.name for sdk in read_sdk_table_from(before, tmp_path, home)]
    assert sdks[-1].name == registration.sdk.name


def read_sdk_table_from(data: bytes, tmp_path: Path, home: Path) -> list:
    copy = tmp_path / "copy" / "options" / "jdk.table.xml"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(data)
    return read_sdk_table(explicit_config_dir(copy.parent.parent), home).sdks


def test_a_second_registration_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharmCE2024.1", realistic_entries())
    environ = environ_for(home, "Linux")
    first = register_interpreter(exam_python(home), "3.7.16", config, environ)
    table = config / "options" / "jdk.table.xml"
    written = table.read_bytes()
    second = register_interpreter(exam_python(home), "3.7.16", config, environ)
    assert first.added and not second.added
    assert second.sdk.name == first.sdk.name and second.backup is None
    assert table.read_bytes() == written and len(backups(config)) == 1


def test_an_entry_made_by_pycharm_for_the_same_path_is_never_rewritten(tmp_path: Path) -> None:
    home = tmp_path / "home"
    own = jdk_entry(
        "My exam venv",
        "$USER_HOME$/tfexam/venv-exam-2020-07/bin/python",
        "VirtualEnvSdkFlavor",
        version="Python 3.7.16",
    )
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", [own])
    before = (config / "options" / "jdk.table.xml").read_bytes()
    registration = register_interpreter(exam_python(home), "3.7.16", config, environ_for(home, "Linux"))
    assert not registration.added and registration.sdk.name == "My exam venv"
    assert (config / "options" / "jdk.table.xml").read_bytes() == before and backups(config) == []


def test_a_taken_name_gets_a_number(tmp_path: Path) -> None:
    home = tmp_path / "home"
    other = jdk_entry(
        "Python 3.7 (venv-exam-2020-07)", "$USER_HOME$/elsewhere/venv-exam-2020-07/bin/python", "VirtualEnvSdkFlavor"
    )
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", [other])
    registration = register_interpreter(exam_python(home), "3.7.16", config, environ_for(home, "Linux"))
    assert registration.sdk.name == "Python 3.7 (venv-exam-2020-07) (2)"


@pytest.mark.parametrize(
    "table_text",
    [
        None,  # a config dir PyCharm made before any SDK was configured
        '<application>\n  <component name="ProjectJdkTable" />\n</application>\n',
        '<application>\n  <component name="Other" />\n</application>\n',
    ],
)
def test_a_table_without_sdks_gets_its_first_entry(tmp_path: Path, table_text: str | None) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharmCE2019.3")
    if table_text is not None:
        (config / "options" / "jdk.table.xml").write_text(table_text)
    registration = register_interpreter(exam_python(home), "3.8.18", config, environ_for(home, "Linux"))
    assert registration.added and (registration.backup is None) == (table_text is None)
    assert [sdk.name for sdk in read_sdk_table(explicit_config_dir(config), home).sdks] == [
        "Python 3.8 (venv-exam-2020-07)"
    ]
    if table_text and "Other" in table_text:
        assert '<component name="Other" />' in (config / "options" / "jdk.table.xml").read_text()


def test_the_newest_config_dir_is_used_when_none_is_given(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2022.3", realistic_entries())
    newest = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2024.1", realistic_entries())
    registration = register_interpreter(exam_python(home), "3.7.16", None, {"HOME": str(home)})
    assert registration.table == newest / "options" / "jdk.table.xml"


def test_a_table_that_is_not_xml_is_refused_and_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")
    table = config / "options" / "jdk.table.xml"
    table.write_text('<application><component name="ProjectJdkTable">')
    with pytest.raises(RegistrationError, match="cannot add to .*jdk.table.xml: .*not valid XML"):
        register_interpreter(exam_python(home), "3.7.16", config, environ_for(home, "Linux"))
    assert table.read_text() == '<application><component name="ProjectJdkTable">' and backups(config) == []


def stand_in_pycharm(where: Path, name: str) -> subprocess.Popen:
    """A stand-in for a running PyCharm: `sleep` copied under the name of PyCharm's launcher, which
    is how tfenvcheck tells PyCharm's processes (their name, or the IDE's main class in the command line)."""
    launcher = where / name
    shutil.copy2(shutil.which("sleep"), launcher)
    return subprocess.Popen([str(launcher), "60"])


def test_registration_is_refused_while_pycharm_runs(tmp_path: Path) -> None:
    """A stand-in process named as PyCharm's launcher is running: nothing is written."""
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    before = (config / "options" / "jdk.table.xml").read_bytes()
    process = stand_in_pycharm(tmp_path, "pycharm.sh")
    try:
        assert any("(pid {})".format(process.pid) in found for found in running_ides())
        with pytest.raises(RegistrationError, match=r"PyCharm is running \(pycharm.sh \(pid \d+\)"):
            register_interpreter(exam_python(home), "3.7.16", config, environ_for(home, "Linux"))
    finally:
        process.kill()
        process.wait(timeout=60)
    assert (config / "options" / "jdk.table.xml").read_bytes() == before and backups(config) == []


def test_tfenvcheck_pycharm_lists_the_registered_interpreter(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    register_interpreter(exam_python(home), "3.7.16", config, environ_for(home, "Linux"))
    done = run_cli("pycharm", "--json", env=dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config")))
    assert done.returncode == 0, done.stderr
    tables = json.loads(done.stdout)["config_dirs"]
    listed = {sdk["name"]: sdk["home_path"] for table in tables for sdk in table["sdks"]}
    assert listed["Python 3.7 (venv-exam-2020-07)"] == str(exam_python(home))


def test_a_java_process_running_the_ides_main_class_counts_as_pycharm(tmp_path: Path) -> None:
    """A stand-in whose command line ends as a JetBrains runtime's does (`... com.intellij.idea.Main`)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; time.sleep(60)",
            "-Didea.paths.selector=PyCharm2023.2",
            "com.intellij.idea.Main",
        ]
    )
    try:
        deadline = time.monotonic() + 10
        while not any("(pid {})".format(process.pid) in found for found in running_ides()):
            assert time.monotonic() < deadline, "the stand-in was never seen"
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait(timeout=60)


def test_create_env_refuses_register_pycharm_while_pycharm_runs_before_building(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", [])
    write_jdk_table(config, realistic_entries())
    process = stand_in_pycharm(tmp_path, "pycharm64")
    try:
        done = run_cli(
            "create-env",
            "--profile",
            "exam-2020-07",
            "--register-pycharm",
            "--pycharm-config",
            str(config),
            str(tmp_path / "env"),
            timeout=60,
        )
    finally:
        process.kill()
        process.wait(timeout=60)
    assert done.returncode == 1 and "PyCharm is running" in done.stderr
    assert not (tmp_path / "env").exists()
