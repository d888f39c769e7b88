"""What commands show: a document as JSON or rendered on the terminal, and the one question asked."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Callable

from rich.console import Console

from tfenvcheck import documents
from tfenvcheck.render.console import stdout_console


def emit(
    args: argparse.Namespace,
    document: Any,
    render: Callable[[Console], None] | None = None,
    console: Console | None = None,
) -> None:
    """With --json, `document` as JSON on stdout and nothing else there; otherwise `render` it on
    `console` (stdout by default). Without `render`, nothing is shown unless --json."""
    if args.json:
        print_json(document)
    elif render is not None:
        render(console if console is not None else stdout_console())


def print_json(document: Any) -> None:
    """The document on stdout, untouched by rich (no wrapping, no markup), never NaN or Infinity."""
    sys.stdout.write(documents.dumps(document))


def unwrapped(console: Console) -> Console:
    """Paths and commands stay whole on one line, also when piped (rich wraps at 80 columns then)."""
    console.soft_wrap = True
    return console


def spinner(console: Console) -> Callable[[str], AbstractContextManager[None]]:
    """A progress callback for the stages: a spinner with the text while the block runs."""

    @contextmanager
    def progress(text: str) -> Iterator[None]:
        with console.status(text):
            yield

    return progress


def confirmed(question: str) -> bool:
    """Ask on stderr; anything but y/yes (an empty line, end of input) is a no."""
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
