"""What is wrong with one Python SDK as an exam interpreter, as issue records (judged later)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tfenvcheck.pycharm.issues import (
    SDK_APPLE_SYSTEM_PYTHON,
    SDK_CONDA,
    SDK_HOME_MISSING,
    SDK_HOME_UNKNOWN,
    SDK_REMOTE,
    issue,
)
from tfenvcheck.pycharm.sdk_table import PythonSdk

# Apple's Pythons: the Command Line Tools and Xcode ones, and /usr/bin/python3, a stub that runs them.
_APPLE_PYTHON = re.compile(r"^/Library/Developer/CommandLineTools/|^/Applications/Xcode[^/]*\.app/")
_APPLE_STUBS = ("/usr/bin/python3", "/usr/bin/python")


def is_apple_system_python(path: str, system: str) -> bool:
    return bool(_APPLE_PYTHON.match(path)) or (system == "Darwin" and path in _APPLE_STUBS)


def sdk_problems(sdk: PythonSdk, system: str) -> list[dict[str, Any]]:
    """Issues of `sdk`: remote, home unknown or gone, conda, Apple's system Python."""
    about = {"sdk_name": sdk.name, "path": sdk.home_path or sdk.raw_home_path}
    if sdk.remote:
        return [
            issue(
                SDK_REMOTE,
                "SDK '{}' is a remote ({}) interpreter, {}; tfenvcheck does not run remote interpreters".format(
                    sdk.name, sdk.remote, sdk.raw_home_path
                ),
                **about,
            )
        ]
    if sdk.home_path is None:
        return [
            issue(
                SDK_HOME_UNKNOWN,
                "SDK '{}' has an interpreter path that cannot be resolved here: '{}'".format(
                    sdk.name, sdk.raw_home_path
                ),
                **about,
            )
        ]
    problems = []
    if not Path(sdk.home_path).exists():
        problems.append(
            issue(
                SDK_HOME_MISSING, "SDK '{}' points at {}, which does not exist".format(sdk.name, sdk.home_path), **about
            )
        )
    if sdk.flavor == "conda":
        problems.append(
            issue(
                SDK_CONDA,
                "SDK '{}' is a conda environment{}".format(
                    sdk.name, " ({})".format(sdk.conda_env) if sdk.conda_env else ""
                ),
                **about,
            )
        )
    if is_apple_system_python(sdk.home_path, system):
        problems.append(
            issue(
                SDK_APPLE_SYSTEM_PYTHON,
                "SDK '{}' is Apple's Command Line Tools / Xcode Python ({})".format(sdk.name, sdk.home_path),
                **about,
            )
        )
    return problems
