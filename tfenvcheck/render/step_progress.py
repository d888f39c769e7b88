"""The steps of a creation on stderr: a spinner with the installer's latest line while a step runs
(on a terminal), then one line per step with its time; the times are kept for the result."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from rich.console import Console
from rich.markup import escape


class Steps:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, key: str, title: str) -> Iterator[Callable[[str], None]]:
        """Run a step; the block gets a function that shows a line of the step's output."""
        start = time.monotonic()
        finished = False
        try:
            with self.console.status(escape(title)) as status:

                def show(line: str) -> None:
                    status.update("{} [dim]{}[/dim]".format(escape(title), escape(line.strip()[:100])))

                yield show
            finished = True
        finally:  # printed once the spinner is gone
            seconds = time.monotonic() - start
            if finished:
                self.seconds[key] = round(self.seconds.get(key, 0.0) + seconds, 2)
                self.console.print(
                    "[green]✓[/green] {} [dim]({:.1f} s)[/dim]".format(escape(title), seconds), soft_wrap=True
                )
            else:
                self.console.print("[red]✗[/red] {}".format(escape(title)), soft_wrap=True)
