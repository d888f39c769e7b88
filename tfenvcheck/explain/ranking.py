"""A scan turned into diagnoses, best first, each judged against the target's facts when there is one.

Entries that matched a same line share a message (no AVX and TensorFlow 2.4.0's AVX2 build both end
in SIGILL): they form one diagnosis whose alternatives are ranked. A match scores 10 for each of its
patterns the text shows and 3 for each context pattern (a Command Line Tools path, `tensorflow_core`);
with a target, one whose conditions hold for it (the registry's own matcher says) scores 100 more,
so "applies to your interpreter" ranks above "the text matches, but your interpreter does not have
these conditions". Nothing is reported that the text does not show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tfenvcheck.explain.harmless import HarmlessLine
from tfenvcheck.explain.scan import QuotedLine, Scan
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.conditions import JUDGES
from tfenvcheck.registry.entry import Breakage, Conditions
from tfenvcheck.registry.match import match

PATTERN_SCORE = 10
CONTEXT_SCORE = 3
APPLIES_SCORE = 100


@dataclass(frozen=True)
class Explained:
    """One entry the text shows."""

    breakage: Breakage
    score: int
    lines: tuple[QuotedLine, ...]  # the lines that show its symptom
    context: tuple[QuotedLine, ...]  # the first line of each of its context patterns seen
    applies: bool | None  # its conditions hold for the target; None without a target
    seen: tuple[str, ...] = ()  # in the facts: why it applies, or which of its conditions do not hold


@dataclass(frozen=True)
class Diagnosis:
    alternatives: tuple[Explained, ...]  # best first; more than one when entries share a message

    @property
    def best(self) -> Explained:
        return self.alternatives[0]


@dataclass(frozen=True)
class HarmlessNote:
    rule: HarmlessLine
    line: QuotedLine  # the first line it was seen in
    count: int
    judged: bool  # a conditional line, decided by the target's facts


@dataclass(frozen=True)
class Explanation:
    diagnoses: tuple[Diagnosis, ...]
    harmless: tuple[HarmlessNote, ...]
    lines_read: int
    target: str | None = None  # the interpreter judged, when there was one
    facts: Facts | None = field(default=None, compare=False, repr=False)  # its facts (pins' placeholders)

    @property
    def matches(self) -> list[Explained]:
        return [m for d in self.diagnoses for m in d.alternatives]


def unmet_conditions(conditions: Conditions, facts: Facts) -> list[str]:
    """What the facts show for each condition that does not hold (the judges of registry.conditions,
    whose words name what holds: "CPU without AVX" turns into "CPU has AVX" when it does not)."""
    unmet = []
    for judge in JUDGES:
        for holds, seen in judge(conditions, facts):
            if not holds:
                unmet.append(_negated(seen, conditions))
    return unmet


def _negated(seen: str, conditions: Conditions) -> str:
    if seen == "CPU without ":
        return "CPU has " + ", ".join(flag.upper() for flag in conditions.cpu_flags_missing)
    if seen == " not installed":
        return ", ".join(conditions.missing) + " installed"
    if seen == " not set":
        return ", ".join(conditions.env_unset) + " set"
    return seen


def entries_to_judge(scan: Scan, breakages: Sequence[Breakage]) -> list[Breakage]:
    """The entries the text shows and those its conditional harmless lines name."""
    wanted = set(scan.symptoms) | {seen.rule.unless for seen in scan.harmless.values() if seen.rule.unless}
    return [b for b in breakages if b.id in wanted]


def explain_scan(scan: Scan, breakages: Sequence[Breakage], facts: Facts | None = None) -> Explanation:
    judged = entries_to_judge(scan, breakages)
    applying = {m.breakage.id: m.reasons for m in match(judged, facts)} if facts is not None else {}
    harmless, harmless_here = _harmless_notes(scan, facts, applying)
    order = {b.id: i for i, b in enumerate(breakages)}
    explained = []
    for breakage in breakages:
        seen = scan.symptoms.get(breakage.id)
        lines = tuple(line for line in seen.lines if line.harmless not in harmless_here) if seen else ()
        if lines:
            explained.append(_explained(breakage, lines, scan, facts, applying))
    groups = _shared_messages(explained)
    diagnoses = [Diagnosis(tuple(sorted(group, key=lambda m: (-m.score, order[m.breakage.id])))) for group in groups]
    diagnoses.sort(key=lambda d: (-d.best.score, d.best.lines[0].number))
    target = facts.target.executable if facts is not None else None
    return Explanation(tuple(diagnoses), harmless, scan.lines_read, target, facts)


def _harmless_notes(
    scan: Scan, facts: Facts | None, applying: dict[str, tuple[str, ...]]
) -> tuple[tuple[HarmlessNote, ...], set[int]]:
    """The harmless lines to show, and the conditional ones the facts decided are harmless here."""
    notes, harmless_here = [], set()
    for index, seen in sorted(scan.harmless.items(), key=lambda item: item[1].first.number):
        unless = seen.rule.unless
        if unless is not None and facts is not None:
            if unless in applying:
                continue  # not harmless on this machine: its entry applies
            harmless_here.add(index)
        notes.append(HarmlessNote(seen.rule, seen.first, seen.count, judged=unless is not None and facts is not None))
    return tuple(notes), harmless_here


def _explained(
    breakage: Breakage,
    lines: tuple[QuotedLine, ...],
    scan: Scan,
    facts: Facts | None,
    applying: dict[str, tuple[str, ...]],
) -> Explained:
    context_lines = {line.number: line for line in scan.context.get(breakage.id, {}).values()}
    context = tuple(line for _, line in sorted(context_lines.items()))
    patterns = {i for line in lines for i in line.patterns}
    score = PATTERN_SCORE * len(patterns) + CONTEXT_SCORE * len(scan.context.get(breakage.id, {}))
    if facts is None:
        return Explained(breakage, score, lines, context, None)
    if breakage.id in applying:
        return Explained(breakage, score + APPLIES_SCORE, lines, context, True, applying[breakage.id])
    return Explained(breakage, score, lines, context, False, tuple(unmet_conditions(breakage.when, facts)))


def _shared_messages(explained: list[Explained]) -> list[list[Explained]]:
    """The matches grouped so that two that quote a same line are in one group."""
    groups: list[tuple[set[int], list[Explained]]] = []
    for one in explained:
        numbers = {line.number for line in one.lines}
        joined = [g for g in groups if g[0] & numbers]
        merged: tuple[set[int], list[Explained]] = (set(numbers), [one])
        for group in joined:
            merged[0].update(group[0])
            merged[1].extend(group[1])
            groups.remove(group)
        groups.append(merged)
    return [members for _, members in groups]
