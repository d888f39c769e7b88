"""After a fix: detect again, and say for each breakage of the plan whether it is gone.

A breakage is gone when its conditions no longer hold for the target's fresh facts and, where the
registry has a snippet that reproduced it, that snippet now runs without its error.
"""

from __future__ import annotations

from typing import Any

from tfenvcheck.errors import TfenvcheckError
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.fixer.plan import PROFILE_PINS_ID, Plan, profile_pins
from tfenvcheck.registry.confirm import CONFIRMED, NOT_REPRODUCED, confirm_all
from tfenvcheck.registry.match import match
from tfenvcheck.target import Target

GONE = "gone"
STILL_PRESENT = "still-present"
UNCERTAIN = "uncertain"


def verify_plan(plan: Plan) -> list[dict[str, Any]]:
    try:
        facts = gather_facts(Target(plan.python, "fixed just now"), with_tensorflow=False)
    except TfenvcheckError as error:  # the fix may have broken the interpreter itself: say so, per breakage
        return [
            {"breakage_id": b.id, "status": UNCERTAIN, "detail": "could not detect again: {}".format(error)}
            for b, _ in plan.breakages
        ]
    breakages = [b for b, _ in plan.breakages]
    registry_ones = [b for b in breakages if b.id != PROFILE_PINS_ID]
    still = {m.breakage.id: list(m.reasons) for m in match(registry_ones, facts)}
    if plan.profile is not None and len(registry_ones) < len(breakages):
        outside = [seen for _, seen in profile_pins(facts, plan.profile)]
        if outside:
            still[PROFILE_PINS_ID] = outside
    # The snippets of those whose conditions no longer hold: does the error still show?
    snippets = confirm_all(plan.python, [b for b in registry_ones if b.id not in still])
    results = []
    for breakage in breakages:
        if breakage.id in still:
            results.append(
                {
                    "breakage_id": breakage.id,
                    "status": STILL_PRESENT,
                    "detail": "still applies: " + "; ".join(still[breakage.id]),
                }
            )
            continue
        snippet = snippets.get(breakage.id)
        if breakage.id == PROFILE_PINS_ID:
            status, detail = GONE, "every package is at the profile's pin"
        elif snippet is None:
            status, detail = GONE, "its conditions no longer hold"
        elif snippet.outcome == NOT_REPRODUCED:
            status, detail = GONE, "its conditions no longer hold and the snippet that reproduces it runs without error"
        elif snippet.outcome == CONFIRMED:
            status, detail = (
                STILL_PRESENT,
                "its conditions no longer hold, but the snippet still fails: " + snippet.detail,
            )
        else:
            status, detail = UNCERTAIN, "its conditions no longer hold; the snippet was inconclusive: " + snippet.detail
        results.append({"breakage_id": breakage.id, "status": status, "detail": detail})
    return results
