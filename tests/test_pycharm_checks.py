"""The PyCharm installation checks on real facts of a real interpreter, with installations found in
trees built in tmp_path: versions the guides name, the exam plugin, and the advice kept from history."""

from __future__ import annotations

import dataclasses

import pytest

from tests.helpers import require_python
from tests.helpers.pycharm_trees import (
    install_exam_plugin,
    jdk_entry,
    make_config_dir,
    pycharm_home_with,
    write_installation,
    write_project,
)
from tfenvcheck.checks.pycharm_installation import check_pycharm_installation, version_named
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.facts.model import Facts, PyCharmProject, PyCharmSdk
from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.target import Target, discover_target


@pytest.fixture(scope="module")
def real_facts() -> Facts:
    return gather_facts(Target(str(require_python("3.8")), "test"), with_tensorflow=False)


def judged(facts: Facts, home, profile: str = "exam-2022-07", **profile_changes) -> dict[str, object]:
    found = find_installations(home=home, environ={"HOME": str(home)}, system="Linux", root=home / "no-root")
    chosen = dataclasses.replace(resolve_profile(profile), **profile_changes)
    findings = check_pycharm_installation(dataclasses.replace(facts, pycharm_installations=found), chosen)
    return {finding.id: finding for finding in findings}


def test_versions_the_guides_name():
    exam_2020_07, exam_2021_12, exam_2022_07 = (
        resolve_profile(n) for n in ("exam-2020-07", "exam-2021-12", "exam-2022-07")
    )
    assert [version_named(v, exam_2020_07) for v in ("2019.3.4", "2020.1", "2021.3.3")] == [False, True, True]
    assert [version_named(v, exam_2021_12) for v in ("2021.2.3", "2021.3", "2021.3.1", "2022.1")] == [
        False,
        True,
        True,
        False,
    ]
    assert [version_named(v, exam_2022_07) for v in ("2021.2.3", "2021.3.3", "2022.1.4", "2025.3")] == [
        False,
        True,
        True,
        True,
    ]


def test_pycharm_2020_1_gets_the_missing_plugin_history_as_advice_not_a_failure(real_facts, tmp_path):
    home = tmp_path / "home"
    pycharm_home_with(home, "2020.1.5", "201.8743.11", exam_plugin=False)
    findings = judged(real_facts, home, "exam-2020-07")
    assert findings["pycharm.version"].status == "ok"
    assert findings["pycharm.version"].hint == (
        "PyCharm 2020.1 had no exam plugin from its release until 2020-04-30; candidates used 2019.3.4 meanwhile "
        "(https://github.com/tensorflow/tensorflow/issues/38382)"
    )
    assert findings["pycharm.exam-plugin"].status == "fail"  # missing today: install it, 2020-04-30 is long past
    assert "until 2020-04-30" in (findings["pycharm.exam-plugin"].hint or "")


def test_pycharm_2020_3_gets_the_exam_trouble_as_advice(real_facts, tmp_path):
    home = tmp_path / "home"
    pycharm_home_with(home, "2020.3.5", "203.7717.65")
    findings = judged(real_facts, home, "exam-2021-01")
    assert [findings[i].status for i in ("pycharm.installed", "pycharm.version", "pycharm.exam-plugin")] == ["ok"] * 3
    assert "https://github.com/tensorflow/tensorflow/issues/45374" in (findings["pycharm.version"].hint or "")


def test_a_disabled_exam_plugin_fails(real_facts, tmp_path):
    home = tmp_path / "home"
    pycharm_home_with(home)
    (home / ".config" / "JetBrains" / "PyCharmCE2021.3" / "disabled_plugins.txt").write_text(
        "com.google.developers.certification\n"
    )
    plugin = judged(real_facts, home)["pycharm.exam-plugin"]
    assert plugin.status == "fail"
    assert plugin.title == "the exam plugin Google Developers Certification is disabled in PyCharm Community 2021.3.3"


