"""What to do about a check's findings, said once: the one `tfenvcheck fix` run that fixes most of them
leads, with how many it fixes; the findings that need something else follow, each with its own hint.

Shared by check's terminal and Markdown views and by the report, so that a pin the profile asks for
is not followed by the same `fix --profile` command under each of ten package findings.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from tfenvcheck.checks.finding import ERROR, FAIL, WARN
from tfenvcheck.checks.packages import PIN_FIX

# What must be done first: failures, then what could not be checked, then warnings.
NEEDS_DOING = (FAIL, ERROR, WARN)


class Actionable(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def hint(self) -> str | None: ...
    @property
    def fix_id(self) -> str | None: ...


F = TypeVar("F", bound=Actionable)


@dataclass(frozen=True)
class WhatToDo(Generic[F]):
    command: str | None  # the one fix run that fixes `fixed` (None: no finding has an automatic fix)
    fixed: list[F] = field(default_factory=list)
    others: list[F] = field(default_factory=list)  # the findings that need something else: their hint

    @property
    def share(self) -> str:
        """How much the command fixes: '6 of the 8 problems found', 'all 3 problems found'."""
        total = len(self.fixed) + len(self.others)
        if self.others:
            return "{} of the {} problems found".format(len(self.fixed), total)
        return "the problem found" if total == 1 else "all {} problems found".format(total)


def fix_command(fix_ids: Collection[str], target: str, profile: str | None) -> str:
    """The `tfenvcheck fix` run for `fix_ids`: by its id for one breakage, else one run (no ids) that
    fixes every breakage found, and with `--profile` the profile's pins too."""
    pins = PIN_FIX in fix_ids
    if len(fix_ids) == 1 and not pins:
        return "tfenvcheck fix {} --python {}".format(next(iter(fix_ids)), target)
    return "tfenvcheck fix {}--python {}".format("--profile {} ".format(profile) if pins else "", target)


def what_to_do(findings: Sequence[F], target: str, profile: str | None, automatic: Collection[str]) -> WhatToDo[F]:
    """The findings to act on, grouped by whether `tfenvcheck fix` fixes them: those whose fix id is in
    `automatic` (the registry's fixes that do more than advise), and the profile's pins when `profile`
    names a built-in profile (`fix --profile NAME`; a profile file may not be where the report is read)."""
    fixable = set(automatic) | ({PIN_FIX} if profile else set())
    todo = [f for status in NEEDS_DOING for f in findings if f.status == status and (f.hint or f.fix_id)]
    fixed = [f for f in todo if f.fix_id in fixable]
    others = [f for f in todo if f.fix_id not in fixable]
    if not fixed:
        return WhatToDo(None, [], others)
    return WhatToDo(fix_command({f.fix_id for f in fixed if f.fix_id}, target, profile), fixed, others)
