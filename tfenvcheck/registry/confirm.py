"""Live confirmation: run a breakage's snippet in the target and see whether its error shows up.

Each snippet runs in its own subprocess under its own timeout, so one that crashes or hangs
(which is sometimes exactly the breakage) is an outcome, not a failure of tfenvcheck.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tfenvcheck.probes.payload_runner import run_payload
from tfenvcheck.registry.entry import Breakage

CONFIRMED = "confirmed"
NOT_REPRODUCED = "not-reproduced"
INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class ConfirmationResult:
    breakage_id: str
    outcome: str  # confirmed, not-reproduced or inconclusive
    detail: str  # the error line seen, or why it is inconclusive
    seconds: float


def confirm_breakage(python: str, breakage: Breakage) -> ConfirmationResult:
    check = breakage.confirm
    assert check is not None, "only breakages with a [confirm] snippet can be confirmed"
    env = dict(os.environ, **check.env)
    result = run_payload(python, "snippet_payload.py", args=[check.snippet], timeout=check.timeout, env=env)
    seconds = round(result.seconds, 3)
    if result.failure is not None:
        if check.expect in result.stderr:
            return ConfirmationResult(breakage.id, CONFIRMED, result.failure.message, seconds)
        return ConfirmationResult(breakage.id, INCONCLUSIVE, "the snippet " + result.failure.message, seconds)
    data = result.data or {}  # an answer always comes with no failure; `or {}` tells the type checker
    if data.get("ok") is True:
        return ConfirmationResult(breakage.id, NOT_REPRODUCED, "the snippet ran without error", seconds)
    error = data.get("error")
    fields = ("type", "first_line", "message")
    if (
        data.get("ok") is not False
        or not isinstance(error, dict)
        or not all(isinstance(error.get(f), str) for f in fields)
    ):
        return ConfirmationResult(breakage.id, INCONCLUSIVE, "the snippet answered nothing usable", seconds)
    seen = "{}: {}".format(error["type"], error["first_line"])
    if check.expect in error["message"] or check.expect in result.stderr:
        return ConfirmationResult(breakage.id, CONFIRMED, seen, seconds)
    return ConfirmationResult(breakage.id, INCONCLUSIVE, "failed otherwise: " + seen, seconds)


def confirm_all(python: str, breakages: Iterable[Breakage], workers: int = 2) -> dict[str, ConfirmationResult]:
    """Confirm the breakages that have a snippet, two at a time (each may import TensorFlow)."""
    confirmable = [b for b in breakages if b.confirm is not None]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda breakage: confirm_breakage(python, breakage), confirmable))
    return {result.breakage_id: result for result in results}
