"""What the requirements resolve to today for one interpreter, with `uv pip compile` (nothing is installed).

uv is given the target interpreter itself (`--python`), so it reads the target's markers and wheel
tags: a TensorFlow release without a wheel for that Python or platform does not resolve, as it would
not install. Its answer is one of three: the pinned set; "no solution" with uv's explanation (the
requirements cannot be installed today); or a failure to ask at all (no uv, the registry cannot be
reached, a timeout), which ends the command with one line.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.createenv.installer import find_uv
from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.probes.spawn import run_captured

# A resolution that needs the registry's pages for a few dozen packages takes 10-20 s cold here;
# uv's own HTTP timeout and retries end a dead connection well before this.
RESOLVE_TIMEOUT = 300.0
# uv's words for a request that never got an answer (no network, no DNS, a refused connection).
_UNREACHABLE = (
    "Failed to fetch",
    "error sending request",
    "Request failed after",
    "tcp connect error",
    "dns error",
    "operation timed out",
)
_NO_SOLUTION = "No solution found when resolving dependencies"
# A "no solution" that only says the network was off (UV_OFFLINE, and what was needed is not cached).
_OFFLINE = "because the network was disabled"


class RegistryUnreachable(CouldNotCheck):
    """The package registry did not answer uv."""


@dataclass(frozen=True)
class Resolution:
    """The distributions the requirements resolve to for `python`, or why none do (`error`)."""

    python: str
    requirements: tuple[str, ...]
    pins: dict[str, str] = field(default_factory=dict)  # normalised name -> version
    error: str | None = None  # uv's explanation when no set of distributions satisfies them
    seconds: float = 0.0

    @property
    def resolved(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "python": self.python,
            "requirements": list(self.requirements),
            "resolved": self.resolved,
            "pins": dict(sorted(self.pins.items())),
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }


def compile_command(uv: str, python: str, requirements_file: Path) -> list[str]:
    return [
        uv,
        "pip",
        "compile",
        str(requirements_file),
        "--python",
        python,
        "--no-header",
        "--no-annotate",
        "--no-progress",
        "--color",
        "never",
        "--quiet",
    ]


def parse_pins(output: str) -> dict[str, str]:
    """`name==version` lines (uv's requirements.txt output) as normalised name -> version."""
    pins: dict[str, str] = {}
    for line in output.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        exact = [spec.version for spec in requirement.specifier if spec.operator == "=="]
        if exact:
            pins[canonicalize_name(requirement.name)] = exact[0]
    return pins


def uv_messages(text: str) -> list[tuple[str, str]]:
    """A uv error report as (label, message): "error", then each "cause", then a "hint"; a message uv
    wrapped (indented lines under it) is joined again into one line."""
    messages: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        label, separator, rest = stripped.partition(": ")
        if separator and label in ("error", "cause", "hint"):
            messages.append((label, rest.strip()))
        elif stripped and messages and line[:1].isspace():
            messages[-1] = (messages[-1][0], messages[-1][1] + " " + stripped)
        elif stripped:
            messages.append(("", stripped))
    return messages


def _first_error_line(text: str) -> str:
    """uv's deepest cause (what really went wrong), with the URL it could not fetch."""
    statements = [message for label, message in uv_messages(text) if label in ("error", "cause", "")]
    fetched = [line.split(": ", 1)[1] for line in statements if line.startswith("Failed to fetch: ")]
    return ": ".join(fetched[:1] + statements[-1:]) or "no output"


def resolve_requirements(
    python: str, requirements: Sequence[str], timeout: float = RESOLVE_TIMEOUT, uv: str | None = None
) -> Resolution:
    """Resolve `requirements` for the interpreter `python` as the registry serves them now."""
    uv = uv or find_uv()
    if uv is None:
        raise CouldNotCheck("--resolve needs uv, which is not installed (pip install uv)")
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)  # the interpreter is named explicitly; an active venv must not interfere
    env.pop("COLUMNS", None)  # uv wraps its messages at COLUMNS; unset and off a terminal it does not
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-resolve-") as folder:
        requirements_file = Path(folder, "requirements.in")
        requirements_file.write_text("".join(r + "\n" for r in requirements), encoding="utf-8")
        try:
            done = run_captured(compile_command(uv, python, requirements_file), env, timeout=timeout)
        except OSError as error:
            raise CouldNotCheck("--resolve: cannot run uv ({}): {}".format(uv, error.strerror or error)) from None
    seconds = time.monotonic() - started
    if done.timed_out:
        raise CouldNotCheck("--resolve: uv did not finish resolving within {:g} s".format(timeout))
    text = (done.stderr + "\n" + done.stdout).strip()
    if done.returncode == 0:
        return Resolution(python, tuple(requirements), pins=parse_pins(done.stdout), seconds=seconds)
    if _OFFLINE in text:
        raise RegistryUnreachable(
            "--resolve: uv's network access is disabled (UV_OFFLINE or --offline in its configuration) "
            "and the packages are not in its cache"
        )
    if _NO_SOLUTION in text:
        return Resolution(python, tuple(requirements), error=done.stderr.strip() or text, seconds=seconds)
    if any(words in text for words in _UNREACHABLE):
        raise RegistryUnreachable(
            "--resolve: the package registry cannot be reached ({}); check works offline without --resolve".format(
                _first_error_line(text)
            )
        )
    raise CouldNotCheck("--resolve: uv could not resolve for {}: {}".format(python, _first_error_line(text)))
