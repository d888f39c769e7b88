"""Run a payload that streams JSON lines in the target, handing each event over as it arrives.

`probes.payload_runner.run_payload` waits for one answer; a benchmark runs for minutes and reports
progress on the way, so this reads stdout line by line and stderr alongside (TensorFlow logs a lot
there, and a full pipe would stall the target), as `Child.lines` reads them: a daemon the target
leaves holding either pipe does not keep it waiting. Failures are the same `PayloadFailure`s:
a missing interpreter, a crash, a timeout, or an end without the final "done" event.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tfenvcheck.probes.payload_runner import answer_line, marked_environment, payload_source
from tfenvcheck.probes.spawn import Child, PayloadFailure, last_lines, spawned, start_failure

STDERR_KEPT_BYTES = 256 * 1024


@dataclass
class StreamResult:
    events: list[dict[str, Any]] = field(default_factory=list)
    failure: PayloadFailure | None = None
    stderr: str = ""
    seconds: float = 0.0


class _StderrKept:
    """The last STDERR_KEPT_BYTES of the target's stderr."""

    def __init__(self) -> None:
        self.kept = bytearray()

    def add(self, chunk: bytes) -> None:
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
    result = StreamResult()
    stderr = _StderrKept()
    child_env, marker = marked_environment(env)
    start = time.monotonic()
    try:
        with spawned([python, "-u", "-", *args], child_env, timeout) as child:
            _read_events(child, payload_source(payload), marker, result, on_event, stderr)
    except OSError as error:
        result.failure = start_failure(python, error)
        return result
    result.stderr = stderr.text()
    result.seconds = time.monotonic() - start
    result.failure = child.failure(result.stderr)
    if result.failure is None and not any(event["event"] == "done" for event in result.events):
        result.failure = PayloadFailure("garbage", "ended without saying it was done", last_lines(result.stderr))
    return result


def _read_events(
    child: Child,
    source: bytes,
    marker: str,
    result: StreamResult,
    on_event: Callable[[dict[str, Any]], None],
    stderr: _StderrKept,
) -> None:
    # The payloads (under 64 KiB, a pipe's buffer) are written whole before the target reads them.
    with contextlib.suppress(BrokenPipeError):  # it ended before reading it all: how it ended says why
        child.stdin.write(source)
    for line in child.lines(on_stderr=stderr.add):
        event = _event(line, marker)
        if event is not None:
            result.events.append(event)
            on_event(event)


def _event(line: bytes, marker: str) -> dict[str, Any] | None:
    """An answer line with an "event" key; libraries' own lines on stdout are skipped."""
    value = answer_line(line.decode("utf-8", "replace").strip(), marker)
    return value if value is not None and isinstance(value.get("event"), str) else None
