"""Which known-breakage pins a freshly installed environment still needs, by the registry's word.

The new environment is probed (no TensorFlow import: the conditions that carry pins are about
installed versions), every breakage that applies and has a `pin` fix gives its requirements; one
reported only when confirmed is confirmed in the environment first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.checks.target_environment import tensorflow_version
from tfenvcheck.facts import gather_facts
from tfenvcheck.registry.conditions import applicable
from tfenvcheck.registry.confirm import CONFIRMED, confirm_breakage
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.target import Target


@dataclass(frozen=True)
class NeededPin:
    breakage: Breakage
    seen: tuple[str, ...]  # what made it apply
    requirements: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"breakage": self.breakage.id, "title": self.breakage.title, "seen": list(self.seen),
                "requirements": list(self.requirements)}


def pin_requirements(breakage: Breakage, placeholders: dict[str, str]) -> tuple[str, ...] | None:
    """The breakage's pins with placeholders filled in; None when a placeholder cannot be (no TensorFlow)."""
    try:
        return tuple(requirement.format(**placeholders)
                     for action in breakage.fix if action.kind == "pin" for requirement in action.requirements)
    except KeyError:
        return None


def needed_pins(python: Path, breakages: list[Breakage]) -> list[NeededPin]:
    facts = gather_facts(Target(str(python), "the new environment"), with_tensorflow=False)
    version = tensorflow_version(facts)
    placeholders = {"tensorflow_minor": "{}.{}".format(version.major, version.minor)} if version else {}
    needed = []
    for breakage, seen in applicable(breakages, facts):
        requirements = pin_requirements(breakage, placeholders)
        if not requirements:
            continue
        if breakage.report == "when-confirmed" and (
                breakage.confirm is None or confirm_breakage(str(python), breakage).outcome != CONFIRMED):
            continue
        needed.append(NeededPin(breakage, tuple(seen), requirements))
    return needed


def with_pins(requirements: tuple[Requirement, ...], pins: list[NeededPin]) -> list[str]:
    """The profile's requirements with each pinned package's line replaced by the pins: one resolution
    keeps both the profile's choices and the fixes."""
    pinned = [requirement for pin in pins for requirement in pin.requirements]
    names = {canonicalize_name(Requirement(requirement).name) for requirement in pinned}
    kept = [str(r) for r in requirements if canonicalize_name(r.name) not in names]
    return kept + pinned
