"""The check pipeline in one call (facts -> findings -> verdict), shared by `check`, `report` and
`create-env`."""

from __future__ import annotations

from tfenvcheck.checks.breakages import breakage_findings
from tfenvcheck.checks.imports import modules_to_import
from tfenvcheck.checks.registry import run_checks
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.fix_text import is_automatic
from tfenvcheck.registry.match import match
from tfenvcheck.target import Target


def check_target(
    target: Target,
    profile: Profile,
    breakages: list[Breakage],
    *,
    with_tensorflow: bool = True,
    confirm: bool = False,
    tensorflow_timeout: float = DEFAULT_TIMEOUT,
    fail_on: str = "fail",
) -> CheckResult:
    """Probe `target`, match the known breakages (reproduced in it if `confirm`), and judge it against
    `profile` and the matches: the checks only read the facts and the matches."""
    facts = gather_facts(
        target,
        with_tensorflow=with_tensorflow,
        tensorflow_timeout=tensorflow_timeout,
        with_pip_check=True,
        import_modules=modules_to_import(profile) if with_tensorflow else None,
    )
    matches = match(breakages, facts, confirm_in=target.executable if confirm else None)
    findings = run_checks(facts, profile, breakages, matches)
    findings += breakage_findings(matches, findings, len(breakages), confirm_ran=confirm)
    named = {finding.fix_id for finding in findings}
    automatic = frozenset(b.id for b in breakages if b.id in named and is_automatic(b))
    return CheckResult(profile, findings, facts, fail_on=fail_on, automatic_fixes=automatic)
