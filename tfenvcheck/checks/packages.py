"""Each required package: installed, at a version the requirement's specifier allows.

Requirements with markers that do not hold for the target (its Python, its platform) are skipped.
"""

from __future__ import annotations

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.target_environment import marker_environment
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import TENSORFLOW_DISTRIBUTIONS, installed_tensorflow_distributions, parse_version

PIN_FIX = "pin-profile-packages"


def _expected(requirement: Requirement, profile: Profile) -> str:
    where = profile.requirement_origins.get(canonicalize_name(requirement.name))
    return "{}{}".format(requirement, " ({})".format(where) if where else "")


def _install_hint(requirement: Requirement) -> str:
    # Every package at once (`tfenvcheck fix --profile`) is said once, by the "What to do" that the
    # renderers group (render/what_to_do.py), not under each package.
    return 'in the target: python -m pip install "{}"'.format(str(requirement).split(";")[0].strip())


def check_requirement(facts: Facts, profile: Profile, requirement: Requirement) -> Finding:
    name = canonicalize_name(requirement.name)
    finding_id = "package.{}".format(name)
    expected = _expected(requirement, profile)
    if requirement.marker is not None and not requirement.marker.evaluate(marker_environment(facts)):
        return Finding(
            finding_id,
            SKIPPED,
            "{}: not needed here ({})".format(requirement.name, requirement.marker),
            expected=expected,
        )
    found = facts.packages.get(name)
    if found is None:
        return _missing(facts, profile, requirement, expected)
    seen = "{} {}".format(requirement.name, found)
    version = parse_version(found)
    if not requirement.specifier:
        return Finding(finding_id, OK, seen, seen=seen, expected=expected)
    if version is None:
        return Finding(
            finding_id,
            WARN,
            "{}: version {!r} cannot be compared".format(requirement.name, found),
            seen=seen,
            expected=expected,
        )
    if requirement.specifier.contains(version, prereleases=True):
        return Finding(finding_id, OK, seen, seen=seen, expected=expected)
    return Finding(
        finding_id,
        FAIL,
        "{} {} installed, {} required".format(requirement.name, found, requirement.specifier),
        seen=seen,
        expected=expected,
        hint=_install_hint(requirement),
        fix_id=PIN_FIX,
    )


def _missing(facts: Facts, profile: Profile, requirement: Requirement, expected: str) -> Finding:
    """A required package that is not installed, or another TensorFlow distribution in its place."""
    name = canonicalize_name(requirement.name)
    finding_id = "package.{}".format(name)
    if name in TENSORFLOW_DISTRIBUTIONS:
        alternative = _tensorflow_alternative(facts, requirement)
        if alternative:
            return Finding(
                finding_id,
                WARN,
                "{} {} is installed instead of {}".format(alternative[0], alternative[1], requirement.name),
                seen="{} {}".format(*alternative),
                expected=expected,
                hint="it provides the same `import tensorflow`, but the exam plugin installs {} itself".format(
                    requirement.name
                ),
            )
    others = ", ".join("{} {}".format(*item) for item in installed_tensorflow_distributions(facts).items())
    seen = "not installed ({} is)".format(others) if name in TENSORFLOW_DISTRIBUTIONS and others else "not installed"
    return Finding(
        finding_id,
        FAIL,
        "{} is missing".format(requirement.name),
        seen=seen,
        expected=expected,
        hint=_install_hint(requirement),
        fix_id=PIN_FIX,
    )


def _tensorflow_alternative(facts: Facts, requirement: Requirement) -> tuple[str, str] | None:
    """Another TensorFlow distribution at an allowed version (tensorflow-cpu 2.5.0 for tensorflow==2.5.0)."""
    for name, text in installed_tensorflow_distributions(facts).items():
        version = parse_version(text)
        if version is not None and requirement.specifier.contains(version, prereleases=True):
            return name, text
    return None


def check_packages(facts: Facts, profile: Profile) -> list[Finding]:
    return [check_requirement(facts, profile, requirement) for requirement in profile.requires]
