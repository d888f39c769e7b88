"""The known-breakages registry as a table (`tfenvcheck fixes`)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tfenvcheck.registry.entry import Breakage


def render_breakages(
    rows: Sequence[tuple[Breakage, list[str] | None]], console: Console, verbose: bool = False
) -> None:
    if not rows:
        console.print("No known breakage applies.")
        return
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2, 0, 0))
    table.add_column("id", no_wrap=True)
    table.add_column("severity")
    table.add_column("what", overflow="fold")
    table.add_column("fix", overflow="fold")
    for breakage, reasons in rows:
        what = breakage.title
        if reasons:
            what += "\n  seen: " + "; ".join(reasons)
        if verbose:
            what += "\n  you would see: " + breakage.symptom.splitlines()[0]
        table.add_row(
            breakage.id, breakage.severity, escape(what), escape("; ".join(a.describe() for a in breakage.fix))
        )
    console.print(table)
