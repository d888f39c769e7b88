"""Run a payload that streams JSON lines in the target, handing each event over as it arrives.

`probes.payload_runner.run_payload` waits for one answer; a benchmark runs for minutes and reports
progress on the way, so this reads stdout line by line while a thread drains stderr (TensorFlow
logs a lot there, and a full pipe would stall the target). Failures are the same `PayloadFailure`s:
a missing interpreter, a crash, a timeout, or an end without the final "done" event.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tfenvcheck.probes.payload_runner import PayloadFailure, describe_exit, kill_process_group, last_lines

STDERR_KEPT_BYTES = 256 * 1024


@dataclass
class StreamResult:
    events: list[dict[str, Any]] = field(default_factory=list)
    failure: PayloadFailure | None = None
    stderr: str = ""
    seconds: float = 0.0


class _StderrDrain(threading.Thread):
    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.kept = bytearray()

    def run(self) -> None:
        for chunk in iter(lambda: self.stream.read(8192), b""):
            self.kept += chunk
            del self.kept[:-STDERR_KEPT_BYTES]

    def text(self) -> str:
        return self.kept.decode("utf-8", "replace")


def stream_payload(
    python: str,
    payload: Path,
    args: list[str],
    on_event: Callable[[dict[str, Any]], None],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> StreamResult:
    """Run `payload` (a file) with `python`, calling `on_event` for each JSON event line it prints.

    Like run_payload, the source goes through stdin and runs in a fresh empty directory in a new
    session, so a timeout or Ctrl-C kills TensorFlow's helpers with it.
    """
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONIOENCODING"] = "utf-8"
    child_env.pop("PYTHONSTARTUP", None)
    result = StreamResult()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-bench-") as workdir:
        try:
            proc = subprocess.Popen(
                [python, "-u", "-", *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=workdir,
                env=child_env,
                start_new_session=(os.name == "posix"),
            )
        except FileNotFoundError:
            result.failure = PayloadFailure("not-found", "no such file")
            return result
        except OSError as exc:
            result.failure = PayloadFailure("not-executable", "cannot run {}: {}".format(python, exc.strerror or exc))
            return result
        drain = _StderrDrain(proc.stderr)
        drain.start()
        timed_out = threading.Event()
        watchdog = None
        if timeout:
            watchdog = threading.Timer(timeout, lambda: (timed_out.set(), kill_process_group(proc)))
            watchdog.daemon = True
            watchdog.start()
        try:
            proc.stdin.write(payload.read_bytes())
            proc.stdin.close()
            for line in proc.stdout:
                event = _event(line)
                if event is not None:
                    result.events.append(event)
                    on_event(event)
            proc.wait()
        except BrokenPipeError:
            proc.wait()
        except BaseException:  # Ctrl-C or an error in on_event: never leave TensorFlow training behind
            kill_process_group(proc)
            proc.wait()
            raise
        finally:
            if watchdog is not None:
                watchdog.cancel()
            drain.join(timeout=5)
            proc.stdout.close()
            proc.stderr.close()
    result.stderr = drain.text()
    result.seconds = time.monotonic() - start
    tail = last_lines(result.stderr)
    if timed_out.is_set():
        result.failure = PayloadFailure("timeout", "timed out after {:g} s".format(timeout), tail)
    elif proc.returncode != 0:
        kind = "signal" if proc.returncode < 0 or proc.returncode > 255 else "exit"
        result.failure = PayloadFailure(kind, describe_exit(proc.returncode), tail)
    elif not any(event["event"] == "done" for event in result.events):
        result.failure = PayloadFailure("garbage", "ended without saying it was done", tail)
    return result


def _event(line: bytes) -> dict[str, Any] | None:
    """A JSON object with an "event" key; libraries' own lines on stdout are skipped."""
    text = line.decode("utf-8", "replace").strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and isinstance(value.get("event"), str) else None
