"""Issue records: plain, JSON-ready data about a PyCharm problem, judged later by the check stage.

Each issue has an `id` (stable, for the check stage to match on), a one-line `message`, and the
path or SDK name it is about.
"""

from __future__ import annotations

from typing import Any

# Ids of the problems this package reports.
FILE_UNREADABLE = "pycharm-file-unreadable"
FILE_UNSAFE = "pycharm-file-unsafe"
NO_PROJECT_SDK = "pycharm-no-project-sdk"
SDK_NOT_FOUND = "pycharm-sdk-not-found"
SDK_HOME_UNKNOWN = "pycharm-sdk-home-unknown"
SDK_HOME_MISSING = "pycharm-sdk-home-missing"
SDK_CONDA = "pycharm-sdk-conda"
SDK_REMOTE = "pycharm-sdk-remote"
SDK_APPLE_SYSTEM_PYTHON = "pycharm-sdk-apple-system-python"
INSTALLATION_UNREADABLE = "pycharm-installation-unreadable"
PLUGIN_UNREADABLE = "pycharm-plugin-unreadable"

# Issues after which there is no local interpreter to probe.
BLOCKING = frozenset(
    {FILE_UNREADABLE, FILE_UNSAFE, NO_PROJECT_SDK, SDK_NOT_FOUND, SDK_HOME_UNKNOWN, SDK_HOME_MISSING, SDK_REMOTE}
)


def issue(issue_id: str, message: str, **about: Any) -> dict[str, Any]:
    """One issue; `about` names what it concerns (path=..., sdk_name=...), None values left out."""
    record: dict[str, Any] = {"id": issue_id, "message": message}
    record.update({key: value for key, value in about.items() if value is not None})
    return record
