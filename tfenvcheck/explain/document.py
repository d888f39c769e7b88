"""An explanation as one JSON document (`explain --json`, `run --diagnosis FILE`)."""

from __future__ import annotations

from typing import Any

from tfenvcheck import documents
from tfenvcheck.explain.ranking import Explained, Explanation
from tfenvcheck.explain.scan import QuotedLine
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.fix_text import fix_hint, is_automatic


def _line(line: QuotedLine) -> dict[str, Any]:
    return {"number": line.number, "text": line.text}


def fix_of(match: Explained, facts: Facts | None = None) -> dict[str, Any]:
    """The fix command where `tfenvcheck fix` carries it out, the hint (pins filled from `facts`), the actions."""
    breakage = match.breakage
    return {
        "command": "tfenvcheck fix {}".format(breakage.id) if is_automatic(breakage) else None,
        "hint": fix_hint(breakage, facts),
        "actions": [action.describe() for action in breakage.fix],
    }


def explanation_document(explanation: Explanation, **extra: Any) -> dict[str, Any]:
    """`matches` best first (`diagnosis` numbers the shared message each belongs to), `harmless`."""
    matches = [
        {
            "id": match.breakage.id,
            "title": match.breakage.title,
            "score": match.score,
            "lines": [_line(line) for line in match.lines],
            "context": [_line(line) for line in match.context],
            "applies_to_target": match.applies,
            "seen": list(match.seen),
            "fix": fix_of(match, explanation.facts),
            "sources": list(match.breakage.sources),
            "diagnosis": number,
        }
        for number, diagnosis in enumerate(explanation.diagnoses, start=1)
        for match in diagnosis.alternatives
    ]
    harmless = [
        {
            "line": note.line.text,
            "number": note.line.number,
            "count": note.count,
            "why": note.rule.why,
            "unless": None if note.judged else note.rule.unless,
        }
        for note in explanation.harmless
    ]
    return documents.envelope(
        documents.EXPLAIN,
        target=explanation.target,
        lines_read=explanation.lines_read,
        **extra,
        matches=matches,
        harmless=harmless,
    )
