"""How a breakage's error looks in text (an import error, a traceback, a console), read from its entry.

An entry's `patterns` (regular expressions, searched line by line) say it; an entry without them (an
older file from `--registry DIR`) is found by literal, case-insensitive texts taken from it: its
confirmation's `expect`, the message of each exception line of its `symptom` ("TypeError:
<message>"), and the names in the symptom that identify a failure on their own (a signal, a shared
library). Either way the one engine of `tfenvcheck.explain` searches the text (`explain.scan`).
"""

from __future__ import annotations

import re
from typing import Any

from tfenvcheck.explain.patterns import PatternError, check_pattern, literal
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.tomlcheck import Invalid, strings

_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?\w*(?:Error|Exception|Warning): (?P<message>.+?)\.?\s*$")
_NAMED = re.compile(r"\bSIG[A-Z]{2,}\b|[\w.-]+\.(?:dll|dylib|so(?:\.\d+)*)\b")
MATCH_FIELDS = ("patterns", "context")


def error_patterns(breakage: Breakage) -> tuple[str, ...]:
    """The literal texts of an entry without `patterns`."""
    patterns = [breakage.confirm.expect] if breakage.confirm is not None else []
    for line in breakage.symptom.splitlines():
        exception = _EXCEPTION_LINE.match(line)
        if exception:
            patterns.append(exception.group("message"))
    patterns += _NAMED.findall(breakage.symptom)
    return tuple(dict.fromkeys(p for p in patterns if p))


def match_patterns(breakage: Breakage) -> tuple[str, ...]:
    """The patterns text is searched with for this entry."""
    return breakage.patterns or tuple(literal(text) for text in error_patterns(breakage))


def match_fields(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """`patterns` and `context` of an entry file, each a list of patterns RE2 compiles."""
    fields = {}
    for name in MATCH_FIELDS:
        patterns = strings(data.get(name, []), name)
        for i, pattern in enumerate(patterns):
            try:
                check_pattern(pattern)
            except PatternError as error:
                raise Invalid("{}[{}]: {}".format(name, i, error)) from None
        fields[name] = patterns
    return fields
