"""Run a stdlib-only payload script in a target interpreter and read its JSON answer.

The target may be broken in any way: missing, not a Python, an old Python, one whose
`import tensorflow` dies by SIGILL or hangs. Whatever happens becomes a `PayloadFailure`
that says so in one line; nothing here raises for a misbehaving target.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAYLOAD_DIR = Path(__file__).parent

# Windows reports a crash as an NTSTATUS exit code, not a signal.
_WINDOWS_CRASH_CODES = {
    0xC000001D: "illegal instruction (STATUS_ILLEGAL_INSTRUCTION)",
    0xC0000005: "access violation (STATUS_ACCESS_VIOLATION)",
    0xC0000135: "a required DLL was not found (STATUS_DLL_NOT_FOUND)",
    0xC0000409: "stack buffer overrun (STATUS_STACK_BUFFER_OVERRUN)",
}


@dataclass
class PayloadFailure:
    """Why a payload gave no answer: kind is not-found, not-executable, timeout, signal, exit or garbage."""

    kind: str
    message: str
    stderr_tail: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "stderr_tail": self.stderr_tail}


@dataclass
class PayloadResult:
    data: dict[str, Any] | None
    failure: PayloadFailure | None
    stderr: str
    seconds: float


def describe_exit(returncode: int) -> str:
    """'crashed with signal 4 (SIGILL: illegal instruction)' and the like."""
    if returncode < 0:
        signum = -returncode
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = "signal {}".format(signum)
        text = signal.strsignal(signum) or name
        return "crashed with signal {} ({}: {})".format(signum, name, text.lower())
    if (returncode & 0xFFFFFFFF) in _WINDOWS_CRASH_CODES:
        return "crashed: " + _WINDOWS_CRASH_CODES[returncode & 0xFFFFFFFF]
    return "exited with status {}".format(returncode)


def last_lines(text: str, lines: int = 8) -> list[str]:
    return [line for line in text.strip().splitlines() if line.strip()][-lines:]


def run_payload(
    python: str,
    payload: str,
    args: list[str] | None = None,
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
) -> PayloadResult:
    """Run `payload` (a file name in this folder) with `python` and parse the JSON it prints last.

    The source goes through stdin (`python - args`), so the target's sys.path[0] is its working
    directory: a fresh empty one, where nothing can shadow the modules being probed.
    """
    source = (PAYLOAD_DIR / payload).read_bytes()
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONIOENCODING"] = "utf-8"
    child_env.pop("PYTHONSTARTUP", None)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-") as workdir:
        try:
            proc = subprocess.Popen(
                [python, "-u", "-", *(args or [])],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=workdir,
                env=child_env,
                start_new_session=(os.name == "posix"),
            )
        except FileNotFoundError:
            return _failed("not-found", "no such file", "", start)
        except (PermissionError, OSError) as exc:
            return _failed("not-executable", "cannot run {}: {}".format(python, exc.strerror or exc), "", start)
        try:
            out, err = proc.communicate(source, timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_process_group(proc)
            out, err = proc.communicate()
            stderr = err.decode("utf-8", "replace")
            return _failed("timeout", "timed out after {:g} s".format(timeout), stderr, start)
    stderr = err.decode("utf-8", "replace")
    if proc.returncode != 0:
        kind = "signal" if proc.returncode < 0 or proc.returncode > 255 else "exit"
        return _failed(kind, describe_exit(proc.returncode), stderr, start)
    data = _last_json_object(out.decode("utf-8", "replace"))
    if data is None:
        shown = out.decode("utf-8", "replace").strip()[:80] or "nothing"
        return _failed("garbage", "answered with something that is not JSON: {!r}".format(shown), stderr, start)
    return PayloadResult(data=data, failure=None, stderr=stderr, seconds=time.monotonic() - start)


def _failed(kind: str, message: str, stderr: str, start: float) -> PayloadResult:
    failure = PayloadFailure(kind=kind, message=message, stderr_tail=last_lines(stderr))
    return PayloadResult(data=None, failure=failure, stderr=stderr, seconds=time.monotonic() - start)


def kill_process_group(proc: subprocess.Popen) -> None:
    """Kill the payload and anything it started (TensorFlow may fork helpers)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _last_json_object(text: str) -> dict[str, Any] | None:
    """The last line that parses as a JSON object: libraries may print before the payload does."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None
