"""The one engine that searches text for the registry's patterns: RE2, line by line.

Patterns are data from anywhere (`--registry DIR`), so they run through RE2, whose time is linear in
the line's length whatever the pattern (no backtracking: `(a+)+$` costs what `a+$` costs), and each
line is cut at `MAX_LINE_CHARS` before it is searched. RE2 refuses what it cannot run in linear time
(backreferences, lookaround): such a pattern is refused when its file is read. All the patterns of
one scan are compiled into one RE2 set, so a line is searched once for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

import re2

# A line longer than this is searched in its first MAX_LINE_CHARS characters only (a minified
# JSON blob or a progress bar redrawn without newlines can be megabytes long).
MAX_LINE_CHARS = 4096
# RE2's memory budget for one compiled pattern or set: ample for the registry, refuses a pattern
# built to exhaust memory ("(x{1000}){1000}").
MAX_PATTERN_MEMORY = 64 << 20

Key = TypeVar("Key")


class PatternError(ValueError):
    """A pattern RE2 cannot compile, with RE2's reason."""


def _options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own error on stderr; ours is one line
    options.max_mem = MAX_PATTERN_MEMORY
    return options


def check_pattern(pattern: str) -> None:
    """Raise PatternError unless RE2 compiles `pattern`."""
    try:
        re2.compile(pattern, _options())
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError("not a pattern RE2 runs ({}): {!r}".format(reason, pattern)) from None


def literal(text: str) -> str:
    """A pattern that finds `text` as it is, in any case."""
    return "(?i)" + re2.escape(text)


class PatternSet(Generic[Key]):
    """Patterns, each with a key; `keys_in(line)` says which of them the line shows."""

    def __init__(self, patterns: Sequence[tuple[str, Key]]) -> None:
        self._keys = [key for _, key in patterns]
        self._set = re2.Set.SearchSet(_options())
        for pattern, _ in patterns:
            try:
                self._set.Add(pattern)
            except re2.error:
                check_pattern(pattern)  # raises with RE2's reason
                raise
        self._empty = not patterns
        if not self._empty:
            self._set.Compile()

    def keys_in(self, line: str) -> list[Key]:
        if self._empty:
            return []
        found = self._set.Match(line[:MAX_LINE_CHARS])  # None when no pattern matches
        return [self._keys[i] for i in found] if found else []
