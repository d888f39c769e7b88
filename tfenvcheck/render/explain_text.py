"""The terminal view of an explanation (`tfenvcheck explain`, and `run` after a failure)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from tfenvcheck.explain.ranking import Explained, Explanation
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.fix_text import fix_hint

# Lines quoted per match unless --verbose.
QUOTED = 3


def _judgement(match: Explained) -> str | None:
    seen = ", ".join(match.seen)
    if match.applies is None:
        return None
    if match.applies:
        return "[green]applies to your interpreter[/green]" + (" ({})".format(escape(seen)) if seen else "")
    return "[yellow]the text matches, but your interpreter does not have these conditions[/yellow]" + (
        " ({})".format(escape(seen)) if seen else ""
    )


def _render_match(match: Explained, facts: Facts | None, console: Console, verbose: bool, indent: str) -> None:
    breakage = match.breakage
    judgement = _judgement(match)
    if judgement:
        console.print(indent + judgement)
    lines = match.lines if verbose else match.lines[:QUOTED]
    for line in lines:
        console.print("{}[dim]line {}:[/dim] {}".format(indent, line.number, escape(line.text.strip())))
    if len(match.lines) > len(lines):
        console.print("{}[dim](and {} more lines)[/dim]".format(indent, len(match.lines) - len(lines)))
    for line in match.context if verbose else ():
        console.print("{}[dim]context, line {}:[/dim] {}".format(indent, line.number, escape(line.text.strip())))
    console.print("{}fix: {}".format(indent, escape(fix_hint(breakage, facts))))
    for action in breakage.fix:
        if action.kind != "advise":
            console.print("{}  [dim]{}[/dim]".format(indent, escape(action.describe())))
    if breakage.sources:
        console.print("{}[dim]sources: {}[/dim]".format(indent, escape(", ".join(breakage.sources))))


def render_explanation(explanation: Explanation, console: Console, verbose: bool = False) -> None:
    console.soft_wrap = True  # paths, commands and quoted lines stay whole
    judged = ", judged against {}".format(escape(explanation.target)) if explanation.target else ""
    lines = "{} line{}{}".format(explanation.lines_read, "" if explanation.lines_read == 1 else "s", judged)
    if not explanation.diagnoses:
        console.print(
            "No known breakage shows in this text ({}). tfenvcheck does not guess: "
            "`tfenvcheck check` judges the whole environment.".format(lines)
        )
    else:
        console.print("[bold]Known breakages in this text ({}), best first:[/bold]".format(lines))
    for number, diagnosis in enumerate(explanation.diagnoses, start=1):
        best = diagnosis.best
        console.print(
            "\n[bold]{}. {}[/bold] [dim]({}, score {})[/dim]".format(
                number, escape(best.breakage.title), best.breakage.id, best.score
            )
        )
        _render_match(best, explanation.facts, console, verbose, "   ")
        others = diagnosis.alternatives[1:]
        if others:
            console.print("   [bold]The same message can also mean:[/bold]")
        for other in others:
            console.print(
                "   - {} [dim]({}, score {})[/dim]".format(escape(other.breakage.title), other.breakage.id, other.score)
            )
            _render_match(other, explanation.facts, console, verbose, "     ")
    if explanation.harmless:
        console.print("\n[bold]Harmless lines[/bold] (nothing to chase):")
    for note in explanation.harmless:
        times = " [dim](x{})[/dim]".format(note.count) if note.count > 1 else ""
        console.print("   [dim]line {}:[/dim] {}{}".format(note.line.number, escape(note.line.text.strip()), times))
        unless = ""
        if note.rule.unless and not note.judged:
            unless = " Not harmless where {} applies: give the target (--python) to decide.".format(note.rule.unless)
        elif note.judged:
            unless = " (decided from your machine's facts)"
        console.print("     [green]harmless:[/green] {}{}".format(escape(note.rule.why), escape(unless)))
