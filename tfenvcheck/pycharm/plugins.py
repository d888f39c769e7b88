"""The plugins a user installed into one PyCharm configuration, read from their jars.

Installed plugins live outside the installation, in a folder that depends on the OS and layout:
- 2020.1 and later: Linux `$XDG_DATA_HOME/JetBrains/<dataDirectoryName>` (default `~/.local/share`,
  the plugins directly in it), macOS `~/Library/Application Support/JetBrains/<name>/plugins`,
  Windows `%APPDATA%\\JetBrains\\<name>\\plugins`;
- before 2020.1: Linux and Windows `<config dir>/plugins`, macOS `~/Library/Application Support/<name>`;
- the older JetBrains Toolbox gave each build its own `<build>.plugins` folder beside it.
Each plugin is a folder with `lib/*.jar`, or a single jar; the jar holding `META-INF/plugin.xml`
names it (`<id>`, `<name>`, `<version>`). `<config dir>/disabled_plugins.txt` lists switched-off ids.

A jar is read with zipfile only: the member's declared size is checked before it is inflated and
the read is capped, so a zip bomb costs nothing; plugin.xml goes through defusedxml, so no entity
is expanded and nothing outside the jar is fetched. Each problem is an issue record, never a crash.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tfenvcheck.facts.model import PyCharmPlugin
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT
from tfenvcheck.pycharm.issues import FILE_UNREADABLE, PLUGIN_UNREADABLE, issue
from tfenvcheck.pycharm.xml_files import PyCharmFileError, parse_xml_bytes

PLUGIN_XML = "META-INF/plugin.xml"
# A real plugin.xml is a few kilobytes, a jar rarely more than tens of megabytes.
MAX_PLUGIN_XML_BYTES = 2**20
MAX_JAR_BYTES = 512 * 2**20
MAX_DISABLED_LIST_BYTES = 2**20
# The one DTD JetBrains' own plugin template used to declare; it is never fetched, so it is dropped.
_JETBRAINS_DOCTYPE = re.compile(
    rb'<!DOCTYPE\s+idea-plugin\s+PUBLIC\s+"Plugin/DTD"\s+"https?://plugins\.jetbrains\.com/plugin\.dtd"\s*>'
)

# The exam's plugin; its id is not published, its name is (tensorflow/tensorflow#38382, #51146).
EXAM_PLUGIN_NAME = "Google Developers Certification"
# The Python plugin that makes IntelliJ IDEA a Python IDE: Professional's, Community's.
PYTHON_PLUGIN_IDS = frozenset({"Pythonid", "PythonCore"})

Issue = dict[str, Any]


def is_exam_plugin(plugin: PyCharmPlugin) -> bool:
    return plugin.name.strip().casefold() == EXAM_PLUGIN_NAME.casefold()


def plugins_dir(
    data_directory_name: str,
    config_dir: Path | None,
    layout: str,
    home: Path,
    environ: Mapping[str, str],
    system: str,
) -> Path:
    """Where a configuration in `layout` keeps the plugins the user installed."""
    if layout == CURRENT_LAYOUT:
        if system == "Darwin":
            return home / "Library" / "Application Support" / "JetBrains" / data_directory_name / "plugins"
        if system == "Windows":
            appdata = Path(environ["APPDATA"]) if environ.get("APPDATA") else home / "AppData" / "Roaming"
            return appdata / "JetBrains" / data_directory_name / "plugins"
        data = Path(environ["XDG_DATA_HOME"]) if environ.get("XDG_DATA_HOME") else home / ".local" / "share"
        return data / "JetBrains" / data_directory_name
    if system == "Darwin":
        return home / "Library" / "Application Support" / data_directory_name
    return (config_dir or home / ("." + data_directory_name) / "config") / "plugins"


def disabled_plugin_ids(config_dir: Path | None) -> set[str]:
    """The ids in `<config dir>/disabled_plugins.txt` (one a line); none when it is absent or unreadable."""
    if config_dir is None:
        return set()
    listing = config_dir / "disabled_plugins.txt"
    try:
        if listing.stat().st_size > MAX_DISABLED_LIST_BYTES:
            return set()
        text = listing.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    return {line.strip() for line in text.splitlines() if line.strip()}


class PluginJarError(Exception):
    def __init__(self, jar: Path, reason: str) -> None:
        super().__init__("{} {}".format(jar, reason))
        self.issue = issue(PLUGIN_UNREADABLE, "plugin jar {} {}".format(jar, reason), path=str(jar))


def plugin_xml_bytes(jar: Path) -> bytes | None:
    """The bytes of the jar's `META-INF/plugin.xml`; None when it has none. Raises PluginJarError."""
    try:
        if jar.stat().st_size > MAX_JAR_BYTES:
            raise PluginJarError(jar, "is larger than {} MiB: not read".format(MAX_JAR_BYTES // 2**20))
        with zipfile.ZipFile(jar) as archive:
            try:
                member = archive.getinfo(PLUGIN_XML)
            except KeyError:
                return None
            if member.file_size > MAX_PLUGIN_XML_BYTES:
                raise PluginJarError(
                    jar,
                    "holds a {} of {} bytes: too large to be real, not inflated".format(PLUGIN_XML, member.file_size),
                )
            with archive.open(member) as opened:
                data = opened.read(MAX_PLUGIN_XML_BYTES + 1)
    except zipfile.BadZipFile as error:
        raise PluginJarError(jar, "is not a valid jar (zip) archive: {}".format(error)) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as error:
        # unreadable, truncated, encrypted, an unsupported compression, a corrupt header
        raise PluginJarError(jar, "cannot be read: {}".format(error)) from None
    if len(data) > MAX_PLUGIN_XML_BYTES:
        raise PluginJarError(jar, "holds a {} larger than it declares: not read".format(PLUGIN_XML))
    return data


def parse_plugin_xml(data: bytes, where: str, disabled: set[str], path: Path) -> PyCharmPlugin:
    """The plugin a plugin.xml describes; raises PyCharmFileError for one that is unreadable or unsafe."""
    root = parse_xml_bytes(_JETBRAINS_DOCTYPE.sub(b"", data, count=1), where)
    name = (root.findtext("name") or "").strip()
    plugin_id = (root.findtext("id") or "").strip() or name  # IntelliJ falls back to the name, too
    if root.tag != "idea-plugin" or not plugin_id:
        raise PyCharmFileError(
            FILE_UNREADABLE, where, "is not a plugin descriptor (no <idea-plugin> with an id or name)"
        )
    version = (root.findtext("version") or "").strip() or None
    return PyCharmPlugin(
        id=plugin_id, name=name or plugin_id, version=version, enabled=plugin_id not in disabled, path=str(path)
    )


def plugin_jars(entry: Path) -> list[Path]:
    """The jars that may describe the plugin at `entry`: the one named like its folder first."""
    if entry.is_file():
        return [entry] if entry.suffix == ".jar" else []
    try:
        jars = sorted(p for p in (entry / "lib").iterdir() if p.suffix == ".jar" and p.is_file())
    except OSError:
        return []
    jars.sort(key=lambda jar: jar.stem != entry.name)
    return jars


def read_plugin(entry: Path, disabled: set[str]) -> tuple[PyCharmPlugin | None, list[Issue]]:
    """The plugin at `entry` (a folder or a jar); None with the problems when none of its jars describes it."""
    problems: list[Issue] = []
    for jar in plugin_jars(entry):
        try:
            data = plugin_xml_bytes(jar)
            if data is not None:
                return parse_plugin_xml(data, "{}!/{}".format(jar, PLUGIN_XML), disabled, entry), problems
        except (PluginJarError, PyCharmFileError) as error:
            problems.append(error.issue)
    return None, problems


def read_plugins(folder: Path, disabled: set[str]) -> tuple[list[PyCharmPlugin], list[Issue]]:
    """Every plugin installed in `folder`, sorted by name, and the problems met reading them."""
    plugins: list[PyCharmPlugin] = []
    problems: list[Issue] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:  # no plugins installed (or an unreadable folder): nothing to list
        return plugins, problems
    for entry in entries:
        plugin, found = read_plugin(entry, disabled)
        problems.extend(found)
        if plugin is not None:
            plugins.append(plugin)
    plugins.sort(key=lambda plugin: plugin.name.casefold())
    return plugins, problems
