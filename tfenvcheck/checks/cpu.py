"""CPU instructions the TensorFlow build needs (AVX since 1.6, AVX2 for 2.4.0), and Rosetta.

A CPU without them makes `import tensorflow` die with SIGILL, so this is judged from the CPU's
flags, never by importing TensorFlow to find out.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name
from packaging.version import Version

from tfenvcheck.checks.build_table import build_table
from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, Finding
from tfenvcheck.checks.target_environment import is_arm_cpu
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.versions import TENSORFLOW_DISTRIBUTIONS, tensorflow_version


def profile_tensorflow_pin(profile: Profile) -> Version | None:
    """The TensorFlow version the profile pins exactly (tensorflow==2.4.0), if it does."""
    for requirement in profile.requires:
        if canonicalize_name(requirement.name) in TENSORFLOW_DISTRIBUTIONS:
            specifiers = list(requirement.specifier)
            if len(specifiers) == 1 and specifiers[0].operator in ("==", "===") and "*" not in specifiers[0].version:
                return Version(specifiers[0].version)
    return None


def check_cpu_flags(facts: Facts, profile: Profile) -> list[Finding]:
    host = facts.host
    cpu = host.cpu
    if host.os.rosetta or (
        host.os.system == "Darwin" and facts.interpreter.machine == "x86_64" and cpu.machine == "arm64"
    ):
        return [
            Finding(
                "cpu.flags",
                FAIL,
                "x86_64 Python under Rosetta on Apple Silicon",
                seen="{} Python on {}".format(facts.interpreter.machine, cpu.brand or "an arm64 Mac"),
                expected="an arm64 Python",
                hint="install an arm64 Python (python.org universal2, Homebrew in "
                "/opt/homebrew, or pyenv) and tensorflow-macos (<= 2.12) or tensorflow (>= 2.13)",
                fix_id="apple-silicon",
            )
        ]
    if is_arm_cpu(facts):
        return [Finding("cpu.flags", OK, "ARM CPU: AVX does not apply", seen=cpu.brand or cpu.machine)]
    judged = tensorflow_version(facts)
    source = "installed"
    if judged is None:
        judged, source = profile_tensorflow_pin(profile), "required"
    if judged is None:
        return [Finding("cpu.flags", SKIPPED, "CPU flags: no TensorFlow installed or pinned to judge them for")]
    needed = build_table().cpu_flags_needed(judged)
    flags = set(cpu.flags)
    missing = [flag for flag in needed if flag not in flags]
    seen = "{}: {}".format(
        cpu.brand or "CPU",
        ", ".join(
            "{} {}".format(flag.upper(), "yes" if flag in flags else "no")
            for flag in sorted(set(needed) | {"avx", "avx2"})
        ),
    )
    expected = "{} for TensorFlow {} ({})".format(
        " and ".join(f.upper() for f in needed) or "nothing special", judged, source
    )
    if missing:
        return [
            Finding(
                "cpu.flags",
                FAIL,
                "CPU lacks {} that TensorFlow {} needs".format(" and ".join(f.upper() for f in missing), judged),
                seen=seen,
                expected=expected,
                hint="`import tensorflow` will die with SIGILL (exit code 132): use a CPU with {}{}".format(
                    " and ".join(f.upper() for f in missing),
                    ", or TensorFlow 2.4.1 instead of 2.4.0" if missing == ["avx2"] else "",
                ),
                fix_id="no-avx",
            )
        ]
    return [
        Finding(
            "cpu.flags", OK, "CPU has the instructions TensorFlow {} needs".format(judged), seen=seen, expected=expected
        )
    ]
