"""Starting a child process for tfenvcheck (a payload in the target, the target's pip, uv) and
saying how it ended.

Every child gets the same treatment: UTF-8 output whatever the locale, no PYTHONSTARTUP, a fresh
empty working folder (nothing there can shadow the modules it imports), a session of its own, and
a watchdog that kills that session at the timeout; an interrupt (Ctrl-C, an error in a callback)
kills it too, so TensorFlow's helpers never keep running. On Linux the child also dies with
tfenvcheck, even when tfenvcheck is killed outright (the kernel's parent-death signal): a fixer
killed during a pip run leaves no pip changing the target behind it. How it ended becomes a `PayloadFailure`
(a signal, a timeout, an exit status) or None.

Children started inside a `CancelScope` (probes run at the same time for one target) can all be
killed at once: when one probe finds that the target cannot answer, the others stop waiting.

A child may leave a daemon behind that escaped its session and still holds its stdout: reading
to the end of the pipe would then wait on the daemon for good. So once the child has ended
by itself, its pipes are read for `PIPE_GRACE` seconds more (once more when it was killed, at
the timeout or cancelled), then closed.
"""

from __future__ import annotations

import contextvars
import ctypes
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, Callable

# How long the pipes of a child that has ended are still read: what it wrote before it ended is
# already in them; a daemon it left behind holding them is not waited on longer than this.
PIPE_GRACE = 0.5
_POLL = 0.05

# Windows reports a crash as an NTSTATUS exit code, not a signal.
_WINDOWS_CRASH_CODES = {
    0xC000001D: "illegal instruction (STATUS_ILLEGAL_INSTRUCTION)",
    0xC0000005: "access violation (STATUS_ACCESS_VIOLATION)",
    0xC0000135: "a required DLL was not found (STATUS_DLL_NOT_FOUND)",
    0xC0000409: "stack buffer overrun (STATUS_STACK_BUFFER_OVERRUN)",
}


@dataclass
class PayloadFailure:
    """Why a payload gave no answer: kind is not-found, not-executable, timeout, cancelled, signal, exit
    or garbage."""

    kind: str
    message: str
    stderr_tail: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "stderr_tail": self.stderr_tail}


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


def kill_process_group(proc: subprocess.Popen) -> None:
    """Kill the child and anything it started (TensorFlow may fork helpers)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _linux_prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _linux_prctl()


def _dying_with_us() -> Callable[[], None] | None:
    """What the child runs before its program (Linux): ask for SIGKILL when its parent dies, and die
    at once if that happened already, between the fork and the asking; None elsewhere."""
    if _PRCTL is None:
        return None
    parent = os.getpid()

    def ask() -> None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return ask


def child_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`env` (default: ours) with UTF-8 output and without PYTHONSTARTUP."""
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONIOENCODING"] = "utf-8"
    child_env.pop("PYTHONSTARTUP", None)
    return child_env


def start_failure(program: str, error: OSError) -> PayloadFailure:
    """The failure for a child that could not be started at all."""
    if isinstance(error, FileNotFoundError):
        return PayloadFailure("not-found", "no such file")
    return PayloadFailure("not-executable", "cannot run {}: {}".format(program, error.strerror or error))


