"""The Profile record: a validated, typed view of one profile file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

# What a shipped profile describes: a certificate exam's stack (history: the programme closed on
# 2024-05-01), or a course's stack of today. A profile file without `kind` is a course's.
PROFILE_KINDS = ("exam", "course")


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    source: str
    guide_date: datetime.date | None
    confirmed: bool
    python: SpecifierSet | None
    requires: tuple[Requirement, ...]
    importable: tuple[str, ...] = ()
    refused_origins: tuple[str, ...] = ()
    pycharm_versions: tuple[str, ...] = ()
    min_memory_gib: float | None = None
    recommended_memory_gib: float | None = None
    min_free_disk_gib: float | None = None
    guide_date_approximate: bool = False
    aliases: tuple[str, ...] = ()
    path: str | None = None
    builtin: bool = False
    kind: str = "course"
    # Where each requirement came from ("requirements.txt:3"), for findings that name it.
    requirement_origins: dict[str, str] = field(default_factory=dict, compare=False)

    def required_names(self) -> set[str]:
        return {canonicalize_name(requirement.name) for requirement in self.requires}

    def with_requirements(self, requirements: list[tuple[Requirement, str]], label: str) -> Profile:
        """This profile plus requirements from a file; a file's line replaces the profile's own for that name."""
        replaced = {canonicalize_name(requirement.name) for requirement, _ in requirements}
        kept = tuple(r for r in self.requires if canonicalize_name(r.name) not in replaced)
        origins = {k: v for k, v in self.requirement_origins.items() if k not in replaced}
        origins.update({canonicalize_name(r.name): where for r, where in requirements})
        return replace(
            self,
            name="{} + {}".format(self.name, label),
            requires=kept + tuple(requirement for requirement, _ in requirements),
            requirement_origins=origins,
        )

    def summary(self) -> dict[str, Any]:
        """JSON-ready description, as results and `tfenvcheck profiles --json` show it."""
        return {
            "name": self.name,
            "kind": self.kind,
            "title": self.title,
            "source": self.source,
            "guide_date": self.guide_date.isoformat() if self.guide_date else None,
            "guide_date_approximate": self.guide_date_approximate,
            "confirmed": self.confirmed,
            "python": str(self.python) if self.python is not None else None,
            "requires": [str(requirement) for requirement in self.requires],
            "importable": list(self.importable),
            "refused_origins": list(self.refused_origins),
            "pycharm_versions": list(self.pycharm_versions),
            "min_memory_gib": self.min_memory_gib,
            "recommended_memory_gib": self.recommended_memory_gib,
            "min_free_disk_gib": self.min_free_disk_gib,
            "path": self.path,
            "builtin": self.builtin,
        }
