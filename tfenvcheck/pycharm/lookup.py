"""Load the SDK tables to resolve against (discovered, or the one config dir a user gave, with
`$APPLICATION_HOME_DIR$` standing for the folder of the installation that uses it) and resolve a
project's interpreter with them: the entry point for target discovery and the report."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from pathlib import Path

from tfenvcheck.errors import CouldNotCheck, UsageError
from tfenvcheck.pycharm.config_dirs import Location, discover_config_dirs, explicit_config_dir, home_from_environ
from tfenvcheck.pycharm.installations import application_homes
from tfenvcheck.pycharm.issues import BLOCKING
from tfenvcheck.pycharm.project import ProjectInterpreter, is_pycharm_project, resolve_project_interpreter
from tfenvcheck.pycharm.sdk_table import SdkTable, read_sdk_table


def given_config_dir_tables(config: Path, home: Path, homes: Mapping[Path, Path]) -> list[SdkTable]:
    if not config.expanduser().exists():
        raise UsageError("--pycharm-config {}: no such directory".format(config))
    config_dir = explicit_config_dir(config)
    if config_dir is None:
        raise UsageError(
            "--pycharm-config {}: no options/jdk.table.xml there; give a PyCharm config directory "
            "such as ~/.config/JetBrains/PyCharm2023.2".format(config)
        )
    return [read_sdk_table(config_dir, home, homes.get(config_dir.path))]


def sdk_tables(
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> tuple[list[Location], list[SdkTable]]:
    """Where we looked (nothing when `config` is given) and the SDK tables found, newest first."""
    environ = os.environ if environ is None else environ
    home = home_from_environ(environ)
    system = system or platform.system()
    homes = application_homes(home, environ, system)
    if config is not None:
        return [], given_config_dir_tables(config, home, homes)
    looked_at, config_dirs = discover_config_dirs(home, environ, system)
    return looked_at, [read_sdk_table(config_dir, home, homes.get(config_dir.path)) for config_dir in config_dirs]


def given_project_dir(project: Path) -> Path:
    project = project.expanduser().absolute()
    if not project.is_dir():
        raise UsageError("--pycharm-project {}: no such directory".format(project))
    if not is_pycharm_project(project):
        raise UsageError("--pycharm-project {}: not a PyCharm project (no .idea folder)".format(project))
    return project


def project_interpreter(
    project: Path,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> ProjectInterpreter:
    """Resolve `project`'s interpreter; raises UsageError only for paths the user gave that are unusable."""
    project = given_project_dir(project)
    system = system or platform.system()
    _, tables = sdk_tables(config, environ, system)
    return resolve_project_interpreter(project, tables, system)


class UnusableProjectInterpreter(CouldNotCheck):
    """A project whose interpreter cannot be probed; `resolution` keeps the issues for the check stage."""

    def __init__(self, resolution: ProjectInterpreter) -> None:
        blocking = [found["message"] for found in resolution.issues if found["id"] in BLOCKING]
        super().__init__(
            "PyCharm project {}: no usable interpreter: {}".format(
                resolution.project_dir, "; ".join(blocking) or "unknown reason"
            )
        )
        self.resolution = resolution


def usable_project_interpreter(
    project: Path,
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> ProjectInterpreter:
    """Like project_interpreter, but raises UnusableProjectInterpreter when there is nothing to probe."""
    resolution = project_interpreter(project, config, environ)
    if resolution.interpreter is None:
        raise UnusableProjectInterpreter(resolution)
    return resolution
