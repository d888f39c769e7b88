"""Pin actions: the target's own `python -m pip`, never tfenvcheck's.

pip resolves and downloads everything before it uninstalls anything, so a pin that fails (no
network, no such version) leaves the target as it was; `pip freeze --all` before and after says
exactly what changed, and is what undo restores.
"""

from __future__ import annotations

from collections.abc import Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from tfenvcheck.errors import TfenvcheckError
from tfenvcheck.probes.spawn import Captured
from tfenvcheck.probes.target_pip import run_target_pip

INSTALL_TIMEOUT = 1800.0
QUICK_TIMEOUT = 120.0
# pip's words when the package index cannot be reached.
_OFFLINE_WORDS = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeoutError",
    "No route to host",
    "nodename nor servname provided",
)


class PipFailed(TfenvcheckError):
    """pip in the target could not do what was asked; the message says why in one line."""


def run_pip(python: str, args: list[str], timeout: float = QUICK_TIMEOUT) -> Captured:
    """The target's `python -m pip ARGS`; not starting or not finishing is a PipFailed."""
    try:
        done = run_target_pip(python, args, timeout)
    except OSError as error:
        raise PipFailed("cannot run {}: {}".format(python, error.strerror or error)) from None
    if done.timed_out:
        raise PipFailed("pip {} in {} did not finish within {:g} s".format(args[0], python, timeout))
    return done


def pip_problem(python: str) -> str | None:
    """Why the target's pip cannot be used (None when it can)."""
    done = run_pip(python, ["--version"])
    if done.returncode == 0:
        return None
    if "No module named pip" in done.stderr:
        return (
            "the target has no pip ({} -m pip: No module named pip); add it with `{} -m ensurepip --upgrade`, "
            "then run tfenvcheck fix again".format(python, python)
        )
    return "the target's pip does not run: {}".format(last_line(done.stderr + done.stdout))


def pip_freeze(python: str) -> list[str]:
    done = run_pip(python, ["freeze", "--all"])
    if done.returncode != 0:
        raise PipFailed("pip freeze failed in {}: {}".format(python, last_line(done.stderr)))
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def pip_install(python: str, requirements: Iterable[str], extra: Iterable[str] = ()) -> Captured:
    """Install exactly these requirements; raise PipFailed (with the reason in one line) when pip fails."""
    done = run_pip(python, ["install", *extra, *requirements], timeout=INSTALL_TIMEOUT)
    if done.returncode != 0:
        raise PipFailed(install_failure(done.stdout + done.stderr))
    return done


def pip_uninstall(python: str, names: Iterable[str]) -> None:
    done = run_pip(python, ["uninstall", "--yes", *names], timeout=INSTALL_TIMEOUT)
    if done.returncode != 0:
        raise PipFailed("pip uninstall failed: {}".format(last_line(done.stderr + done.stdout)))


def install_failure(output: str) -> str:
    if any(words in output for words in _OFFLINE_WORDS):
        return (
            "no network: pip could not reach the package index ({}); connect to the internet (or set "
            "PIP_INDEX_URL to a reachable index) and run it again; nothing was changed".format(
                last_line(output, containing=_OFFLINE_WORDS)
            )
        )
    return "pip install failed: {}".format(last_line(output, containing=("ERROR",)))


def last_line(text: str, containing: Iterable[str] = ()) -> str:
    """The last non-empty line, preferring one that contains any of `containing`."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    wanted = [line for line in lines if any(words in line for words in containing)]
    chosen = (wanted or lines or ["(no output)"])[-1]
    return chosen if len(chosen) <= 300 else chosen[:297] + "..."


def freeze_name(line: str) -> str | None:
    """The normalised distribution name of a `pip freeze` line (None for an editable or odd line)."""
    try:
        return canonicalize_name(Requirement(line).name)
    except InvalidRequirement:
        return None


def _by_name(freeze: list[str]) -> dict[str, str]:
    named = ((freeze_name(line), line) for line in freeze)
    return {name: line for name, line in named if name}


def restore_steps(before: list[str], now: list[str]) -> tuple[list[str], list[str]]:
    """What brings `now` back to `before`: (names to uninstall, freeze lines to install)."""
    before_lines = _by_name(before)
    now_lines = _by_name(now)
    remove = sorted(name for name in now_lines if name not in before_lines)
    install = [line for name, line in sorted(before_lines.items()) if now_lines.get(name) != line]
    return remove, install