@dataclass(eq=False)  # each child is itself (a CancelScope keeps a set of them)
class Child:
    proc: subprocess.Popen
    timeout: float | None
    timed_out: threading.Event = field(default_factory=threading.Event)
    cancelled: threading.Event = field(default_factory=threading.Event)
    _ended_at: float | None = None

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None
        return self.proc.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def failure(self, stderr: str) -> PayloadFailure | None:
        """How it ended, once it has: killed at the timeout, by a signal, with a status; None if fine."""
        tail = last_lines(stderr)
        if self.timed_out.is_set():
            return PayloadFailure("timeout", "timed out after {:g} s".format(self.timeout or 0), tail)
        if self.cancelled.is_set():
            return PayloadFailure("cancelled", "stopped: the target cannot answer", tail)
        code = self.proc.returncode
        if code != 0:
            return PayloadFailure("signal" if code < 0 or code > 255 else "exit", describe_exit(code), tail)
        return None

    def communicate(self, data: bytes | None = None) -> tuple[bytes, bytes]:
        """Send `data`, then read stdout and stderr until they end, or until the child has ended and
        its pipes are given up (`_done_reading`): what was read by then is the output."""
        while True:
            try:
                out, err = self.proc.communicate(data, timeout=_POLL)
                return out or b"", err or b""
            except subprocess.TimeoutExpired as pending:
                data = None  # sent already: the retry only goes on reading
                if self._done_reading():
                    self._close_pipes()
                    return _as_bytes(pending.output), _as_bytes(pending.stderr)

    def lines(self, on_stderr: Callable[[bytes], None] | None = None) -> Iterator[bytes]:
        """stdout line by line as it comes, ending as `communicate` does (stdin is closed first); with
        `on_stderr`, stderr is read alongside (a full pipe would stall the child) and handed over in
        chunks. A daemon the child left holding either pipe holds up neither."""
        self.stdin.close()
        if os.name != "posix":  # no select() on Windows pipes: stderr in a thread, stdout to its end
            if on_stderr is not None:
                stderr = self.proc.stderr
                assert stderr is not None
                threading.Thread(target=_read_all, args=(stderr, on_stderr), daemon=True).start()
            yield from self.stdout
            return
        out = self.stdout.fileno()
        handlers: dict[int, Callable[[bytes], None] | None] = {out: None}
        if on_stderr is not None and self.proc.stderr is not None:
            handlers[self.proc.stderr.fileno()] = on_stderr
        pending = b""
        while handlers:
            ready, _, _ = select.select(list(handlers), [], [], _POLL)
            for fd in ready:
                chunk = os.read(fd, 65536)
                handler = handlers[fd]
                if not chunk:  # this pipe ended
                    del handlers[fd]
                elif handler is not None:
                    handler(chunk)
                else:
                    *complete, pending = (pending + chunk).split(b"\n")
                    yield from (line + b"\n" for line in complete)
            if not ready and self._done_reading():
                self._close_pipes()
                break
        if pending:
            yield pending

    def _done_reading(self) -> bool:
        """Whether the pipes of a child that has ended need no more reading though still open (a
        daemon it left holds them): PIPE_GRACE after it ended by itself; after one more read of
        what is in them when it was killed (at the timeout, or cancelled)."""
        if self.proc.poll() is None:
            return False
        self._ended_at = self._ended_at or time.monotonic()
        grace = _POLL if self.timed_out.is_set() or self.cancelled.is_set() else PIPE_GRACE
        return time.monotonic() - self._ended_at >= grace

    def _close_pipes(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()

    def _expire(self) -> None:
        self.timed_out.set()
        kill_process_group(self.proc)

    def _cancel(self) -> None:
        self.cancelled.set()
        kill_process_group(self.proc)


class CancelScope:
    """The children started while it is current (in this thread, or one given its context with
    `contextvars.copy_context()`); `cancel()` kills every one of them, and any started later."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[Child] = set()
        self.cancelled = False

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            running = list(self._running)
        for child in running:
            child._cancel()

    def _enter(self, child: Child) -> None:
        with self._lock:
            self._running.add(child)
            cancelled = self.cancelled
        if cancelled:
            child._cancel()

    def _leave(self, child: Child) -> None:
        with self._lock:
            self._running.discard(child)


_current_scope: contextvars.ContextVar[CancelScope | None] = contextvars.ContextVar("cancel_scope", default=None)


@contextmanager
def cancel_scope() -> Iterator[CancelScope]:
    """A scope for the children started in this block (see CancelScope)."""
    scope = CancelScope()
    token = _current_scope.set(scope)
    try:
        yield scope
    finally:
        _current_scope.reset(token)


def _read_all(stream: IO[bytes], on_chunk: Callable[[bytes], None]) -> None:
    for chunk in iter(lambda: stream.read(8192), b""):
        on_chunk(chunk)


def _as_bytes(data: bytes | str | None) -> bytes:
    return data.encode() if isinstance(data, str) else (data or b"")


@contextmanager
def spawned(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    merge_stderr: bool = False,
    in_empty_folder: bool = True,
) -> Iterator[Child]:
    """Start `command` (stdin, stdout and stderr piped; stderr into stdout with `merge_stderr`) and
    wait for it on leaving the block. An OSError from starting it is raised as it is."""
    with ExitStack() as stack:
        workdir = stack.enter_context(tempfile.TemporaryDirectory(prefix="tfenvcheck-")) if in_empty_folder else None
        proc = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            cwd=workdir,
            env=child_environment(env),
            start_new_session=(os.name == "posix"),
            preexec_fn=_dying_with_us(),
        )
        child = Child(proc, timeout)
        scope = _current_scope.get()
        if scope is not None:
            scope._enter(child)
            stack.callback(scope._leave, child)
        watchdog = threading.Timer(timeout, child._expire) if timeout else None
        if watchdog is not None:
            watchdog.daemon = True
            watchdog.start()
        try:
            yield child
            proc.wait()
        except BaseException:  # Ctrl-C or an error in a callback: never leave the child running
            kill_process_group(proc)
            proc.wait()
            raise
        finally:
            if watchdog is not None:
                watchdog.cancel()
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()


@dataclass(frozen=True)
class Captured:
    """What a finished child said: stdout and stderr (merged into stdout when lines were handed over)."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool


def run_captured(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    on_line: Callable[[str], None] | None = None,
    in_empty_folder: bool = True,
) -> Captured:
    """Run `command` to its end; with `on_line`, each non-empty line of its output is handed over as it
    comes. OSError from starting it is raised; a timeout is `timed_out`, not an exception."""
    with spawned(command, env, timeout, merge_stderr=on_line is not None, in_empty_folder=in_empty_folder) as child:
        if on_line is None:
            out, err = child.communicate()  # closes stdin: the child reads nothing
        else:
            lines = []
            for raw in child.lines():
                line = raw.decode("utf-8", "replace").rstrip()
                lines.append(line)
                if line:
                    on_line(line)
            out, err = "\n".join(lines).encode(), b""
    stdout, stderr = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    return Captured(child.proc.returncode, stdout, stderr, child.timed_out.is_set())
