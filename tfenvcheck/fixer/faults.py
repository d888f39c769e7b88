"""Fault injection for tests: kill the fixer with SIGKILL at a named step.

`TFENVCHECK_TEST_KILL_AT=patch:temp-written` makes the process kill itself when it reaches that
step (`journal:renamed#3`: the third time), the way a power cut or `kill -9` would stop it; the
tests then check that the target file and the journal are still consistent. Unset (always,
outside the tests), a checkpoint does nothing.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_AT_VARIABLE = "TFENVCHECK_TEST_KILL_AT"
_reached: Counter = Counter()


def checkpoint(step: str) -> None:
    wanted = os.environ.get(KILL_AT_VARIABLE)
    if not wanted:
        return
    _reached[step] += 1
    name, _, count = wanted.partition("#")
    if name == step and _reached[step] == int(count or 1):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
