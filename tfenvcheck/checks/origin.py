"""Where the target's base interpreter comes from, against the origins the profile refuses."""

from __future__ import annotations

from tfenvcheck.checks.finding import FAIL, OK, Finding
from tfenvcheck.facts.model import Facts
from tfenvcheck.profiles.profile import Profile

_HINTS = {
    "conda": (
        "the exam guides say not to use Anaconda: install Python from python.org (or pyenv), make a venv "
        "with it and give PyCharm that interpreter",
        None,
    ),
    "apple-command-line-tools": (
        "Apple's own python3 breaks old TensorFlow (linecache 'dictionary changed size "
        "during iteration'): use a python.org, Homebrew or pyenv Python",
        "apple-clt-linecache",
    ),
    "xcode": (
        "Xcode's python3 breaks old TensorFlow (linecache 'dictionary changed size during iteration'): use a "
        "python.org, Homebrew or pyenv Python",
        "apple-clt-linecache",
    ),
}


def check_origin(facts: Facts, profile: Profile) -> list[Finding]:
    interpreter = facts.interpreter
    origin = interpreter.origin
    kind = "venv of a {} Python".format(origin) if interpreter.is_venv else "{} Python".format(origin)
    seen = "{} ({})".format(kind, interpreter.base_prefix)
    expected = "not from: {}".format(", ".join(profile.refused_origins)) if profile.refused_origins else None
    if origin not in profile.refused_origins:
        return [Finding("interpreter.origin", OK, "Interpreter: {}".format(kind), seen=seen, expected=expected)]
    hint, fix_id = _HINTS.get(origin, ("use a python.org or pyenv Python", None))
    return [
        Finding(
            "interpreter.origin",
            FAIL,
            "Interpreter from {}, which {} refuses".format(origin, profile.name),
            seen=seen,
            expected=expected,
            hint=hint,
            fix_id=fix_id,
        )
    ]
