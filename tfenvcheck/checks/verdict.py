"""One verdict and one exit code from many findings.

0 ready (warnings allowed unless --fail-on warn), 1 failures, 3 could not check (a check errored
and nothing failed). Usage errors (2) never get this far.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tfenvcheck.checks.finding import ERROR, FAIL, STATUSES, WARN, Finding
from tfenvcheck.errors import EXIT_COULD_NOT_CHECK, EXIT_FAILURES, EXIT_OK
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile

if TYPE_CHECKING:
    from tfenvcheck.resolve.uv_compile import Resolution

READY = "ready"
READY_WITH_WARNINGS = "ready-with-warnings"
NOT_READY = "not-ready"
INCOMPLETE = "incomplete"
FAIL_ON = ("fail", "warn")


def count_statuses(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(finding.status for finding in findings)
    return {status: counts.get(status, 0) for status in STATUSES}


def judge(findings: list[Finding], fail_on: str = "fail") -> tuple[str, int]:
    counts = count_statuses(findings)
    if counts[FAIL] or (fail_on == "warn" and counts[WARN]):
        return NOT_READY, EXIT_FAILURES
    if counts[ERROR]:
        return INCOMPLETE, EXIT_COULD_NOT_CHECK
    return (READY_WITH_WARNINGS if counts[WARN] else READY), EXIT_OK


@dataclass
class CheckResult:
    """Everything a renderer needs: the profile, the findings, the verdict, and the facts they came from."""

    profile: Profile
    findings: list[Finding]
    facts: Facts
    fail_on: str = "fail"
    # What pip would install today (`check --resolve`); its findings are among `findings`.
    resolution: Resolution | None = None
    # The fix ids the findings name that `tfenvcheck fix` can carry out (registry entries beyond advice).
    automatic_fixes: frozenset[str] = frozenset()

    @property
    def counts(self) -> dict[str, int]:
        return count_statuses(self.findings)

    @property
    def verdict(self) -> str:
        return judge(self.findings, self.fail_on)[0]

    @property
    def exit_code(self) -> int:
        return judge(self.findings, self.fail_on)[1]
