"""Where PyCharm is installed, which product and version each installation is, and its plugins.

An installation folder holds `product-info.json` (name, version, buildNumber, productCode and, the
config folder's name, dataDirectoryName) and `build.txt` (`PC-213.7172.26`); a macOS bundle keeps
them in `Contents/Resources` beside `Contents/Info.plist`. Installations are looked for in:
- Linux: tarballs under /opt, the home folder and ~/.local/share, distribution packages under
  /usr/share, JetBrains Toolbox (`~/.local/share/JetBrains/Toolbox/apps`, older `PyCharm-C/ch-0/<build>`,
  newer `pycharm-community`), snap (`/snap/pycharm-community/current`) and flatpak
  (`/var/lib/flatpak/app/com.jetbrains.PyCharm-Community/current/active/files/pycharm`, also per user);
- macOS: `PyCharm*.app` in /Applications and ~/Applications, and Toolbox's apps;
- Windows: `Program Files\\JetBrains\\PyCharm*`, and Toolbox under `%LOCALAPPDATA%`.
The home folder, environment, OS and the root of system-wide places are parameters, so every layout
can be tested on any OS. IntelliJ IDEA counts only with the Python plugin installed.
"""

from __future__ import annotations

import json
import os
import platform
import plistlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from packaging.version import InvalidVersion, Version

from tfenvcheck.facts.model import PyCharmInstallation, PyCharmInstallations, PyCharmSearchPlace
from tfenvcheck.pycharm.config_dirs import (
    CURRENT_LAYOUT,
    LEGACY_LAYOUT,
    config_dir_named,
    home_from_environ,
    is_folder,
    is_regular_file,
)
from tfenvcheck.pycharm.issues import INSTALLATION_UNREADABLE, issue
from tfenvcheck.pycharm.plugins import PYTHON_PLUGIN_IDS, disabled_plugin_ids, plugins_dir, read_plugins

# Product code -> (product, config folder prefix); preferred first when versions tie.
PRODUCTS = {
    "PY": ("PyCharm Professional", "PyCharm"),
    "PC": ("PyCharm Community", "PyCharmCE"),
    "DS": ("DataSpell", "DataSpell"),
    "IU": ("IntelliJ IDEA Ultimate", "IntelliJIdea"),
    "IC": ("IntelliJ IDEA Community", "IdeaIC"),
}
PYCHARM_CODES = frozenset({"PY", "PC"})
IDEA_CODES = frozenset({"IU", "IC"})
# From 2025.1 Community and Professional are one product, called PyCharm.
UNIFIED_PYCHARM = Version("2025.1")
CURRENT_LAYOUT_SINCE = Version("2020.1")

MAX_INFO_BYTES = 2**20
_IDE_FOLDER = re.compile(r"^(pycharm|dataspell|idea|intellij)", re.IGNORECASE)
_BUILD = re.compile(r"^(?:(?P<code>[A-Z]{2})-)?(?P<build>(?P<branch>\d{3})\.[\d.]+|\d{3}\.SNAPSHOT)$")
_SNAPS = (
    "pycharm-community",
    "pycharm-professional",
    "pycharm",
    "dataspell",
    "intellij-idea-community",
    "intellij-idea-ultimate",
)

Scan = Callable[[Path], Iterator[Path]]
Issue = dict[str, Any]


@dataclass(frozen=True)
class Place:
    """A folder installations are looked for in, and how to find them there."""

    path: Path
    found_by: str
    scan: Scan

    def to_facts(self) -> PyCharmSearchPlace:
        return PyCharmSearchPlace(str(self.path), self.found_by, is_folder(self.path))


def _subfolders(folder: Path, named: re.Pattern[str] | None = None) -> list[Path]:
    """The folders in `folder` (whose names match `named`); scandir's entries know their type without a stat."""
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(entry.path) for entry in entries if (named is None or named.match(entry.name)) and entry.is_dir()
            )
    except OSError:
        return []


def ide_folders(folder: Path) -> Iterator[Path]:
    """The folders (and .app bundles) named like a JetBrains IDE: `pycharm-community-2021.3.3`, `PyCharm CE.app`."""
    return iter(_subfolders(folder, _IDE_FOLDER))


def toolbox_apps(apps: Path) -> Iterator[Path]:
    """Toolbox's `apps/pycharm-community` (newer) and `apps/PyCharm-C/ch-0/<build>` (older), and the
    .app bundles inside them on macOS."""
    for app in _subfolders(apps):
        candidates = [app]
        for channel in _subfolders(app):
            if channel.name.startswith("ch-"):
                candidates += [build for build in _subfolders(channel) if not build.name.endswith(".plugins")]
        for candidate in candidates:
            yield candidate
            yield from (bundle for bundle in _subfolders(candidate) if bundle.suffix == ".app")


def snaps(folder: Path) -> Iterator[Path]:
    return (folder / name / "current" for name in _SNAPS if is_folder(folder / name / "current"))


