"""Where PyCharm (and the other JetBrains IDEs that carry Python SDKs) keep their configuration.

One config directory per product and version, in one of two layouts:
- 2020.1 and later: Linux `$XDG_CONFIG_HOME/JetBrains/<product><version>` (default `~/.config`),
  macOS `~/Library/Application Support/JetBrains/<product><version>`,
  Windows `%APPDATA%\\JetBrains\\<product><version>`;
- before 2020.1: Linux and Windows `~/.<product><version>/config`,
  macOS `~/Library/Preferences/<product><version>`;
- anywhere, when `idea.config.path` moves it (see config_override.py).
The home directory, environment and OS are parameters, so every layout can be tested on any OS.
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from tfenvcheck.pycharm.config_override import OVERRIDE_LAYOUT, overridden_config_dirs

# Products that can hold Python SDKs, preferred first when versions tie.
PRODUCTS = ("PyCharm", "PyCharmCE", "DataSpell", "IntelliJIdea", "IdeaIC")
PRODUCT_NAMES = {
    "PyCharm": "PyCharm Professional",
    "PyCharmCE": "PyCharm Community",
    "DataSpell": "DataSpell",
    "IntelliJIdea": "IntelliJ IDEA Ultimate",
    "IdeaIC": "IntelliJ IDEA Community",
}
_PRODUCT_FOLDER = re.compile(r"^(?P<product>{})(?P<version>\d{{4}}\.\d+(?:\.\d+)?)$".format("|".join(PRODUCTS)))

CURRENT_LAYOUT = "2020.1+"
LEGACY_LAYOUT = "pre-2020.1"
EXPLICIT = "given"

SDK_TABLE = Path("options", "jdk.table.xml")


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; one we may not look into (another user's home) is not one to us."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_regular_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


@dataclass(frozen=True)
class Location:
    """A place config directories are looked for: `parent/<pattern>`."""

    parent: Path
    pattern: str
    layout: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "parent": str(self.parent),
            "pattern": self.pattern,
            "layout": self.layout,
            "exists": is_folder(self.parent),
        }


@dataclass(frozen=True)
class ConfigDir:
    """One product version's config directory, and where it was found (None: given by the user)."""

    path: Path
    product: str | None
    version: str | None
    layout: str
    location: Location | None = field(default=None, compare=False)

    @property
    def sdk_table(self) -> Path:
        return self.path / SDK_TABLE

    @property
    def label(self) -> str:
        if self.product is None:
            return str(self.path)
        return "{} {}".format(PRODUCT_NAMES[self.product], self.version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "product": self.product,
            "version": self.version,
            "layout": self.layout,
            "label": self.label,
        }


def parse_product_folder(name: str) -> tuple[str, str] | None:
    """('PyCharmCE', '2019.3') from 'PyCharmCE2019.3' or '.PyCharmCE2019.3'; None for other names."""
    match = _PRODUCT_FOLDER.match(name[1:] if name.startswith(".") else name)
    return (match["product"], match["version"]) if match else None


def home_from_environ(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME") or environ.get("USERPROFILE") or Path.home())


def locations(home: Path, environ: Mapping[str, str], system: str) -> list[Location]:
    """The places config directories may be in, for `system` as `platform.system()` names it."""
    if system == "Darwin":
        return [
            Location(home / "Library" / "Application Support" / "JetBrains", "<product><version>", CURRENT_LAYOUT),
            Location(home / "Library" / "Preferences", "<product><version>", LEGACY_LAYOUT),
        ]
    if system == "Windows":
        appdata = Path(environ["APPDATA"]) if environ.get("APPDATA") else home / "AppData" / "Roaming"
        return [
            Location(appdata / "JetBrains", "<product><version>", CURRENT_LAYOUT),
            Location(home, ".<product><version>/config", LEGACY_LAYOUT),
        ]
    xdg = Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else home / ".config"
    return [
        Location(xdg / "JetBrains", "<product><version>", CURRENT_LAYOUT),
        Location(home, ".<product><version>/config", LEGACY_LAYOUT),
    ]


def config_dir_named(folder: str, home: Path, environ: Mapping[str, str], system: str) -> ConfigDir | None:
    """The config dir called `folder` (an installation's `dataDirectoryName`), in either layout; None if absent."""
    product, version = parse_product_folder(folder) or (None, None)
    for location in locations(home, environ, system):
        if location.pattern.startswith("."):
            path = location.parent / ("." + folder) / "config"
        else:
            path = location.parent / folder
        if is_folder(path):
            return ConfigDir(path, product, version, location.layout, location)
    return None


def override_locations(home: Path, environ: Mapping[str, str]) -> list[Location]:
    # The pattern names the variable: the location is the config dir itself.
    return [Location(path, "$" + variable, OVERRIDE_LAYOUT) for variable, path in overridden_config_dirs(home, environ)]


def config_dirs_in(location: Location) -> list[ConfigDir]:
    if location.layout == OVERRIDE_LAYOUT:
        product, version = parse_product_folder(location.parent.name) or (None, None)
        return (
            [ConfigDir(location.parent, product, version, location.layout, location)]
            if is_folder(location.parent)
            else []
        )
    found = []
    try:
        entries = list(location.parent.iterdir()) if is_folder(location.parent) else []
    except OSError:  # unreadable folder: nothing found there
        entries = []
    for entry in entries:
        parsed = parse_product_folder(entry.name)
        if parsed is None or entry.name.startswith(".") != location.pattern.startswith("."):
            continue
        path = entry / "config" if location.pattern.endswith("/config") else entry
        if is_folder(path):
            found.append(ConfigDir(path, parsed[0], parsed[1], location.layout, location))
    return found


def _newest_first(config_dir: ConfigDir) -> tuple[bool, Any, int]:
    """Sort key (reversed): a dir moved with idea.config.path is the one in use, then newest, then by product."""
    try:
        version = Version(config_dir.version or "0")
    except InvalidVersion:
        version = Version("0")
    product_rank = PRODUCTS.index(config_dir.product) if config_dir.product in PRODUCTS else len(PRODUCTS)
    return (config_dir.layout == OVERRIDE_LAYOUT, version, -product_rank)


def discover_config_dirs(
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> tuple[list[Location], list[ConfigDir]]:
    """Where we looked, and every config dir found there, newest version first."""
    environ = os.environ if environ is None else environ
    home = home_from_environ(environ) if home is None else home
    looked_at = override_locations(home, environ) + locations(home, environ, system or platform.system())
    found = [config_dir for location in looked_at for config_dir in config_dirs_in(location)]
    return looked_at, sorted(found, key=_newest_first, reverse=True)


def explicit_config_dir(given: Path) -> ConfigDir | None:
    """The config dir a user pointed at: the dir itself, its pre-2020 parent, or its `options` dir.

    None when none of these holds an `options/jdk.table.xml`.
    """
    given = given.expanduser().absolute()
    candidates = [given, given / "config"]
    if given.name == "options":
        candidates.append(given.parent)
    if given.name == SDK_TABLE.name:
        candidates.append(given.parent.parent)
    for candidate in candidates:
        if is_regular_file(candidate / SDK_TABLE):
            folder = candidate.parent.name if candidate.name == "config" else candidate.name
            product, version = parse_product_folder(folder) or (None, None)
            return ConfigDir(candidate, product, version, EXPLICIT)
    return None
