"""The lines known to be harmless (harmless.toml), read and validated like the registry's files."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tfenvcheck import tomlcheck
from tfenvcheck.errors import UsageError
from tfenvcheck.explain.patterns import PatternError, check_pattern
from tfenvcheck.tomlcheck import Invalid, expect, located, only_keys


class HarmlessFileError(UsageError):
    """A harmless-lines file that does not validate: `FILE: where: what is wrong`."""


@dataclass(frozen=True)
class HarmlessLine:
    pattern: str
    why: str
    unless: str | None = None  # a registry entry: not harmless where its conditions hold
    source: str | None = None


def parse_harmless(data: dict[str, object]) -> tuple[HarmlessLine, ...]:
    only_keys(data, ("line",), "top level")
    lines = []
    for i, table in enumerate(expect(data.get("line", []), list, "line")):
        where = "line[{}]".format(i)
        expect(table, dict, where)
        only_keys(table, ("pattern", "why", "unless", "source"), where)
        pattern = expect(table.get("pattern"), str, where + ".pattern")
        try:
            check_pattern(pattern)
        except PatternError as error:
            raise Invalid("{}.pattern: {}".format(where, error)) from None
        lines.append(
            HarmlessLine(
                pattern=pattern,
                why=expect(table.get("why"), str, where + ".why"),
                unless=expect(table["unless"], str, where + ".unless") if "unless" in table else None,
                source=expect(table["source"], str, where + ".source") if "source" in table else None,
            )
        )
    return tuple(lines)


def load_harmless_file(path: Path) -> tuple[HarmlessLine, ...]:
    text = tomlcheck.read_text(path, HarmlessFileError, "harmless-lines file")
    try:
        return parse_harmless(tomlcheck.parse_toml(text, path, HarmlessFileError))
    except Invalid as invalid:
        raise located(HarmlessFileError, path, invalid, text) from None


@lru_cache(maxsize=1)
def shipped_harmless_lines() -> tuple[HarmlessLine, ...]:
    return load_harmless_file(Path(str(importlib.resources.files("tfenvcheck.explain") / "harmless.toml")))
