"""The text to explain, read as lines as it comes: a file or standard input of any size.

A line is cut at `MAX_LINE_CHARS` and the rest of it skipped without being held, so memory stays
bounded by one line whatever the input (a 50 MB log, a progress bar redrawn for an hour). Carriage
returns end lines too: a Keras progress bar's redraws are lines of their own.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tfenvcheck.errors import UsageError
from tfenvcheck.explain.patterns import MAX_LINE_CHARS

STDIN = "-"


def text_lines(stream: IO[bytes], max_chars: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The lines of a byte stream (UTF-8, undecodable bytes replaced), without their line ends."""
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace", newline=None)
    while True:
        line = text.readline(max_chars)
        if not line:
            return
        if not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):  # skip the rest of an over-long line
                rest = text.readline(max_chars)
        yield line.rstrip("\n")


@contextmanager
def opened_input(path: str | None) -> Iterator[IO[bytes]]:
    """The bytes of `path`, or of standard input for None or "-"; a file that cannot be read is a
    one-line UsageError."""
    if path is None or path == STDIN:
        yield sys.stdin.buffer
        return
    try:
        stream = Path(path).open("rb")  # noqa: SIM115 (closed by the with below, once opening is judged)
    except FileNotFoundError:
        raise UsageError("{}: no such file".format(path)) from None
    except OSError as error:
        raise UsageError("{}: cannot read it ({})".format(path, error.strerror or error)) from None
    with stream:
        yield stream
