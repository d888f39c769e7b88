"""Finding PyCharm installations in every OS layout, pairing each with its config folder, and
reading its plugins, on realistic trees built in tmp_path."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.helpers.pycharm_trees import (
    EXAM_PLUGIN,
    environ_for,
    install_exam_plugin,
    install_plugin,
    jdk_entry,
    make_config_dir,
    plugins_dir_path,
    pycharm_home_with,
    write_installation,
    write_jar,
    write_jdk_table,
)
from tfenvcheck.facts.model import to_dict
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT, LEGACY_LAYOUT
from tfenvcheck.pycharm.installations import find_installations, version_from_build
from tfenvcheck.pycharm.lookup import sdk_tables


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


def find(home, root, system="Linux", environ=None):
    return find_installations(home=home, environ=environ or environ_for(home, system), system=system, root=root)


def only(home, root, system="Linux", environ=None):
    found = find(home, root, system, environ).installations
    assert len(found) == 1, [i.path for i in found]
    return found[0]


def test_linux_tarball_in_opt_with_its_config_and_plugins(home, root):
    folder = write_installation(root / "opt" / "pycharm-community-2021.3.3")
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharmCE2021.3")
    plugins = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3"
    install_exam_plugin(plugins)
    found = only(home, root)
    assert (found.product, found.product_code, found.version, found.build) == (
        "PyCharm Community",
        "PC",
        "2021.3.3",
        "213.7172.26",
    )
    assert found.path == str(folder) and found.application_home == str(folder) and found.found_by == "tarball"
    assert found.config_dir == str(config) and found.plugins_dir == str(plugins)
    assert [(p.id, p.name, p.version, p.enabled) for p in found.plugins] == [
        ("com.google.developers.certification", EXAM_PLUGIN, "1.0.3", True)
    ]
    assert found.issues == []


def test_linux_2019_tarball_in_home_known_by_build_txt_alone_uses_the_old_layout(home, root):
    write_installation(home / "pycharm-community-2019.3.4", "PC", "2019.3.4", "193.6911.25", with_product_info=False)
    config = make_config_dir(home, "Linux", LEGACY_LAYOUT, "PyCharmCE2019.3")
    write_jar(
        config / "plugins" / "markdown-navigator.jar",
        {
            "META-INF/plugin.xml": "<idea-plugin><id>com.vladsch.idea.multimarkdown</id>"
            "<name>Markdown Navigator</name><version>2.9.7</version></idea-plugin>"
        },
    )
    found = only(home, root)
    assert (found.version, found.build, found.data_directory_name) == ("2019.3", "193.6911.25", "PyCharmCE2019.3")
    assert found.config_dir == str(config) and found.plugins_dir == str(config / "plugins")
    assert [(p.id, p.version) for p in found.plugins] == [("com.vladsch.idea.multimarkdown", "2.9.7")]


def test_linux_toolbox_older_layout_with_its_per_build_plugins_folder(home, root):
    channel = home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps" / "PyCharm-P" / "ch-0"
    write_installation(channel / "212.5457.59", "PY", "2021.2.3", "212.5457.59")
    newer = write_installation(channel / "213.7172.26", "PY", "2021.3.3", "213.7172.26")
    install_exam_plugin(channel / "213.7172.26.plugins")
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2021.3")
    found = find(home, root).installations
    assert [(i.product, i.version, i.found_by) for i in found] == [
        ("PyCharm Professional", "2021.3.3", "toolbox"),
        ("PyCharm Professional", "2021.2.3", "toolbox"),
    ]
    assert found[0].path == str(newer) and found[0].plugins_dir == str(channel / "213.7172.26.plugins")
    assert [p.name for p in found[0].plugins] == [EXAM_PLUGIN]
    assert found[1].config_dir is None  # 2021.2 was never started here: no config folder


def test_linux_toolbox_newer_layout_snap_and_flatpak(home, root):
    pycharm_home_with(home, "2022.1.4", "221.6008.17")
    snap = write_installation(root / "snap" / "pycharm-professional" / "287", "PY", "2022.2.1", "222.3739.56")
    (root / "snap" / "pycharm-professional" / "current").symlink_to(snap.name)
    files = (
        root / "var" / "lib" / "flatpak" / "app" / "com.jetbrains.PyCharm-Community" / "current" / "active" / "files"
    )
    write_installation(files / "pycharm", "PC", "2021.3.2", "213.6777.50")
    found = {i.found_by: (i.product, i.version, i.path) for i in find(home, root).installations}
    assert found == {
        "toolbox": (
            "PyCharm Community",
            "2022.1.4",
            str(home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps" / "pycharm-community"),
        ),
        "snap": ("PyCharm Professional", "2022.2.1", str(root / "snap" / "pycharm-professional" / "current")),
        "flatpak": ("PyCharm Community", "2021.3.2", str(files / "pycharm")),
    }


def test_macos_bundle_with_info_plist_and_application_home(home, root):
    bundle = write_installation(root / "Applications" / "PyCharm CE.app", system="Darwin")
    config = make_config_dir(home, "Darwin", CURRENT_LAYOUT, "PyCharmCE2021.3")
    install_exam_plugin(plugins_dir_path(home, "Darwin", CURRENT_LAYOUT, "PyCharmCE2021.3"))
    found = only(home, root, "Darwin")
    assert (found.product, found.version, found.found_by) == ("PyCharm Community", "2021.3.3", "applications")
    assert found.path == str(bundle) and found.application_home == str(bundle / "Contents")
    assert found.config_dir == str(config)
    assert found.plugins_dir == str(
        home / "Library" / "Application Support" / "JetBrains" / "PyCharmCE2021.3" / "plugins"
    )
    assert [p.name for p in found.plugins] == [EXAM_PLUGIN]


def test_macos_version_from_info_plist_when_product_info_is_missing(home, root):
    write_installation(home / "Applications" / "PyCharm.app", "PY", "2021.3.3", "213.7172.26", "Darwin", False)
    found = only(home, root, "Darwin")
    assert (found.product, found.version, found.build, found.data_directory_name) == (
        "PyCharm Professional",
        "2021.3.3",
        "213.7172.26",
        "PyCharm2021.3",
    )


def test_macos_toolbox_bundle_and_legacy_plugins_folder(home, root):
    channel = home / "Library" / "Application Support" / "JetBrains" / "Toolbox" / "apps" / "PyCharm-C" / "ch-0"
    write_installation(channel / "193.6911.25" / "PyCharm CE.app", "PC", "2019.3.4", "193.6911.25", "Darwin")
    make_config_dir(home, "Darwin", LEGACY_LAYOUT, "PyCharmCE2019.3")
    install_exam_plugin(home / "Library" / "Application Support" / "PyCharmCE2019.3")
    found = only(home, root, "Darwin")
    assert (found.version, found.found_by) == ("2019.3.4", "toolbox")
    assert found.config_dir == str(home / "Library" / "Preferences" / "PyCharmCE2019.3")
    assert [p.name for p in found.plugins] == [EXAM_PLUGIN]


def test_windows_program_files_and_toolbox(home, root):
    program_files = root / "Program Files"
    local = home / "AppData" / "Local"
    environ = dict(environ_for(home, "Windows"), ProgramFiles=str(program_files), LOCALAPPDATA=str(local))
    installed = write_installation(program_files / "JetBrains" / "PyCharm Community Edition 2021.3.3", system="Windows")
    write_installation(
        local / "JetBrains" / "Toolbox" / "apps" / "PyCharm-P" / "ch-0" / "223.8836.43",
        "PY",
        "2022.3.3",
        "223.8836.43",
        "Windows",
    )
    config = make_config_dir(home, "Windows", CURRENT_LAYOUT, "PyCharmCE2021.3")
    install_exam_plugin(plugins_dir_path(home, "Windows", CURRENT_LAYOUT, "PyCharmCE2021.3"))
    found = find(home, root, "Windows", environ).installations
    assert [(i.product, i.version, i.found_by) for i in found] == [
        ("PyCharm Professional", "2022.3.3", "toolbox"),
        ("PyCharm Community", "2021.3.3", "program-files"),
    ]
    assert found[1].path == str(installed) and found[1].config_dir == str(config)
    assert [p.name for p in found[1].plugins] == [EXAM_PLUGIN]


def test_dataspell_and_idea_with_python_count_other_ides_do_not(home, root):
    apps = home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps"
    write_installation(apps / "dataspell", "DS", "2022.1.3", "221.5921.27")
    write_installation(apps / "intellij-idea-community-edition", "IC", "2022.1.4", "221.6008.13")
    write_installation(apps / "intellij-idea-ultimate", "IU", "2022.1.4", "221.6008.13")
    write_installation(apps / "goland", "GO", "2022.1.4", "221.6008.15")
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "IdeaIC2022.1")
    install_plugin(
        home / ".local" / "share" / "JetBrains" / "IdeaIC2022.1",
        "python-ce",
        "PythonCore",
        "Python Community Edition",
        "221.6008.13",
    )
    found = [(i.product, i.version) for i in find(home, root).installations]
    assert found == [("IntelliJ IDEA Community", "2022.1.4"), ("DataSpell", "2022.1.3")]


def test_unified_pycharm_is_named_pycharm_and_sorts_newest_first(home, root):
    apps = home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps"
    write_installation(apps / "pycharm", "PY", "2025.3.1", "253.29346.142")
    pycharm_home_with(home)
    make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2025.3")
    found = find(home, root).installations
    assert [(i.product, i.version, i.data_directory_name) for i in found] == [
        ("PyCharm", "2025.3.1", "PyCharm2025.3"),
        ("PyCharm Community", "2021.3.3", "PyCharmCE2021.3"),
    ]
    assert found[0].config_dir == str(home / ".config" / "JetBrains" / "PyCharm2025.3")


def test_disabled_plugins_are_marked(home, root):
    pycharm_home_with(home)
    config = home / ".config" / "JetBrains" / "PyCharmCE2021.3"
    (config / "disabled_plugins.txt").write_text("com.google.developers.certification\norg.jetbrains.plugins.yaml\n")
    [plugin] = only(home, root).plugins
    assert (plugin.name, plugin.enabled) == (EXAM_PLUGIN, False)


def test_nothing_installed_says_where_it_looked(home, root):
    home.mkdir()
    found = find(home, root)
    assert found.probed and found.installations == []
    assert [(p.path, p.found_by, p.exists) for p in found.looked_in][:2] == [
        (str(root / "opt"), "tarball", False),
        (str(home), "tarball", True),
    ]
    assert str(home / ".local" / "share" / "JetBrains" / "Toolbox" / "apps") in [p.path for p in found.looked_in]


def test_version_from_build_number():
    assert version_from_build("213.7172.26") == "2021.3"
    assert version_from_build("PC-193.6911.25") == "2019.3"
    assert version_from_build("nonsense") is None


# -- hostile and broken files: a finding each, never a crash, nothing read outside the jar ---------


def plugins_of(home, root):
    installation = only(home, root)
    return installation.plugins, installation.issues


def test_a_jar_that_is_not_a_zip(home, root):
    pycharm_home_with(home, exam_plugin=False)
    lib = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3" / "broken" / "lib"
    lib.mkdir(parents=True)
    (lib / "broken.jar").write_bytes(b"<html>404 Not Found</html>")
    plugins, issues = plugins_of(home, root)
    assert plugins == []
    assert [i["id"] for i in issues] == ["pycharm-plugin-unreadable"]
    assert "is not a valid jar (zip) archive" in issues[0]["message"] and issues[0]["path"] == str(lib / "broken.jar")


def test_a_zip_bomb_is_refused_before_it_is_inflated(home, root):
    pycharm_home_with(home, exam_plugin=False)
    jar = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3" / "bomb" / "lib" / "bomb.jar"
    jar.parent.mkdir(parents=True)
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("META-INF/plugin.xml", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(20):  # 20 MiB of spaces, some KiB deflated
                member.write(chunk)
    assert jar.stat().st_size < 2**16
    plugins, issues = plugins_of(home, root)
    assert plugins == [] and len(issues) == 1
    assert "holds a META-INF/plugin.xml of 20971520 bytes: too large to be real, not inflated" in issues[0]["message"]


def test_a_bomb_that_lies_about_its_size_is_cut_off(home, root):
    pycharm_home_with(home, exam_plugin=False)
    jar = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3" / "liar" / "lib" / "liar.jar"
    jar.parent.mkdir(parents=True)
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/plugin.xml", b"<idea-plugin>" + b" " * (8 * 2**20))
    data = bytearray(jar.read_bytes())
    # Rewrite the uncompressed size in the central directory (offset 24 of its entry) to 100 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    jar.write_bytes(bytes(data))
    plugins, issues = plugins_of(home, root)
    assert plugins == [] and [i["id"] for i in issues] == ["pycharm-plugin-unreadable"]


def test_entity_expansion_is_refused(home, root):
    pycharm_home_with(home, exam_plugin=False)
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE idea-plugin [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        "<idea-plugin><id>x</id><name>&lol3;</name></idea-plugin>"
    )
    install_plugin(home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3", "laughs", "x", "x", "1", xml=laughs)
    plugins, issues = plugins_of(home, root)
    assert plugins == [] and [i["id"] for i in issues] == ["pycharm-file-unsafe"]
    assert "laughs.jar!/META-INF/plugin.xml was refused" in issues[0]["message"]


def test_external_dtd_and_entities_are_never_read(home, root, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    pycharm_home_with(home, exam_plugin=False)
    plugins_dir = home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3"
    external_entity = (
        '<?xml version="1.0"?>\n<!DOCTYPE idea-plugin [<!ENTITY leak SYSTEM "file://{}">]>\n'
        "<idea-plugin><id>leak</id><name>&leak;</name></idea-plugin>".format(secret)
    )
    external_dtd = '<?xml version="1.0"?>\n<!DOCTYPE idea-plugin SYSTEM "file://{}">\n<idea-plugin><id>dtd</id></idea-plugin>'.format(
        secret
    )
    xinclude = (
        '<idea-plugin xmlns:xi="http://www.w3.org/2001/XInclude"><id>inc</id><name>Include</name>'
        '<xi:include href="file://{}" parse="text" /></idea-plugin>'.format(secret)
    )
    install_plugin(plugins_dir, "entity", "", "", "", xml=external_entity)
    install_plugin(plugins_dir, "dtd", "", "", "", xml=external_dtd)
    install_plugin(plugins_dir, "include", "", "", "", xml=xinclude)
    plugins, issues = plugins_of(home, root)
    assert [(p.id, p.name) for p in plugins] == [("inc", "Include")]  # XInclude is never processed
    assert sorted(i["id"] for i in issues) == ["pycharm-file-unsafe", "pycharm-file-unsafe"]
    assert "TOP-SECRET-MARKER" not in json.dumps(to_dict(find(home, root)))


def test_the_doctype_of_jetbrains_old_plugin_template_is_accepted(home, root):
    pycharm_home_with(home, exam_plugin=False)
    xml = (
        '<!DOCTYPE idea-plugin PUBLIC "Plugin/DTD" "http://plugins.jetbrains.com/plugin.dtd">\n'
        "<idea-plugin><name>Old Plugin</name><version>0.9</version></idea-plugin>"
    )
    install_plugin(home / ".local" / "share" / "JetBrains" / "PyCharmCE2021.3", "old", "", "", "", xml=xml)
    plugins, issues = plugins_of(home, root)
    assert [(p.id, p.name, p.version) for p in plugins] == [("Old Plugin", "Old Plugin", "0.9")] and issues == []


def test_a_broken_product_info_falls_back_to_build_txt(home, root):
    folder = write_installation(root / "opt" / "pycharm-2021.3.3")
    (folder / "product-info.json").write_text('{"name": "PyCharm", "version": ')
    found = only(home, root)
    assert (found.version, found.build) == ("2021.3", "213.7172.26")
    assert [i["id"] for i in found.issues] == ["pycharm-installation-unreadable"]


def test_application_home_dir_is_the_folder_of_the_installation_using_the_config(home):
    installation = pycharm_home_with(home)
    config = home / ".config" / "JetBrains" / "PyCharmCE2021.3"
    write_jdk_table(
        config, [jdk_entry("Bundled", "$APPLICATION_HOME_DIR$/plugins/python-ce/helpers/python3", "CPythonSdkFlavor")]
    )
    _, tables = sdk_tables(environ={"HOME": str(home)}, system="Linux")
    [table] = tables
    assert table.sdks[0].home_path == "{}/plugins/python-ce/helpers/python3".format(installation)
    _, [given] = sdk_tables(config=config, environ={"HOME": str(home)}, system="Linux")
    assert given.sdks[0].home_path == table.sdks[0].home_path
