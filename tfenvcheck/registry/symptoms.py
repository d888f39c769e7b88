"""How a breakage's error looks in text (an import error, a traceback), read from its entry.

The patterns of an entry: its confirmation's `expect`, the message of each exception line of its
`symptom` ("TypeError: <message>"), and the names in the symptom that identify a failure on their
own: a signal (a crash by SIGILL shows no exception) and a shared library (a loader error names it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tfenvcheck.registry.entry import Breakage

_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?\w*(?:Error|Exception|Warning): (?P<message>.+?)\.?\s*$")
_NAMED = re.compile(r"\bSIG[A-Z]{2,}\b|[\w.-]+\.(?:dll|dylib|so(?:\.\d+)*)\b")


def error_patterns(breakage: Breakage) -> tuple[str, ...]:
    patterns = [breakage.confirm.expect] if breakage.confirm is not None else []
    for line in breakage.symptom.splitlines():
        exception = _EXCEPTION_LINE.match(line)
        if exception:
            patterns.append(exception.group("message"))
    patterns += _NAMED.findall(breakage.symptom)
    return tuple(dict.fromkeys(p for p in patterns if p))


def seen_in(text: str, breakages: Sequence[Breakage], first: Sequence[str] = ()) -> list[Breakage]:
    """The breakages whose error shows in `text` (case-insensitive), those with ids in `first` (the ones
    whose conditions hold) ahead of the others."""
    lowered = text.lower()
    seen = [b for b in breakages if any(p.lower() in lowered for p in error_patterns(b))]
    return sorted(seen, key=lambda b: b.id not in first)
