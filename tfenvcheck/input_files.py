"""Reading a file the user names (a profile, a requirements file, a registry entry, a saved result).

Only regular files of a sane size are read: a FIFO would block forever, a device never ends, and a
file of /proc or /sys is the kernel's, not data. The type is checked with `os.stat` before opening,
the file is opened non-blocking (a FIFO swapped in after the check cannot block either) and checked
again on the open descriptor.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TypeVar

from tfenvcheck.errors import UsageError

Error = TypeVar("Error", bound=UsageError)

# Far above any data file tfenvcheck reads (a saved report with its facts is a few hundred KiB).
MAX_BYTES = 16 * 2**20
_KERNEL_FILESYSTEMS = ("/proc", "/sys")
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotReadable(Exception):
    """Why a file cannot be read as data, in a few words ("no such file", "a FIFO, not a regular file")."""


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse_special(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotReadable("{}, not a regular file".format(_kind(mode)))


def read_bytes(path: Path | str, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file `path`; NotReadable saying why not."""
    try:
        _refuse_special(os.stat(path).st_mode)
        real = os.path.realpath(path)
        if any(real == top or real.startswith(top + os.sep) for top in _KERNEL_FILESYSTEMS):
            raise NotReadable("a file of the kernel's {} filesystem, not a data file".format(real.split(os.sep)[1]))
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise NotReadable("no such file") from None
    except OSError as error:
        raise NotReadable(error.strerror or str(error)) from None
    with os.fdopen(descriptor, "rb") as stream:
        _refuse_special(os.fstat(stream.fileno()).st_mode)
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise NotReadable("larger than {} MiB".format(max_bytes // 2**20))
    return data


def read_text(path: Path | str, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of the regular file `path`, a leading byte order mark dropped (as pip does)."""
    try:
        return read_bytes(path, max_bytes).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotReadable("not a UTF-8 text file") from None


def read_text_or(error: type[Error], path: Path | str, what: str, max_bytes: int = MAX_BYTES) -> str:
    """`read_text`, a refusal raised as `error("FILE: cannot read WHAT: why")`."""
    try:
        return read_text(path, max_bytes)
    except NotReadable as why:
        raise error("{}: cannot read {}: {}".format(path, what, why)) from None
