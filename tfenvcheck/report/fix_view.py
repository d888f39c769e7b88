"""The fix journal's runs for the report: one line each, what was done and how it ended."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FixRunView:
    run_id: str
    created: str
    summary: str
    outcome: str


def action_summary(actions: list[dict[str, Any]]) -> str:
    parts = []
    for action in actions:
        text = action.get("description") or action.get("kind", "?")
        parts.append("{} ({})".format(text, action.get("status", "?")))
    return "; ".join(parts) or "nothing to do"


def outcome(run: dict[str, Any]) -> str:
    undo = run.get("undo")
    if undo:
        return "undone" if undo.get("status") == "done" else "undo {}".format(undo.get("status", "?"))
    verified = Counter(item.get("status") for item in run.get("verification") or [])
    checks = ", ".join("{} {}".format(count, status) for status, count in sorted(verified.items()))
    return "{}{}".format(run.get("status", "?"), "; breakages: " + checks if checks else "")


def fix_run_views(runs: list[dict[str, Any]]) -> list[FixRunView]:
    return [
        FixRunView(
            run.get("run_id", "?"), run.get("created", "?"), action_summary(run.get("actions") or []), outcome(run)
        )
        for run in runs
    ]
