"""What a report shows, worked out once from the report document for both the HTML and the Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from tfenvcheck.checks.finding import ERROR, FAIL, OK, SKIPPED, WARN
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.facts.model import Facts
from tfenvcheck.render.probe_text import host_lines, interpreter_lines, package_line, tensorflow_lines
from tfenvcheck.report.bench_view import BenchView, bench_view
from tfenvcheck.report.fix_view import FixRunView, fix_run_views
from tfenvcheck.report.rehearsal_view import RehearsalView, rehearsal_views

# Findings are grouped in this order: what must be done first.
STATUS_GROUPS = ((FAIL, "Failures"), (ERROR, "Could not check"), (WARN, "Warnings"), (OK, "OK"), (SKIPPED, "Skipped"))
VERDICT_TEXT = {
    "ready": "Ready",
    "ready-with-warnings": "Ready, with warnings",
    "not-ready": "Not ready",
    "incomplete": "Could not check everything",
}


@dataclass(frozen=True)
class FindingView:
    title: str
    status: str
    seen: str | None
    expected: str | None
    hint: str | None
    fix_command: str | None


@dataclass(frozen=True)
class ModelView:
    path: str
    saved_by: str
    status: str  # "ok" or "fail"
    result: str
    diagnoses: str


def model_views(models: list[dict[str, Any]]) -> list[ModelView]:
    """Each checked model file: what saved it, and whether it loads and predicts in the target."""
    views = []
    for model in models:
        file, load = model["file"], model["load"]
        saved_by = "{} file, Keras {}".format(file["format"], file.get("keras_version") or "not recorded")
        if load["loaded"]:
            result = "loads and predicts (output {}, load {:.2f} s)".format(load["output_shapes"], load["load_seconds"])
        else:
            result = "does not load: " + ((load.get("error") or {}).get("last_line") or load["stage"])
        fixes = "; ".join("{} ({})".format(d["title"], d["id"]) for d in model["diagnoses"])
        views.append(ModelView(file["path"], saved_by, model["status"], result, fixes))
    return views


@dataclass
class ReportView:
    verdict: str
    verdict_text: str
    counts: dict[str, int]
    profile: dict[str, Any]
    target: str
    created: str
    tool_version: str
    todo: list[FindingView]
    groups: list[tuple[str, str, list[FindingView]]]
    machine: list[tuple[str, str]]
    fix_runs: list[FixRunView]
    bench: BenchView | None
    notes: list[str] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    rehearsals: list[RehearsalView] = field(default_factory=list)


def automatic_fix_ids(document: dict[str, Any]) -> set[str]:
    """The fixes named by the findings that `tfenvcheck fix` can carry out (anything beyond advice), as
    the registry the check used said when the report was built (its "fixes": `fix_summaries`): a
    report renders without loading any registry."""
    return {fix_id for fix_id, fix in (document.get("fixes") or {}).items() if fix.get("automatic")}


def fix_command(fix_id: str | None, target: str, profile: dict[str, Any], fixable: set[str]) -> str | None:
    if fix_id == PIN_FIX and profile.get("builtin"):
        return "tfenvcheck fix --profile {} --python {}".format(profile["name"], target)
    if fix_id not in fixable:
        return None
    return "tfenvcheck fix {} --python {}".format(fix_id, target)


def what_to_do(findings: list[FindingView]) -> list[FindingView]:
    """Failures, then errors, then warnings; a fix command shared by several findings shown once."""
    todo, commands = [], set()
    for status in (FAIL, ERROR, WARN):
        for finding in findings:
            if finding.status != status or not (finding.hint or finding.fix_command):
                continue
            if finding.fix_command in commands:
                finding = replace(finding, fix_command=None)
            commands.add(finding.fix_command)
            todo.append(finding)
    return todo


def report_view(document: dict[str, Any]) -> ReportView:
    check = document["check"]
    facts = Facts.from_dict(check["facts"])
    target = facts.target.executable
    fixable = automatic_fix_ids(document)
    findings = [
        FindingView(
            f["title"],
            f["status"],
            f.get("seen"),
            f.get("expected"),
            f.get("hint"),
            fix_command(f.get("fix_id"), target, check["profile"], fixable),
        )
        for f in check["findings"]
    ]
    groups = [(status, label, [f for f in findings if f.status == status]) for status, label in STATUS_GROUPS]
    machine = (
        host_lines(facts.host)
        + interpreter_lines(facts.interpreter)
        + tensorflow_lines(facts.tensorflow)
        + package_line(facts.packages, verbose=False)
    )
    return ReportView(
        verdict=check["verdict"],
        verdict_text=VERDICT_TEXT[check["verdict"]],
        counts=check["counts"],
        profile=check["profile"],
        target=target,
        created=document["created"],
        tool_version=document["tool"]["version"],
        todo=what_to_do(findings),
        groups=[group for group in groups if group[2]],
        machine=machine,
        fix_runs=fix_run_views(document["fix_runs"]),
        bench=bench_view(document["bench"]),
        models=model_views(document.get("models", [])),  # reports saved before --model have none
        rehearsals=rehearsal_views(document.get("rehearsals", []), document["bench"]),
    )
