"""Find a base interpreter for a new environment: every Python on the machine, probed, and judged
against the profile (its Python range, 64-bit CPython, the origins it refuses), each rejection
with its reason.

Where Pythons are looked for: PATH, pyenv's versions (`$(pyenv root)/versions`, pyenv-win's too),
the Windows `py` launcher (`py -0p`), python.org framework installs on macOS, and the interpreters
PyCharm has configured. A virtual environment found on the way is followed to its base.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from tfenvcheck.checks.finding import FAIL, WARN
from tfenvcheck.checks.origin import check_origin
from tfenvcheck.checks.python import check_python_bits, check_python_version
from tfenvcheck.createenv.python_range import needed_minor_versions, with_python_range
from tfenvcheck.errors import EXIT_FAILURES, CouldNotCheck, TfenvcheckError
from tfenvcheck.facts.model import Facts, InterpreterFacts, TargetFacts
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.pycharm.config_dirs import explicit_config_dir, home_from_environ
from tfenvcheck.pycharm.lookup import sdk_tables
from tfenvcheck.target import resolve_python_option

PROBE_TIMEOUT = 15.0
FRAMEWORK_VERSIONS = Path("/Library/Frameworks/Python.framework/Versions")
_PYTHON_NAME = re.compile(r"^python(3(\.\d+)?)?(\.exe)?$", re.IGNORECASE)


class NoSuitablePython(TfenvcheckError):
    """No interpreter on the machine fits the profile: the message says what is needed and how to get it."""

    exit_code = EXIT_FAILURES


@dataclass(frozen=True)
class Candidate:
    path: str
    found_in: str  # "PATH", "pyenv", "py launcher", "python.org framework", "PyCharm SDK 'name'", ...


@dataclass
class JudgedInterpreter:
    candidate: Candidate
    facts: InterpreterFacts | None = None
    rejected_because: str | None = None  # None: suitable

    @property
    def suitable(self) -> bool:
        return self.rejected_because is None

    @property
    def version(self) -> Version:
        return Version(self.facts.version) if self.facts else Version("0")

    def to_dict(self) -> dict[str, Any]:
        facts = self.facts
        return {
            "path": self.candidate.path,
            "found_in": self.candidate.found_in,
            "version": facts.version if facts else None,
            "origin": facts.origin if facts else None,
            "bits": facts.bits if facts else None,
            "suitable": self.suitable,
            "rejected_because": self.rejected_because,
        }


# --- where Pythons are -------------------------------------------------------------------------


def pyenv_root(environ: Mapping[str, str]) -> Path:
    """What `pyenv root` prints: $PYENV_ROOT, else ~/.pyenv."""
    return Path(environ["PYENV_ROOT"]) if environ.get("PYENV_ROOT") else home_from_environ(environ) / ".pyenv"


def on_path(environ: Mapping[str, str]) -> list[Candidate]:
    """python, python3 and python3.X in each PATH folder; pyenv's shims are skipped (its versions are listed)."""
    shims = pyenv_root(environ) / "shims"
    found = []
    for folder in filter(None, environ.get("PATH", "").split(os.pathsep)):
        folder_path = Path(folder)
        if folder_path == shims or not folder_path.is_dir():
            continue
        try:
            names = sorted(entry.name for entry in folder_path.iterdir() if _PYTHON_NAME.match(entry.name))
        except OSError:
            continue
        found += [
            Candidate(str(folder_path / name), "PATH") for name in names if os.access(folder_path / name, os.X_OK)
        ]
    return found


def in_pyenv(environ: Mapping[str, str]) -> list[Candidate]:
    root = pyenv_root(environ)
    layouts = [
        (root / "versions", Path("bin", "python")),
        (root / "pyenv-win" / "versions", Path("python.exe")),
    ]  # pyenv-win keeps its root one level up
    found = []
    for versions, executable in layouts:
        if versions.is_dir():
            found += [
                Candidate(str(version / executable), "pyenv")
                for version in sorted(versions.iterdir())
                if (version / executable).exists()
            ]
    return found


def from_py_launcher(environ: Mapping[str, str], system: str) -> list[Candidate]:
    """The interpreters the Windows `py` launcher knows (`py -0p`: one per line, the path last)."""
    launcher = shutil.which("py", path=environ.get("PATH")) if system == "Windows" else None
    if launcher is None:
        return []
    try:
        listing = subprocess.run([launcher, "-0p"], capture_output=True, text=True, timeout=PROBE_TIMEOUT).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    paths = [re.split(r"\s{2,}|\*\s+", line.strip())[-1] for line in listing.splitlines() if line.strip()]
    return [Candidate(path, "py launcher") for path in paths if path.lower().endswith(".exe")]


def in_frameworks(system: str, versions: Path = FRAMEWORK_VERSIONS) -> list[Candidate]:
    if system != "Darwin" or not versions.is_dir():
        return []
    return [
        Candidate(str(python), "python.org framework")
        for python in sorted(versions.glob("*/bin/python3"))
        if python.exists()
    ]


def in_pycharm(pycharm_config: Path | None, environ: Mapping[str, str]) -> list[Candidate]:
    if pycharm_config is not None and pycharm_config.is_dir() and explicit_config_dir(pycharm_config) is None:
        return []  # a config dir with no SDK table yet, which --register-pycharm may be about to write
    _, tables = sdk_tables(pycharm_config, environ)
    return [
        Candidate(sdk.home_path, "PyCharm SDK {!r}".format(sdk.name))
        for table in tables
        for sdk in table.sdks
        if sdk.home_path and not sdk.remote
    ]


