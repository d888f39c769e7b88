"""TensorFlow in the target: it imports, runs a tiny op, and tf.keras is the Keras that exam code expects."""

from __future__ import annotations

from typing import Any

from tfenvcheck.checks.finding import FAIL, OK, SKIPPED, WARN, Finding
from tfenvcheck.checks.packages import PIN_FIX
from tfenvcheck.checks.target_environment import installed_tensorflow_distributions, parse_version
from tfenvcheck.probes.tensorflow import error_summary
from tfenvcheck.profiles.profile import Profile

# Words of an import error -> the known breakage behind it (ids of shared/reference/known-breakages.md).
_KNOWN_IMPORT_ERRORS = (
    (
        "Descriptors cannot not be created directly",
        "protobuf4-descriptors",
        "protobuf >= 4 is too new for this TensorFlow: `tfenvcheck fix protobuf4-descriptors` pins protobuf==3.20.3",
    ),
    (
        "cannot import name 'builder'",
        "protobuf-too-old-builder",
        "protobuf is too old for this TensorFlow: `tfenvcheck fix protobuf-too-old-builder` pins protobuf==3.20.3",
    ),
    (
        "_ARRAY_API not found",
        "numpy2-abi",
        "numpy 2 is too new for this TensorFlow: `tfenvcheck fix numpy2-abi` installs numpy<2",
    ),
    (
        "compiled using NumPy 1.x",
        "numpy2-abi",
        "numpy 2 is too new for this TensorFlow: `tfenvcheck fix numpy2-abi` installs numpy<2",
    ),
    (
        "does not support '_DictWrapper'",
        "typing-ext-dictwrapper",
        "`tfenvcheck fix typing-ext-dictwrapper` pins typing-extensions==4.5.0",
    ),
    ("Another metric with the same name", "keras27-with-tf26", "`tfenvcheck fix keras27-with-tf26` pins keras==2.6.0"),
    ("SIGILL", "no-avx", "this CPU lacks an instruction the TensorFlow wheel uses (AVX, or AVX2 for 2.4.0)"),
    ("msvcp140", "msvc-runtime", "install the Microsoft Visual C++ 2015-2019 redistributable"),
)
EXPECTED_IMPORT = "import tensorflow works and runs an op"


def known_import_error(summary: str) -> tuple[str, str] | None:
    for words, fix_id, hint in _KNOWN_IMPORT_ERRORS:
        if words.lower() in summary.lower():
            return fix_id, hint
    return None


def check_tensorflow_import(facts: dict[str, Any], profile: Profile) -> list[Finding]:
    tensorflow = facts["tensorflow"]
    installed = installed_tensorflow_distributions(facts)
    if not installed and "tensorflow" not in profile.importable and not (profile.required_names() & {"tensorflow"}):
        return [Finding("tensorflow.import", SKIPPED, "TensorFlow: not installed, not required")]
    if not tensorflow.get("probed"):
        return [
            Finding(
                "tensorflow.import", SKIPPED, "TensorFlow: not imported (--no-tensorflow)", expected=EXPECTED_IMPORT
            )
        ]
    if not tensorflow.get("importable"):
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
        known = known_import_error(summary)
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
    ops = tensorflow.get("tiny_ops") or []
    failed = [op["device"] for op in ops if not op.get("ok")]
    seen = "TensorFlow {} imports in {:.1f} s".format(tensorflow["version"], tensorflow.get("import_seconds") or 0)
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


def check_keras(facts: dict[str, Any], profile: Profile) -> list[Finding]:
    """Exam code is Keras 2 code: Keras 3 behind tf.keras (TF >= 2.16) breaks it unless legacy Keras is on."""
    tensorflow = facts["tensorflow"]
    if not tensorflow.get("probed") or not tensorflow.get("importable"):
        return []
    keras = tensorflow.get("keras") or {}
    version = parse_version(keras.get("version"))
    seen = "tf.keras is {} {}".format(keras.get("backing"), keras.get("version") or "").strip()
    legacy_on = facts["interpreter"]["environment"]["variables"].get("TF_USE_LEGACY_KERAS") in ("1", "true", "True")
    if version is not None and version.major >= 3 and not legacy_on:
        return [
            Finding(
                "tensorflow.keras",
                WARN,
                "tf.keras is Keras 3: Keras 2 code (the exam's) may break",
                seen=seen,
                expected="Keras 2 behind tf.keras",
                hint="`tfenvcheck fix keras3-legacy-code` installs tf-keras~={}.{}.0 and sets "
                "TF_USE_LEGACY_KERAS=1 for this interpreter; or use TensorFlow <= 2.15".format(
                    *parse_version(tensorflow["version"]).release[:2]
                ),
                fix_id="keras3-legacy-code",
            )
        ]
    return [Finding("tensorflow.keras", OK, seen, seen=seen, expected="Keras 2 behind tf.keras")]
