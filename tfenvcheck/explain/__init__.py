"""`explain`: which known breakages a text (a traceback, a console, a pip log) shows, best first.

reading: the text as lines, streamed, each cut to a length; patterns: the one RE2 engine; harmless:
the lines known to be harmless (harmless.toml); scan: one pass over the lines for every pattern;
ranking: the scan turned into diagnoses, judged against the target's facts when there is one;
document: the JSON document.
"""

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