def machine_candidates(environ: Mapping[str, str], system: str, pycharm_config: Path | None = None) -> list[Candidate]:
    """Every Python found on the machine, each path once (the first place it was found names it)."""
    found = (
        on_path(environ)
        + in_pyenv(environ)
        + from_py_launcher(environ, system)
        + in_frameworks(system)
        + in_pycharm(pycharm_config, environ)
    )
    return unique(found)


def place(path: str) -> str:
    """A path with its folder's links resolved but not the file's own: a venv's python links to its
    base's binary, and must not be taken for it."""
    return os.path.normcase(os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)))


def unique(candidates: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        if place(candidate.path) not in seen:
            seen.add(place(candidate.path))
            kept.append(candidate)
    return kept


def identity(judged: JudgedInterpreter) -> tuple[str, str]:
    """One interpreter under several names (python3, python3.11) has one prefix and one real binary."""
    if judged.facts is None:
        return ("", place(judged.candidate.path))
    return (os.path.normcase(judged.facts.prefix), os.path.normcase(judged.facts.real_executable))


def venv_base(facts: InterpreterFacts) -> str:
    """The base interpreter of a virtual environment, from its base_prefix."""
    base = Path(facts.base_prefix)
    if facts.sys_platform == "win32":
        return str(base / "python.exe")
    major_minor = facts.major_minor
    return str(base / "bin" / "python{}".format(major_minor))


# --- judging them ------------------------------------------------------------------------------


def judge(candidate: Candidate, profile: Profile) -> JudgedInterpreter:
    """Probe `candidate` and judge it with the same checks `check` uses for the version, bitness and origin."""
    try:
        facts = probe_interpreter(candidate.path, timeout=PROBE_TIMEOUT)
    except CouldNotCheck as error:
        return JudgedInterpreter(candidate, None, str(error))
    if facts.is_venv:
        return JudgedInterpreter(
            candidate, facts, "a virtual environment (its base, {}, is judged instead)".format(venv_base(facts))
        )
    record = Facts(TargetFacts(candidate.path, "a candidate base interpreter"), facts)
    # Without a range (no Python, no known TensorFlow in the profile) any version will do: the
    # version check would ask the target's TensorFlow, and a base has none.
    checks = (check_python_version,) if profile.python is not None else ()
    for check in (*checks, check_python_bits, check_origin):
        for finding in check(record, profile):
            if finding.status in (FAIL, WARN):
                return JudgedInterpreter(candidate, facts, finding.title)
    return JudgedInterpreter(candidate, facts)


def judge_all(candidates: list[Candidate], profile: Profile) -> list[JudgedInterpreter]:
    """Probe every candidate at the same time (each interpreter once, under the first name found);
    the bases of the virtual environments found are judged next."""
    judged: list[JudgedInterpreter] = []
    known: set[tuple[str, str]] = set()
    while candidates:
        with ThreadPoolExecutor(max_workers=4) as pool:
            batch = list(pool.map(lambda candidate: judge(candidate, profile), candidates))
        for item in batch:
            if identity(item) not in known:
                known.add(identity(item))
                judged.append(item)
        judged_prefixes = {prefix for prefix, _ in known}
        bases = [
            Candidate(venv_base(item.facts), "base of the venv {}".format(item.candidate.path))
            for item in batch
            if item.facts and item.facts.is_venv and os.path.normcase(item.facts.base_prefix) not in judged_prefixes
        ]
        candidates = unique(bases)
    return judged


def best(judged: list[JudgedInterpreter]) -> JudgedInterpreter | None:
    """The newest suitable interpreter; among equals, the one found first."""
    suitable = [j for j in judged if j.suitable]
    return max(suitable, key=lambda j: j.version, default=None) if suitable else None


def find_base_interpreter(
    profile: Profile,
    given: str | None = None,
    pycharm_config: Path | None = None,
    environ: Mapping[str, str] | None = None,
    system: str | None = None,
) -> tuple[JudgedInterpreter | None, list[JudgedInterpreter]]:
    """The interpreter to build on (None when nothing fits) and every interpreter judged, in search order."""
    environ = os.environ if environ is None else environ
    if given:
        candidates = [Candidate(resolve_python_option(given), "given with --python")]
    else:
        candidates = machine_candidates(environ, system or platform.system(), pycharm_config)
    judged = judge_all(candidates, with_python_range(profile))
    return best(judged), judged


# --- when nothing fits -------------------------------------------------------------------------


def no_suitable_python(profile: Profile, judged: list[JudgedInterpreter], given: bool) -> NoSuitablePython:
    profile = with_python_range(profile)
    minors = needed_minor_versions(profile)
    wanted = "64-bit CPython {}".format(" or ".join(minors) if len(minors) <= 3 else profile.python)
    refused = " (not from {})".format(", ".join(profile.refused_origins)) if profile.refused_origins else ""
    if given:
        return NoSuitablePython(
            "{} cannot be used for {}: {}; it needs {}{}".format(
                judged[0].candidate.path, profile.name, judged[0].rejected_because, wanted, refused
            )
        )
    example = minors[0] if minors else "3"
    return NoSuitablePython(
        "no suitable Python for {}: it needs {}{}, and none of the {} interpreters found fits. Get one: "
        "`pyenv install {}` (Linux, macOS), the 64-bit installer for Python {} from python.org (macOS, Windows), "
        "then `py -0p` lists it on Windows; run create-env again, or name it with --python PATH".format(
            profile.name, wanted, refused, len(judged), example, example
        )
    )
