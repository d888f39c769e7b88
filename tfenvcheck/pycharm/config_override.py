"""Config dirs moved with `idea.config.path`, in the properties file the IDE's launcher is pointed
at by `PYCHARM_PROPERTIES` (`IDEA_PROPERTIES`, `DATASPELL_PROPERTIES`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

PROPERTIES_VARIABLES = ("PYCHARM_PROPERTIES", "IDEA_PROPERTIES", "DATASPELL_PROPERTIES")
OVERRIDE_LAYOUT = "idea.config.path"
MAX_PROPERTIES_BYTES = 2**20

_CONFIG_PATH = re.compile(r"^\s*idea\.config\.path\s*[=:]\s*(?P<value>.*?)\s*$")


def config_path_property(properties_file: Path, home: Path) -> Path | None:
    """The `idea.config.path` set in a Java properties file, `${user.home}` expanded; None if unset."""
    try:
        if properties_file.stat().st_size > MAX_PROPERTIES_BYTES:
            return None
        text = properties_file.read_text(encoding="latin-1")  # what Java reads properties files as
    except OSError:
        return None
    for line in text.splitlines():
        match = _CONFIG_PATH.match(line)
        if match:  # comment lines (# or !) never match
            value = re.sub(r"\\(.)", r"\1", match["value"])  # Java escapes: C\:\\Users -> C:\Users
            value = value.replace("${user.home}", str(home))
            return Path(value).expanduser() if value else None
    return None


def overridden_config_dirs(home: Path, environ: Mapping[str, str]) -> list[tuple[str, Path]]:
    """(variable, config dir) for each properties file named in the environment that moves it."""
    found = []
    for variable in PROPERTIES_VARIABLES:
        if environ.get(variable):
            path = config_path_property(Path(environ[variable]), home)
            if path is not None:
                found.append((variable, path))
    return found
