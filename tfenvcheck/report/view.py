"""What a report shows, worked out once from the report document for both the HTML and the Markdown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tfenvcheck.checks.finding import ERROR, FAIL, OK, SKIPPED, WARN
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.facts.model import Facts
from tfenvcheck.render.probe_text import host_lines, interpreter_lines, package_line, tensorflow_lines
from tfenvcheck.render.what_to_do import WhatToDo, what_to_do
from tfenvcheck.render.what_to_do import fix_command as fix_run_command
from tfenvcheck.report.bench_view import BenchView, bench_view
from tfenvcheck.report.fix_view import FixRunView, fix_run_views
from tfenvcheck.report.provenance import Provenance, provenance
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
    fix_id: str | None = None


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
    todo: WhatToDo[FindingView]
    groups: list[tuple[str, str, list[FindingView]]]
    machine: list[tuple[str, str]]
    fix_runs: list[FixRunView]
    bench: BenchView | None
    notes: list[str] = field(default_factory=list)
    models: list[ModelView] = field(default_factory=list)
    check_source: Provenance | None = None  # where a saved check result came from
    saved: list[Provenance] = field(default_factory=list)  # every saved document the report shows

    @property
    def elsewhere(self) -> list[str]:
        """A warning for each saved document made on another machine than the one this report is about."""
        return [source.warning for source in self.saved if source.warning]

    rehearsals: list[RehearsalView] = field(default_factory=list)


def automatic_fix_ids(document: dict[str, Any]) -> set[str]:
    """The fixes named by the findings that `tfenvcheck fix` can carry out (anything beyond advice), as
    the registry the check used said when the report was built (its "fixes": `fix_summaries`): a
    report renders without loading any registry."""
    return {fix_id for fix_id, fix in (document.get("fixes") or {}).items() if fix.get("automatic")}


def builtin_profile(profile: dict[str, Any]) -> str | None:
    """The name of the check's profile if it is built in (`fix --profile NAME` works anywhere)."""
    return profile["name"] if profile.get("builtin") else None


def fix_command(fix_id: str | None, target: str, profile: dict[str, Any], fixable: set[str]) -> str | None:
    """The command that fixes this finding alone, if `tfenvcheck fix` can."""
    if fix_id == PIN_FIX and builtin_profile(profile):
        return fix_run_command({PIN_FIX}, target, builtin_profile(profile))
    if fix_id is None or fix_id not in fixable:
        return None
    return fix_run_command({fix_id}, target, None)


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
            f.get("fix_id"),
        )
        for f in check["findings"]
    ]
    groups = [(status, label, [f for f in findings if f.status == status]) for status, label in STATUS_GROUPS]
    read_from = document.get("read_from") or {}  # reports saved before it have none
    bench_files = read_from.get("bench") or []
    bench_sources = [
        provenance("bench result", result, bench_files[i] if i < len(bench_files) else None, facts.host)
        for i, result in enumerate(document["bench"])
    ]
    check_source = provenance("check result", check, read_from["check"], facts.host) if read_from.get("check") else None
    rehearsals = document.get("rehearsals", [])  # reports saved before rehearse have none
    rehearsal_files = read_from.get("rehearsal") or []
    rehearsal_sources = [
        provenance("rehearsal", result, rehearsal_files[i] if i < len(rehearsal_files) else None, facts.host)
        for i, result in enumerate(rehearsals)
    ]
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
        todo=what_to_do(findings, target, builtin_profile(check["profile"]), fixable),
        groups=[group for group in groups if group[2]],
        machine=machine,
        fix_runs=fix_run_views(document["fix_runs"]),
        bench=bench_view(document["bench"], bench_sources),
        models=model_views(document.get("models", [])),  # reports saved before --model have none
        check_source=check_source,
        saved=([check_source] if check_source else []) + bench_sources + rehearsal_sources,
        rehearsals=rehearsal_views(rehearsals, document["bench"], rehearsal_sources),
    )
