"""Does a known breakage apply to a target? Its conditions judged against the facts record.

One judge per condition of `[when]`: each reads the facts it needs and yields (holds, what was seen)
for the condition when the entry gives it, nothing otherwise. The judges run in the order of
`JUDGES`, which is the order of the reasons a match shows, and stop at the first that does not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.entry import Conditions
from tfenvcheck.versions import parse_version, tensorflow_version

Judgement = Iterator[tuple[bool, str]]
Judge = Callable[[Conditions, Facts], Judgement]


def _in_range(version: str | Version | None, specifier: SpecifierSet) -> bool:
    parsed = version if isinstance(version, Version) else parse_version(version)
    return parsed is not None and specifier.contains(parsed, prereleases=True)


def _packages(facts: Facts) -> dict[str, str]:
    return {canonicalize_name(k): v for k, v in facts.packages.items()}


def module_file(facts: Facts, module: str) -> Path | None:
    """Where the target would load `module` from (stdlib first, as sys.path orders it), without running it."""
    paths = facts.interpreter.paths
    bases = [paths.stdlib, *paths.site_packages, paths.purelib, paths.platlib]
    relative = Path(*module.split("."))
    for base in filter(None, bases):
        for candidate in (Path(base, relative).with_suffix(".py"), Path(base, relative, "__init__.py")):
            if candidate.is_file():
                return candidate
    return None


def _tensorflow(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.tensorflow is not None:
        version = tensorflow_version(facts)
        yield _in_range(version, conditions.tensorflow), "TensorFlow {}".format(version)


def _installed_in_range(conditions: Conditions, facts: Facts) -> Judgement:
    packages = _packages(facts)
    for name, specifier in conditions.packages.items():
        version = packages.get(canonicalize_name(name))
        yield _in_range(version, specifier), "{} {}".format(name, version)


def _missing(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.missing:
        packages = _packages(facts)
        absent = [name for name in conditions.missing if canonicalize_name(name) not in packages]
        yield bool(absent), ", ".join(absent) + " not installed"


def _python(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.python is not None:
        version = facts.interpreter.version
        yield _in_range(version, conditions.python), "Python {}".format(version)


def _interpreter_value(field: str, text: str) -> Judge:
    """A condition that lists the allowed values of one interpreter fact (`field` of both)."""

    def judge(conditions: Conditions, facts: Facts) -> Judgement:
        allowed = getattr(conditions, field)
        if allowed:
            value = getattr(facts.interpreter, field)
            yield value in allowed, text.format(value)

    return judge


def _bits(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.bits is not None:
        bits = facts.interpreter.bits
        yield bits == conditions.bits, "{}-bit Python".format(bits)


def _cpu_flags_missing(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.cpu_flags_missing:
        flags = set(facts.host.cpu.flags)
        missing = [flag for flag in conditions.cpu_flags_missing if flag not in flags]
        yield bool(missing), "CPU without " + ", ".join(f.upper() for f in missing)


def _env_unset(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.env_unset:
        variables = facts.interpreter.environment.variables
        unset = [name for name in conditions.env_unset if not variables.get(name)]
        yield len(unset) == len(conditions.env_unset), ", ".join(unset) + " not set"


def _several_installed(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.several_installed:
        packages = _packages(facts)
        present = [name for name in conditions.several_installed if canonicalize_name(name) in packages]
        yield len(present) >= 2, "installed together: " + ", ".join(present)


def _driver_gpu_unseen(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.driver_gpu_unseen_by_tensorflow:
        driver_gpus = facts.host.nvidia.gpus
        tensorflow = facts.tensorflow
        if not tensorflow.probed:  # `fix` and its verification do not import TensorFlow: the driver's side only
            yield bool(driver_gpus), "nvidia-smi sees {} GPU(s); TensorFlow not imported".format(len(driver_gpus))
            return
        unseen = bool(driver_gpus) and bool(tensorflow.importable) and not tensorflow.gpus
        yield unseen, "nvidia-smi sees {} GPU(s), TensorFlow none".format(len(driver_gpus))


def _ssl_cafile_missing(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.ssl_cafile_missing:
        ssl = facts.interpreter.ssl
        missing_ca = ssl.available and not ssl.cafile and not ssl.openssl_cafile_exists
        yield missing_ca, "no CA certificate file for SSL ({})".format(ssl.openssl_cafile)


def _rosetta(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.rosetta:
        yield bool(facts.host.os.rosetta), "running under Rosetta"


def _msvc_runtime_missing(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.msvc_runtime_missing:
        yield facts.interpreter.msvc_runtime is False, "msvcp140_1.dll not found"


def _tensorflow_sees_gpu(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.tensorflow_sees_gpu:
        gpus = facts.tensorflow.gpus
        yield bool(gpus), "TensorFlow sees {} GPU(s)".format(len(gpus))


def _build_info(facts: Facts) -> dict[str, object]:
    return facts.tensorflow.build_info or {}


def has_kernels_for(capability: str, built: list[str]) -> bool:
    """Whether a build's `cuda_compute_capabilities` ("sm_80", "compute_90") hold kernels a GPU of
    `capability` ("8.6") runs as they are: an sm_XY cubin runs on the same major at minor Y or above.
    A compute_XY entry is PTX, which the driver JIT-compiles (minutes, or a failure): not kernels."""
    major, _, minor = capability.partition(".")
    for entry in built:
        kind, _, number = str(entry).partition("_")
        if kind == "sm" and len(number) >= 2 and number[:-1] == major and number[-1:] <= (minor or "0")[:1]:
            return True
    return False


def _gpu_capability_not_built(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.gpu_capability_not_built:
        built = _build_info(facts).get("cuda_compute_capabilities")
        built = built if isinstance(built, list) else []
        capabilities = [gpu.compute_capability for gpu in facts.host.nvidia.gpus if gpu.compute_capability]
        lacking = [c for c in capabilities if not has_kernels_for(c, built)] if built else []
        yield (
            bool(lacking),
            "GPU compute capability {}; TensorFlow built for {}".format(
                ", ".join(lacking or capabilities) or "unknown", ", ".join(map(str, built)) or "unknown"
            ),
        )


def _older_than_build(conditions: Conditions, facts: Facts) -> Judgement:
    packages = _packages(facts)
    for name, key in conditions.older_than_build.items():
        installed, built = parse_version(packages.get(canonicalize_name(name))), _build_info(facts).get(key)
        wanted = parse_version(str(built)) if built is not None else None
        if installed is None:
            yield False, "{} not installed".format(name)
        elif wanted is None:
            yield False, "no {} in TensorFlow's build info".format(key)
        else:
            older = installed.release[: len(wanted.release)] < wanted.release
            yield older, "{} {}, TensorFlow built with {} {}".format(name, installed, key, built)


def _minor_not_tensorflows(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.minor_not_tensorflows:
        packages = _packages(facts)
        tensorflow = tensorflow_version(facts)
        installed = {
            name: parse_version(packages.get(canonicalize_name(name))) for name in conditions.minor_not_tensorflows
        }
        differing = [
            "{} {}".format(name, version)
            for name, version in installed.items()
            if version is not None and tensorflow is not None and version.release[:2] != tensorflow.release[:2]
        ]
        if differing:
            yield True, "{} beside TensorFlow {}".format(", ".join(differing), tensorflow)
        else:
            present = ", ".join(name for name, version in installed.items() if version is not None)
            absent = ", ".join(conditions.minor_not_tensorflows) + " not installed"
            yield False, (present + " of TensorFlow's minor") if present else absent


def _nvidia_libraries_off_loader_path(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.nvidia_libraries_off_loader_path:
        libraries = facts.gpu.wheel_libraries
        off = [Path(library.path).name for library in libraries if not library.loaded and not library.on_library_path]
        if not libraries:
            yield False, "no nvidia-* wheel libraries in site-packages"
        else:
            yield (
                bool(off),
                "{} of {} nvidia-* wheel libraries neither preloaded nor on LD_LIBRARY_PATH{}".format(
                    len(off), len(libraries), " ({})".format(", ".join(off[:3])) if off else ""
                ),
            )


def _file(conditions: Conditions, facts: Facts) -> Judgement:
    if conditions.file is not None:
        path = module_file(facts, conditions.file.module)
        contains = path is not None and conditions.file.contains in path.read_text(encoding="utf-8", errors="replace")
        yield contains, "{} contains {!r}".format(path, conditions.file.contains)


JUDGES: tuple[Judge, ...] = (
    _tensorflow,
    _installed_in_range,
    _missing,
    _python,
    _interpreter_value("sys_platform", "platform {}"),
    _interpreter_value("machine", "machine {}"),
    _interpreter_value("origin", "{} Python"),
    _bits,
    _cpu_flags_missing,
    _env_unset,
    _several_installed,
    _driver_gpu_unseen,
    _ssl_cafile_missing,
    _rosetta,
    _msvc_runtime_missing,
    _tensorflow_sees_gpu,
    _gpu_capability_not_built,
    _older_than_build,
    _minor_not_tensorflows,
    _nvidia_libraries_off_loader_path,
    _file,
)


def matching_reasons(conditions: Conditions, facts: Facts) -> list[str] | None:
    """What was seen that makes every condition hold, or None when one does not."""
    reasons = []
    for judge in JUDGES:
        for holds, seen in judge(conditions, facts):
            if not holds:
                return None
            reasons.append(seen)
    return reasons
