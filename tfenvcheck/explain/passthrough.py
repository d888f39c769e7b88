"""Running the target with its output passed through as it comes, keeping the last lines to explain.

On a terminal the child writes to a pseudo-terminal of its own (sized as ours), so it behaves as it
does without tfenvcheck: Keras draws its progress bars, Python buffers by line. Otherwise its stdout
and stderr are pipes copied to ours. The child shares our process group: Ctrl-C reaches it as it
would without tfenvcheck, and tfenvcheck waits for it to end.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

from tfenvcheck.explain.patterns import MAX_LINE_CHARS

# The lines of output kept to explain a failure: a traceback, and what TensorFlow logged before it.
TAIL_LINES = 400
_CHUNK = 65536


@dataclass(frozen=True)
class Finished:
    returncode: int  # as subprocess reports it: negative for a signal
    tail: list[str]  # its last lines, stdout and stderr in the order they ended


def exit_status(returncode: int) -> int:
    """The status a shell reports: a signal as 128 + its number (SIGILL: 132)."""
    return 128 - returncode if returncode < 0 else returncode


class Tail:
    """The last `size` lines of one or more byte streams, decoded as UTF-8; \\r and \\n both end a line."""

    def __init__(self, size: int = TAIL_LINES) -> None:
        self._lines: deque[str] = deque(maxlen=size)
        self._partial: dict[int, str] = {}
        self._decoders: dict[int, codecs.IncrementalDecoder] = {}
        self._lock = threading.Lock()

    def feed(self, data: bytes, stream: int = 1) -> None:
        with self._lock:
            decoder = self._decoders.setdefault(stream, codecs.getincrementaldecoder("utf-8")("replace"))
            text = self._partial.get(stream, "") + decoder.decode(data)
            *complete, rest = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            self._lines.extend(line[:MAX_LINE_CHARS] for line in complete if line.strip())
            self._partial[stream] = rest[:MAX_LINE_CHARS]

    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines) + [rest for rest in self._partial.values() if rest.strip()]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _like_our_terminal(terminal: int, pty_fd: int) -> None:
    """The pty sized as our terminal, and leaving newlines as they are: our terminal turns them into
    CR LF itself (twice would be CR CR LF)."""
    import fcntl
    import termios

    try:
        size = fcntl.ioctl(terminal, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(pty_fd, termios.TIOCSWINSZ, size)
    except OSError:
        pass  # not a terminal after all: the pty keeps its default size
    attributes = termios.tcgetattr(pty_fd)
    attributes[1] &= ~termios.ONLCR
    termios.tcsetattr(pty_fd, termios.TCSANOW, attributes)


def _through_pty(command: Sequence[str], tail: Tail) -> int:
    import pty

    out = sys.stdout.fileno()
    master, slave = pty.openpty()
    _like_our_terminal(out, slave)
    try:
        proc = subprocess.Popen(list(command), stdout=slave, stderr=slave)
    finally:
        os.close(slave)
    try:
        while True:
            try:
                chunk = os.read(master, _CHUNK)
            except OSError:  # EIO: every writer closed the terminal
                break
            if not chunk:
                break
            _write_all(out, chunk)
            tail.feed(chunk)
    except KeyboardInterrupt:
        pass  # the child got the interrupt too; its status says how it ended
    finally:
        os.close(master)
    return proc.wait()


def _copier(source: IO[bytes], fd: int, tail: Tail) -> threading.Thread:
    def copy() -> None:
        for chunk in iter(lambda: source.read1(_CHUNK), b""):  # type: ignore[attr-defined]
            _write_all(fd, chunk)
            tail.feed(chunk, fd)

    thread = threading.Thread(target=copy, daemon=True)
    thread.start()
    return thread


def _through_pipes(command: Sequence[str], tail: Tail) -> int:
    proc = subprocess.Popen(list(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    copiers = [_copier(proc.stdout, sys.stdout.fileno(), tail), _copier(proc.stderr, sys.stderr.fileno(), tail)]
    try:
        for thread in copiers:
            thread.join()
    except KeyboardInterrupt:
        pass
    code = proc.wait()
    for thread in copiers:
        thread.join(timeout=5)
    return code


def run_passed_through(command: Sequence[str], through_terminal: bool) -> Finished:
    """Run `command` to its end, its output passed through; OSError when it cannot be started."""
    sys.stdout.flush()
    sys.stderr.flush()
    tail = Tail()
    run = _through_pty if through_terminal and os.name == "posix" else _through_pipes
    code = run(command, tail)
    return Finished(code, tail.lines())
