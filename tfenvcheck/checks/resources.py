"""Memory and free disk against the profile's minimums."""

from __future__ import annotations

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.target_environment import gib
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile


def check_memory(facts: Facts, profile: Profile) -> list[Finding]:
    total = gib(facts.host.memory.total_bytes)
    seen = "{:.1f} GiB".format(total)
    minimum, recommended = profile.min_memory_gib, profile.recommended_memory_gib
    if minimum is None and recommended is None:
        return [Finding("memory", SKIPPED, "Memory: {} (no minimum in the profile)".format(seen), seen=seen)]
    expected = ", ".join(
        part
        for part in (
            "at least {:g} GiB".format(minimum) if minimum is not None else "",
            "{:g} GiB recommended".format(recommended) if recommended is not None else "",
        )
        if part
    )
    if minimum is not None and total < minimum:
        return [
            Finding(
                "memory",
                FAIL,
                "Memory: {}, below the minimum".format(seen),
                seen=seen,
                expected=expected,
                hint="train on a machine with more memory (Google Colab) and bring the saved models",
            )
        ]
    if recommended is not None and total < recommended:
        return [
            Finding(
                "memory",
                WARN,
                "Memory: {}, below the recommended {:g} GiB".format(seen, recommended),
                seen=seen,
                expected=expected,
                hint="close other programs while training; or train in Google Colab",
            )
        ]
    return [Finding("memory", OK, "Memory: {}".format(seen), seen=seen, expected=expected)]


def check_disk(facts: Facts, profile: Profile) -> list[Finding]:
    disk = facts.host.disk
    free = gib(disk.free_bytes)
    seen = "{:.1f} GiB free at {}".format(free, disk.path)
    if profile.min_free_disk_gib is None:
        return [Finding("disk", SKIPPED, "Disk: {} (no minimum in the profile)".format(seen), seen=seen)]
    expected = "at least {:g} GiB free".format(profile.min_free_disk_gib)
    if free < profile.min_free_disk_gib:
        return [
            Finding(
                "disk",
                FAIL,
                "Disk: only {:.1f} GiB free".format(free),
                seen=seen,
                expected=expected,
                hint="TensorFlow, the exam's packages and its datasets need room: free some space",
            )
        ]
    return [Finding("disk", OK, "Disk: {:.1f} GiB free".format(free), seen=seen, expected=expected)]
