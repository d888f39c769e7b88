"""The Python range a base interpreter for a profile must be in: the profile's own, else the one
its TensorFlow requirement was built for (the build table), else any."""

from __future__ import annotations

from dataclasses import replace

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tfenvcheck.checks.build_table import build_table
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import TENSORFLOW_DISTRIBUTIONS


def tensorflow_range(profile: Profile) -> tuple[SpecifierSet, Version] | None:
    """When the profile names no Python range: the range its TensorFlow requirement's newest known
    release was built for, from the build table, and that release; None without a TensorFlow requirement."""
    if profile.python is not None:
        return None
    wanted = [r.specifier for r in profile.requires if canonicalize_name(r.name) in TENSORFLOW_DISTRIBUTIONS]
    if not wanted:
        return None
    combined = SpecifierSet()
    for specifier in wanted:
        combined &= specifier
    found = build_table().newest_build_in(combined)
    return None if found is None else (found[1].python, found[0])


def with_python_range(profile: Profile) -> Profile:
    """The profile with a Python range to judge bases by: its own, else its TensorFlow's."""
    derived = tensorflow_range(profile)
    return profile if derived is None else replace(profile, python=derived[0])


def python_wanted(profile: Profile) -> str:
    """The Python range a base must be in, in words: 'Python >=3.10,<3.14 (what TensorFlow 2.21.0
    supports, from its build table)', the profile's own range, or 'any Python'."""
    if profile.python is not None:
        return "Python {}".format(lower_bound_first(profile.python))
    derived = tensorflow_range(profile)
    if derived is None:
        return "any Python"
    python, tensorflow = derived
    return "Python {} (what TensorFlow {} supports, from its build table)".format(lower_bound_first(python), tensorflow)


def lower_bound_first(specifier: SpecifierSet) -> str:
    """'>=3.10,<3.14' as the build table writes it (packaging's own text sorts it '<3.14,>=3.10')."""
    return ",".join(sorted((str(s) for s in specifier), key=lambda text: (not text.startswith(">"), text)))


def needed_minor_versions(profile: Profile) -> list[str]:
    """'3.7', '3.8', ...: the minor versions in the profile's range (all of 3.x when it names none)."""
    minors = ["3.{}".format(minor) for minor in range(6, 15)]
    if profile.python is None:
        return minors
    return [m for m in minors if any(profile.python.contains(Version("{}.{}".format(m, p))) for p in (0, 99))]
