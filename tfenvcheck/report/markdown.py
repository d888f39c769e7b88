"""The report as Markdown, for pasting into an issue or a forum post (collect_env's use case)."""

from __future__ import annotations

from typing import Any

from tfenvcheck.render.check_markdown import cell, check_markdown_lines
from tfenvcheck.report.rehearsal_markdown import rehearsal_markdown_lines
from tfenvcheck.report.view import automatic_fix_ids, report_view


def render_report_markdown(document: dict[str, Any]) -> str:
    view = report_view(document)
    lines = check_markdown_lines(document["check"], automatic_fix_ids(document))
    if view.check_source:
        lines += ["", view.check_source.line]
    lines += ["", "#### Training time on {}".format(view.bench.where if view.bench else "this machine"), ""]
    lines += [line for warning in view.elsewhere for line in ("> ⚠️ **{}**".format(warning), "")]
    if view.bench is None:
        lines.append("No bench results in this report.")
    else:
        if view.bench.headline:
            lines += ["Training on {}: {}.".format(view.bench.where, view.bench.headline), ""]
        for run in view.bench.runs:
            lines += [
                "**{}**: {} {}".format(cell(run.label), cell(run.provenance.line), cell(run.description)),
                "",
                "| Workload | Device | First epoch | Step (median, p10–p90) | Samples/s | Achieved "
                "| Tutorial as written |",
                "|---|---|---:|---:|---:|---:|---:|",
            ]
            lines += [
                "| {} {} | {} | {} | {} | {} | {} | {} |".format(
                    row.workload,
                    cell(row.title),
                    row.device,
                    row.first_epoch,
                    row.step,
                    row.samples_per_second,
                    row.achieved,
                    row.projected,
                )
                for row in run.rows
            ]
            lines += [
                "",
                *[
                    "- Exam on the {}: {:.2f} h of training projected: {}.".format(exam.label, exam.hours, exam.verdict)
                    for exam in run.exams
                ],
                "",
            ]
        lines.append("Exam projection: {}.".format(view.bench.caption))
    lines += rehearsal_markdown_lines(view.rehearsals)
    if view.models:
        lines += ["", "#### Model files loaded in this interpreter", "", "| File | Saved as | Result | Known failure |"]
        lines += ["|---|---|---|---|"]
        lines += [
            "| `{}` | {} | {} | {} |".format(m.path, cell(m.saved_by), cell(m.result), cell(m.diagnoses))
            for m in view.models
        ]
    lines += ["", "#### Fixes applied to this interpreter", ""]
    if not view.fix_runs:
        lines.append("No fix has been applied to this interpreter by tfenvcheck.")
    else:
        lines += ["| Run | When | What | Result |", "|---|---|---|---|"]
        lines += [
            "| `{}` | {} | {} | {} |".format(run.run_id, run.created, cell(run.summary), cell(run.outcome))
            for run in view.fix_runs
        ]
    return "\n".join(lines) + "\n"
