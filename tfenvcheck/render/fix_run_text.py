"""The terminal views of `tfenvcheck fix` and `tfenvcheck undo`: the plan before anything changes
(pip commands, unified diffs, environment settings, advice), then what was done and verified."""

from __future__ import annotations

import shlex
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from tfenvcheck.fixer.plan import Plan, PlannedAction

_MARKS = {
    "applied": ("✓", "green"),
    "already-done": ("✓", "dim"),
    "gone": ("✓", "green"),
    "restored": ("✓", "green"),
    "already-restored": ("✓", "dim"),
    "failed": ("✗", "red"),
    "still-present": ("✗", "red"),
    "not-run": ("-", "dim"),
    "left-alone": ("!", "yellow"),
    "uncertain": ("?", "yellow"),
    "applying": ("?", "magenta"),
    "planned": ("-", "dim"),
}


def mark(status: str) -> str:
    symbol, style = _MARKS.get(status, ("-", "dim"))
    return "[{style}]\\[{symbol}][/{style}]".format(style=style, symbol=symbol)


def render_plan(plan: Plan, console: Console) -> None:
    console.print("Known breakages found in {} ({}):".format(escape(plan.python), len(plan.breakages)), style="bold")
    for breakage, reasons in plan.breakages:
        console.print("  [red]\\[✗][/red] {} [dim]({})[/dim]".format(escape(breakage.title), breakage.id))
        if reasons:
            console.print("      seen: " + escape("; ".join(reasons)), style="dim")
    console.print()
    console.print("Plan:", style="bold")
    for number, action in enumerate(plan.actions, 1):
        render_planned_action(number, action, console)


def render_planned_action(number: int, action: PlannedAction, console: Console) -> None:
    state = " [dim](already done)[/dim]" if action.already_done else ""
    console.print(
        "  {}. {} [dim]for {}[/dim]{}".format(number, action.kind, escape(", ".join(action.breakage_ids)), state)
    )
    if action.kind == "pin" and not action.already_done:
        console.print("     " + escape(" ".join(shlex.quote(part) for part in action.details["command"])))
    elif action.kind == "patch":
        console.print("     " + escape(action.description))
        if action.diff and not action.already_done:
            console.print(Syntax(action.diff, "diff", theme="ansi_dark", background_color="default"))
    elif action.kind == "env":
        console.print(
            "     {} (a .pth file the interpreter runs at start-up: {})".format(
                escape(action.description), escape(action.details["path"])
            )
        )
    elif action.kind == "preload":
        console.print(
            "     {} (a .pth file the interpreter runs at start-up: {}), each with ctypes, RTLD_GLOBAL:".format(
                escape(action.description), escape(action.details["path"])
            )
        )
        for library in action.details["libraries"]:
            console.print("       " + escape(library), style="dim")
    else:
        console.print("     " + escape(action.description), style="yellow")
    if action.problem:
        console.print("     [red]cannot: {}[/red]".format(escape(action.problem)))


def render_nothing_to_do(lines: list[str], console: Console) -> None:
    for line in lines:
        console.print(escape(line))


def render_run(record: dict[str, Any], console: Console) -> None:
    """What the run did, how the verification went, and how to undo it."""
    console.print()
    console.print("Done:" if record["status"] == "done" else "Stopped:", style="bold")
    for action in record["actions"]:
        if action["kind"] == "advise":
            continue
        line = "  {} {}".format(mark(action["status"]), escape(action["description"]))
        if action["status"] not in ("applied",):
            line += " [dim]({})[/dim]".format(action["status"])
        console.print(line)
        if action.get("error"):
            console.print("      [red]{}[/red]".format(escape(action["error"])))
    if record["verification"]:
        console.print()
        console.print("Verified by detecting again:", style="bold")
        for result in record["verification"]:
            console.print(
                "  {} {}: {} [dim]({})[/dim]".format(
                    mark(result["status"]),
                    result["breakage_id"],
                    result["status"].replace("-", " "),
                    escape(result["detail"]),
                )
            )
    console.print()
    console.print(
        "Journal: run {}; `tfenvcheck undo {}` puts everything back.".format(record["run_id"], record["run_id"])
    )


def render_undo(record: dict[str, Any], console: Console) -> None:
    undo = record["undo"]
    console.print("Undo of run {} ({}):".format(record["run_id"], escape(record["target"]["executable"])), style="bold")
    for action in undo["actions"]:
        console.print("  {} {}: {}".format(mark(action["status"]), action["kind"], escape(action["detail"])))
    if not undo["actions"]:
        console.print("  nothing was changed by that run")


def render_runs(records: list[dict[str, Any]], console: Console) -> None:
    if not records:
        console.print("No fix runs in the journal.")
        return
    for record in records:
        changed = [a for a in record["actions"] if a["status"] in ("applied", "applying", "failed")]
        undone = (
            " [dim](undone {})[/dim]".format(record["undo"]["finished"])
            if (record.get("undo") or {}).get("status") == "done"
            else ""
        )
        console.print(
            "{}  {}  {}  {}{}".format(
                record["run_id"],
                record["status"],
                escape(record["target"]["executable"]),
                escape(", ".join(b["id"] for b in record["breakages"])) or "-",
                undone,
            )
        )
        for action in changed:
            console.print("    {} {}".format(mark(action["status"]), escape(action["description"])))
