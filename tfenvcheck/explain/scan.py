"""One pass over a text's lines for every pattern: which entries' symptoms and contexts it shows,
and which harmless lines.

Only what is quoted is kept (a few lines per entry, the first line of each harmless kind), so a
text of any size is scanned in constant memory. A line that an unconditional harmless pattern
recognises is never taken as a symptom.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tfenvcheck.explain.harmless import HarmlessLine
from tfenvcheck.explain.patterns import PatternSet
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.symptoms import match_patterns

# Lines quoted for one entry; a later line is kept beyond these only when it shows another pattern.
MAX_QUOTED_LINES = 5

SYMPTOM, CONTEXT, HARMLESS = "symptom", "context", "harmless"


@dataclass(frozen=True)
class QuotedLine:
    number: int  # 1-based
    text: str
    patterns: tuple[int, ...] = ()  # which of the entry's patterns it shows
    harmless: int | None = None  # the conditional harmless line it also is (index), if any


@dataclass
class SymptomSeen:
    lines: list[QuotedLine] = field(default_factory=list)
    count: int = 0  # lines that showed it, quoted or not

    @property
    def patterns(self) -> set[int]:
        return {i for line in self.lines for i in line.patterns}

    def add(self, line: QuotedLine) -> None:
        self.count += 1
        if len(self.lines) < MAX_QUOTED_LINES or not set(line.patterns) <= self.patterns:
            self.lines.append(line)


@dataclass
class HarmlessSeen:
    rule: HarmlessLine
    first: QuotedLine
    count: int = 1


@dataclass
class Scan:
    lines_read: int = 0
    symptoms: dict[str, SymptomSeen] = field(default_factory=dict)  # by entry id
    context: dict[str, dict[int, QuotedLine]] = field(default_factory=dict)  # entry id -> pattern index -> first line
    harmless: dict[int, HarmlessSeen] = field(default_factory=dict)  # by index in the harmless lines


def pattern_set(breakages: Sequence[Breakage], harmless: Sequence[HarmlessLine] = ()) -> PatternSet:
    keyed: list[tuple[str, tuple[str, str, int]]] = []
    for breakage in breakages:
        keyed += [(p, (SYMPTOM, breakage.id, i)) for i, p in enumerate(match_patterns(breakage))]
        keyed += [(p, (CONTEXT, breakage.id, i)) for i, p in enumerate(breakage.context)]
    keyed += [(rule.pattern, (HARMLESS, "", i)) for i, rule in enumerate(harmless)]
    return PatternSet(keyed)


def scan_text(lines: Iterable[str], breakages: Sequence[Breakage], harmless: Sequence[HarmlessLine] = ()) -> Scan:
    patterns = pattern_set(breakages, harmless)
    scan = Scan()
    for number, text in enumerate(lines, start=1):
        scan.lines_read = number
        keys = patterns.keys_in(text)
        if keys:
            _record(scan, number, text, keys, harmless)
    return scan


def _record(
    scan: Scan, number: int, text: str, keys: list[tuple[str, str, int]], harmless: Sequence[HarmlessLine]
) -> None:
    text = text.rstrip()
    harmless_hits = sorted(i for kind, _, i in keys if kind == HARMLESS)
    for i in harmless_hits:
        if i in scan.harmless:
            scan.harmless[i].count += 1
        else:
            scan.harmless[i] = HarmlessSeen(harmless[i], QuotedLine(number, text))
    if any(harmless[i].unless is None for i in harmless_hits):
        return  # harmless wherever it is seen: no symptom
    conditional = harmless_hits[0] if harmless_hits else None
    by_entry: dict[str, list[int]] = {}
    for kind, entry, i in keys:
        if kind == SYMPTOM:
            by_entry.setdefault(entry, []).append(i)
        elif kind == CONTEXT:
            scan.context.setdefault(entry, {}).setdefault(i, QuotedLine(number, text))
    for entry, indices in by_entry.items():
        seen = scan.symptoms.setdefault(entry, SymptomSeen())
        seen.add(QuotedLine(number, text, tuple(sorted(indices)), conditional))


def seen_in(text: str, breakages: Sequence[Breakage], first: Sequence[str] = ()) -> list[Breakage]:
    """The breakages whose error shows in `text` (an import error's summary), those with ids in `first`
    (the ones whose conditions hold) ahead of the others, then those that show more of their patterns."""
    found = scan_text(text.splitlines(), breakages)
    seen = [b for b in breakages if b.id in found.symptoms]
    return sorted(seen, key=lambda b: (b.id not in first, -len(found.symptoms[b.id].patterns)))
