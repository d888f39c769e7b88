"""Redact what identifies a person in a report meant for sharing: user name, home path, GPU UUIDs."""

from __future__ import annotations

import getpass
import re
from pathlib import Path
from typing import Any

# Home folders of any user, as they appear in paths on Linux, macOS and Windows.
_HOME_PATTERNS = (
    re.compile(r"(/home/)[^/\s'\"]+"),
    re.compile(r"(/Users/)[^/\s'\"]+"),
    re.compile(r"([A-Za-z]:\\Users\\)[^\\\s'\"]+", re.IGNORECASE),
)
_GPU_UUID = re.compile(r"\bGPU-[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b")
# Names too short or too common to replace as words without mangling ordinary text.
_MIN_USER_NAME = 3
# Accounts every machine has: they identify nobody, and replacing them would mangle "the root certificate".
_SYSTEM_ACCOUNTS = frozenset({"root"})


def current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        return None


def redact(text: str, home: str | None = None, user: str | None = None) -> str:
    """`text` with the home folder as `~`, other home folders and the user name as `<user>`, GPU UUIDs hidden."""
    home = str(Path.home()) if home is None else home
    user = current_user() if user is None else user
    if home and home not in ("/", ""):  # a whole path's start: /root, not the end of /home/root
        text = re.sub(r"(?<![\w.-]){}(?![\w-])".format(re.escape(home)), "~", text)
    for pattern in _HOME_PATTERNS:
        text = pattern.sub(r"\1<user>", text)
    if user and len(user) >= _MIN_USER_NAME and user not in _SYSTEM_ACCOUNTS:
        text = re.sub(r"\b{}\b".format(re.escape(user)), "<user>", text)
    return _GPU_UUID.sub("GPU-<redacted>", text)


def redact_data(value: Any, home: str | None = None, user: str | None = None) -> Any:
    """`value` (JSON-like: dicts, lists, strings) with every string redacted, keys included."""
    if isinstance(value, str):
        return redact(value, home, user)
    if isinstance(value, dict):
        return {redact_data(key, home, user): redact_data(item, home, user) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_data(item, home, user) for item in value]
    return value
