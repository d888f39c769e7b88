"""The one matching API of the registry: which breakages apply to a target's facts, with what was
seen, and (where asked) whether their snippets reproduce them in the target.

`check`, `fix` (planning and verification), `create-env` and `fixes --applicable` all ask this
module; matching is a pure function of the facts, confirmation the one step that runs the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.conditions import matching_reasons
from tfenvcheck.registry.confirm import CONFIRMED, ConfirmationResult, confirm_all
from tfenvcheck.registry.entry import Breakage

# Which matches `confirm_in` confirms: every one with a snippet (`check --confirm`), or only those
# the registry reports when confirmed (what `fix` and `create-env` need to decide, and no more).
CONFIRM_ALL = "all"
CONFIRM_REQUIRED = "required"


@dataclass(frozen=True)
class Match:
    """A breakage whose conditions all hold for the target."""

    breakage: Breakage
    reasons: tuple[str, ...]  # what was seen that makes each condition hold
    confirmation: ConfirmationResult | None = None  # when its snippet ran in the target

    @property
    def confirmed(self) -> bool:
        return self.confirmation is not None and self.confirmation.outcome == CONFIRMED

    @property
    def reportable(self) -> bool:
        """Whether check reports it: not an explain-only entry, nor one reported only when confirmed
        that was not confirmed."""
        report = self.breakage.report
        return report == "likely" or (report == "when-confirmed" and self.confirmed)


def match(
    breakages: Sequence[Breakage], facts: Facts, confirm_in: str | None = None, confirming: str = CONFIRM_ALL
) -> list[Match]:
    """The breakages that apply, in registry order; with `confirm_in` (the target's python) the snippets
    of the matches (all, or only those `CONFIRM_REQUIRED`) run there too."""
    matches = []
    for breakage in breakages:
        reasons = matching_reasons(breakage.when, facts)
        if reasons is not None:
            matches.append(Match(breakage, tuple(reasons)))
    return confirm_matches(matches, confirm_in, confirming) if confirm_in else matches


def confirm_matches(matches: list[Match], python: str, confirming: str = CONFIRM_ALL) -> list[Match]:
    """The matches with the confirmation of those that have a snippet (and need one, `CONFIRM_REQUIRED`)."""
    wanted = [
        m.breakage
        for m in matches
        if m.breakage.report != "explain-only" and (confirming == CONFIRM_ALL or m.breakage.report == "when-confirmed")
    ]
    results = confirm_all(python, wanted) if wanted else {}
    return [replace(m, confirmation=results.get(m.breakage.id)) for m in matches]


def applicable(breakages: Sequence[Breakage], facts: Facts) -> list[tuple[Breakage, list[str]]]:
    """`fixes --applicable`: the breakages whose conditions hold, each with what was seen (explain-only
    ones are about a file, not the environment)."""
    return [(m.breakage, list(m.reasons)) for m in match(breakages, facts) if m.breakage.report != "explain-only"]
