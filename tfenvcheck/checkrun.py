"""The check pipeline in one call (facts -> findings -> verdict), shared by `check`, `report` and
`create-env`."""

from __future__ import annotations

from tfenvcheck.checks.breakages import known_breakage_findings
from tfenvcheck.checks.imports import modules_to_import
from tfenvcheck.checks.registry import run_checks
from tfenvcheck.checks.verdict import CheckResult
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.probes.tensorflow import DEFAULT_TIMEOUT
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
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
    """Probe `target`, judge it against `profile` and the known breakages (reproduced in it if `confirm`)."""
    facts = gather_facts(
        target,
        with_tensorflow=with_tensorflow,
        tensorflow_timeout=tensorflow_timeout,
        with_pip_check=True,
        import_modules=modules_to_import(profile) if with_tensorflow else None,
    )
    findings = run_checks(facts, profile)
    findings += known_breakage_findings(facts, breakages, findings, confirm_in=target.executable if confirm else None)
    return CheckResult(profile, findings, facts, fail_on=fail_on)
