"""Whether the target's Keras should read a model file, judged from versions alone (before loading).

tf.keras is the Keras inside TensorFlow up to 2.5, the `keras` distribution from 2.6 to 2.15 (Keras
2), and from 2.16 on Keras 3, or tf-keras (Keras 2) where TF_USE_LEGACY_KERAS is set. Keras reads
`.keras` archives from 2.12 on (https://github.com/keras-team/keras/releases/tag/v2.12.0); Keras 3
reads `.keras` and `.h5` but no SavedModel (https://keras.io/guides/migrating_to_keras_3/); an `.h5`
written by Keras 3 carries layer arguments Keras 2 does not know (`batch_shape`, `optional`); a
compiled `.h5` does not load whole in Keras 3.15 (https://github.com/keras-team/keras/issues/19330).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from packaging.version import Version

from tfenvcheck.facts.model import Facts
from tfenvcheck.versions import parse_version, tensorflow_version

KERAS_FORMAT_FROM = Version("2.12")
KERAS_3_FROM_TENSORFLOW = Version("2.16")

EXPECTED = "expected"  # nothing in the versions speaks against loading it
UNLIKELY = "unlikely"  # known to fail for models like this one
CANNOT = "cannot"  # this Keras does not read the format at all
UNKNOWN = "unknown"  # the target's Keras could not be told


@dataclass(frozen=True)
class Expectation:
    verdict: str
    target_keras: str | None  # "2.9.0", "3.12.0", or None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "target_keras": self.target_keras, "reason": self.reason}


def target_keras_version(facts: Facts) -> Version | None:
    """The Keras that tf.keras is in the target, from its installed distributions and environment."""
    tensorflow = tensorflow_version(facts)
    if tensorflow is None:
        return None
    packages = facts.packages
    if tensorflow >= KERAS_3_FROM_TENSORFLOW:
        legacy = facts.interpreter.environment.variables.get("TF_USE_LEGACY_KERAS", "") in ("1", "true", "True")
        name = "tf-keras" if legacy and "tf-keras" in packages else "keras"
        return parse_version(packages.get(name))
    return parse_version(packages.get("keras")) or tensorflow


def expectation(metadata: dict[str, Any], facts: Facts) -> Expectation:
    keras = target_keras_version(facts)
    if keras is None:
        return Expectation(UNKNOWN, None, "the target's TensorFlow and Keras versions could not be told")
    shown = str(keras)
    saved_by = parse_version(metadata.get("keras_version"))
    file_format = metadata.get("format")
    if file_format == "keras" and keras < KERAS_FORMAT_FROM:
        return Expectation(CANNOT, shown, "Keras reads .keras files from 2.12 on; the target's is {}".format(shown))
    if file_format == "savedmodel" and keras.major >= 3:
        return Expectation(CANNOT, shown, "Keras 3 (here {}) loads no SavedModel with load_model".format(shown))
    if file_format == "h5" and metadata.get("compiled") and keras.major >= 3:
        return Expectation(
            UNLIKELY,
            shown,
            "a compiled .h5 model: Keras 3 (measured with 3.15) fails to deserialize the loss of its training config",
        )
    if saved_by is not None and saved_by.major >= 3 and keras.major < 3:
        return Expectation(
            UNLIKELY,
            shown,
            "saved by Keras {}, whose layer configs Keras {} rejects (batch_shape, optional)".format(saved_by, shown),
        )
    if saved_by is not None and saved_by.major == keras.major and saved_by > keras:
        return Expectation(
            UNLIKELY if (saved_by.major, saved_by.minor) != (keras.major, keras.minor) else EXPECTED,
            shown,
            "saved by Keras {}, newer than the target's {}: newer layer arguments may be unknown to it".format(
                saved_by, shown
            ),
        )
    return Expectation(
        EXPECTED,
        shown,
        "Keras {} reads {} files saved by Keras {}".format(
            shown, file_format, metadata.get("keras_version") or "an unrecorded version"
        ),
    )
