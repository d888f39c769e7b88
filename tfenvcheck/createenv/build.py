"""An environment is either finished or not there: a failed, interrupted (Ctrl-C) or terminated
(SIGTERM, SIGHUP) creation removes what it made.

A venv hard-codes its own path (pyvenv.cfg, script shebangs), so it is built at its final path
rather than in a temporary folder renamed into place; the removal on failure is what keeps DIR clean.
"""

from __future__ import annotations

import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from tfenvcheck.errors import TfenvcheckError, UsageError

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(TfenvcheckError):
    """A termination signal arrived while building; exits as the shell expects (128 + signal)."""

    def __init__(self, signum: int) -> None:
        super().__init__("stopped by {}".format(signal.Signals(signum).name))
        self.exit_code = 128 + signum


def check_destination(path: Path) -> None:
    """DIR may be new or an empty folder; anything else is refused before any work starts."""
    if path.is_dir():
        if any(path.iterdir()):
            raise UsageError("{} exists and is not empty: give a new directory for the environment".format(path))
    elif path.exists():
        raise UsageError("{} exists and is not a directory".format(path))


def _raise_terminated(signum: int, _frame: object) -> None:
    raise Terminated(signum)


@contextmanager
def removed_unless_finished(path: Path, on_removed: Callable[[Path], None] = lambda path: None) -> Iterator[None]:
    """Build at `path` inside this block; if it raises, or a termination signal arrives, remove what
    was made there (a folder that existed empty before is kept, empty) and re-raise."""
    existed = path.is_dir()
    handling_signals = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.getsignal(signum) for signum in (*_SIGNALS, signal.SIGINT)} if handling_signals else {}
    for signum in _SIGNALS if handling_signals else ():
        signal.signal(signum, _raise_terminated)
    try:
        yield
    except BaseException:
        for signum in previous:  # a second signal must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        remove(path, keep_folder=existed)
        on_removed(path)
        raise
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def remove(path: Path, keep_folder: bool) -> None:
    if not path.exists():
        return
    if not keep_folder:
        shutil.rmtree(path, ignore_errors=True)
        return
    for entry in path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink()
