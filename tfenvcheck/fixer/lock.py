"""One fixer per target at a time: an exclusive lock file per target in the state directory.

The operating system drops the lock when its holder dies (even by SIGKILL), so a killed fixer never
leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from tfenvcheck.errors import TfenvcheckError
from tfenvcheck.fixer.journal import state_dir, target_key


class TargetBusy(TfenvcheckError):
    """Another tfenvcheck fix or undo is changing this target now."""


@contextmanager
def target_lock(prefix: str) -> Iterator[None]:
    folder = state_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / (target_key(prefix) + ".lock")))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise TargetBusy(
            "another tfenvcheck fix or undo is changing {} right now; wait for it to finish".format(prefix)
        ) from None
    try:
        yield
    finally:
        lock.release()
