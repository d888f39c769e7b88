"""Does a known breakage apply to a target? Its conditions judged against the facts record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tfenvcheck.registry.entry import Breakage, Conditions
from tfenvcheck.versions import parse_version, tensorflow_version


def _in_range(version: str | Version | None, specifier: SpecifierSet) -> bool:
    parsed = version if isinstance(version, Version) else parse_version(version)
    return parsed is not None and specifier.contains(parsed, prereleases=True)


def module_file(facts: dict[str, Any], module: str) -> Path | None:
    """Where the target would load `module` from (stdlib first, as sys.path orders it), without running it."""
    paths = facts["interpreter"]["paths"]
    bases = [paths.get("stdlib"), *paths.get("site_packages", []), paths.get("purelib"), paths.get("platlib")]
    relative = Path(*module.split("."))
    for base in filter(None, bases):
        for candidate in (Path(base, relative).with_suffix(".py"), Path(base, relative, "__init__.py")):
            if candidate.is_file():
                return candidate
    return None


def matching_reasons(conditions: Conditions, facts: dict[str, Any]) -> list[str] | None:
    """What was seen that makes every condition hold, or None when one does not."""
    interpreter = facts["interpreter"]
    packages = {canonicalize_name(k): v for k, v in facts.get("packages", {}).items()}
    host = facts.get("host", {})
    reasons: list[str] = []

    def holds(ok: bool, reason: str) -> bool:
        if ok:
            reasons.append(reason)
        return ok

    if conditions.tensorflow is not None:
        version = tensorflow_version(facts)
        if not holds(_in_range(version, conditions.tensorflow), "TensorFlow {}".format(version)):
            return None
    for name, specifier in conditions.packages.items():
        version = packages.get(canonicalize_name(name))
        if not holds(_in_range(version, specifier), "{} {}".format(name, version)):
            return None
    if conditions.missing:
        absent = [name for name in conditions.missing if canonicalize_name(name) not in packages]
        if not holds(bool(absent), ", ".join(absent) + " not installed"):
            return None
    python_seen = "Python {}".format(interpreter["version"])
    if conditions.python is not None and not holds(_in_range(interpreter["version"], conditions.python), python_seen):
        return None
    checks = (
        (conditions.sys_platform, interpreter.get("sys_platform"), "platform {}"),
        (conditions.machine, interpreter.get("machine"), "machine {}"),
        (conditions.origin, interpreter.get("origin"), "{} Python"),
    )
    for allowed, value, text in checks:
        if allowed and not holds(value in allowed, text.format(value)):
            return None
    if conditions.bits is not None and not holds(
        interpreter.get("bits") == conditions.bits, "{}-bit Python".format(interpreter.get("bits"))
    ):
        return None
    if conditions.cpu_flags_missing:
        flags = set(host.get("cpu", {}).get("flags", []))
        missing = [flag for flag in conditions.cpu_flags_missing if flag not in flags]
        if not holds(bool(missing), "CPU without " + ", ".join(f.upper() for f in missing)):
            return None
    if conditions.env_unset:
        variables = interpreter.get("environment", {}).get("variables", {})
        unset = [name for name in conditions.env_unset if not variables.get(name)]
        if not holds(len(unset) == len(conditions.env_unset), ", ".join(unset) + " not set"):
            return None
    if conditions.several_installed:
        present = [name for name in conditions.several_installed if canonicalize_name(name) in packages]
        if not holds(len(present) >= 2, "installed together: " + ", ".join(present)):
            return None
    if conditions.driver_gpu_unseen_by_tensorflow:
        driver_gpus = host.get("nvidia", {}).get("gpus", [])
        tensorflow = facts.get("tensorflow") or {}
        unseen = bool(driver_gpus) and bool(tensorflow.get("importable")) and not tensorflow.get("gpus")
        if not holds(unseen, "nvidia-smi sees {} GPU(s), TensorFlow none".format(len(driver_gpus))):
            return None
    if conditions.ssl_cafile_missing:
        ssl = interpreter.get("ssl", {})
        missing_ca = bool(ssl.get("available")) and not ssl.get("cafile") and not ssl.get("openssl_cafile_exists")
        if not holds(missing_ca, "no CA certificate file for SSL ({})".format(ssl.get("openssl_cafile"))):
            return None
    if conditions.rosetta and not holds(bool(host.get("os", {}).get("rosetta")), "running under Rosetta"):
        return None
    if conditions.msvc_runtime_missing and not holds(
        interpreter.get("msvc_runtime") is False, "msvcp140_1.dll not found"
    ):
        return None
    if conditions.file is not None:
        path = module_file(facts, conditions.file.module)
        contains = path is not None and conditions.file.contains in path.read_text(encoding="utf-8", errors="replace")
        if not holds(contains, "{} contains {!r}".format(path, conditions.file.contains)):
            return None
    return reasons


def applicable(breakages: list[Breakage], facts: dict[str, Any]) -> list[tuple[Breakage, list[str]]]:
    """The breakages whose conditions all hold for this target, with what was seen."""
    found = []
    for breakage in breakages:
        reasons = matching_reasons(breakage.when, facts)
        if reasons is not None:
            found.append((breakage, reasons))
    return found
