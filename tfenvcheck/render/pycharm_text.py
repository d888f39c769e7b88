"""The human view of the PyCharm overview (`tfenvcheck pycharm`): the installations with their
plugins, where we looked, the SDKs of each config dir, and the project's interpreter; issues are
shown as they were found, not judged."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def location_line(location: dict[str, Any]) -> str:
    found = len(location["found"])
    state = "{} config dir{} found".format(found, "" if found == 1 else "s") if found else "none found"
    if location["layout"] == "idea.config.path":
        return "{} (idea.config.path in {}): {}".format(location["parent"], location["pattern"], state)
    return "{}/{} ({} layout): {}".format(location["parent"], location["pattern"], location["layout"], state)


def sdk_lines(sdk: dict[str, Any], verbose: bool) -> tuple[str, str]:
    """('name  [kind]', 'interpreter path') for one SDK."""
    kind = "remote ({})".format(sdk["remote"]) if sdk["remote"] else sdk["flavor"]
    if verbose and sdk.get("version"):
        kind += ", " + sdk["version"]
    return "{}  [{}]".format(sdk["name"], kind), sdk["home_path"] or sdk["raw_home_path"] or "?"


def issue_lines(issues: list[dict[str, Any]], console: Console, indent: str, under_sdk: str | None = None) -> None:
    """One line per issue; under its SDK's own heading the message need not name the SDK again."""
    for found in issues:
        message = found["message"]
        if under_sdk is not None:
            message = message.replace("SDK '{}' ".format(under_sdk), "", 1)
        console.print("{}[yellow]![/] {}".format(indent, escape(message)))


def render_config_dir(record: dict[str, Any], console: Console, verbose: bool) -> None:
    config_dir = record["config_dir"]
    console.print("[bold]{}[/]  {}".format(escape(config_dir["label"]), escape(config_dir["path"])))
    if record["problem"]:
        issue_lines([record["problem"]], console, "  ")
        return
    if not record["exists"]:
        console.print("  no SDK table ({})".format(escape(record["path"])), style="dim")
        return
    if not record["sdks"]:
        console.print("  no Python SDKs", style="dim")
        return
    for sdk in record["sdks"]:
        title, where = sdk_lines(sdk, verbose)
        console.print("  " + escape(title))
        console.print("      " + escape(where), style="dim")
        issue_lines(sdk["issues"], console, "      ", under_sdk=sdk["name"])


def render_project(project: dict[str, Any] | None, console: Console) -> None:
    if project is None:
        console.print("[bold]Project[/]  none (the current directory has no .idea folder; use --pycharm-project DIR)")
        return
    console.print("[bold]Project[/]  {}".format(escape(project["project_dir"])))
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    if project["sdk_name"]:
        if project["sdk_name_from"] == "module":
            origin = "from module {}".format(project["module_file"])
        else:
            origin = "project SDK, .idea/misc.xml"
        table.add_row("  SDK", escape("'{}' ({})".format(project["sdk_name"], origin)))
    if project["config_dir"]:
        table.add_row("  Listed in", escape(project["config_dir"]))
    table.add_row("  Interpreter", escape(project["interpreter"] or "none usable"))
    console.print(table)
    issue_lines(project["issues"], console, "  ")


def plugin_label(plugin: dict[str, Any]) -> str:
    label = " ".join(part for part in (plugin["name"], plugin["version"]) if part)
    return label if plugin["enabled"] else label + " (disabled)"


def render_installation(installation: dict[str, Any], console: Console, verbose: bool) -> None:
    build = "build {}, ".format(installation["build"]) if installation["build"] else ""
    console.print(
        "  [bold]{} {}[/]  ({}{})".format(
            escape(installation["product"]), escape(installation["version"]), escape(build), installation["found_by"]
        )
    )
    console.print("      " + escape(installation["path"]), style="dim")
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    table.add_row(
        "      Config",
        escape(installation["config_dir"] or "none yet: {} was never started".format(installation["product"])),
    )
    plugins = installation["plugins"]
    table.add_row("      Plugins", escape("; ".join(plugin_label(p) for p in plugins) or "none installed"))
    if verbose:
        table.add_row("      Plugins in", escape(installation["plugins_dir"] or "?"))
    console.print(table)
    issue_lines(installation["issues"], console, "      ")


def render_installations(overview: dict[str, Any], console: Console, verbose: bool) -> None:
    console.print("[bold]PyCharm installations[/]")
    for installation in overview["installations"]:
        render_installation(installation, console, verbose)
    if not overview["installations"] or verbose:
        looked = ", ".join(place["path"] for place in overview["installations_looked_in"])
        state = "looked in" if overview["installations"] else "none found; looked in"
        console.print("  {} {}".format(state, escape(looked)), style="dim")


def render_pycharm(overview: dict[str, Any], console: Console, verbose: bool = False) -> None:
    render_installations(overview, console, verbose)
    if overview["config_given"]:
        console.print("[bold]Config dir[/]  given with --pycharm-config: {}".format(escape(overview["config_given"])))
    else:
        console.print("[bold]Looked for PyCharm config dirs in[/]")
        for location in overview["looked_at"]:
            console.print("  " + escape(location_line(location)))
        if not overview["config_dirs"]:
            console.print("  no PyCharm, DataSpell or IntelliJ IDEA config dir found", style="dim")
    for record in overview["config_dirs"]:
        render_config_dir(record, console, verbose)
    render_project(overview["project"], console)
