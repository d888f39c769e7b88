"""Add an interpreter to PyCharm's SDK table (`options/jdk.table.xml`), the way PyCharm lists its own.

PyCharm rewrites the file from memory when it exits, so the edit is refused while a JetBrains IDE
runs. The existing entries are kept byte for byte: the new <jdk> element is inserted into the text
of the table, never re-serialised. A backup is made first, and the new file replaces the old one
atomically (a temporary file in the same folder, fsync, rename). An entry for the same interpreter
is never rewritten: registering twice changes nothing.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import quoteattr

import defusedxml.ElementTree
import psutil

from tfenvcheck.errors import EXIT_FAILURES, TfenvcheckError
from tfenvcheck.fixer.atomic import write_atomically
from tfenvcheck.pycharm.config_dirs import (
    EXPLICIT,
    ConfigDir,
    discover_config_dirs,
    explicit_config_dir,
    home_from_environ,
    parse_product_folder,
)
from tfenvcheck.pycharm.config_override import OVERRIDE_LAYOUT
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.pycharm.sdk_table import PythonSdk, read_sdk_table

# Executables of the JetBrains IDEs that keep Python SDKs, and the launcher class of any of them.
_IDE_NAMES = re.compile(r"^(pycharm|dataspell|idea)(64)?(\.exe|\.sh)?$", re.IGNORECASE)
_IDE_MAIN_CLASS = "com.intellij.idea.Main"
_EMPTY_TABLE = '<application>\n  <component name="ProjectJdkTable">\n  </component>\n</application>\n'
_COMPONENT = re.compile(r'<component\s+name="ProjectJdkTable"\s*(?P<empty>/)?>')
_ROOTS = """
      <roots>
        <annotationsPath>
          <root type="composite" />
        </annotationsPath>
        <classPath>
          <root type="composite" />
        </classPath>
        <javadocPath>
          <root type="composite" />
        </javadocPath>
        <sourcePath>
          <root type="composite" />
        </sourcePath>
      </roots>"""


class RegistrationError(TfenvcheckError):
    exit_code = EXIT_FAILURES


@dataclass(frozen=True)
class Registration:
    table: Path
    sdk: PythonSdk
    added: bool  # False: an entry for this interpreter was there already
    backup: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": str(self.table),
            "sdk": self.sdk.to_dict(),
            "added": self.added,
            "backup": str(self.backup) if self.backup else None,
        }


def running_ides() -> list[str]:
    """'pycharm.sh (pid 4242)' for each JetBrains IDE process running now."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        name = process.info.get("name") or ""
        cmdline = process.info.get("cmdline") or []
        if _IDE_NAMES.match(name) or _IDE_MAIN_CLASS in cmdline:
            found.append("{} (pid {})".format(name, process.pid))
    return found


def refuse_while_ide_runs() -> None:
    running = running_ides()
    if running:
        raise RegistrationError(
            "PyCharm is running ({}): it rewrites jdk.table.xml when it exits and would drop the "
            "new entry; close it and run again".format(", ".join(running))
        )


def newest_installation_config_dir(
    config_dirs: list[ConfigDir], home: Path, environ: Mapping[str, str]
) -> ConfigDir | None:
    """The config dir of the newest installation that has one (an installation never started has none)."""
    by_path = {config_dir.path: config_dir for config_dir in config_dirs}
    for installation in find_installations(home, environ, with_plugins=False).installations:
        if installation.config_dir is not None and Path(installation.config_dir) in by_path:
            return by_path[Path(installation.config_dir)]
    return None


def target_config_dir(given: Path | None, environ: Mapping[str, str]) -> ConfigDir:
    """`--pycharm-config DIR` (even one with no SDK table yet), else one moved with idea.config.path, else
    the config dir of the newest installation, else (no installation found) the newest config dir."""
    if given is not None:
        found = explicit_config_dir(given)
        if found is not None:
            return found
        given = given.expanduser().absolute()
        if not given.is_dir():
            raise RegistrationError("--pycharm-config {}: no such directory".format(given))
        product, version = parse_product_folder(given.name) or (None, None)
        return ConfigDir(given, product, version, EXPLICIT)
    home = home_from_environ(environ)
    looked_at, config_dirs = discover_config_dirs(home, environ)
    if config_dirs and config_dirs[0].layout == OVERRIDE_LAYOUT:
        return config_dirs[0]
    in_use = newest_installation_config_dir(config_dirs, home, environ)
    if in_use is not None:
        return in_use
    if not config_dirs:
        raise RegistrationError(
            "no PyCharm config directory found (looked in {}): start PyCharm once, or give --pycharm-config DIR".format(
                ", ".join(str(location.parent) for location in looked_at)
            )
        )
    return config_dirs[0]


