"""Terminal output: colour on a terminal, plain text when piped or NO_COLOR is set (rich does both)."""

from __future__ import annotations

from rich.console import Console


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    return Console(stderr=True, highlight=False)


def gib(value: int | None) -> str:
    return "?" if value is None else "{:.1f} GiB".format(value / 2**30)
