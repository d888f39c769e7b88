"""Terminal output: colour and live spinners on a terminal; plain text, without a single escape
sequence, when piped, when NO_COLOR is set (https://no-color.org) or on a dumb terminal.

rich alone strips only the colours for NO_COLOR (bold and dim stay) and still moves the cursor for a
spinner on TERM=dumb, so such a console is made as for a pipe, at the terminal's width.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO

from rich.console import Console

DUMB_TERMINALS = ("dumb", "unknown")


def plain_text_wanted() -> bool:
    """NO_COLOR set to anything, or a terminal that understands no escape sequences."""
    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM", "").strip().lower() in DUMB_TERMINALS


def _console(stream: TextIO, stderr: bool, soft_wrap: bool) -> Console:
    if not plain_text_wanted():
        return Console(stderr=stderr, highlight=False, soft_wrap=soft_wrap)
    width = shutil.get_terminal_size().columns if stream.isatty() else None
    return Console(
        stderr=stderr, highlight=False, soft_wrap=soft_wrap, color_system=None, force_terminal=False, width=width
    )


def stdout_console() -> Console:
    return _console(sys.stdout, stderr=False, soft_wrap=False)


def stderr_console() -> Console:
    return _console(sys.stderr, stderr=True, soft_wrap=False)


def degrade_unencodable_output() -> None:
    """A character the terminal's encoding cannot show (PYTHONIOENCODING=ascii and a path with an é)
    is written as an escape like \\xe9 instead of ending the command with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def gib(value: int | None) -> str:
    return "?" if value is None else "{:.1f} GiB".format(value / 2**30)