def sdk_name(python: Path, version: str, taken: set[str]) -> str:
    """'Python 3.8 (tfexam)' as PyCharm names a venv (after the folder above bin/); made unique."""
    folder = python.parent.parent.name
    base = "Python {} ({})".format(".".join(version.split(".")[:2]), folder)
    name, number = base, 1
    while name in taken:
        number += 1
        name = "{} ({})".format(base, number)
    return name


def home_path_value(python: Path, home: Path) -> str:
    """The path as PyCharm writes it: under the home folder with $USER_HOME$, '/' as separator."""
    try:
        return "$USER_HOME$/" + python.relative_to(home).as_posix()
    except ValueError:
        return python.as_posix()


def jdk_element(name: str, home_path: str, version: str) -> str:
    return """
    <jdk version="2">
      <name value={name} />
      <type value="Python SDK" />
      <version value={version} />
      <homePath value={home} />{roots}
      <additional>
        <setting name="FLAVOR_ID" value="VirtualEnvSdkFlavor" />
      </additional>
    </jdk>""".format(
        name=quoteattr(name), version=quoteattr("Python " + version), home=quoteattr(home_path), roots=_ROOTS
    )


def with_entry(text: str, element: str) -> str:
    """The table's text with `element` added at the end of the ProjectJdkTable component."""
    component = _COMPONENT.search(text)
    if component is None:  # no SDKs yet: the component goes at the end of <application>
        end = text.rfind("</application>")
        if end < 0:
            raise ValueError("no <application> element")
        return text[:end] + '  <component name="ProjectJdkTable">{}\n  </component>\n'.format(element) + text[end:]
    if component["empty"]:
        opened = '<component name="ProjectJdkTable">{}\n  </component>'.format(element)
        return text[: component.start()] + opened + text[component.end() :]
    close = text.find("</component>", component.end())
    if close < 0:
        raise ValueError("unclosed ProjectJdkTable component")
    end_of_last_entry = len(text[:close].rstrip())  # the whitespace before </component> stays after the new entry
    return text[:end_of_last_entry] + element + text[end_of_last_entry:]


def same_interpreter(sdk: PythonSdk, python: Path) -> bool:
    return sdk.home_path is not None and os.path.normcase(os.path.abspath(sdk.home_path)) == os.path.normcase(
        str(python)
    )


def register_interpreter(
    python: Path,
    version: str,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Registration:
    """Add `python` (a venv's interpreter, Python `version`) to PyCharm's SDK table; a no-op if it is listed."""
    environ = os.environ if environ is None else environ
    home = home_from_environ(environ)
    python = Path(os.path.abspath(python))
    config_dir = target_config_dir(config, environ)
    table_path = config_dir.sdk_table
    table = read_sdk_table(config_dir, home)
    if table.problem is not None:
        raise RegistrationError("cannot add to {}: {}".format(table_path, table.problem["message"]))
    existing = next((sdk for sdk in table.sdks if same_interpreter(sdk, python)), None)
    if existing is not None:
        return Registration(table_path, existing, added=False)
    refuse_while_ide_runs()
    name = sdk_name(python, version, {sdk.name for sdk in table.sdks})
    try:
        text = table_path.read_text(encoding="utf-8") if table_path.exists() else _EMPTY_TABLE
        updated = with_entry(text, jdk_element(name, home_path_value(python, home), version))
        defusedxml.ElementTree.fromstring(updated.encode("utf-8"), forbid_dtd=True)  # still well-formed
    except (UnicodeDecodeError, ValueError, ParseError) as error:
        raise RegistrationError("cannot add to {}: {}".format(table_path, error)) from None
    backup = None
    if table_path.exists():
        backup = table_path.with_name(
            "{}.tfenvcheck-backup-{}".format(table_path.name, datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
        )
        shutil.copy2(table_path, backup)
    table_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(table_path, updated.encode("utf-8"), step="jdk-table")
    added = read_sdk_table(config_dir, home).find(name)
    if added is None or not same_interpreter(added, python):
        raise RegistrationError("{} was written but does not list {} (backup: {})".format(table_path, python, backup))
    return Registration(table_path, added, added=True, backup=backup)
