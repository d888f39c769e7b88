"""Running one bad input through the real CLI and checking that it gets a clear answer.

A `Case` is a command line, the files it needs (made by `setup` in the case's own folder) and what
must come back: the exit code and a text that the one line on stderr holds. `run_case` runs it as a
real `python -m tfenvcheck` process with a private HOME and state folder, under a short timeout
(a hang fails the case instead of the suite), and checks for every case alike:

- the exit code, and the one-line message (never a traceback, never an "internal error");
- under `--json`, only JSON on stdout (NaN and Infinity are not JSON);
- no file changed outside the case's folder (the repository's code and data, the real state folder).

Placeholders in the arguments and the environment: `{case}` is the case's folder (also the working
directory), `{python}` the interpreter running the tests.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests.helpers import REPO

# What a case must never change: the tool's code and data, and the state folder of whoever runs the tests.
WATCHED = (REPO / "tfenvcheck", REPO / "fixes", Path.home() / ".local" / "state" / "tfenvcheck")


@dataclass
class Case:
    id: str
    group: str  # the class of bad input, for the count by class
    args: list[str]
    exit_code: int
    message: str  # a text the stderr line must hold ("" for a command that succeeds quietly)
    setup: Callable[[Path], object] | None = None
    env: dict[str, str | None] = field(default_factory=dict)  # None removes a variable
    stdin: str = ""
    timeout: float = 30
    stderr_lines: int | None = 1  # how many lines stderr may have (None: any, the message in the last)
    terminal: bool = False  # stdout and stderr on a pseudo-terminal, as a user's shell has them
    check: Callable[[Path, Outcome], None] | None = None  # a case's own further checks

    @property
    def json(self) -> bool:
        return "--json" in self.args


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str  # with `terminal`, both streams arrive together here and in stdout


def fill(text: str, folder: Path) -> str:
    return text.replace("{case}", str(folder)).replace("{python}", sys.executable)


def case_environment(folder: Path, extra: dict[str, str | None]) -> dict[str, str]:
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TFENVCHECK_STATE_DIR": str(folder / "state"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "COLUMNS": "200",
    }
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = fill(value, folder)
    return env


def snapshot(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under `roots` (caches aside)."""
    seen = {}
    for root in roots:
        if not root.exists():
            continue
        for directory, folders, files in os.walk(root):
            folders[:] = [name for name in folders if name != "__pycache__"]
            for name in files:
                path = os.path.join(directory, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    continue
                seen[path] = (info.st_size, info.st_mtime_ns)
    return seen


def _run_on_terminal(command: list[str], env: dict[str, str], cwd: Path, timeout: float) -> Outcome:
    """`command` with stdin, stdout and stderr on a new pseudo-terminal; what it printed there."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower, env=env, cwd=cwd)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the terminal closed: the process is done
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        else:
            process.kill()
            raise subprocess.TimeoutExpired(command, timeout)
        returncode = process.wait(timeout=5)
    finally:
        os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Outcome(returncode, text, text)


def run_case(case: Case, folder: Path) -> Outcome:
    """Run `case` in `folder` and check what every bad input must get; returns what came back."""
    folder.mkdir(parents=True, exist_ok=True)
    if case.setup is not None:
        case.setup(folder)
    env = case_environment(folder, case.env)
    command = [sys.executable, "-m", "tfenvcheck", *(fill(arg, folder) for arg in case.args)]
    before = snapshot(WATCHED)
    if case.terminal:
        outcome = _run_on_terminal(command, env, folder, case.timeout)
    else:
        done = subprocess.run(
            command, input=case.stdin, capture_output=True, text=True, env=env, cwd=folder, timeout=case.timeout
        )
        outcome = Outcome(done.returncode, done.stdout, done.stderr)
    shown = "exit {}\nstdout: {}\nstderr: {}".format(outcome.returncode, outcome.stdout[-2000:], outcome.stderr[-2000:])
    assert outcome.returncode == case.exit_code, shown
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr, shown
    lines = outcome.stderr.strip().splitlines()
    if case.stderr_lines is not None:
        assert len(lines) <= case.stderr_lines, shown
    if case.message:
        assert lines and case.message in lines[-1], shown
    if case.json and outcome.stdout.strip():
        json.loads(outcome.stdout, parse_constant=_not_json)
    assert snapshot(WATCHED) == before, "a file outside the case's folder changed"
    if case.check is not None:
        case.check(folder, outcome)
    return outcome


def _not_json(name: str) -> None:
    raise AssertionError("{} on stdout is not JSON".format(name))
