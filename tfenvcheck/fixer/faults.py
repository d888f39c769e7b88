"""Fault injection for tests: kill the fixer with SIGKILL at a named step.

`TFENVCHECK_TEST_KILL_AT=patch:temp-written` makes the process kill itself when it reaches that
step (`journal:renamed#3`: the third time), the way a power cut or `kill -9` would stop it; the
tests then check that the target file and the journal are still consistent. With
`TFENVCHECK_TEST_STEPS_LOG=FILE`, each step reached is appended to FILE as it would be named in
KILL_AT (`journal:renamed#3`), so a test can learn every step of a run and kill at each one.
Unset (always, outside the tests), a checkpoint does nothing.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

KILL_AT_VARIABLE = "TFENVCHECK_TEST_KILL_AT"
STEPS_LOG_VARIABLE = "TFENVCHECK_TEST_STEPS_LOG"
_reached: Counter = Counter()


def checkpoint(step: str) -> None:
    wanted, log = os.environ.get(KILL_AT_VARIABLE), os.environ.get(STEPS_LOG_VARIABLE)
    if not wanted and not log:
        return
    _reached[step] += 1
    if log:
        with open(log, "a", encoding="utf-8") as steps:
            steps.write("{}#{}\n".format(step, _reached[step]))
    if not wanted:
        return
    name, _, count = wanted.partition("#")
    if name == step and _reached[step] == int(count or 1):
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
