"""Read and validate known-breakage files: the shipped registry (fixes/) and extra directories.

The validation is the registry's schema: unknown keys, wrong types, bad specifiers and unknown
action kinds are refused with a one-line `FILE: where: what` error, so a typo in a data file
never silently disables a check.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from tfenvcheck import tomlcheck
from tfenvcheck.errors import UsageError
from tfenvcheck.registry.entry import (
    ACTION_KINDS,
    PIN_PLACEHOLDERS,
    REPORT_MODES,
    Action,
    Breakage,
    Conditions,
    Confirmation,
    FileCondition,
)
from tfenvcheck.registry.symptoms import match_fields
from tfenvcheck.tomlcheck import Invalid, expect, located, only_keys, specifier, strings
from tfenvcheck.version_limits import too_long_version

SEVERITIES = ("fail", "warn")
_TOP_KEYS = {
    "id": str,
    "title": str,
    "symptom": str,
    "sources": list,
    "severity": str,
    "when": dict,
    "fix": list,
    "confirm": dict,
    "report": str,
    "patterns": list,
    "context": list,
}
_REQUIRED_TOP = ("id", "title", "symptom", "when", "fix")
_ACTION_FIELDS = {
    "pin": {"requirements"},
    "patch": {"module", "find", "replace"},
    "env": {"name", "value"},
    "preload": {"libraries"},
    "advise": {"text"},
}
# Optional fields beside `kind` and `text`.
_ACTION_OPTIONS = {"pin": {"no_deps"}}
# What an environment variable may be called: a name that `os.environ` and every shell accept.
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RegistryError(UsageError):
    """A breakage file that does not validate: `FILE: where: what is wrong`."""


def builtin_registry_files() -> list[Path]:
    folder = importlib.resources.files("tfenvcheck.known_breakages")
    return sorted(Path(str(item)) for item in folder.iterdir() if item.name.endswith(".toml"))


def load_registry(extra_dirs: Iterable[Path] = ()) -> list[Breakage]:
    """The shipped breakages plus those in `extra_dirs`; ids must be unique across all of them."""
    files = builtin_registry_files()
    for folder in extra_dirs:
        if not Path(folder).is_dir():
            raise RegistryError("{}: not a directory of breakage files".format(folder))
        files += sorted(Path(folder).glob("*.toml"))
    breakages: dict[str, Breakage] = {}
    for path in files:
        breakage = load_breakage(path)
        if breakage.id in breakages:
            raise RegistryError(
                "{}: id {!r} is already used by {}".format(path, breakage.id, breakages[breakage.id].path)
            )
        breakages[breakage.id] = breakage
    return list(breakages.values())


def load_breakage(path: Path) -> Breakage:
    text = tomlcheck.read_text(path, RegistryError, "breakage file")
    data = tomlcheck.parse_toml(text, path, RegistryError)
    try:
        return parse_breakage(data, str(path))
    except Invalid as invalid:
        raise located(RegistryError, path, invalid, text) from None


def module_name(value: Any, where: str) -> str:
    """A dotted module name ("linecache", "keras.src.utils"): never a path, so that a module of a
    registry entry can only name a file under the target's own import folders."""
    name = expect(value, str, where)
    if not all(part.isidentifier() for part in name.split(".")):
        raise Invalid(
            "{}: {!r} is not a dotted module name (a path, absolute or with '..', is refused)".format(where, name), name
        )
    return name


def variable_name(value: Any, where: str) -> str:
    name = expect(value, str, where)
    if not _VARIABLE_NAME.fullmatch(name):
        raise Invalid(
            "{}: {!r} is not an environment variable name (letters, digits and _, not starting with a digit)".format(
                where, name
            ),
            name,
        )
    return name


def library_pattern(pattern: str, where: str) -> str:
    """A glob pattern of files under site-packages ("nvidia/*/lib/*.so*"): never absolute, never
    climbing out with "..", so that a registry entry can only preload files of the target."""
    parts = pattern.replace("\\", "/").split("/")
    if not pattern or pattern.startswith(("/", "~")) or ":" in parts[0] or ".." in parts:
        raise Invalid(
            "{}: {!r} is not a pattern relative to site-packages (absolute, or with '..', is refused)".format(
                where, pattern
            ),
            pattern,
        )
    return pattern


