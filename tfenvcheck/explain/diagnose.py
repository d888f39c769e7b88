"""Explaining lines of text in one call: scan, gather the facts the matches need, rank."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tfenvcheck.explain.harmless import shipped_harmless_lines
from tfenvcheck.explain.ranking import Explanation, entries_to_judge, explain_scan
from tfenvcheck.explain.scan import scan_text
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.entry import Breakage

FactsFor = Callable[[Sequence[Breakage]], "Facts | None"]


def explain_lines(
    lines: Iterable[str], breakages: Sequence[Breakage], facts_for: FactsFor | None = None
) -> Explanation:
    """The diagnoses of `lines`; `facts_for(entries)` gives the target's facts to judge them by (it is
    asked once the text is read, with the entries to judge, so it probes only what they need)."""
    scan = scan_text(lines, breakages, shipped_harmless_lines())
    facts = None
    if facts_for is not None and (scan.symptoms or scan.harmless):
        facts = facts_for(entries_to_judge(scan, breakages))
    return explain_scan(scan, breakages, facts)
