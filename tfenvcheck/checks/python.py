"""The target's Python: version within the profile's range, 64-bit, CPython."""

from __future__ import annotations

from packaging.version import Version

from tfenvcheck.checks.build_table import build_table
from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import tensorflow_version


def check_python_version(facts: Facts, profile: Profile) -> list[Finding]:
    interpreter = facts.interpreter
    version = Version(interpreter.version)
    seen = "Python {} ({})".format(interpreter.version, interpreter.implementation)
    if profile.python is not None:
        expected = "Python {}".format(profile.python)
        fits = profile.python.contains(version, prereleases=True)
        reason = profile.name
    else:
        # No range in the profile (a requirements file): the installed TensorFlow's own range decides.
        installed = tensorflow_version(facts)
        build = build_table().build_for(installed) if installed else None
        if build is None:
            return [
                Finding(
                    "python.version",
                    SKIPPED,
                    "Python version",
                    seen=seen,
                    hint="the profile names no Python range and no known TensorFlow is installed",
                )
            ]
        expected = "Python {} (what TensorFlow {} was built for)".format(build.python, installed)
        fits = build.python.contains(version, prereleases=True)
        reason = "TensorFlow {}".format(installed)
    if fits:
        return [Finding("python.version", OK, "Python {}".format(interpreter.version), seen=seen, expected=expected)]
    return [
        Finding(
            "python.version",
            FAIL,
            "Python {} is outside what {} needs".format(interpreter.version, reason),
            seen=seen,
            expected=expected,
            hint="install a Python in that range (python.org or pyenv), make a venv with it, and give PyCharm that "
            "venv's interpreter",
            fix_id="python-unsupported",
        )
    ]


def check_python_bits(facts: Facts, profile: Profile) -> list[Finding]:
    interpreter = facts.interpreter
    bits = interpreter.bits
    if bits == 64:
        findings = [Finding("python.bits", OK, "64-bit Python", seen="{}-bit".format(bits), expected="64-bit")]
    else:
        findings = [
            Finding(
                "python.bits",
                FAIL,
                "{}-bit Python: TensorFlow has no {}-bit wheels".format(bits, bits),
                seen="{}-bit".format(bits),
                expected="64-bit",
                hint="install the 64-bit Python (on Windows: the 'Windows installer (64-bit)' from python.org)",
                fix_id="python-unsupported",
            )
        ]
    if interpreter.implementation != "CPython":
        findings.append(
            Finding(
                "python.implementation",
                WARN,
                "{} is not CPython".format(interpreter.implementation),
                seen=interpreter.implementation,
                expected="CPython",
                hint="TensorFlow publishes wheels for CPython only",
            )
        )
    return findings
