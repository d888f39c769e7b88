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

from tfenvcheck import tomlcheck
from tfenvcheck.errors import UsageError
from tfenvcheck.profiles.profile import PROFILE_KINDS, Profile
from tfenvcheck.tomlcheck import Invalid, located, only_keys
from tfenvcheck.version_limits import MAX_VERSION_LENGTH, too_long_version

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

_REQUIRED_KEYS: dict[str, type] = {"name": str}
_OPTIONAL_KEYS: dict[str, type] = {
    "title": str,
    "kind": str,
    "description": str,
    "source": str,
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


def parse_profile(text: str, path: Path, builtin: bool = False) -> Profile:
    """Validate the TOML text of a profile and build the Profile; raise ProfileError on any fault.

    Only `name` is needed (and `requires`, to require anything): a title falls back to the name."""
    data = tomlcheck.parse_toml(text, path, ProfileError)
    try:
        _check_keys(data)
        resources = _resources(data)
        return Profile(
            name=data["name"],
            title=data.get("title", data["name"]),
            description=" ".join(data.get("description", "").split()),
            source=data.get("source", str(path)),
            guide_date=data.get("guide_date"),
            guide_date_approximate=data.get("guide_date_approximate", False),
            confirmed=data.get("confirmed", False),
            python=_python_range(data),
            requires=_requirements(data),
            importable=_string_list(data, "importable"),
            refused_origins=_refused_origins(data),
            pycharm_versions=_pycharm_versions(data),
            min_memory_gib=resources.get("min_memory_gib"),
            recommended_memory_gib=resources.get("recommended_memory_gib"),
            min_free_disk_gib=resources.get("min_free_disk_gib"),
            aliases=_string_list(data, "aliases"),
            path=str(path),
            builtin=builtin,
            kind=_kind(data),
        )
    except Invalid as invalid:
        raise located(ProfileError, path, invalid, text) from None


def _check_keys(data: dict[str, Any]) -> None:
    for key, kind in _REQUIRED_KEYS.items():
        if not isinstance(data.get(key), kind):
            raise Invalid("missing or not a string: {}".format(key), key)
    only_keys(data, {**_REQUIRED_KEYS, **_OPTIONAL_KEYS}, "profile")
    for key, kind in _OPTIONAL_KEYS.items():
        if key in data and not isinstance(data[key], kind):
            shown = "date (YYYY-MM-DD)" if kind is datetime.date else kind.__name__
            raise Invalid("{} must be a {}".format(key, shown), key)


def _string_list(data: dict[str, Any], key: str) -> tuple[str, ...]:
    values = data.get(key, [])
    for value in values:
        if not isinstance(value, str):
            raise Invalid("{} must be a list of strings, found {!r}".format(key, value), key)
    return tuple(values)


def _kind(data: dict[str, Any]) -> str:
    kind = data.get("kind", "course")
    if kind not in PROFILE_KINDS:
        raise Invalid("kind: expected one of {}, found {!r}".format(", ".join(PROFILE_KINDS), kind), kind)
    return str(kind)


def _python_range(data: dict[str, Any]) -> SpecifierSet | None:
    if "python" not in data:
        return None
    try:
        python = SpecifierSet(data["python"])
    except InvalidSpecifier:
        raise Invalid("python: not a version specifier: {!r}".format(data["python"]), data["python"]) from None
    too_long = too_long_version(python)
    if too_long:
        raise Invalid("python: version too long: {}".format(too_long), data["python"][:40])
    return python


def _requirements(data: dict[str, Any]) -> tuple[Requirement, ...]:
    requires = []
    for line in _string_list(data, "requires"):
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise Invalid("requires: bad requirement {!r}: {}".format(line, str(error).splitlines()[0]), line) from None
        too_long = too_long_version(requirement.specifier)
        if too_long:
            raise Invalid("requires: {}: version too long: {}".format(requirement.name, too_long), line[:40])
        requires.append(requirement)
    return tuple(requires)


def _pycharm_versions(data: dict[str, Any]) -> tuple[str, ...]:
    versions = _string_list(data, "pycharm_versions")
    for version in versions:
        if version != "latest":
            try:
                if len(version) > MAX_VERSION_LENGTH:
                    raise InvalidVersion(version)
                Version(version)
            except InvalidVersion:
                raise Invalid(
                    'pycharm_versions: {!r} is neither a version (2021.3) nor "latest"'.format(version[:40]),
                    version[:40],
                ) from None
    return versions


def _refused_origins(data: dict[str, Any]) -> tuple[str, ...]:
    refused = _string_list(data, "refused_origins")
    for origin in refused:
        if origin not in KNOWN_ORIGINS:
            known = ", ".join(sorted(KNOWN_ORIGINS))
            raise Invalid("refused_origins: unknown origin {!r} (known: {})".format(origin, known), origin)
    return refused


def _resources(data: dict[str, Any]) -> dict[str, Any]:
    resources: dict[str, Any] = data.get("resources", {})
    only_keys(resources, _RESOURCE_KEYS, "resources")
    for key, value in resources.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise Invalid("resources.{} must be a number of GiB".format(key), key)
    return resources


def load_profile_file(path: Path, builtin: bool = False) -> Profile:
    return parse_profile(tomlcheck.read_text(path, ProfileError, "profile"), path, builtin=builtin)


def builtin_profiles() -> list[Profile]:
    """The shipped profiles, oldest guide first."""
    profiles = [load_profile_file(path, builtin=True) for path in sorted(BUILTIN_DIR.glob("*.toml"))]
    return sorted(profiles, key=lambda p: (p.guide_date or datetime.date.min, p.name))


def default_profile(profiles: list[Profile] | None = None) -> Profile:
    """The newest official (confirmed) exam profile."""
    shipped = profiles if profiles is not None else builtin_profiles()
    confirmed = [p for p in shipped if p.confirmed and p.kind == "exam"]
    return max(confirmed, key=lambda p: p.guide_date or datetime.date.min)


def looks_like_path(value: str) -> bool:
    return value.endswith(".toml") or "/" in value or "\\" in value


def resolve_profile(value: str | None) -> Profile:
    """`--profile NAME` (or an alias) picks a shipped profile, `--profile FILE.toml` loads one; None: the default."""
    if value is None:
        return default_profile()
    if looks_like_path(value):
        path = Path(value).expanduser()
        if not path.exists():
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
