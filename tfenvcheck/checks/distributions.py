"""Only one TensorFlow distribution installed: several of them overwrite each other's files."""

from __future__ import annotations

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, Finding
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import installed_tensorflow_distributions

# Platform wheels that `tensorflow` (or `tensorflow-cpu`) itself depends on at the same version:
# tensorflow-intel on Windows (2.11+), tensorflow-macos on Apple Silicon (2.13-2.15).
_PLATFORM_PARTS = ("tensorflow-intel", "tensorflow-macos")
_WRAPPERS = ("tensorflow", "tensorflow-cpu")


def conflicting_distributions(installed: dict[str, str]) -> dict[str, str]:
    """The installed TensorFlow distributions, less platform parts installed by their own wrapper."""
    wrapper_versions = {installed[name] for name in _WRAPPERS if name in installed}
    return {
        name: version
        for name, version in installed.items()
        if not (name in _PLATFORM_PARTS and version in wrapper_versions)
    }


def check_tensorflow_distributions(facts: Facts, profile: Profile) -> list[Finding]:
    installed = installed_tensorflow_distributions(facts)
    seen = ", ".join("{} {}".format(name, version) for name, version in installed.items()) or "none"
    if not installed:
        return [Finding("tensorflow.distributions", SKIPPED, "TensorFlow distributions: none installed", seen=seen)]
    conflicting = conflicting_distributions(installed)
    if len(conflicting) <= 1:
        return [
            Finding("tensorflow.distributions", OK, "One TensorFlow distribution", seen=seen, expected="exactly one")
        ]
    return [
        Finding(
            "tensorflow.distributions",
            FAIL,
            "{} TensorFlow distributions installed at once".format(len(conflicting)),
            seen=seen,
            expected="exactly one",
            hint="they overwrite each other's files: python -m pip uninstall {} and reinstall the one the "
            "profile names".format(" ".join(conflicting)),
            fix_id="several-tf-dists",
        )
    ]
