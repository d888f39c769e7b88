"""Fault injection for tests: kill the fixer with SIGKILL at a named step.

`TFENVCHECK_TEST_KILL_AT=patch:temp-written` makes the process kill itself when it reaches that
step, the way a power cut or `kill -9` would stop it; the tests then check that the target file and
the journal are still consistent. Unset (always, outside the tests), a checkpoint does nothing.
"""

from __future__ import annotations

import os
import signal

KILL_AT_VARIABLE = "TFENVCHECK_TEST_KILL_AT"


def checkpoint(step: str) -> None:
    if os.environ.get(KILL_AT_VARIABLE) == step:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
