"""Which profile a `check` judges against, from `--profile` and `--requirements`.

`--profile` alone: that profile (a shipped name or a .toml path); neither option: the newest
official exam profile. `--requirements` alone: the file's requirements and nothing else (and a
pyproject.toml's requires-python); with `--profile`: the profile plus the file, the file's line
winning for a package both name.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tfenvcheck.profiles.loader import resolve_profile
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.profiles.requirements_file import project_python, read_requirements


def requirements_only_profile(path: Path) -> Profile:
    return Profile(
        name=path.name,
        title="the requirements in {}".format(path),
        description="Every requirement in the file, judged with its markers against the target.",
        source=str(path),
        guide_date=None,
        confirmed=True,
        python=None,
        requires=(),
        path=str(path),
    )


def choose_profile(profile_option: str | None, requirements_option: str | None) -> Profile:
    if requirements_option is None:
        return resolve_profile(profile_option)
    path = Path(requirements_option).expanduser()
    requirements = read_requirements(path)
    if profile_option is None:
        # Named after the file alone: there is no base profile to add it to.
        alone = requirements_only_profile(path).with_requirements(requirements, path.name)
        return replace(alone, name=path.name, python=project_python(path))
    return resolve_profile(profile_option).with_requirements(requirements, path.name)