def parse_conditions(when: dict[str, Any]) -> Conditions:
    only_keys(when, Conditions.__dataclass_fields__, "when")
    file_condition = None
    if "file" in when:
        table = expect(when["file"], dict, "when.file")
        only_keys(table, ("module", "contains"), "when.file")
        file_condition = FileCondition(
            module=module_name(table.get("module"), "when.file.module"),
            contains=expect(table.get("contains"), str, "when.file.contains"),
        )
    conditions = Conditions(
        tensorflow=specifier(when["tensorflow"], "when.tensorflow") if "tensorflow" in when else None,
        packages={
            name: specifier(spec, "when.packages." + name)
            for name, spec in expect(when.get("packages", {}), dict, "when.packages").items()
        },
        missing=strings(when.get("missing", []), "when.missing"),
        python=specifier(when["python"], "when.python") if "python" in when else None,
        sys_platform=strings(when.get("sys_platform", []), "when.sys_platform"),
        machine=strings(when.get("machine", []), "when.machine"),
        origin=strings(when.get("origin", []), "when.origin"),
        bits=expect(when["bits"], int, "when.bits") if "bits" in when else None,
        file=file_condition,
        cpu_flags_missing=strings(when.get("cpu_flags_missing", []), "when.cpu_flags_missing"),
        env_unset=strings(when.get("env_unset", []), "when.env_unset"),
        several_installed=strings(when.get("several_installed", []), "when.several_installed"),
        driver_gpu_unseen_by_tensorflow=expect(
            when.get("driver_gpu_unseen_by_tensorflow", False), bool, "when.driver_gpu_unseen_by_tensorflow"
        ),
        ssl_cafile_missing=expect(when.get("ssl_cafile_missing", False), bool, "when.ssl_cafile_missing"),
        rosetta=expect(when.get("rosetta", False), bool, "when.rosetta"),
        msvc_runtime_missing=expect(when.get("msvc_runtime_missing", False), bool, "when.msvc_runtime_missing"),
        tensorflow_sees_gpu=expect(when.get("tensorflow_sees_gpu", False), bool, "when.tensorflow_sees_gpu"),
        gpu_capability_not_built=expect(
            when.get("gpu_capability_not_built", False), bool, "when.gpu_capability_not_built"
        ),
        older_than_build={
            name: expect(key, str, "when.older_than_build." + name)
            for name, key in expect(when.get("older_than_build", {}), dict, "when.older_than_build").items()
        },
        minor_not_tensorflows=strings(when.get("minor_not_tensorflows", []), "when.minor_not_tensorflows"),
        nvidia_libraries_off_loader_path=expect(
            when.get("nvidia_libraries_off_loader_path", False), bool, "when.nvidia_libraries_off_loader_path"
        ),
    )
    if conditions.is_empty():
        raise Invalid("when: no condition given; a breakage that always applies is a mistake")
    return conditions


