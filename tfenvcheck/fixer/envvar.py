"""Env actions: a variable set for every run of the target interpreter, PyCharm's runs included.

A small `.pth` file in the target's site-packages does it: the interpreter's `site` module runs
its `import` line at every start-up, before any user code, and deleting the file undoes it. The
user's shell profile is never touched. `setdefault` lets a value set by hand still win.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PTH_PREFIX = "tfenvcheck-env-"


@dataclass(frozen=True)
class EnvPreview:
    path: Path
    content: bytes
    already_set: bool = False
    problem: str | None = None


def pth_path(site_packages: Path, name: str) -> Path:
    return site_packages / "{}{}.pth".format(PTH_PREFIX, re.sub(r"[^A-Za-z0-9_]", "_", name))


def pth_content(name: str, value: str, breakage_ids: list[str]) -> bytes:
    return (
        (
            "# Written by `tfenvcheck fix` for {}: sets {} for every run of this interpreter.\n"
            "# Remove it with `tfenvcheck undo` (or delete this file).\n"
            "import os; os.environ.setdefault({!r}, {!r})\n"
        )
        .format(", ".join(breakage_ids), name, name, value)
        .encode("utf-8")
    )


def pth_file_state(path: Path, content: bytes) -> tuple[bool, str | None]:
    """Whether the .pth file at `path` already holds `content`, and why it cannot be written if not."""
    folder = path.parent
    if path.exists():
        if path.read_bytes() == content:
            return True, None
        return False, "{} exists with other content: left alone".format(path)
    if not folder.is_dir():
        return False, "site-packages folder {} does not exist".format(folder)
    if not os.access(str(folder), os.W_OK | os.X_OK):
        return False, (
            "{} is not writable by you: use a venv you own, or run tfenvcheck fix with the rights to change it".format(
                folder
            )
        )
    return False, None


def preview_env(site_packages: str | None, name: str, value: str, breakage_ids: list[str]) -> EnvPreview:
    if not site_packages:
        return EnvPreview(Path(), b"", problem="the target reports no site-packages folder to set {} in".format(name))
    path, content = pth_path(Path(site_packages), name), pth_content(name, value, breakage_ids)
    already_set, problem = pth_file_state(path, content)
    return EnvPreview(path, content, already_set=already_set, problem=problem)
