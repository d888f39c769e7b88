"""Read the target's environment out of a facts record: marker values, CPU kind.

Requirement markers are evaluated against the *target* (its Python, its platform), never against
tfenvcheck's own interpreter.
"""

from __future__ import annotations

from tfenvcheck.facts.model import Facts

_RELEASE_LEVELS = {"alpha": "a", "beta": "b", "candidate": "rc"}


def marker_environment(facts: Facts) -> dict[str, str]:
    """The PEP 508 marker environment of the target, from its interpreter facts."""
    interpreter = facts.interpreter
    host_os = facts.host.os
    version_info = interpreter.version_info or [int(p) for p in interpreter.version.split(".")] + ["final", 0]
    full_version = interpreter.version
    if version_info[3] in _RELEASE_LEVELS:
        full_version += "{}{}".format(_RELEASE_LEVELS[version_info[3]], version_info[4])
    sys_platform = interpreter.sys_platform
    return {
        "implementation_name": interpreter.implementation.lower(),
        "implementation_version": full_version,
        "os_name": "nt" if sys_platform == "win32" else "posix",
        "platform_machine": interpreter.machine,
        "platform_python_implementation": interpreter.implementation,
        "platform_release": host_os.release,
        "platform_system": interpreter.system,
        "platform_version": host_os.version,
        "python_full_version": full_version,
        "python_version": "{}.{}".format(version_info[0], version_info[1]),
        "sys_platform": sys_platform,
    }


def is_arm_cpu(facts: Facts) -> bool:
    machine = facts.interpreter.machine.lower()
    return machine in ("arm64", "aarch64") or machine.startswith("arm")


def gib(value: int | float) -> float:
    return value / 2**30
