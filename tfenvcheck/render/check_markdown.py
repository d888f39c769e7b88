"""A check result as Markdown for a forum post or an issue: a summary of the machine, a table of the
findings, and what to do. Redacted (user name, home path, GPU UUIDs) unless asked not to be."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from tfenvcheck.checks.finding import ERROR, FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.verdict import INCOMPLETE, NOT_READY, READY, READY_WITH_WARNINGS, CheckResult
from tfenvcheck.facts.model import Facts
from tfenvcheck.render.check_json import result_document
from tfenvcheck.render.redact import redact
from tfenvcheck.render.what_to_do import what_to_do

STATUS_WORDS = {OK: "✅ ok", WARN: "⚠️ warn", FAIL: "❌ fail", SKIPPED: "➖ skipped", ERROR: "❓ error"}
VERDICT_WORDS = {
    READY: "ready",
    READY_WITH_WARNINGS: "ready, with warnings",
    NOT_READY: "NOT READY",
    INCOMPLETE: "could not check",
}


def cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def environment_lines(facts: Facts) -> list[str]:
    interpreter, host, tensorflow = facts.interpreter, facts.host, facts.tensorflow
    gpus = ", ".join(gpu.name for gpu in host.nvidia.gpus) or "none seen by a driver"
    if not tensorflow.probed:
        tf_text = "not imported"
    elif tensorflow.importable:
        tf_text = "{} (imports)".format(tensorflow.version)
    else:
        tf_text = "does not import"
    return [
        "- Target: `{}` (Python {} {}-bit, {}{})".format(
            facts.target.executable,
            interpreter.version,
            interpreter.bits,
            "venv of " if interpreter.is_venv else "",
            interpreter.origin,
        ),
        "- OS: {}; CPU: {} ({})".format(host.os.title, host.cpu.brand or "?", host.cpu.machine),
        "- Memory: {:.1f} GiB; GPU: {}".format(host.memory.total_bytes / 2**30, gpus),
        "- TensorFlow: {}".format(tf_text),
    ]


def what_to_do_lines(document: dict[str, Any], automatic: Collection[str]) -> list[str]:
    """The one `tfenvcheck fix` run that fixes most findings (`automatic`: the fix ids it can carry
    out, besides the pins of a built-in profile), then each finding that needs something else."""
    profile = document["profile"]["name"] if document["profile"].get("builtin") else None
    target = document["facts"]["target"]["executable"]
    findings = [
        Finding(f["id"], f["status"], f["title"], hint=f.get("hint"), fix_id=f.get("fix_id"))
        for f in document["findings"]
    ]
    todo = what_to_do(findings, target, profile, automatic)
    lines = []
    if todo.command:
        lines.append(
            "- One command fixes {}: `{}` ({})".format(
                todo.share, todo.command, "; ".join(cell(f.title) for f in todo.fixed)
            )
        )
    lines += ["- {}{}".format(cell(f.title), ": " + f.hint if f.hint else "") for f in todo.others]
    return ["", "**What to do**", "", *lines] if lines else []


def check_markdown_lines(document: dict[str, Any], automatic: Collection[str] = ()) -> list[str]:
    """The Markdown of a check result document (`check --json`), unredacted; `automatic`: the fix ids
    of its findings that `tfenvcheck fix` can carry out."""
    profile, counts = document["profile"], document["counts"]
    lines = [
        "### tfenvcheck: {} for `{}`".format(VERDICT_WORDS[document["verdict"]], profile["name"]),
        "",
        "Profile **{}**: {}{} (source: {}). {} failures, {} warnings, {} ok. Checked with tfenvcheck {}.".format(
            profile["name"],
            profile["title"],
            "" if profile["confirmed"] else " *(unconfirmed)*",
            profile["source"],
            counts[FAIL],
            counts[WARN],
            counts[OK],
            document["tool"]["version"],
        ),
        "",
        *environment_lines(Facts.from_dict(document["facts"])),
        "",
        "| Status | Check | Seen | Expected |",
        "|---|---|---|---|",
    ]
    findings = document["findings"]
    for finding in findings:
        lines.append(
            "| {} | {} | {} | {} |".format(
                STATUS_WORDS[finding["status"]],
                cell(finding["title"]),
                cell(finding["seen"]),
                cell(finding["expected"]),
            )
        )
    return lines + what_to_do_lines(document, automatic)


def render_check_markdown(result: CheckResult, redacted: bool = True) -> str:
    text = "\n".join(check_markdown_lines(result_document(result), result.automatic_fixes)) + "\n"
    return redact(text) if redacted else text
