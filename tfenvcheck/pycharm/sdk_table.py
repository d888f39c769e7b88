"""The Python SDKs a PyCharm config dir lists in `options/jdk.table.xml`.

An SDK entry names an interpreter (`homePath`, with `$USER_HOME$` and `$APPLICATION_HOME_DIR$`
macros), says what kind it is (FLAVOR_ID: virtualenv, conda, system) and may be remote (SSH,
Docker, WSL): remote ones are reported, never executed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from tfenvcheck.pycharm.config_dirs import ConfigDir
from tfenvcheck.pycharm.xml_files import PyCharmFileError, parse_xml_file

PYTHON_SDK_TYPE = "Python SDK"

_FLAVORS = {
    "VirtualEnvSdkFlavor": "virtualenv",
    "CondaEnvSdkFlavor": "conda",
    "CPythonSdkFlavor": "system",
    "UnixPythonSdkFlavor": "system",
    "MacPythonSdkFlavor": "system",
    "WinPythonSdkFlavor": "system",
}
# Older entries carry no FLAVOR_ID; a conda env still shows in its path.
_CONDA_PATH = re.compile(
    r"[/\\](ana|mini)conda\d*[/\\]|[/\\](miniforge|mambaforge)\d*[/\\]|[/\\]\.?conda[/\\]envs[/\\]", re.IGNORECASE
)
_REMOTE_SCHEMES = {
    "ssh": "ssh",
    "sftp": "ssh",
    "docker": "docker",
    "docker-compose": "docker",
    "wsl": "wsl",
    "vagrant": "vagrant",
    "target": "target",
}
_SCHEME = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]+)://", re.IGNORECASE)
_WSL_UNC = re.compile(r"^[/\\]{2}wsl(\$|\.localhost)[/\\]", re.IGNORECASE)
# Attributes of <additional> that only remote SDKs carry.
_REMOTE_ATTRIBUTES = (
    ("HOST", "ssh"),
    ("DOCKER_ACCOUNT", "docker"),
    ("DISTRIBUTION_ID", "wsl"),
    ("WSL_DISTRIBUTION", "wsl"),
    ("INTERPRETER_PATH", "remote"),
)


@dataclass
class PythonSdk:
    """One Python SDK entry. `home_path` is None when it cannot be known here (remote, unknown macro)."""

    name: str
    home_path: str | None
    raw_home_path: str
    flavor: str
    remote: str | None = None
    version: str | None = None
    conda_env: str | None = None
    associated_project: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SdkTable:
    """The Python SDKs of one config dir, or the problem that kept them from being read."""

    config_dir: ConfigDir
    sdks: list[PythonSdk] = field(default_factory=list)
    problem: dict[str, Any] | None = None

    def find(self, name: str) -> PythonSdk | None:
        return next((sdk for sdk in self.sdks if sdk.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "config_dir": self.config_dir.to_dict(),
            "path": str(self.config_dir.sdk_table),
            "exists": self.config_dir.sdk_table.is_file(),
            "sdks": [sdk.to_dict() for sdk in self.sdks],
            "problem": self.problem,
        }


def expand_macros(value: str, home: Path, application_home: Path | None) -> str | None:
    """PyCharm's path macros expanded; None when one of them is unknown here."""
    value = value.replace("$USER_HOME$", str(home))
    if "$APPLICATION_HOME_DIR$" in value:
        if application_home is None:
            return None
        value = value.replace("$APPLICATION_HOME_DIR$", str(application_home))
    return None if re.search(r"\$[A-Z_]+\$", value) else value


def remote_kind(home_path: str, additional: Element | None) -> str | None:
    """'ssh', 'docker', 'wsl', ... for a remote SDK; None for a local one."""
    scheme = _SCHEME.match(home_path)
    if scheme and scheme["scheme"].lower() != "file":
        return _REMOTE_SCHEMES.get(scheme["scheme"].lower(), scheme["scheme"].lower())
    if _WSL_UNC.match(home_path):
        return "wsl"
    if additional is not None:
        for attribute, kind in _REMOTE_ATTRIBUTES:
            if additional.get(attribute):
                return kind
    return None


def _value(jdk: Element, tag: str) -> str | None:
    element = jdk.find(tag)
    return None if element is None else element.get("value")


def _settings(additional: Element | None) -> dict[str, str]:
    if additional is None:
        return {}
    return {s.get("name", ""): s.get("value", "") for s in additional.iter("setting")}


def parse_sdk(jdk: Element, home: Path, application_home: Path | None) -> PythonSdk | None:
    """The Python SDK of one <jdk> element, or None for another kind of SDK (a Java JDK)."""
    if _value(jdk, "type") != PYTHON_SDK_TYPE:
        return None
    raw_home = _value(jdk, "homePath") or ""
    additional = jdk.find("additional")
    settings = _settings(additional)
    remote = remote_kind(raw_home, additional)
    flavor = _FLAVORS.get(settings.get("FLAVOR_ID", ""), "unknown")
    if flavor == "unknown" and _CONDA_PATH.search(raw_home):
        flavor = "conda"
    associated = additional.get("ASSOCIATED_PROJECT_PATH") if additional is not None else None
    return PythonSdk(
        name=_value(jdk, "name") or "",
        home_path=None if remote else expand_macros(raw_home, home, application_home) if raw_home else None,
        raw_home_path=raw_home,
        flavor=flavor,
        remote=remote,
        version=_value(jdk, "version"),
        conda_env=settings.get("FLAVOR_DATA") or None if flavor == "conda" else None,
        associated_project=expand_macros(associated, home, application_home) if associated else None,
    )


def read_sdk_table(config_dir: ConfigDir, home: Path, application_home: Path | None = None) -> SdkTable:
    """The Python SDKs of `config_dir`; a missing table is no SDKs, a bad one a problem record."""
    table = SdkTable(config_dir)
    if not config_dir.sdk_table.is_file():
        return table
    try:
        root = parse_xml_file(config_dir.sdk_table)
    except PyCharmFileError as error:
        table.problem = error.issue
        return table
    for jdk in root.iter("jdk"):
        sdk = parse_sdk(jdk, home, application_home)
        if sdk is not None:
            table.sdks.append(sdk)
    return table
