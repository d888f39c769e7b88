"""Which known-breakage pins a freshly installed environment still needs, by the registry's word.

The new environment is probed (no TensorFlow import: the conditions that carry pins are about
installed versions), every breakage that applies and has a `pin` fix gives its requirements, with
placeholders filled as `tfenvcheck fix` fills them; one reported only when confirmed is confirmed
in the environment first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.fix_text import pin_requirement
from tfenvcheck.registry.match import CONFIRM_REQUIRED, match
from tfenvcheck.target import Target


@dataclass(frozen=True)
class NeededPin:
    """One pin action of a breakage that applies, its placeholders filled in."""

    breakage: Breakage
    seen: tuple[str, ...]  # what made it apply
    requirements: tuple[str, ...]
    no_deps: bool = False  # installed on their own, without dependencies, as the registry says

    def to_dict(self) -> dict[str, object]:
        return {
            "breakage": self.breakage.id,
            "title": self.breakage.title,
            "seen": list(self.seen),
            "requirements": list(self.requirements),
            "no_deps": self.no_deps,
        }


def needed_pins(python: Path, breakages: list[Breakage]) -> list[NeededPin]:
    facts = gather_facts(Target(str(python), "the new environment"), with_tensorflow=False)
    pinning = [b for b in breakages if any(action.kind == "pin" for action in b.fix)]
    needed = []
    for found in match(pinning, facts, confirm_in=str(python), confirming=CONFIRM_REQUIRED):
        if not found.reportable:
            continue
        needed += [
            NeededPin(
                found.breakage,
                found.reasons,
                tuple(pin_requirement(r, facts) for r in action.requirements),
                action.no_deps,
            )
            for action in found.breakage.fix
            if action.kind == "pin"
        ]
    return needed


def with_pins(requirements: tuple[Requirement, ...], pins: list[NeededPin]) -> list[str]:
    """The profile's requirements with each pinned package's line replaced by the pins (those resolved
    with their dependencies): one resolution keeps both the profile's choices and the fixes."""
    pinned = [requirement for pin in pins if not pin.no_deps for requirement in pin.requirements]
    names = {canonicalize_name(Requirement(requirement).name) for requirement in pinned}
    kept = [str(r) for r in requirements if canonicalize_name(r.name) not in names]
    return kept + pinned
