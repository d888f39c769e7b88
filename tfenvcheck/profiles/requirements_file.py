"""Read a requirements file into packaging Requirements, each with the file:line it came from.

Supported: one requirement per line (PEP 508, markers included), comments, backslash
continuations, `-r`/`--requirement` includes, and pip's global options (`--index-url` and the
like), which say nothing about what must be installed and are skipped. Anything else (editable
installs, bare paths or URLs) is a one-line UsageError naming file and line. A leading byte order
mark is dropped, as pip does; only regular files are read (a FIFO would block), of at most MAX_BYTES.
A `.toml` file is a `pyproject.toml`: its `[project] dependencies` (PEP 621) are the requirements.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

from tfenvcheck import input_files, tomlcheck
from tfenvcheck.errors import UsageError
from tfenvcheck.version_limits import too_long_version

_COMMENT = re.compile(r"\s#")
MAX_BYTES = 2**20
# pip has no limit, but a chain of includes this long is a mistake (and each level is a frame here).
MAX_INCLUDE_DEPTH = 32
_INCLUDE_OPTIONS = ("-r", "--requirement")
_SKIPPED_OPTIONS = (
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--find-links",
    "--trusted-host",
    "--pre",
    "--prefer-binary",
    "--only-binary",
    "--no-binary",
    "-c",
    "--constraint",
    "--use-feature",
)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with comments removed and continuations joined."""
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        # pip treats a leading '#' or whitespace then '#' as a comment; a URL's '#egg=' is kept.
        line = "" if raw.lstrip().startswith("#") else _COMMENT.split(raw, maxsplit=1)[0]
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        joined = (pending + line).strip()
        pending = ""
        if joined:
            lines.append((start, joined))
    if pending.strip():
        lines.append((start, pending.strip()))
    return lines


def read_requirements(path: Path, _chain: tuple[Path, ...] = ()) -> list[tuple[Requirement, str]]:
    """Every requirement in `path` (and the files it includes) as (Requirement, "file:line")."""
    resolved = Path(os.path.realpath(path))  # never raises, also on a link loop (reading it then says why)
    if resolved in _chain:
        raise UsageError("{}: includes itself".format(path))
    if len(_chain) >= MAX_INCLUDE_DEPTH:
        raise UsageError("{}: -r includes nested deeper than {} files".format(path, MAX_INCLUDE_DEPTH))
    text = input_files.read_text_or(UsageError, path, "requirements file", max_bytes=MAX_BYTES)
    if path.suffix == ".toml":
        return _project_dependencies(path, text)
    found: list[tuple[Requirement, str]] = []
    for number, line in _logical_lines(text):
        where = "{}:{}".format(path, number)
        if line.startswith("-"):
            option, _, value = line.replace("=", " ", 1).partition(" ")
            if option in _INCLUDE_OPTIONS and value.strip():
                found += read_requirements(path.parent / value.strip(), (*_chain, resolved))
            elif option in _SKIPPED_OPTIONS:
                continue
            else:
                raise UsageError(
                    "{}: unsupported option {!r} (only requirements, -r and index options)".format(where, option[:40])
                )
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            shown = line if len(line) <= 80 else line[:77] + "..."
            raise UsageError("{}: bad requirement {!r}: {}".format(where, shown, str(error).splitlines()[0])) from None
        too_long = too_long_version(requirement.specifier)
        if too_long:
            raise UsageError("{}: {}: version too long: {}".format(where, requirement.name, too_long))
        found.append((requirement, where))
    return found


def _project_dependencies(path: Path, text: str) -> list[tuple[Requirement, str]]:
    """The `[project] dependencies` of a pyproject.toml, each with the line that names it."""
    project = tomlcheck.parse_toml(text, path, UsageError).get("project")
    dependencies = project.get("dependencies") if isinstance(project, dict) else None
    if not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies):
        raise UsageError("{}: no [project] dependencies list (a list of requirement strings)".format(path))
    found = []
    for dependency in dependencies:
        where = "{}:{}".format(path, tomlcheck.line_of(text, dependency) or 1)
        try:
            requirement = Requirement(dependency)
        except InvalidRequirement as error:
            raise UsageError(
                "{}: bad requirement {!r}: {}".format(where, dependency, str(error).splitlines()[0])
            ) from None
        too_long = too_long_version(requirement.specifier)
        if too_long:
            raise UsageError("{}: {}: version too long: {}".format(where, requirement.name, too_long))
        found.append((requirement, where))
    return found


def project_python(path: Path) -> SpecifierSet | None:
    """A pyproject.toml's `[project] requires-python`; None for a requirements file or without one."""
    if path.suffix != ".toml":
        return None
    text = input_files.read_text_or(UsageError, path, "requirements file", max_bytes=MAX_BYTES)
    project = tomlcheck.parse_toml(text, path, UsageError).get("project")
    value = project.get("requires-python") if isinstance(project, dict) else None
    if value is None:
        return None
    try:
        return SpecifierSet(str(value))
    except InvalidSpecifier:
        where = "{}:{}".format(path, tomlcheck.line_of(text, "requires-python") or 1)
        raise UsageError("{}: requires-python: not a version specifier: {!r}".format(where, value)) from None
