"""The modules a profile needs import in the target (other than tensorflow, which has its own check)."""

from __future__ import annotations

from collections.abc import Sequence

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, Finding
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.checks.tensorflow import known_import_error
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.match import Match

# `import tensorflow` is judged from the TensorFlow probe, which does far more than import it.
JUDGED_ELSEWHERE = frozenset({"tensorflow"})


def modules_to_import(profile: Profile) -> list[str]:
    return [name for name in profile.importable if name not in JUDGED_ELSEWHERE]


def check_imports(
    facts: Facts, profile: Profile, breakages: Sequence[Breakage] = (), matches: Sequence[Match] = ()
) -> list[Finding]:
    """Each module imports; a failure whose error a registry entry knows names that entry and its fix."""
    imports = facts.imports
    findings = []
    for name in modules_to_import(profile):
        finding_id = "import.{}".format(name)
        result = imports.modules.get(name)
        if not imports.probed or result is None:
            findings.append(
                Finding(
                    finding_id,
                    SKIPPED,
                    "import {}: not tried (--no-tensorflow)".format(name),
                    expected="import {} works".format(name),
                )
            )
        elif result.ok:
            findings.append(
                Finding(
                    finding_id,
                    OK,
                    "import {}".format(name),
                    seen="imports in {:.1f} s".format(result.seconds or 0),
                    expected="import {} works".format(name),
                )
            )
        else:
            not_installed = (result.error or "").startswith("ModuleNotFoundError")
            known = None if not_installed else known_import_error(result.error or "", breakages, matches, facts)
            findings.append(
                Finding(
                    finding_id,
                    FAIL,
                    "import {}: not installed".format(name) if not_installed else "import {} fails".format(name),
                    seen=result.error,
                    expected="import {} works".format(name),
                    hint=known[1]
                    if known
                    else "install the profile's packages (see the package findings)"
                    if not_installed
                    else "install the package that provides {} at the profile's version; if it is installed, "
                    "reinstall it after the other pins (python -m pip install --force-reinstall)".format(name),
                    fix_id=known[0] if known else PIN_FIX,
                )
            )
    return findings
