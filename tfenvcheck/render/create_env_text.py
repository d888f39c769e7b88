"""The terminal views of `tfenvcheck create-env`: the interpreters looked at, and how to use the result."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.createenv.interpreters import JudgedInterpreter
from tfenvcheck.pycharm.register import Registration

PYCHARM_MENU = (
    "Settings (Preferences on macOS) > Project > Python Interpreter > Add Interpreter > "
    "Add Local Interpreter > Virtualenv Environment > Existing"
)


def render_interpreters(judged: list[JudgedInterpreter], chosen: JudgedInterpreter | None, console: Console) -> None:
    """Every interpreter looked at: the chosen one, the other suitable ones, and why each other was rejected."""
    for item in judged:
        where = escape("{} ({})".format(item.candidate.path, item.candidate.found_in))
        record = item.to_dict()
        if item is chosen:
            console.print(
                "  [green]✓[/green] {}: Python {}, {} - chosen".format(where, record["version"], record["origin"]),
                soft_wrap=True,
            )
        elif item.suitable:
            console.print(
                "  [green]✓[/green] {}: Python {}, also suitable".format(where, record["version"]),
                style="dim",
                soft_wrap=True,
            )
        else:
            console.print(
                "  [red]✗[/red] {}: {}".format(where, escape(item.rejected_because or "")), style="dim", soft_wrap=True
            )


def render_how_to_use(
    summary: dict[str, Any], result: CheckResult, registration: Registration | None, out: Console
) -> None:
    """The new environment in one line, its interpreter, and where to select it in PyCharm."""
    base = summary["base"]
    pins = "; registry fixes: " + ", ".join(pin["breakage"] for pin in summary["pins"]) if summary["pins"] else ""
    out.print()
    out.print(
        "Environment: {} (Python {} from {}, built in {:.1f} s with {}{}{})".format(
            escape(summary["path"]),
            base["version"],
            base["origin"],
            summary["seconds"]["built"],
            summary["installer"],
            " as of " + summary["exclude_newer"] if summary["exclude_newer"] else "",
            escape(pins),
        )
    )
    out.print("Interpreter: {}".format(escape(summary["python"])), style="bold")
    if registration is not None:
        state = "added to" if registration.added else "already in"
        out.print(
            "PyCharm: {!r} {} {}{}".format(
                registration.sdk.name,
                state,
                escape(str(registration.table)),
                " (backup: {})".format(escape(str(registration.backup))) if registration.backup else "",
            )
        )
        out.print(
            "Select it in PyCharm: Settings (Preferences on macOS) > Project > Python Interpreter > {!r}".format(
                registration.sdk.name
            )
        )
    else:
        out.print("Select it in PyCharm: {} > Interpreter: {}".format(PYCHARM_MENU, escape(summary["python"])))
    if result.exit_code != 0:
        out.print("The environment is kept so that you can look into the findings above.", style="yellow")
