"""The report's Rehearsal section as Markdown."""

from __future__ import annotations

from tfenvcheck.render.check_markdown import cell
from tfenvcheck.report.rehearsal_view import RehearsalView


def rehearsal_markdown_lines(rehearsals: list[RehearsalView]) -> list[str]:
    lines: list[str] = []
    for view in rehearsals:
        lines += [
            "",
            "#### Rehearsal",
            "",
            cell(view.source.line),
            "",
            "{} of {} questions passed in `{}` on {}.".format(
                view.passed, len(view.rows), view.description, view.source.where
            ),
            "",
        ]
        lines += ["| # | Question | Result | Score | Train | Reload + score | Peak memory | Known breakage |"]
        lines += ["|---:|---|---|---|---:|---:|---:|---|"]
        lines += [
            "| {} | {} | {} | {} | {} | {} | {} | {} |".format(
                q.number,
                cell(q.title),
                cell(q.result),
                cell(q.score),
                q.training,
                q.grading,
                q.memory,
                cell(q.diagnosis),
            )
            for q in view.rows
        ]
        if view.legacy_keras:
            lines += ["", view.legacy_keras]
        if view.budget:
            lines += ["", "The five-hour exam: {}.".format(view.budget)]
    return lines
