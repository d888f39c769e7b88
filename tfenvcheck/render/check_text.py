"""The terminal view of a check result, in the spirit of `flutter doctor`: one line per finding with a
status symbol, seen/expected/hint under failures and warnings (under everything with -v), the one
command that fixes most of them, and one verdict line that names the profile."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tfenvcheck.checks.finding import ERROR, FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.verdict import INCOMPLETE, NOT_READY, READY, READY_WITH_WARNINGS, CheckResult
from tfenvcheck.render.what_to_do import what_to_do
from tfenvcheck.resolve.judge import SECTION, is_resolve_finding

SYMBOLS = {
    OK: ("✓", "green"),
    WARN: ("!", "yellow"),
    FAIL: ("✗", "red"),
    SKIPPED: ("-", "dim"),
    ERROR: ("?", "magenta"),
}
VERDICT_WORDS = {
    READY: ("READY", "bold green"),
    READY_WITH_WARNINGS: ("READY (with warnings)", "bold yellow"),
    NOT_READY: ("NOT READY", "bold red"),
    INCOMPLETE: ("COULD NOT CHECK", "bold magenta"),
}
_DETAILED = (FAIL, WARN, ERROR)
_UNCOUNTED = ("ok", "skipped")  # no plural: "2 ok, 2 skipped"


def profile_line(result: CheckResult) -> str:
    profile = result.profile
    where = " ({})".format(profile.path) if not profile.builtin and profile.path else ""
    return "Profile: {} - {}{}".format(profile.name, profile.title, where)


def finding_line(finding: Finding) -> str:
    symbol, style = SYMBOLS[finding.status]
    return "[{style}]\\[{symbol}][/{style}] {title}".format(style=style, symbol=symbol, title=escape(finding.title))


def finding_details(finding: Finding, verbose: bool) -> Table | None:
    """seen / expected / hint under the finding's line, wrapped with a hanging indent."""
    rows = [
        (label, value)
        for label, value in (
            ("seen", finding.seen),
            ("expected", finding.expected),
            ("hint", finding.hint),
            ("fix", finding.fix_id if verbose else None),
        )
        if value
    ]
    if not rows or not (verbose or finding.status in _DETAILED):
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row("", label + ":", escape(value))
    return grid


def verdict_line(result: CheckResult) -> str:
    counts = result.counts
    word, style = VERDICT_WORDS[result.verdict]
    parts = [
        "{} {}{}".format(counts[status], noun, "s" if counts[status] != 1 and noun not in _UNCOUNTED else "")
        for status, noun in ((FAIL, "failure"), (WARN, "warning"), (ERROR, "error"), (OK, "ok"), (SKIPPED, "skipped"))
        if counts[status]
    ]
    strict = " (--fail-on warn)" if result.fail_on == "warn" and counts[WARN] else ""
    return "[{style}]{word}[/{style}] for {name}{strict}: {parts}".format(
        style=style, word=word, name=escape(result.profile.name), strict=strict, parts=", ".join(parts)
    )


def what_to_do_lines(result: CheckResult) -> list[str]:
    """The one `tfenvcheck fix` run that fixes most findings, then those that need something else."""
    profile = result.profile.name if result.profile.builtin else None
    todo = what_to_do(result.findings, result.facts.target.executable, profile, result.automatic_fixes)
    if not todo.command:
        return []
    lines = ["[bold]One command fixes {}:[/bold] {}".format(todo.share, escape(todo.command))]
    if todo.others:
        lines.append(
            "[dim]Then, as their hints above say: {}[/dim]".format(escape("; ".join(f.title for f in todo.others)))
        )
    return lines


def render_check(result: CheckResult, console: Console, verbose: bool = False) -> None:
    target = result.facts.target.executable
    console.print("Checking {}".format(escape(target)), style="bold")
    console.print(escape(profile_line(result)), style="dim")
    console.print()
    print_findings([f for f in result.findings if not is_resolve_finding(f)], console, verbose)
    resolved = [f for f in result.findings if is_resolve_finding(f)]
    if resolved:
        console.print()
        console.print(SECTION, style="bold")
        print_findings(resolved, console, verbose)
    console.print()
    todo = what_to_do_lines(result)
    for line in todo:
        console.print(line)
    if todo:
        console.print()
    console.print(verdict_line(result))


def print_findings(findings: list[Finding], console: Console, verbose: bool) -> None:
    for finding in findings:
        if finding.status == SKIPPED and not verbose:
            continue
        console.print(finding_line(finding))
        details = finding_details(finding, verbose)
        if details is not None:
            console.print(details)


# The headings of `tfenvcheck profiles`, one section per profile kind.
PROFILE_SECTIONS = (
    ("exam", "Exams (history: the TensorFlow Developer Certificate closed on 2024-05-01)"),
    ("course", "Courses (today's stacks)"),
)


def render_profiles(rows: list[dict], console: Console, verbose: bool = False) -> None:
    """`tfenvcheck profiles`: one line per shipped profile, exams apart from courses, the default marked."""
    for kind, heading in PROFILE_SECTIONS:
        section = [row for row in rows if row["kind"] == kind]
        if not section:
            continue
        console.print("[bold]{}[/bold]".format(escape(heading)))
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for column in ("", "name", "guide date", "Python", "TensorFlow", "status"):
            table.add_column(column, no_wrap=True)
        for row in section:
            date = (row["guide_date"] or "") + ("~" if row["guide_date_approximate"] else "")
            table.add_row(
                "*" if row["default"] else "",
                escape(row["name"]),
                date,
                escape(row["python"] or ""),
                escape(row["tensorflow"]),
                "official" if row["confirmed"] else "unconfirmed",
            )
        console.print(table)
    if verbose:
        for row in rows:
            console.print()
            console.print("[bold]{}[/bold]: {}".format(escape(row["name"]), escape(row["title"])))
            console.print(escape(row["description"]), style="dim")
            console.print(
                "source: {}; requires: {}".format(escape(row["source"]), escape(", ".join(row["requires"]))),
                style="dim",
            )
    console.print(
        "[dim]* the default (the newest confirmed exam guide); ~ an approximate date; "
        "--profile NAME or --profile FILE.toml picks one[/dim]"
    )