def test_a_pycharm_never_started_is_told_to_start_once(real_facts, tmp_path):
    home = tmp_path / "home"
    write_installation(home / "pycharm-community-2021.3.3")
    plugin = judged(real_facts, home)["pycharm.exam-plugin"]
    assert plugin.status == "fail"
    assert plugin.seen == "PyCharm Community 2021.3.3 has never been started (no config folder PyCharmCE2021.3)"
    assert (plugin.hint or "").startswith("start PyCharm Community 2021.3.3 once, then in PyCharm open Settings")


def test_the_plugin_is_judged_in_the_version_the_guide_names(real_facts, tmp_path):
    home = tmp_path / "home"
    pycharm_home_with(home, exam_plugin=False)  # 2021.3.3 without the plugin
    old = write_installation(home / "pycharm-community-2019.3.4", "PC", "2019.3.4", "193.6911.25")
    install_exam_plugin(home / ".PyCharmCE2019.3" / "config" / "plugins")
    findings = judged(real_facts, home)
    assert findings["pycharm.installed"].seen.endswith("PyCharm Community 2019.3.4 at {}".format(old))
    assert findings["pycharm.version"].status == "ok"
    assert findings["pycharm.exam-plugin"].status == "fail"


def test_dataspell_alone_is_not_pycharm(real_facts, tmp_path):
    home = tmp_path / "home"
    write_installation(home / "dataspell-2022.1.3", "DS", "2022.1.3", "221.5921.27")
    installed = judged(real_facts, home)["pycharm.installed"]
    assert installed.status == "warn"
    assert installed.seen.endswith("; found only DataSpell 2022.1.3 at {}".format(home / "dataspell-2022.1.3"))


def test_a_profile_without_pycharm_versions_asks_nothing_of_pycharm(real_facts, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    assert [(f.id, f.status) for f in judged(real_facts, home, pycharm_versions=()).values()] == [
        ("pycharm.installed", "skipped")
    ]
    pycharm_home_with(home, exam_plugin=False)
    assert [(f.id, f.status) for f in judged(real_facts, home, pycharm_versions=()).values()] == [
        ("pycharm.installed", "ok")
    ]


def test_facts_saved_before_installations_were_looked_for_are_skipped(real_facts):
    saved = real_facts.to_dict()
    del saved["pycharm_installations"]
    findings = check_pycharm_installation(Facts.from_dict(saved), resolve_profile("exam-2022-07"))
    assert [(f.id, f.status) for f in findings] == [("pycharm.installed", "skipped")]


def test_an_unreadable_plugin_is_a_warning(real_facts, tmp_path):
    home = tmp_path / "home"
    pycharm_home_with(home)
    lib = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3" / "broken" / "lib"
    lib.mkdir(parents=True)
    (lib / "broken.jar").write_bytes(b"not a zip")
    findings = judged(real_facts, home)
    assert findings["pycharm.exam-plugin"].status == "ok"
    assert findings["pycharm.unreadable"].status == "warn" and "broken.jar" in (
        findings["pycharm.unreadable"].seen or ""
    )


def test_the_project_resolution_is_typed_in_the_facts_and_survives_a_round_trip(tmp_path):
    python = str(require_python("3.8"))
    home = tmp_path / "home"
    make_config_dir(
        home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", [jdk_entry("Python 3.8", python, "CPythonSdkFlavor")]
    )
    project = write_project(home / "PycharmProjects" / "tfexam", "Python 3.8")
    target = discover_target(pycharm_project=project, environ={"HOME": str(home)})
    facts = gather_facts(target, with_tensorflow=False)
    assert isinstance(facts.pycharm, PyCharmProject) and isinstance(facts.pycharm.sdk, PyCharmSdk)
    assert (facts.pycharm.sdk_name, facts.pycharm.sdk_name_from, facts.pycharm.interpreter) == (
        "Python 3.8",
        "project",
        python,
    )
    assert facts.pycharm.sdk.flavor == "system" and facts.pycharm.is_target
    assert Facts.from_dict(facts.to_dict()).pycharm == facts.pycharm
