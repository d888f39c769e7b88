"""Reading a TOML data file and checking what it holds against a schema, for the profile and the
known-breakage loaders alike.

Only a regular file of at most MAX_BYTES is read (input_files), and nesting deeper than MAX_DEPTH
is refused: no profile or breakage needs more than four levels, and tomllib recurses on each one.

A schema fault is raised inside a loader as `Invalid` (what is wrong, and where in the data:
"when.python", "resources.min_memory_gib"); `located` turns it into the loader's own one-line
UsageError that leads with the file, and with the line when a search of the text finds the value
(tomllib keeps no positions for the values it parsed).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from tfenvcheck import input_files, tomlfile
from tfenvcheck.errors import UsageError
from tfenvcheck.version_limits import too_long_version

Error = TypeVar("Error", bound=UsageError)

MAX_BYTES = 2**20  # a breakage file with its snippet is a few KiB
MAX_DEPTH = 16


class Invalid(Exception):
    """A value that does not fit the schema; `needle` is text to find its line by."""

    def __init__(self, message: str, needle: str = "") -> None:
        super().__init__(message)
        self.needle = needle


def read_text(path: Path, error: type[Error], what: str) -> str:
    """The UTF-8 text of the regular file `path`; anything else is `error("FILE: cannot read WHAT: why")`."""
    return input_files.read_text_or(error, path, what, max_bytes=MAX_BYTES)


def parse_toml(text: str, path: Path | str, error: type[Error]) -> dict[str, Any]:
    try:
        data = tomlfile.loads(text)
    except tomlfile.TOMLDecodeError as failure:
        # tomllib says "... (at line 3, column 9)"; keep its words, lead with the file.
        raise error("{}: invalid TOML: {}".format(path, failure)) from None
    except RecursionError:
        raise error("{}: nested deeper than {} levels".format(path, MAX_DEPTH)) from None
    where = _too_deep(data)
    if where is not None:
        raise error("{}: {}: nested deeper than {} levels".format(path, where, MAX_DEPTH))
    return data


def _too_deep(data: Any) -> str | None:
    """The dotted place where `data` nests deeper than MAX_DEPTH, if it does."""
    pending: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while pending:
        value, where = pending.pop()
        if isinstance(value, (dict, list)):
            if len(where) > MAX_DEPTH:
                shown = ".".join(where)
                return shown if len(shown) <= 80 else shown[:77] + "..."
            items = value.items() if isinstance(value, dict) else enumerate(value)
            pending.extend((item, (*where, str(key))) for key, item in items)
    return None


def line_of(text: str, needle: str) -> int | None:
    """The first line that mentions `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle and needle in line:
            return number
    return None


def located(error: type[Error], path: Path | str, invalid: Invalid, text: str = "") -> Error:
    """`FILE[:LINE]: what is wrong`, the line found by the fault's needle in `text`."""
    line = line_of(text, invalid.needle) if text and invalid.needle else None
    return error("{}{}: {}".format(path, ":{}".format(line) if line else "", invalid))


def expect(value: Any, kind: type, where: str) -> Any:
    """`value` when it is a `kind` (a bool is no int here); else Invalid."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Invalid("{}: expected {}, found {!r}".format(where, kind.__name__, value), where.split(".")[-1])
    return value


def strings(value: Any, where: str) -> tuple[str, ...]:
    for item in expect(value, list, where):
        expect(item, str, where + "[]")
    return tuple(value)


def specifier(value: Any, where: str) -> SpecifierSet:
    try:
        parsed = SpecifierSet(expect(value, str, where))
    except InvalidSpecifier:
        raise Invalid("{}: invalid version specifier {!r}".format(where, value), value) from None
    too_long = too_long_version(parsed)
    if too_long:
        raise Invalid("{}: version too long: {}".format(where, too_long), value[:40])
    return parsed


def only_keys(table: dict[str, Any], allowed: Iterable[str], where: str) -> None:
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        raise Invalid("{}: unknown key {!r}".format(where, unknown[0]), unknown[0])
