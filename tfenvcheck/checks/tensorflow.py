"""TensorFlow in the target: it imports, runs a tiny op, and tf.keras is the Keras that exam code expects."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.utils import canonicalize_name

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.explain.scan import seen_in
from tfenvcheck.facts.model import Facts, KerasFacts
from tfenvcheck.probes.tensorflow import error_summary
from tfenvcheck.profiles.profile import Profile
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.registry.fix_text import fix_hint
from tfenvcheck.registry.match import Match
from tfenvcheck.versions import installed_tensorflow_distributions, parse_version

# The registry entry behind Keras 3 in tf.keras; its fix is what the keras finding offers.
KERAS3_FIX = "keras3-legacy-code"
EXPECTED_IMPORT = "import tensorflow works and runs an op"


def known_import_error(
    summary: str, breakages: Sequence[Breakage], matches: Sequence[Match] = (), facts: Facts | None = None
) -> tuple[str, str] | None:
    """The fix id and hint of the known breakage whose error the import showed (one whose conditions
    hold for the target first), from its registry entry; its pins filled in from `facts`."""
    seen = seen_in(summary, breakages, first=[m.breakage.id for m in matches])
    if not seen:
        return None
    return seen[0].id, "{}: {}".format(seen[0].title, fix_hint(seen[0], facts))


def check_tensorflow_import(
    facts: Facts, profile: Profile, breakages: Sequence[Breakage] = (), matches: Sequence[Match] = ()
) -> list[Finding]:
    tensorflow = facts.tensorflow
    installed = installed_tensorflow_distributions(facts)
    if not installed and "tensorflow" not in profile.importable and not (profile.required_names() & {"tensorflow"}):
        return [Finding("tensorflow.import", SKIPPED, "TensorFlow: not installed, not required")]
    if not tensorflow.probed:
        return [
            Finding(
                "tensorflow.import", SKIPPED, "TensorFlow: not imported (--no-tensorflow)", expected=EXPECTED_IMPORT
            )
        ]
    if not tensorflow.importable:
        if not installed:
            return [
                Finding(
                    "tensorflow.import",
                    FAIL,
                    "TensorFlow is not installed",
                    seen="no TensorFlow distribution",
                    expected=EXPECTED_IMPORT,
                    hint="install the profile's TensorFlow pin in the target",
                    fix_id=PIN_FIX,
                )
            ]
        summary = error_summary(tensorflow) or "unknown error"
        known = known_import_error(summary, breakages, matches, facts)
        return [
            Finding(
                "tensorflow.import",
                FAIL,
                "TensorFlow does not import",
                seen=summary,
                expected=EXPECTED_IMPORT,
                hint=known[1]
                if known
                else 'run `python -c "import tensorflow"` in the target to see the whole traceback',
                fix_id=known[0] if known else None,
            )
        ]
    ops = tensorflow.tiny_ops
    failed = [op["device"] for op in ops if not op.get("ok")]
    seen = "TensorFlow {} imports in {:.1f} s".format(tensorflow.version, tensorflow.import_seconds or 0)
    if failed:
        return [
            Finding(
                "tensorflow.import",
                WARN,
                "TensorFlow imports but an op fails on {}".format(", ".join(failed)),
                seen=seen,
                expected=EXPECTED_IMPORT,
                hint="see `tfenvcheck probe -v` for the device errors",
            )
        ]
    return [Finding("tensorflow.import", OK, seen, seen=seen, expected=EXPECTED_IMPORT)]


def keras3_hint(facts: Facts, breakages: Sequence[Breakage]) -> str:
    """The registry's fix for Keras 3 behind tf.keras, and the TensorFlow releases it does not concern."""
    entry = next((b for b in breakages if b.id == KERAS3_FIX), None)
    if entry is None:
        return "`tfenvcheck fixes` lists the fix ({})".format(KERAS3_FIX)
    clauses = list(entry.when.tensorflow or ())
    older = "; or use TensorFlow < {}".format(clauses[0].version) if [c.operator for c in clauses] == [">="] else ""
    return fix_hint(entry, facts) + older


# Keras 2's last release: a profile whose keras requirement excludes it wants Keras 3 (a course's).
LAST_KERAS_2 = "2.15.0"


def profile_wants_keras3(profile: Profile) -> bool:
    return any(
        canonicalize_name(r.name) == "keras" and len(r.specifier) > 0 and not r.specifier.contains(LAST_KERAS_2)
        for r in profile.requires
    )


def check_keras(
    facts: Facts, profile: Profile, breakages: Sequence[Breakage] = (), matches: Sequence[Match] = ()
) -> list[Finding]:
    """Exam code is Keras 2 code: Keras 3 behind tf.keras (TF >= 2.16) breaks it unless legacy Keras is on."""
    tensorflow = facts.tensorflow
    if not tensorflow.probed or not tensorflow.importable:
        return []
    keras = tensorflow.keras or KerasFacts()
    version = parse_version(keras.version)
    seen = "tf.keras is {} {}".format(keras.backing, keras.version or "").strip()
    legacy_on = facts.interpreter.environment.variables.get("TF_USE_LEGACY_KERAS") in ("1", "true", "True")
    if version is not None and version.major >= 3 and not legacy_on and profile_wants_keras3(profile):
        # A course written for Keras 3: its fix_id settles the registry's Keras 2 entry for this check.
        expected = "Keras 3 behind tf.keras, as the profile requires"
        return [Finding("tensorflow.keras", OK, seen, seen=seen, expected=expected, fix_id=KERAS3_FIX)]
    if version is not None and version.major >= 3 and not legacy_on:
        return [
            Finding(
                "tensorflow.keras",
                WARN,
                "tf.keras is Keras 3: Keras 2 code (the exam's) may break",
                seen=seen,
                expected="Keras 2 behind tf.keras",
                hint=keras3_hint(facts, breakages),
                fix_id=KERAS3_FIX,
            )
        ]
    return [Finding("tensorflow.keras", OK, seen, seen=seen, expected="Keras 2 behind tf.keras")]