def flatpaks(folder: Path) -> Iterator[Path]:
    """`com.jetbrains.PyCharm-Community/current/active/files/pycharm` (the IDE is one folder in `files`)."""
    for app in _subfolders(folder):
        if app.name.startswith("com.jetbrains."):
            yield from _subfolders(app / "current" / "active" / "files")


def search_places(home: Path, environ: Mapping[str, str], system: str, root: Path) -> list[Place]:
    if system == "Darwin":
        return [
            Place(root / "Applications", "applications", ide_folders),
            Place(home / "Applications", "applications", ide_folders),
            Place(home / "Library" / "Application Support" / "JetBrains" / "Toolbox" / "apps", "toolbox", toolbox_apps),
        ]
    if system == "Windows":
        local = Path(environ["LOCALAPPDATA"]) if environ.get("LOCALAPPDATA") else home / "AppData" / "Local"
        program_files = [
            environ[name] for name in ("ProgramW6432", "ProgramFiles", "ProgramFiles(x86)") if environ.get(name)
        ]
        folders = list(dict.fromkeys(Path(folder) for folder in program_files)) or [root / "Program Files"]
        return [Place(folder / "JetBrains", "program-files", ide_folders) for folder in folders] + [
            Place(local / "JetBrains" / "Toolbox" / "apps", "toolbox", toolbox_apps),
            Place(local / "Programs", "toolbox", ide_folders),
        ]
    data = Path(environ["XDG_DATA_HOME"]) if environ.get("XDG_DATA_HOME") else home / ".local" / "share"
    return [
        Place(root / "opt", "tarball", ide_folders),
        Place(home, "tarball", ide_folders),
        Place(data, "tarball", ide_folders),
        Place(root / "usr" / "share", "package", ide_folders),
        Place(data / "JetBrains" / "Toolbox" / "apps", "toolbox", toolbox_apps),
        Place(root / "snap", "snap", snaps),
        Place(root / "var" / "lib" / "flatpak" / "app", "flatpak", flatpaks),
        Place(data / "flatpak" / "app", "flatpak", flatpaks),
    ]


def _read_small(path: Path) -> bytes | None:
    """The file's bytes; None when it is absent. Raises OSError for one too large or unreadable."""
    try:
        if path.stat().st_size > MAX_INFO_BYTES:
            raise OSError("{} is larger than {} bytes".format(path, MAX_INFO_BYTES))
    except FileNotFoundError:
        return None
    return path.read_bytes()


def version_from_build(build: str) -> str | None:
    """'2021.3' from build '213.7172.26' (the branch number is the year's last two digits and the release)."""
    match = _BUILD.match(build)
    if match is None or match["branch"] is None:
        return None
    branch = match["branch"]
    return "20{}.{}".format(branch[:2], branch[2])


@dataclass
class ProductInfo:
    """What an installation says about itself."""

    code: str | None = None
    version: str | None = None
    build: str | None = None
    data_directory_name: str | None = None


def read_product_info(info_dir: Path, plist: Path | None, problems: list[Issue]) -> ProductInfo:
    """From product-info.json, else build.txt, else (macOS) Info.plist; unreadable files become problems."""
    info = ProductInfo()
    source = info_dir / "product-info.json"
    try:
        data = _read_small(source)
        if data is not None:
            record = json.loads(data)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            info.code = record.get("productCode") or None
            info.version = record.get("version") or None
            info.build = record.get("buildNumber") or None
            info.data_directory_name = record.get("dataDirectoryName") or None
    except (OSError, ValueError) as error:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
        problems.append(issue(INSTALLATION_UNREADABLE, "{} cannot be read: {}".format(source, error), path=str(source)))
    if info.code is None or info.build is None:
        source = info_dir / "build.txt"
        try:
            data = _read_small(source)
            match = _BUILD.match(data.decode("utf-8", "replace").strip()) if data is not None else None
            if match:
                info.code, info.build = info.code or match["code"], info.build or match["build"]
        except OSError as error:
            problems.append(
                issue(INSTALLATION_UNREADABLE, "{} cannot be read: {}".format(source, error), path=str(source))
            )
    if plist is not None and (info.version is None or info.code is None):
        try:
            data = _read_small(plist)
            bundle = plistlib.loads(data) if data is not None else {}
            match = _BUILD.match(str(bundle.get("CFBundleVersion", "")))
            if match:
                info.code, info.build = info.code or match["code"], info.build or match["build"]
            info.version = info.version or bundle.get("CFBundleShortVersionString") or None
        except Exception as error:  # plistlib raises ValueErrors, expat errors and more for a broken file
            problems.append(
                issue(INSTALLATION_UNREADABLE, "{} cannot be read: {}".format(plist, error), path=str(plist))
            )
    if info.version is None and info.build:
        info.version = version_from_build(info.build)
    return info


