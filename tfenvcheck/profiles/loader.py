"""Find, read and validate profile files: the shipped exam profiles and custom ones.

Every problem with a profile file is a UsageError of one line that names the file, and the line
where TOML (or a search for the offending value) tells it.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from tfenvcheck import tomlfile
from tfenvcheck.errors import UsageError
from tfenvcheck.profiles.profile import Profile

BUILTIN_DIR = Path(__file__).parent / "data"

# The origin names tfenvcheck/probes/interpreter.py gives (plus its "conda" and "unknown").
KNOWN_ORIGINS = frozenset(
    {
        "apple-command-line-tools",
        "xcode",
        "python.org",
        "homebrew",
        "pyenv",
        "uv",
        "windows-store",
        "system",
        "conda",
        "unknown",
    }
)

_REQUIRED_KEYS = {"name": str, "title": str, "description": str, "source": str}
_OPTIONAL_KEYS = {
    "guide_date": datetime.date,
    "guide_date_approximate": bool,
    "confirmed": bool,
    "python": str,
    "requires": list,
    "importable": list,
    "refused_origins": list,
    "pycharm_versions": list,
    "aliases": list,
    "resources": dict,
}
_RESOURCE_KEYS = ("min_memory_gib", "recommended_memory_gib", "min_free_disk_gib")


class ProfileError(UsageError):
    """A profile file that cannot be used: the message is `FILE[:LINE]: what is wrong`."""


def _line_of(text: str, needle: str) -> int | None:
    """The first line that mentions `needle`, to point at a value TOML itself found no fault with."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle and needle in line:
            return number
    return None


def _fail(path: Path, message: str, text: str = "", needle: str = "") -> ProfileError:
    line = _line_of(text, needle) if needle else None
    return ProfileError("{}{}: {}".format(path, ":{}".format(line) if line else "", message))


def _string_list(data: dict[str, Any], key: str, path: Path, text: str) -> tuple[str, ...]:
    values = data.get(key, [])
    for value in values:
        if not isinstance(value, str):
            raise _fail(path, "{} must be a list of strings, found {!r}".format(key, value), text, key)
    return tuple(values)


def parse_profile(text: str, path: Path, builtin: bool = False) -> Profile:
    """Validate the TOML text of a profile and build the Profile; raise ProfileError on any fault."""
    try:
        data = tomlfile.loads(text)
    except tomlfile.TOMLDecodeError as error:
        # tomllib says "... (at line 3, column 9)"; keep its words, lead with the file.
        raise ProfileError("{}: invalid TOML: {}".format(path, error)) from None
    for key, kind in _REQUIRED_KEYS.items():
        if not isinstance(data.get(key), kind):
            raise _fail(path, "missing or not a string: {}".format(key), text, key)
    unknown = sorted(set(data) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        raise _fail(path, "unknown key {!r}".format(unknown[0]), text, unknown[0])
    for key, kind in _OPTIONAL_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            raise _fail(
                path,
                "{} must be a {}".format(key, "date (YYYY-MM-DD)" if kind is datetime.date else kind.__name__),
                text,
                key,
            )

    python = None
    if "python" in data:
        try:
            python = SpecifierSet(data["python"])
        except InvalidSpecifier:
            raise _fail(
                path, "python: not a version specifier: {!r}".format(data["python"]), text, data["python"]
            ) from None

    requires = []
    for line in _string_list(data, "requires", path, text):
        try:
            requires.append(Requirement(line))
        except InvalidRequirement as error:
            raise _fail(
                path, "requires: bad requirement {!r}: {}".format(line, str(error).splitlines()[0]), text, line
            ) from None

    for version in _string_list(data, "pycharm_versions", path, text):
        if version != "latest":
            try:
                Version(version)
            except InvalidVersion:
                raise _fail(
                    path,
                    'pycharm_versions: {!r} is neither a version (2021.3) nor "latest"'.format(version),
                    text,
                    version,
                ) from None

    refused = _string_list(data, "refused_origins", path, text)
    for origin in refused:
        if origin not in KNOWN_ORIGINS:
            raise _fail(
                path,
                "refused_origins: unknown origin {!r} (known: {})".format(origin, ", ".join(sorted(KNOWN_ORIGINS))),
                text,
                origin,
            )

    resources = data.get("resources", {})
    for key in resources:
        if key not in _RESOURCE_KEYS:
            raise _fail(path, "resources: unknown key {!r}".format(key), text, key)
        if isinstance(resources[key], bool) or not isinstance(resources[key], (int, float)) or resources[key] < 0:
            raise _fail(path, "resources.{} must be a number of GiB".format(key), text, key)

    return Profile(
        name=data["name"],
        title=data["title"],
        description=" ".join(data["description"].split()),
        source=data["source"],
        guide_date=data.get("guide_date"),
        guide_date_approximate=data.get("guide_date_approximate", False),
        confirmed=data.get("confirmed", False),
        python=python,
        requires=tuple(requires),
        importable=_string_list(data, "importable", path, text),
        refused_origins=refused,
        pycharm_versions=_string_list(data, "pycharm_versions", path, text),
        min_memory_gib=resources.get("min_memory_gib"),
        recommended_memory_gib=resources.get("recommended_memory_gib"),
        min_free_disk_gib=resources.get("min_free_disk_gib"),
        aliases=_string_list(data, "aliases", path, text),
        path=str(path),
        builtin=builtin,
    )


def load_profile_file(path: Path, builtin: bool = False) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError("{}: cannot read profile: {}".format(path, error.strerror or error)) from None
    except UnicodeDecodeError:
        raise ProfileError("{}: not a UTF-8 text file".format(path)) from None
    return parse_profile(text, path, builtin=builtin)


def builtin_profiles() -> list[Profile]:
    """The shipped profiles, oldest guide first."""
    profiles = [load_profile_file(path, builtin=True) for path in sorted(BUILTIN_DIR.glob("*.toml"))]
    return sorted(profiles, key=lambda p: (p.guide_date or datetime.date.min, p.name))


def default_profile(profiles: list[Profile] | None = None) -> Profile:
    """The newest official (confirmed) exam profile."""
    confirmed = [p for p in (profiles if profiles is not None else builtin_profiles()) if p.confirmed]
    return max(confirmed, key=lambda p: p.guide_date or datetime.date.min)


def looks_like_path(value: str) -> bool:
    return value.endswith(".toml") or "/" in value or "\\" in value


def resolve_profile(value: str | None) -> Profile:
    """`--profile NAME` (or an alias) picks a shipped profile, `--profile FILE.toml` loads one; None: the default."""
    if value is None:
        return default_profile()
    if looks_like_path(value):
        path = Path(value).expanduser()
        if not path.is_file():
            raise ProfileError("{}: no such profile file".format(value))
        return load_profile_file(path)
    profiles = builtin_profiles()
    for profile in profiles:
        if value == profile.name or value in profile.aliases:
            return profile
    raise UsageError(
        "unknown profile {!r}; known: {} (or give a path to a .toml file)".format(
            value, ", ".join(p.name for p in profiles)
        )
    )
