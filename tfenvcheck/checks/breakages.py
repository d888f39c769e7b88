"""Known breakages (fixes/) as findings: each that applies, with the message the user would see."""

from __future__ import annotations

from typing import Any

from tfenvcheck.checks.finding import OK, WARN, Finding
from tfenvcheck.registry.conditions import applicable
from tfenvcheck.registry.confirm import CONFIRMED, NOT_REPRODUCED, ConfirmationResult, confirm_all
from tfenvcheck.registry.entry import Breakage


def known_breakage_findings(
    facts: dict[str, Any],
    breakages: list[Breakage],
    earlier: list[Finding],
    confirm_in: str | None = None,
) -> list[Finding]:
    """Findings for the breakages that apply; with `confirm_in` (the target's python) their snippets
    run there first. A breakage an earlier check already reported (same fix id) is not repeated,
    unless a snippet can confirm it: then the diagnosis adds to the symptom."""
    reported = {finding.fix_id for finding in earlier if finding.status != OK and finding.fix_id}
    matches = [
        (b, reasons) for b, reasons in applicable(breakages, facts) if b.id not in reported or b.confirm is not None
    ]
    confirmations = confirm_all(confirm_in, [b for b, _ in matches]) if confirm_in else None
    return breakage_findings(matches, confirmations, len(breakages))


def breakage_findings(
    matches: list[tuple[Breakage, list[str]]],
    confirmations: dict[str, ConfirmationResult] | None,
    registry_size: int,
) -> list[Finding]:
    """One finding per applicable breakage; `confirmations` is None when --confirm was not asked for."""
    findings = []
    for breakage, reasons in matches:
        confirmation = (confirmations or {}).get(breakage.id)
        if breakage.report == "when-confirmed" and (confirmation is None or confirmation.outcome != CONFIRMED):
            continue
        findings.append(_finding(breakage, reasons, confirmation, confirmations is not None))
    if not findings:
        findings.append(
            Finding(
                "breakage.none",
                OK,
                "Known breakages: none of {} apply".format(registry_size),
                seen="no entry of the registry matches this target",
            )
        )
    return findings


def _finding(
    breakage: Breakage, reasons: list[str], confirmation: ConfirmationResult | None, confirm_ran: bool
) -> Finding:
    status = breakage.severity
    if confirmation is not None and confirmation.outcome == CONFIRMED:
        label = "confirmed"
    elif confirmation is not None and confirmation.outcome == NOT_REPRODUCED:
        label, status = "not reproduced", WARN
    elif confirmation is not None:
        label = "likely, confirmation inconclusive"
    else:
        label = "likely" + ("" if confirm_ran or breakage.confirm is None else "; --confirm can reproduce it")
    seen = "; ".join(reasons)
    if confirmation is not None:
        seen += " -> {}: {}".format(confirmation.outcome, confirmation.detail)
    symptom = breakage.symptom.strip().splitlines()[0].rstrip(".")
    fixes = "; ".join(action.describe() for action in breakage.fix)
    if any(action.kind != "advise" for action in breakage.fix):
        fixes = "`tfenvcheck fix {}` ({})".format(breakage.id, fixes)
    return Finding(
        id="breakage." + breakage.id,
        status=status,
        title="{} ({})".format(breakage.title, label),
        seen=seen,
        expected="not this combination",
        hint="you would see: {}. Fix: {}".format(symptom, fixes),
        fix_id=breakage.id,
    )
