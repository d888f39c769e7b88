"""A finding: one judged point of the environment, what was seen, what was expected, what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

OK = "ok"
WARN = "warn"
FAIL = "fail"
SKIPPED = "skipped"
ERROR = "error"  # the check itself could not judge (a bug, or facts it did not expect)
STATUSES = (OK, WARN, FAIL, SKIPPED, ERROR)


@dataclass(frozen=True)
class Finding:
    id: str
    status: str
    title: str
    seen: str | None = None
    expected: str | None = None
    hint: str | None = None
    # The id of a fix that can act on this finding: a known breakage, named as its file in fixes/.
    fix_id: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError("unknown finding status {!r}".format(self.status))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
