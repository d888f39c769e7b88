"""Realistic PyCharm trees for each OS layout (home dir, config dirs, jdk.table.xml, projects), built
in tmp_path and shared by the other test_pycharm_* modules; and the config-dir discovery over them."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tfenvcheck.pycharm.config_dirs import (
    CURRENT_LAYOUT,
    LEGACY_LAYOUT,
    discover_config_dirs,
    explicit_config_dir,
    parse_product_folder,
)

EXAM_SDK = "Python 3.8 (tfexam)"
CONDA_SDK = "Python 3.9 (tf-conda)"
SSH_SDK = "Remote Python 3.8.10 (sftp://exam@gpu-box:22/home/exam/venv/bin/python)"
DOCKER_SDK = "Remote Python Docker (tensorflow/tensorflow:2.5.0)"
GONE_SDK = "Python 3.7 (old-exam)"
JAVA_SDK = "corretto-17"

_ROOTS = """
      <roots>
        <annotationsPath><root type="composite" /></annotationsPath>
        <classPath><root type="composite" /></classPath>
        <javadocPath><root type="composite" /></javadocPath>
        <sourcePath><root type="composite" /></sourcePath>
      </roots>"""


def jdk_entry(
    name: str,
    home_path: str,
    flavor_id: str | None = None,
    sdk_type: str = "Python SDK",
    version: str = "Python 3.8.18",
    attributes: dict[str, str] | None = None,
    flavor_data: str | None = None,
) -> str:
    """One <jdk> element as PyCharm writes it."""
    attrs = "".join(" {}={}".format(k, quoteattr(v)) for k, v in (attributes or {}).items())
    settings = ""
    if flavor_id:
        settings += '\n        <setting name="FLAVOR_ID" value="{}" />'.format(flavor_id)
    if flavor_data is not None:
        settings += '\n        <setting name="FLAVOR_DATA" value={} />'.format(quoteattr(flavor_data))
    return """
    <jdk version="2">
      <name value={name} />
      <type value={sdk_type} />
      <version value={version} />
      <homePath value={home} />{roots}
      <additional{attrs}>{settings}
      </additional>
    </jdk>""".format(
        name=quoteattr(name),
        sdk_type=quoteattr(sdk_type),
        version=quoteattr(version),
        home=quoteattr(home_path),
        roots=_ROOTS,
        attrs=attrs,
        settings=settings,
    )


def realistic_entries(exam_home: str = "$USER_HOME$/PycharmProjects/tfexam/venv/bin/python") -> list[str]:
    """The exam venv, a conda env, an SSH and a Docker interpreter, a deleted venv and a Java JDK."""
    return [
        jdk_entry(
            EXAM_SDK,
            exam_home,
            "VirtualEnvSdkFlavor",
            attributes={"ASSOCIATED_PROJECT_PATH": "$USER_HOME$/PycharmProjects/tfexam"},
        ),
        jdk_entry(
            CONDA_SDK,
            "$USER_HOME$/miniconda3/envs/tf/bin/python",
            "CondaEnvSdkFlavor",
            version="Python 3.9.18",
            flavor_data='{"env":"tf"}',
        ),
        jdk_entry(
            SSH_SDK,
            "sftp://exam@gpu-box:22/home/exam/venv/bin/python",
            "UnixPythonSdkFlavor",
            version="Python 3.8.10",
            attributes={
                "INTERPRETER_PATH": "/home/exam/venv/bin/python",
                "HOST": "gpu-box",
                "PORT": "22",
                "USERNAME": "exam",
                "HELPERS_PATH": "/home/exam/.pycharm_helpers",
            },
        ),
        jdk_entry(
            DOCKER_SDK,
            "docker://tensorflow/tensorflow:2.5.0/python",
            version="Python 3.6.9",
            attributes={"INTERPRETER_PATH": "python"},
        ),
        jdk_entry(
            GONE_SDK,
            "$USER_HOME$/PycharmProjects/old-exam/venv/bin/python",
            "VirtualEnvSdkFlavor",
            version="Python 3.7.16",
        ),
        jdk_entry(JAVA_SDK, "$USER_HOME$/.jdks/corretto-17", sdk_type="JavaSDK", version="17"),
    ]


def write_jdk_table(config_dir: Path, entries: list[str]) -> Path:
    table = config_dir / "options" / "jdk.table.xml"
    table.parent.mkdir(parents=True, exist_ok=True)
    table.write_text(
        '<application>\n  <component name="ProjectJdkTable">{}\n  </component>\n</application>\n'.format(
            "".join(entries)
        )
    )
    return table


def environ_for(home: Path, system: str) -> dict[str, str]:
    if system == "Windows":
        return {"USERPROFILE": str(home), "APPDATA": str(home / "AppData" / "Roaming")}
    return {"HOME": str(home)}


def config_dir_path(home: Path, system: str, layout: str, folder: str) -> Path:
    """Where PyCharm keeps `folder` (e.g. 'PyCharm2023.2') on `system` in `layout`."""
    if system == "Darwin":
        parent = home / "Library" / ("Application Support/JetBrains" if layout == CURRENT_LAYOUT else "Preferences")
        return parent / folder
    if layout == LEGACY_LAYOUT:
        return home / ("." + folder) / "config"
    if system == "Windows":
        return home / "AppData" / "Roaming" / "JetBrains" / folder
    return home / ".config" / "JetBrains" / folder


def make_config_dir(home: Path, system: str, layout: str, folder: str, entries: list[str] | None = None) -> Path:
    path = config_dir_path(home, system, layout, folder)
    path.mkdir(parents=True, exist_ok=True)
    (path / "options").mkdir(exist_ok=True)
    (path / "options" / "other.xml").write_text("<application />\n")
    if entries is not None:
        write_jdk_table(path, entries)
    return path


def write_project(
    project_dir: Path,
    project_sdk: str | None,
    module_sdk: str | None = None,
    module_name: str = "tfexam",
    modules_xml: bool = True,
) -> Path:
    """A PyCharm project: .idea/misc.xml naming the project SDK, a module .iml that inherits it
    (or names `module_sdk`), and .idea/modules.xml listing the module."""
    idea = project_dir / ".idea"
    idea.mkdir(parents=True, exist_ok=True)
    jdk_attrs = (
        ' project-jdk-name={} project-jdk-type="Python SDK"'.format(quoteattr(project_sdk)) if project_sdk else ""
    )
    (idea / "misc.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n'
        '  <component name="Black"><option name="sdkName" value="whatever" /></component>\n'
        '  <component name="ProjectRootManager" version="2"{} />\n</project>\n'.format(jdk_attrs)
    )
    order_entry = (
        '<orderEntry type="jdk" jdkName={} jdkType="Python SDK" />'.format(quoteattr(module_sdk))
        if module_sdk
        else '<orderEntry type="inheritedJdk" />'
    )
    iml = idea / "{}.iml".format(module_name)
    iml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<module type="PYTHON_MODULE" version="4">\n'
        '  <component name="NewModuleRootManager">\n'
        '    <content url="file://$MODULE_DIR$"><excludeFolder url="file://$MODULE_DIR$/venv" /></content>\n'
        '    {}\n    <orderEntry type="sourceFolder" forTests="false" />\n'
        "  </component>\n</module>\n".format(order_entry)
    )
    if modules_xml:
        (idea / "modules.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="ProjectModuleManager">\n'
            '    <modules>\n      <module fileurl="file://$PROJECT_DIR$/.idea/{0}.iml" '
            'filepath="$PROJECT_DIR$/.idea/{0}.iml" />\n    </modules>\n  </component>\n</project>\n'.format(
                module_name
            )
        )
    return project_dir


# --- discovery over those trees ---------------------------------------------------------------

LAYOUTS = [
    ("Linux", CURRENT_LAYOUT),
    ("Linux", LEGACY_LAYOUT),
    ("Darwin", CURRENT_LAYOUT),
    ("Darwin", LEGACY_LAYOUT),
    ("Windows", CURRENT_LAYOUT),
    ("Windows", LEGACY_LAYOUT),
]


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