def parse_action(table: dict[str, Any], where: str) -> Action:
    kind = expect(table.get("kind"), str, where + ".kind")
    if kind not in ACTION_KINDS:
        raise Invalid("{}.kind: unknown action kind {!r} (known: {})".format(where, kind, ", ".join(ACTION_KINDS)))
    needed = _ACTION_FIELDS[kind]
    only_keys(table, needed | {"kind", "text"} | _ACTION_OPTIONS.get(kind, set()), where)
    for key in sorted(needed):
        if key not in table:
            raise Invalid("{}: a {} action needs {!r}".format(where, kind, key))
    requirements = strings(table.get("requirements", []), where + ".requirements")
    sample = dict.fromkeys(PIN_PLACEHOLDERS, "2.16")
    for requirement in requirements:
        try:
            parsed = Requirement(requirement.format(**sample))
        except (InvalidRequirement, KeyError, ValueError):
            raise Invalid("{}.requirements: invalid requirement {!r}".format(where, requirement)) from None
        too_long = too_long_version(parsed.specifier)
        if too_long:
            raise Invalid("{}.requirements: {}: version too long: {}".format(where, parsed.name, too_long))
    if kind == "patch":
        module_name(table["module"], where + ".module")
        if expect(table["find"], str, where + ".find") == expect(table["replace"], str, where + ".replace"):
            raise Invalid("{}: find and replace are the same text".format(where))
    if kind == "env":
        variable_name(table["name"], where + ".name")
        if "\0" in expect(table["value"], str, where + ".value"):
            raise Invalid("{}.value: a NUL character cannot be in an environment variable".format(where))
    if kind == "preload":
        patterns = strings(table["libraries"], where + ".libraries")
        if not patterns:
            raise Invalid("{}.libraries: at least one pattern is needed".format(where))
        for pattern in patterns:
            library_pattern(pattern, where + ".libraries")
    return Action(
        kind=kind,
        requirements=requirements,
        module=table.get("module"),
        find=table.get("find"),
        replace=table.get("replace"),
        name=table.get("name"),
        value=table.get("value"),
        libraries=strings(table.get("libraries", []), where + ".libraries"),
        text=expect(table["text"], str, where + ".text") if "text" in table else None,
        no_deps=expect(table.get("no_deps", False), bool, where + ".no_deps"),
    )


def parse_confirmation(table: dict[str, Any]) -> Confirmation:
    only_keys(table, ("snippet", "expect", "timeout", "env"), "confirm")
    env = expect(table.get("env", {}), dict, "confirm.env")
    for name, value in env.items():
        variable_name(name, "confirm.env")
        if "\0" in expect(value, str, "confirm.env." + name):
            raise Invalid("confirm.env.{}: a NUL character cannot be in an environment variable".format(name))
    timeout = table.get("timeout", 120.0)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise Invalid("confirm.timeout: expected a positive number of seconds, found {!r}".format(timeout))
    snippet = expect(table.get("snippet"), str, "confirm.snippet")
    try:
        compile(snippet, "confirm.snippet", "exec")
    except SyntaxError as error:
        raise Invalid("confirm.snippet: not valid Python: {}".format(error)) from None
    return Confirmation(
        snippet=snippet,
        expect=expect(table.get("expect"), str, "confirm.expect"),
        timeout=float(timeout),
        env=dict(env),
    )


def parse_breakage(data: dict[str, Any], path: str | None = None) -> Breakage:
    only_keys(data, _TOP_KEYS, "top level")
    for key in _REQUIRED_TOP:
        if key not in data:
            raise Invalid("missing {!r}".format(key))
    for key, kind in _TOP_KEYS.items():
        if key in data:
            expect(data[key], kind, key)
    severity = data.get("severity", "fail")
    if severity not in SEVERITIES:
        raise Invalid("severity: expected one of {}, found {!r}".format(", ".join(SEVERITIES), severity))
    report = data.get("report", "likely")
    if report not in REPORT_MODES:
        raise Invalid("report: expected one of {}, found {!r}".format(", ".join(REPORT_MODES), report))
    if report == "when-confirmed" and "confirm" not in data:
        raise Invalid("report: 'when-confirmed' needs a [confirm] snippet")
    actions = tuple(
        parse_action(expect(table, dict, "fix[{}]".format(i)), "fix[{}]".format(i))
        for i, table in enumerate(data["fix"])
    )
    if not actions:
        raise Invalid("fix: at least one action is needed (an advise action at least)")
    return Breakage(
        id=data["id"],
        title=data["title"],
        symptom=data["symptom"].strip(),
        sources=strings(data.get("sources", []), "sources"),
        severity=severity,
        when=parse_conditions(data["when"]),
        fix=actions,
        confirm=parse_confirmation(data["confirm"]) if "confirm" in data else None,
        report=report,
        path=path,
        **match_fields(data),
    )
