"""Every check, in the order results show them, and the runner that turns a crash into an `error` finding."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable

from tfenvcheck.checks.cpu import check_cpu_flags
from tfenvcheck.checks.distributions import check_tensorflow_distributions
from tfenvcheck.checks.finding import ERROR, Finding
from tfenvcheck.checks.gpu import check_gpu
from tfenvcheck.checks.gpu_diagnosis import check_gpu_diagnosis
from tfenvcheck.checks.imports import check_imports
from tfenvcheck.checks.origin import check_origin
from tfenvcheck.checks.packages import check_packages
from tfenvcheck.checks.pip_check import check_pip_check
from tfenvcheck.checks.pycharm import check_pycharm_project
from tfenvcheck.checks.pycharm_installation import check_pycharm_installation
from tfenvcheck.checks.python import check_python_bits, check_python_version
from tfenvcheck.checks.resources import check_disk, check_memory
from tfenvcheck.checks.tensorflow import check_keras, check_tensorflow_import
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.match import Match

Check = Callable[..., list]
# The checks whose hints and fix ids come from the known-breakages registry: they are also given the
# registry and the matches of its entries.
_REGISTRY_CHECKS = frozenset({"tensorflow.import", "tensorflow.keras", "imports"})

CHECKS: tuple[tuple[str, Check], ...] = (
    ("python.version", check_python_version),
    ("python.bits", check_python_bits),
    ("interpreter.origin", check_origin),
    ("pycharm.project", check_pycharm_project),
    ("pycharm.installation", check_pycharm_installation),
    ("packages", check_packages),
    ("tensorflow.distributions", check_tensorflow_distributions),
    ("pip.check", check_pip_check),
    ("tensorflow.import", check_tensorflow_import),
    ("tensorflow.keras", check_keras),
    ("imports", check_imports),
    ("cpu.flags", check_cpu_flags),
    ("gpu", check_gpu),
    ("gpu.diagnosis", check_gpu_diagnosis),
    ("memory", check_memory),
    ("disk", check_disk),
)


def run_checks(
    facts: Facts, profile: Profile, breakages: Sequence[Breakage] = (), matches: Sequence[Match] = ()
) -> list[Finding]:
    """Every check on these facts; none runs anything in the target (that happened while probing)."""
    findings: list[Finding] = []
    for check_id, check in CHECKS:
        try:
            if check_id in _REGISTRY_CHECKS:
                findings.extend(check(facts, profile, breakages=breakages, matches=matches))
            else:
                findings.extend(check(facts, profile))
        except Exception as error:  # one check's bug must not hide the other findings
            findings.append(
                Finding(
                    check_id,
                    ERROR,
                    "{}: the check failed".format(check_id),
                    seen="{}: {}".format(type(error).__name__, error),
                    hint="a bug in tfenvcheck: please report it with `tfenvcheck probe --json`",
                )
            )
    return findings
