"""Versions read out of a facts record: which TensorFlow the target holds, and version parsing that
never raises. Shared by the checks, the registry's conditions and the fixer, so it imports none of them.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from tfenvcheck.facts.model import Facts

# Every distribution that provides `import tensorflow`.
TENSORFLOW_DISTRIBUTIONS = (
    "tensorflow",
    "tensorflow-cpu",
    "tensorflow-gpu",
    "tensorflow-intel",
    "tensorflow-macos",
    "tensorflow-aarch64",
    "tf-nightly",
    "tf-nightly-cpu",
    "tf-nightly-gpu",
)


def parse_version(text: str | None) -> Version | None:
    """The version, or None for a missing or non-PEP 440 one (some old distributions have those)."""
    if text is None:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def installed_tensorflow_distributions(facts: Facts) -> dict[str, str]:
    return {name: facts.packages[name] for name in TENSORFLOW_DISTRIBUTIONS if name in facts.packages}


def tensorflow_version(facts: Facts) -> Version | None:
    """The TensorFlow in the target: what `import tensorflow` said, else what is installed."""
    version = parse_version(facts.tensorflow.version)
    if version is not None:
        return version
    for text in installed_tensorflow_distributions(facts).values():
        version = parse_version(text)
        if version is not None:
            return version
    return None


def tensorflow_minor(facts: Facts) -> str | None:
    """'2.16' for TensorFlow 2.16.1, None when the target has no TensorFlow."""
    version = tensorflow_version(facts)
    return "{}.{}".format(*version.release[:2]) if version is not None else None
