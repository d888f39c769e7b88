"""What `tfenvcheck pycharm` shows: the installations (with their config dirs and plugins), the config
dirs looked at, their SDKs (with their issues) and the project's interpreter, as one JSON-ready record."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tfenvcheck.pycharm.config_dirs import home_from_environ
from tfenvcheck.pycharm.installations import find_installations
from tfenvcheck.pycharm.lookup import given_project_dir, sdk_tables
from tfenvcheck.pycharm.project import is_pycharm_project, resolve_project_interpreter
from tfenvcheck.pycharm.sdk_problems import sdk_problems

SCHEMA_VERSION = 1


def pycharm_overview(
    config: Path | None = None,
    project: Path | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> dict[str, Any]:
    """The overview; `project` defaults to `cwd` when that is a PyCharm project."""
    system = system or platform.system()
    environ = os.environ if environ is None else environ
    installations = find_installations(home_from_environ(environ), environ, system)
    looked_at, tables = sdk_tables(config, environ, system)
    if project is not None:
        project = given_project_dir(project)
    else:
        cwd = Path.cwd() if cwd is None else cwd
        project = cwd.absolute() if is_pycharm_project(cwd) else None
    config_dirs = []
    for table in tables:
        record = table.to_dict()
        for sdk_record, sdk in zip(record["sdks"], table.sdks):
            sdk_record["issues"] = sdk_problems(sdk, system)
        config_dirs.append(record)
    resolution = resolve_project_interpreter(project, tables, system) if project else None
    return {
        "schema_version": SCHEMA_VERSION,
        "system": system,
        "installations_looked_in": [asdict(place) for place in installations.looked_in],
        "installations": [asdict(installation) for installation in installations.installations],
        "config_given": str(config) if config is not None else None,
        "looked_at": [
            dict(
                location.to_dict(), found=[str(t.config_dir.path) for t in tables if t.config_dir.location == location]
            )
            for location in looked_at
        ],
        "config_dirs": config_dirs,
        "project": resolution.to_dict() if resolution else None,
    }
