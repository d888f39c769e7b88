"""Plan the fixes for a target: which breakages apply, and the actions that fix them, each checked
beforehand (already done? possible at all?) so that nothing is changed when something cannot be.

Pins of all the breakages are merged into one `pip install`, so pip resolves them together; they
run first (the only step that needs the network), then patches, then environment settings.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.checks.finding import FAIL
from tfenvcheck.checks.packages import PIN_FIX, check_requirement
from tfenvcheck.errors import UsageError
from tfenvcheck.facts.model import Facts
from tfenvcheck.fixer.confine import outside_problem, target_roots
from tfenvcheck.fixer.envvar import preview_env
from tfenvcheck.fixer.journal import target_key
from tfenvcheck.fixer.patch import preview_patch, sha256_of
from tfenvcheck.fixer.pin import pip_problem
from tfenvcheck.fixer.preload import preview_preload
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.conditions import module_file
from tfenvcheck.registry.entry import Action, Breakage, Conditions
from tfenvcheck.registry.fix_text import pin_requirement
from tfenvcheck.registry.match import CONFIRM_REQUIRED, match

KIND_ORDER = ("pin", "patch", "env", "preload", "advise")
# The fix id of the package findings of `check`: install a profile's pins (not a registry entry).
PROFILE_PINS_ID = PIN_FIX


@dataclass
class PlannedAction:
    kind: str
    breakage_ids: list[str]
    description: str
    details: dict[str, Any] = field(default_factory=dict)  # what the journal records about it
    already_done: bool = False
    problem: str | None = None  # why it cannot be applied; the whole plan is refused then
    diff: str = ""  # patch: the unified diff
    content: bytes | None = None  # patch, env and preload: the bytes to write

    def to_journal(self, index: int) -> dict[str, Any]:
        return dict(
            self.details,
            index=index,
            kind=self.kind,
            breakage_ids=self.breakage_ids,
            description=self.description,
            status="already-done" if self.already_done else "planned",
            error=None,
        )


@dataclass
class Plan:
    python: str
    facts: Facts
    breakages: list[tuple[Breakage, list[str]]]
    actions: list[PlannedAction]
    not_applicable: list[str] = field(default_factory=list)  # requested ids that do not apply here
    profile: Profile | None = None  # whose pins are installed too (PROFILE_PINS_ID)

    @property
    def prefix(self) -> str:
        return self.facts.interpreter.prefix

    @property
    def roots(self) -> dict[str, list[str]]:
        """The folders each action kind may write under (fixer/confine.py)."""
        return target_roots(self.facts.interpreter)

    @property
    def target(self) -> dict[str, Any]:
        return {"executable": self.python, "prefix": self.prefix, "key": target_key(self.prefix), "roots": self.roots}

    @property
    def to_apply(self) -> list[PlannedAction]:
        return [a for a in self.actions if a.kind != "advise" and not a.already_done]

    @property
    def problems(self) -> list[str]:
        return [a.problem for a in self.actions if a.problem]

    @property
    def advice_only(self) -> list[str]:
        """Breakages none of whose actions changes anything."""
        automatic = {i for a in self.actions if a.kind != "advise" for i in a.breakage_ids}
        return [b.id for b, _ in self.breakages if b.id not in automatic]

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "breakages": [{"id": b.id, "title": b.title, "seen": reasons} for b, reasons in self.breakages],
            "not_applicable": self.not_applicable,
            "actions": [
                dict(a.to_journal(i), diff=a.diff or None, problem=a.problem) for i, a in enumerate(self.actions)
            ],
        }


def found_breakages(
    facts: Facts, breakages: list[Breakage], ids: Collection[str] = (), python: str | None = None
) -> tuple[list[tuple[Breakage, list[str]]], list[str]]:
    """The breakages that apply (only `ids`, when given) and the requested ids that do not. Entries
    reported only when confirmed are confirmed in `python` first (left out without it)."""
    known = {b.id for b in breakages} | {PROFILE_PINS_ID}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UsageError("unknown fix id {!r} (`tfenvcheck fixes` lists them)".format(unknown[0]))
    asked = [b for b in breakages if not ids or b.id in ids]
    found = match(asked, facts, confirm_in=python, confirming=CONFIRM_REQUIRED)
    matches = [(m.breakage, list(m.reasons)) for m in found if m.reportable]
    matched = {b.id for b, _ in matches}
    return matches, [i for i in ids if i not in matched]


def plan_fixes(
    facts: Facts,
    breakages: list[Breakage],
    ids: Collection[str] = (),
    python: str | None = None,
    profile: Profile | None = None,
) -> Plan:
    """The plan for the target these facts describe (`python` runs its pip check and confirmations;
    default: the facts' target). With `profile`, its pinned packages that are missing or at another
    version are installed too (as the fix `pin-profile-packages`)."""
    python = python or facts.target.executable
    matches, not_applicable = found_breakages(facts, breakages, ids, python)
    pins_wanted = not ids or PROFILE_PINS_ID in ids
    outside = profile_pins(facts, profile) if profile is not None and pins_wanted else []
    if profile is not None and outside:
        matches.append((profile_breakage(profile, [r for r, _ in outside]), [seen for _, seen in outside]))
        not_applicable = [i for i in not_applicable if i != PROFILE_PINS_ID]
    actions: list[PlannedAction] = []
    pins: dict[bool, dict[str, list[str]]] = {False: {}, True: {}}  # no_deps -> requirement -> breakage ids
    for breakage, _ in matches:
        for action in breakage.fix:
            if action.kind == "pin":
                for requirement in action.requirements:
                    pins[action.no_deps].setdefault(pin_requirement(requirement, facts), []).append(breakage.id)
            else:
                actions.append(plan_action(action, [breakage.id], facts))
    for no_deps, requirements in pins.items():
        if requirements:
            actions.append(plan_pin(requirements, facts, python, no_deps))
    actions.sort(key=lambda a: KIND_ORDER.index(a.kind))
    return Plan(python, facts, matches, actions, not_applicable, profile)


def profile_pins(facts: Facts, profile: Profile) -> list[tuple[str, str]]:
    """The profile's requirements that `check` fails here (missing, or at another version), as
    (requirement without its marker, what check said)."""
    outside = []
    for requirement in profile.requires:
        finding = check_requirement(facts, profile, requirement)
        if finding.status == FAIL and finding.fix_id == PIN_FIX:
            extras = "[{}]".format(",".join(sorted(requirement.extras))) if requirement.extras else ""
            outside.append(("{}{}{}".format(requirement.name, extras, requirement.specifier), finding.title))
    return outside


def profile_breakage(profile: Profile, requirements: list[str]) -> Breakage:
    return Breakage(
        id=PROFILE_PINS_ID,
        title="packages outside the pins of profile {}".format(profile.name),
        symptom="",
        sources=(),
        severity="fail",
        when=Conditions(),
        fix=(Action("pin", requirements=tuple(requirements)),),
    )


def satisfied(requirement: str, facts: Facts) -> bool:
    parsed = Requirement(requirement)
    version = facts.packages.get(canonicalize_name(parsed.name))
    return version is not None and parsed.specifier.contains(version, prereleases=True)


def plan_pin(requirements: dict[str, list[str]], facts: Facts, python: str, no_deps: bool = False) -> PlannedAction:
    needed = [r for r in requirements if not satisfied(r, facts)]
    breakage_ids = sorted({i for ids in requirements.values() for i in ids})
    options = ["--no-deps"] if no_deps else []
    command = [python, "-m", "pip", "install", *options, *needed]
    description = "pip install " + " ".join(options + ['"{}"'.format(r) for r in needed or requirements])
    planned = PlannedAction(
        "pin",
        breakage_ids,
        description,
        details={
            "requirements": needed,
            "options": options,
            "command": command,
            "freeze_before": None,
            "freeze_after": None,
        },
        already_done=not needed,
    )
    if needed:
        site = facts.interpreter.paths.purelib
        planned.problem = pip_problem(python)
        if planned.problem is None and site and os.path.isdir(site) and not os.access(site, os.W_OK | os.X_OK):
            planned.problem = (
                "{} is not writable by you: pip cannot install there. Use a venv you own, or run "
                "tfenvcheck fix with the rights to change it".format(site)
            )
    return planned


def plan_action(action: Action, breakage_ids: list[str], facts: Facts) -> PlannedAction:
    if action.kind == "patch":
        return plan_patch(action, breakage_ids, facts)
    if action.kind == "env":
        return plan_env(action, breakage_ids, facts)
    if action.kind == "preload":
        return plan_preload(action, breakage_ids, facts)
    return PlannedAction("advise", breakage_ids, action.text or "", details={"text": action.text})


def plan_patch(action: Action, breakage_ids: list[str], facts: Facts) -> PlannedAction:
    # The loader refuses a patch action without its module, find and replace.
    assert action.module is not None and action.find is not None and action.replace is not None
    path = module_file(facts, action.module)
    if path is None:
        return PlannedAction(
            "patch",
            breakage_ids,
            "patch module {}".format(action.module),
            details={"module": action.module},
            problem="module {} was not found in the target".format(action.module),
        )
    outside = outside_problem(path, target_roots(facts.interpreter)["patch"])
    if outside is not None:
        return PlannedAction(
            "patch",
            breakage_ids,
            "patch {}".format(path),
            details={"module": action.module, "path": str(path)},
            problem=outside,
        )
    preview = preview_patch(Path(path), action.find, action.replace)
    return PlannedAction(
        "patch",
        breakage_ids,
        action.text or "patch {}".format(path),
        details={
            "module": action.module,
            "path": str(path),
            "find": action.find,
            "replace": action.replace,
            "sha256_before": sha256_of(preview.original),
            "sha256_after": sha256_of(preview.patched) if preview.patched else sha256_of(preview.original),
            "backup": None,
            "temp": None,
        },
        already_done=preview.already_patched,
        problem=preview.problem,
        diff=preview.diff,
        content=preview.patched,
    )


def plan_env(action: Action, breakage_ids: list[str], facts: Facts) -> PlannedAction:
    assert action.name is not None and action.value is not None  # the loader refuses an env action without them
    site = facts.interpreter.paths.purelib
    preview = preview_env(site, action.name, action.value, breakage_ids)
    outside = outside_problem(preview.path, target_roots(facts.interpreter)["env"]) if site else None
    return PlannedAction(
        "env",
        breakage_ids,
        "set {}={} for every run of the target".format(action.name, action.value),
        details={
            "name": action.name,
            "value": action.value,
            "path": str(preview.path),
            "sha256_before": None,
            "sha256_after": sha256_of(preview.content),
        },
        already_done=preview.already_set and outside is None,
        problem=outside or preview.problem,
        content=preview.content,
    )


def plan_preload(action: Action, breakage_ids: list[str], facts: Facts) -> PlannedAction:
    paths = facts.interpreter.paths
    site_folders = list(dict.fromkeys(p for p in (paths.purelib, paths.platlib, *paths.site_packages) if p))
    preview = preview_preload(site_folders, action.libraries, breakage_ids, target_roots(facts.interpreter)["preload"])
    return PlannedAction(
        "preload",
        breakage_ids,
        "load {} librar{} by path at every start of the target".format(
            len(preview.libraries), "y" if len(preview.libraries) == 1 else "ies"
        ),
        details={
            "patterns": list(action.libraries),
            "libraries": list(preview.libraries),
            "path": str(preview.path),
            "sha256_before": None,
            "sha256_after": sha256_of(preview.content),
        },
        already_done=preview.already_set,
        problem=preview.problem,
        content=preview.content,
    )
