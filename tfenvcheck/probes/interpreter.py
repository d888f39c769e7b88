"""Facts about the target interpreter, from `interpreter_payload.py` run by the target itself."""

from __future__ import annotations

import re
from typing import Any

from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.facts.model import InterpreterFacts, MalformedFacts, parse
from tfenvcheck.probes.payload_runner import run_payload

# Where an interpreter comes from, told by path fragments of its base installation. Order matters:
# the first match wins (a conda env under a pyenv root is still conda).
_ORIGIN_PATTERNS = (
    ("apple-command-line-tools", re.compile(r"/Library/Developer/CommandLineTools/")),
    ("system", re.compile(r"^/System/Library/Frameworks/")),  # macOS's own Python 2, before python.org's pattern
    ("xcode", re.compile(r"/Applications/Xcode[^/]*\.app/")),
    ("python.org", re.compile(r"/Library/Frameworks/Python\.framework/")),
    ("homebrew", re.compile(r"^/opt/homebrew/|^/usr/local/(Cellar|opt)/|/\.linuxbrew/")),
    ("pyenv", re.compile(r"[/\\]\.?pyenv[/\\](pyenv-win[/\\])?versions[/\\]")),
    ("uv", re.compile(r"[/\\]uv[/\\]python[/\\]")),
    ("windows-store", re.compile(r"[/\\]WindowsApps[/\\]", re.IGNORECASE)),
    ("python.org", re.compile(r"[/\\]Programs[/\\]Python[/\\]Python\d+", re.IGNORECASE)),
    ("system", re.compile(r"^/usr/$|^/usr/(bin|lib|lib64)/")),
)
# How long the interpreter probe waits for the target (it reads no more than a few files there).
DEFAULT_TIMEOUT = 30.0
_CONDA_BANNER = re.compile(r"Anaconda|Continuum|conda-forge|packaged by conda", re.IGNORECASE)


def interpreter_origin(facts: dict[str, Any]) -> str:
    """Where the base interpreter comes from, as far as its paths and banner tell."""
    if facts.get("conda_meta") or facts.get("base_conda_meta") or _CONDA_BANNER.search(facts.get("sys_version", "")):
        return "conda"
    for candidate in (facts.get("base_prefix", ""), facts.get("real_executable", "")):
        path = candidate.rstrip("/\\") + "/"
        for origin, pattern in _ORIGIN_PATTERNS:
            if pattern.search(path):
                return origin
    return "unknown"


def probe_interpreter(python: str, timeout: float = DEFAULT_TIMEOUT) -> InterpreterFacts:
    """Run the interpreter payload in `python`; raise CouldNotCheck when it cannot answer."""
    result = run_payload(python, "interpreter_payload.py", timeout=timeout)
    if result.failure is not None:
        detail = result.failure.stderr_tail[-1:] if result.failure.kind == "exit" else []
        raise CouldNotCheck(
            "cannot probe {}: {}{}".format(python, result.failure.message, "".join(" ({})".format(d) for d in detail))
        )
    facts = result.data or {}
    if facts.get("supported") is False and isinstance(facts.get("version"), str):
        major_minor = ".".join(facts["version"].split(".")[:2])
        raise CouldNotCheck(
            "unsupported interpreter: Python {} ({}); tfenvcheck needs Python 3.6 or newer in the target".format(
                major_minor, python
            )
        )
    try:
        interpreter = parse(InterpreterFacts, facts, "the interpreter probe's answer")
    except MalformedFacts as error:
        raise CouldNotCheck("cannot probe {}: it answered nothing usable ({})".format(python, error)) from None
    if not interpreter.supported:
        raise CouldNotCheck("cannot probe {}: it answered nothing usable (no Python version)".format(python))
    interpreter.is_venv = interpreter.prefix != interpreter.base_prefix or bool(interpreter.real_prefix)
    interpreter.origin = interpreter_origin(facts)
    interpreter.probe_seconds = round(result.seconds, 3)
    return interpreter