def _release(version: str) -> str:
    """'2021.3' from '2021.3.3'."""
    return ".".join(version.split(".")[:2])


def _parsed(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        return Version("0")


def product_name(code: str, version: str) -> str:
    if code == "PY" and _parsed(version) >= UNIFIED_PYCHARM:
        return "PyCharm"
    return PRODUCTS[code][0]


def read_installation(folder: Path, found_by: str) -> PyCharmInstallation | None:
    """The installation in `folder`; None when it is none (or not one of the Python IDEs)."""
    bundle = folder.suffix == ".app"
    contents = folder / "Contents"
    info_dir = contents / "Resources" if bundle else folder
    if not is_regular_file(info_dir / "product-info.json") and not is_regular_file(info_dir / "build.txt"):
        return None
    problems: list[Issue] = []
    info = read_product_info(info_dir, contents / "Info.plist" if bundle else None, problems)
    if info.code not in PRODUCTS or info.version is None:
        return None
    return PyCharmInstallation(
        product=product_name(info.code, info.version),
        product_code=info.code,
        version=info.version,
        build=info.build,
        path=str(folder),
        application_home=str(contents if bundle else folder),
        found_by=found_by,
        data_directory_name=info.data_directory_name or PRODUCTS[info.code][1] + _release(info.version),
        issues=problems,
    )


def add_config_and_plugins(
    installation: PyCharmInstallation, home: Path, environ: Mapping[str, str], system: str, with_plugins: bool = True
) -> None:
    """Pair the installation with its config folder and read the plugins installed for it."""
    name = installation.data_directory_name
    assert name is not None  # read_installation always names it
    config_dir = config_dir_named(name, home, environ, system)
    installation.config_dir = str(config_dir.path) if config_dir else None
    if config_dir is not None:
        layout = config_dir.layout
    else:
        layout = CURRENT_LAYOUT if _parsed(installation.version) >= CURRENT_LAYOUT_SINCE else LEGACY_LAYOUT
    folder = plugins_dir(name, config_dir.path if config_dir else None, layout, home, environ, system)
    build_folder = Path(installation.path)
    if build_folder.suffix == ".app":
        build_folder = build_folder.parent
    toolbox_own = build_folder.with_name(build_folder.name + ".plugins")  # the older Toolbox's, per build
    if installation.found_by == "toolbox" and is_folder(toolbox_own):
        folder = toolbox_own
    installation.plugins_dir = str(folder)
    if not with_plugins:
        return
    installation.plugins, problems = read_plugins(folder, disabled_plugin_ids(config_dir.path if config_dir else None))
    installation.issues.extend(problems)


def is_python_ide(installation: PyCharmInstallation) -> bool:
    if installation.product_code not in IDEA_CODES:
        return True
    return any(plugin.id in PYTHON_PLUGIN_IDS and plugin.enabled for plugin in installation.plugins)


def _newest_first(installation: PyCharmInstallation) -> tuple[Version, int]:
    return _parsed(installation.version), -list(PRODUCTS).index(installation.product_code)


def default_root(environ: Mapping[str, str], system: str) -> Path:
    return Path((environ.get("SystemDrive") or "C:") + "\\") if system == "Windows" else Path("/")


def find_installations(
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
    root: Path | None = None,
    with_plugins: bool = True,
) -> PyCharmInstallations:
    """Every PyCharm (DataSpell, IntelliJ IDEA with Python) installed, newest first, and where we looked.

    Without plugins, every IntelliJ IDEA counts (whether it has the Python plugin is not read).
    `root` is the prefix of system-wide places (/opt, /snap, /Applications, C:\\Program Files).
    """
    environ = os.environ if environ is None else environ
    home = home_from_environ(environ) if home is None else home
    system = system or platform.system()
    root = default_root(environ, system) if root is None else root
    places = search_places(home, environ, system, root)
    found: dict[str, PyCharmInstallation] = {}
    for place in places:
        for folder in place.scan(place.path):
            key = os.path.realpath(folder)  # snap's `current` link, a folder reached twice
            if key in found:
                continue
            installation = read_installation(folder, place.found_by)
            if installation is not None:
                add_config_and_plugins(installation, home, environ, system, with_plugins)
                if not with_plugins or is_python_ide(installation):
                    found[key] = installation
    return PyCharmInstallations(
        probed=True,
        system=system,
        looked_in=[place.to_facts() for place in places],
        installations=sorted(found.values(), key=_newest_first, reverse=True),
    )


def application_homes(home: Path, environ: Mapping[str, str], system: str) -> dict[Path, Path]:
    """Config dir -> the folder `$APPLICATION_HOME_DIR$` stands for in it: the newest installation using it."""
    homes: dict[Path, Path] = {}
    for installation in find_installations(home, environ, system, with_plugins=False).installations:
        if installation.config_dir is not None:
            homes.setdefault(Path(installation.config_dir), Path(installation.application_home))
    return homes
