"""Realistic PyCharm trees for each OS layout (home dir, config dirs, jdk.table.xml, projects), built
in tmp_path and shared by the other test_pycharm_* modules; and the config-dir discovery over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.pycharm_trees import LAYOUTS, environ_for, make_config_dir, realistic_entries
from tfenvcheck.pycharm.config_dirs import (
    CURRENT_LAYOUT,
    LEGACY_LAYOUT,
    discover_config_dirs,
    explicit_config_dir,
    parse_product_folder,
)

# --- discovery over those trees ---------------------------------------------------------------


@pytest.mark.parametrize("system,layout", LAYOUTS)
def test_each_os_layout_is_found_with_product_and_version(tmp_path: Path, system: str, layout: str) -> None:
    home = tmp_path / "home"
    made = make_config_dir(home, system, layout, "PyCharmCE2019.3" if layout == LEGACY_LAYOUT else "PyCharm2023.2")
    looked_at, found = discover_config_dirs(home, environ_for(home, system), system)
    assert [(c.path, c.layout) for c in found] == [(made, layout)]
    assert (found[0].product, found[0].version) == (
        ("PyCharmCE", "2019.3") if layout == LEGACY_LAYOUT else ("PyCharm", "2023.2")
    )
    assert found[0].sdk_table == made / "options" / "jdk.table.xml"
    assert {location.layout for location in looked_at} == {CURRENT_LAYOUT, LEGACY_LAYOUT}


def test_all_products_found_newest_first_and_others_ignored(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for folder in (
        "PyCharm2021.1",
        "PyCharmCE2023.2",
        "DataSpell2022.3",
        "IntelliJIdea2023.2",
        "IdeaIC2020.3",
        "PyCharm2023.2",
        "WebStorm2023.2",
        "GoLand2023.1",
        "PyCharm-backup",
        "consentOptions",
    ):
        make_config_dir(home, "Linux", CURRENT_LAYOUT, folder)
    make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharm2019.2")
    (home / ".PyCharm2018.3").mkdir()  # a pre-2020 folder with no config inside: not a config dir
    _, found = discover_config_dirs(home, environ_for(home, "Linux"), "Linux")
    assert [(c.product, c.version) for c in found] == [
        ("PyCharm", "2023.2"),
        ("PyCharmCE", "2023.2"),
        ("IntelliJIdea", "2023.2"),
        ("DataSpell", "2022.3"),
        ("PyCharm", "2021.1"),
        ("IdeaIC", "2020.3"),
        ("PyCharm", "2019.2"),
    ]


def test_xdg_config_home_and_appdata_are_honoured(tmp_path: Path) -> None:
    home = tmp_path / "home"
    xdg = tmp_path / "xdg"
    (xdg / "JetBrains" / "PyCharm2024.1").mkdir(parents=True)
    _, found = discover_config_dirs(home, {"HOME": str(home), "XDG_CONFIG_HOME": str(xdg)}, "Linux")
    assert [c.path for c in found] == [xdg / "JetBrains" / "PyCharm2024.1"]
    appdata = tmp_path / "roaming"
    (appdata / "JetBrains" / "DataSpell2023.3").mkdir(parents=True)
    _, found = discover_config_dirs(home, {"USERPROFILE": str(home), "APPDATA": str(appdata)}, "Windows")
    assert [c.path for c in found] == [appdata / "JetBrains" / "DataSpell2023.3"]


def test_no_config_dirs_reports_where_it_looked(tmp_path: Path) -> None:
    looked_at, found = discover_config_dirs(tmp_path, {"HOME": str(tmp_path)}, "Darwin")
    assert found == []
    assert [location.parent for location in looked_at] == [
        tmp_path / "Library" / "Application Support" / "JetBrains",
        tmp_path / "Library" / "Preferences",
    ]
    assert not any(location.to_dict()["exists"] for location in looked_at)


@pytest.mark.parametrize(
    "name,expected",
    [
        ("PyCharm2023.2", ("PyCharm", "2023.2")),
        ("PyCharmCE2020.1", ("PyCharmCE", "2020.1")),
        (".PyCharmCE2019.3", ("PyCharmCE", "2019.3")),
        ("IdeaIC2022.1.2", ("IdeaIC", "2022.1.2")),
        ("PyCharm", None),
        ("PyCharmEAP", None),
        ("CLion2023.1", None),
        ("PyCharm2023.2.bak", None),
    ],
)
def test_product_and_version_from_folder_name(name: str, expected: tuple[str, str] | None) -> None:
    assert parse_product_folder(name) == expected


def test_explicit_config_dir_accepts_the_dir_its_parent_or_options(tmp_path: Path) -> None:
    home = tmp_path / "home"
    legacy = make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharm2019.3", realistic_entries())
    for given in (legacy, legacy.parent, legacy / "options", legacy / "options" / "jdk.table.xml"):
        config_dir = explicit_config_dir(given)
        assert config_dir is not None and config_dir.path == legacy
        assert (config_dir.product, config_dir.version) == ("PyCharm", "2019.3")
    assert explicit_config_dir(make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2")) is None


def test_config_dir_moved_by_idea_config_path_comes_first(tmp_path: Path) -> None:
    home = tmp_path / "home"
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2024.1")
    moved = tmp_path / "portable" / "PyCharm2023.2"
    moved.mkdir(parents=True)
    properties = tmp_path / "pycharm.properties"
    properties.write_text(
        "# idea.config.path=/not/this\nidea.system.path=${user.home}/sys\n"
        "idea.config.path=" + str(moved).replace(str(tmp_path), "${user.home}/..") + "\n"
    )
    environ = dict(environ_for(home, "Linux"), PYCHARM_PROPERTIES=str(properties))
    looked_at, found = discover_config_dirs(home, environ, "Linux")
    assert [(c.path.resolve(), c.product, c.version, c.layout) for c in found] == [
        (moved, "PyCharm", "2023.2", "idea.config.path"),
        (home / ".config" / "JetBrains" / "PyCharm2024.1", "PyCharm", "2024.1", CURRENT_LAYOUT),
    ]
    assert looked_at[0].pattern == "$PYCHARM_PROPERTIES"


def test_unreadable_or_silent_properties_files_move_nothing(tmp_path: Path) -> None:
    properties = tmp_path / "idea.properties"
    properties.write_text("idea.system.path=/x\n")
    for value in (str(properties), str(tmp_path / "missing.properties"), str(tmp_path)):
        looked_at, _ = discover_config_dirs(tmp_path, {"HOME": str(tmp_path), "IDEA_PROPERTIES": value}, "Linux")
        assert [location.layout for location in looked_at] == [CURRENT_LAYOUT, LEGACY_LAYOUT]
