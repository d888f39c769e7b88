"""The rows `tfenvcheck profiles` shows: each shipped profile, its pins, and which is the default."""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from tfenvcheck.profiles.loader import builtin_profiles, default_profile


def profile_rows() -> list[dict[str, Any]]:
    profiles = builtin_profiles()
    default = default_profile(profiles)
    rows = []
    for profile in profiles:
        tensorflow = next((str(r.specifier) for r in profile.requires if canonicalize_name(r.name) == "tensorflow"), "")
        rows.append(
            dict(
                profile.summary(),
                tensorflow=tensorflow,
                default=profile.name == default.name,
                aliases=list(profile.aliases),
                description=profile.description,
            )
        )
    return rows
