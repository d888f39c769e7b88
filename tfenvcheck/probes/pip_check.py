"""`python -m pip check` run by the target: which installed packages conflict with each other.

pip is the target's own (never tfenvcheck's), run in a subprocess under a timeout; a target with
no pip (a `uv venv` made without --seed) or a pip that hangs becomes a fact, never an exception.
"""

from __future__ import annotations

import time

from tfenvcheck.facts.model import PipCheckFacts
from tfenvcheck.probes.target_pip import run_target_pip

DEFAULT_TIMEOUT = 60.0


def probe_pip_check(python: str, timeout: float = DEFAULT_TIMEOUT) -> PipCheckFacts:
    start = time.monotonic()
    facts = PipCheckFacts(probed=True)
    try:
        done = run_target_pip(python, ["check"], timeout)
    except OSError as error:
        facts.error = "cannot run {}: {}".format(python, error.strerror or error)
        return _timed(facts, start)
    if done.timed_out:
        facts.error = "pip check timed out after {:g} s".format(timeout)
        return _timed(facts, start)
    output = [line.strip() for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    if "No module named pip" in done.stderr:
        facts.error = "pip is not installed in the target"
    elif done.returncode == 0:
        facts.ran, facts.clean = True, True
    elif done.stdout.strip() and not done.stderr.strip():
        # pip check exits 1 and lists one conflict per line on stdout.
        facts.ran, facts.clean, facts.problems = True, False, output
    else:
        facts.error = output[-1] if output else "pip check exited with status {}".format(done.returncode)
    return _timed(facts, start)


def _timed(facts: PipCheckFacts, start: float) -> PipCheckFacts:
    facts.seconds = round(time.monotonic() - start, 3)
    return facts
