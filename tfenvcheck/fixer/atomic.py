"""Write a file so that a reader (or a crash) sees either the old bytes or the new ones, never a mix.

The new bytes go to a temporary file in the same folder (same file system, so the rename is
atomic), are flushed to disk, take the old file's mode, and replace it with one rename; the folder
is synced so the rename itself survives a power cut. On any error the temporary file is removed
and the original is untouched.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from tfenvcheck.fixer.faults import checkpoint


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None when it does not exist."""
    try:
        return sha256_bytes(Path(path).read_bytes())
    except FileNotFoundError:
        return None


def temp_path_for(path: Path, tag: str) -> Path:
    """Where the new bytes of `path` are staged: beside it, hidden, named so a leftover is recognisable."""
    return path.with_name(".{}.tfenvcheck-{}.tmp".format(path.name, tag))


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(str(folder), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    path: Path, data: bytes, temp: Path | None = None, mode: int | None = None, step: str = "write"
) -> None:
    """Replace (or create) `path` with `data`. `mode` defaults to the existing file's (else 0o644).

    `step` names the fault-injection checkpoints (`<step>:temp-written`, `<step>:renamed`).
    """
    path = Path(path)
    temp = temp or temp_path_for(path, "new")
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
    try:
        fd = os.open(str(temp), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(str(temp), mode)
        checkpoint(step + ":temp-written")
        os.replace(str(temp), str(path))
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(str(temp))
        if isinstance(error, OSError) and error.filename is None:  # os.write names no file: name the one meant
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise
    checkpoint(step + ":renamed")
    fsync_folder(path.parent)
