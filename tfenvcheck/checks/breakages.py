"""Known breakages (fixes/) as findings: each match, with the message the user would see.

A pure function of the matches: matching and confirmation (running the snippets) happen before,
in the check pipeline (`tfenvcheck.checkrun`).
"""

from __future__ import annotations

from tfenvcheck.checks.finding import OK, WARN, Finding
from tfenvcheck.registry.confirm import CONFIRMED, NOT_REPRODUCED
from tfenvcheck.registry.fix_text import is_automatic
from tfenvcheck.registry.match import Match


def breakage_findings(
    matches: list[Match], earlier: list[Finding], registry_size: int, confirm_ran: bool = False
) -> list[Finding]:
    """One finding per match that is reported; `confirm_ran` when --confirm was asked for. A breakage an
    earlier check already reported (same fix id) is not repeated, unless a snippet can confirm it: then
    the diagnosis adds to the symptom. One an earlier check passed with its fix id (Keras 3 for a
    course that requires it) does not apply to this profile."""
    reported = {finding.fix_id for finding in earlier if finding.status != OK and finding.fix_id}
    settled = {finding.fix_id for finding in earlier if finding.status == OK and finding.fix_id}
    findings = [
        _finding(m, confirm_ran)
        for m in matches
        if m.breakage.id not in settled
        and (m.breakage.id not in reported or m.breakage.confirm is not None)
        and m.reportable
    ]
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


def _label(found: Match, confirm_ran: bool) -> str:
    confirmation = found.confirmation
    if confirmation is not None and confirmation.outcome == CONFIRMED:
        return "confirmed"
    if confirmation is not None and confirmation.outcome == NOT_REPRODUCED:
        return "not reproduced"
    if confirmation is not None:
        return "likely, confirmation inconclusive"
    return "likely" + ("" if confirm_ran or found.breakage.confirm is None else "; --confirm can reproduce it")


def _finding(found: Match, confirm_ran: bool) -> Finding:
    breakage, confirmation = found.breakage, found.confirmation
    not_reproduced = confirmation is not None and confirmation.outcome == NOT_REPRODUCED
    seen = "; ".join(found.reasons)
    if confirmation is not None:
        seen += " -> {}: {}".format(confirmation.outcome, confirmation.detail)
    symptom = breakage.symptom.strip().splitlines()[0].rstrip(".")
    fixes = "; ".join(action.describe() for action in breakage.fix)
    if is_automatic(breakage):
        fixes = "`tfenvcheck fix {}` ({})".format(breakage.id, fixes)
    return Finding(
        id="breakage." + breakage.id,
        status=WARN if not_reproduced else breakage.severity,
        title="{} ({})".format(breakage.title, _label(found, confirm_ran)),
        seen=seen,
        expected="not this combination",
        hint="you would see: {}. Fix: {}".format(symptom, fixes),
        fix_id=breakage.id,
    )
