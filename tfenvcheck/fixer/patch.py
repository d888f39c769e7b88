"""Patch actions: an exact, guarded edit of one file of the target.

The file must contain the known-bad text exactly once, and the result must contain the known-good
text; a file that already has the good text and not the bad one is already patched; any other
file is left alone. The edit is written atomically after a backup of the original bytes.
"""

from __future__ import annotations

import difflib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from tfenvcheck.fixer.atomic import sha256_bytes


@dataclass(frozen=True)
class PatchPreview:
    path: Path
    original: bytes | None  # None when the file could not be read
    patched: bytes | None  # None when nothing is to be written
    already_patched: bool = False
    problem: str | None = None  # why it cannot be applied

    @property
    def diff(self) -> str:
        if self.original is None or self.patched is None:
            return ""
        before = self.original.decode("utf-8", "replace").splitlines(keepends=True)
        after = self.patched.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, str(self.path), "{} (patched)".format(self.path)))


def preview_patch(path: Path, find: str, replace: str) -> PatchPreview:
    """What patching `path` would do, without changing anything."""
    if path.is_symlink():
        return PatchPreview(
            path,
            None,
            None,
            problem="{} is a symbolic link to {}: tfenvcheck only patches a file of the target itself".format(
                path, os.path.realpath(path)
            ),
        )
    try:
        original = path.read_bytes()
    except OSError as error:
        return PatchPreview(path, None, None, problem="cannot read {}: {}".format(path, error.strerror or error))
    bad, good = find.encode("utf-8"), replace.encode("utf-8")
    count = original.count(bad)
    if count == 0 and good in original:
        return PatchPreview(path, original, None, already_patched=True)
    if count != 1:
        why = (
            "contains the known-bad text {} times".format(count)
            if count
            else "matches neither the known-bad text {!r} nor the known-good text {!r}".format(find, replace)
        )
        return PatchPreview(
            path,
            original,
            None,
            problem="{} {}: left alone (edited by hand, or another version of the file)".format(path, why),
        )
    patched = original.replace(bad, good)
    if good not in patched or bad in patched:
        return PatchPreview(
            path, original, None, problem="{}: the patch would not leave the known-good text: left alone".format(path)
        )
    return PatchPreview(path, original, patched, problem=write_problem(path))


def write_problem(path: Path) -> str | None:
    """Why `path` must not or cannot be replaced by the user running tfenvcheck (None when it can)."""
    info = path.stat()
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return (
            "{} is read-only (mode {:o}): tfenvcheck does not overwrite a file marked read-only; "
            "make it writable if you mean it to be patched"
        ).format(path, stat.S_IMODE(info.st_mode))
    folder = path.parent
    if not os.access(str(folder), os.W_OK | os.X_OK) or not os.access(str(path), os.W_OK):
        return (
            "{} is not writable by you (it belongs to {}): this is an installation you do not own, such as the "
            "system's Python. Make a venv from a python.org, pyenv or Homebrew Python and use that, or run "
            "tfenvcheck fix with the rights to change it (sudo)".format(folder, owner_name(info.st_uid))
        )
    return None


def owner_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return "user id {}".format(uid)


def sha256_of(data: bytes | None) -> str | None:
    return None if data is None else sha256_bytes(data)
