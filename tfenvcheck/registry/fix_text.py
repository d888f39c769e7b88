"""How a breakage's fix reads to the user, written from its entry's actions (never by hand elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.entry import Action, Breakage
from tfenvcheck.versions import tensorflow_minor


def pin_requirement(requirement: str, facts: Facts) -> str:
    """Fill a pin's placeholders from the target ("tf-keras~={tensorflow_minor}.0" -> "tf-keras~=2.16.0")."""
    return requirement.format(tensorflow_minor=tensorflow_minor(facts) or "0.0")


def is_automatic(breakage: Breakage) -> bool:
    """`tfenvcheck fix` can carry out something of it (anything beyond advice)."""
    return any(action.kind != "advise" for action in breakage.fix)


def _is_exact(requirement: str) -> bool:
    try:
        specifier = list(Requirement(requirement).specifier)
    except InvalidRequirement:  # a placeholder left unfilled without facts: "tf-keras~={tensorflow_minor}.0"
        return False
    return bool(specifier) and all(one.operator == "==" for one in specifier)


def _phrase(action: Action, facts: Facts | None) -> str:
    if action.kind == "pin":
        requirements = [pin_requirement(r, facts) if facts else r for r in action.requirements]
        exact = all(_is_exact(r) for r in requirements)
        return ("pins " if exact else "installs ") + ", ".join(requirements)
    if action.kind == "env":
        return "sets {}={} for this interpreter".format(action.name, action.value)
    if action.kind == "preload":
        return "loads site-packages' {} by path at every start of this interpreter".format(", ".join(action.libraries))
    if action.kind == "patch":
        return "patches {}{}".format(action.module, ": " + action.text if action.text else "")
    return action.text or action.describe()


def fix_hint(breakage: Breakage, facts: Facts | None = None) -> str:
    """'`tfenvcheck fix numpy2-abi` installs numpy<2', or the entry's advice; pins are filled from `facts`."""
    automatic = [_phrase(a, facts) for a in breakage.fix if a.kind != "advise"]
    advice = [_phrase(a, facts) for a in breakage.fix if a.kind == "advise"]
    parts = ["`tfenvcheck fix {}` {}".format(breakage.id, " and ".join(automatic))] if automatic else []
    return "; ".join(parts + advice)


def fix_summaries(breakages: Sequence[Breakage], ids: set[str]) -> dict[str, dict[str, Any]]:
    """What a report shows of the fixes its findings name (`ids`), so that it renders without the registry."""
    return {
        b.id: {"title": b.title, "automatic": is_automatic(b), "actions": [a.describe() for a in b.fix]}
        for b in breakages
        if b.id in ids
    }
