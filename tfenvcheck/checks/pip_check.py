"""`pip check` in the target: installed packages whose declared requirements are not met."""

from __future__ import annotations

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile

SHOWN_PROBLEMS = 3


def check_pip_check(facts: Facts, profile: Profile) -> list[Finding]:
    result = facts.pip_check
    expected = "no conflicts"
    if not result.probed:
        return [Finding("pip.check", SKIPPED, "pip check: not run", expected=expected)]
    if result.error:
        return [
            Finding(
                "pip.check",
                WARN,
                "pip check could not run",
                seen=result.error,
                expected=expected,
                hint="the exam plugin installs packages with the interpreter's pip: python -m ensurepip --upgrade",
            )
        ]
    if result.clean:
        return [Finding("pip.check", OK, "pip check: no broken requirements", seen="clean", expected=expected)]
    problems = result.problems
    more = len(problems) - SHOWN_PROBLEMS
    seen = "; ".join(problems[:SHOWN_PROBLEMS]) + ("; and {} more".format(more) if more > 0 else "")
    return [
        Finding(
            "pip.check",
            FAIL,
            "pip check: {} broken requirement{}".format(len(problems), "s" if len(problems) != 1 else ""),
            seen=seen,
            expected=expected,
            hint="install the versions the messages ask for, or rebuild the venv from the profile's pins",
            fix_id=PIN_FIX,
        )
    ]
