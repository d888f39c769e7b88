"""The judgement made from versions alone, before the target loads the file: which Keras tf.keras is
in a target (from its installed distributions and TF_USE_LEGACY_KERAS), and what that Keras reads."""

from __future__ import annotations

import pytest

from tests.helpers.facts import target_facts
from tfenvcheck.facts.model import Facts
from tfenvcheck.modelfile.judge import expectation, target_keras_version


def target(packages: dict[str, str], variables: dict[str, str] | None = None) -> Facts:
    """A Python 3.8 venv holding `packages` (TensorFlow among them), as `probe --no-tensorflow` records it."""
    return target_facts(python="3.8.18", packages=packages, variables=variables, imported=False)


EXAM_2022 = {"tensorflow": "2.9.0", "keras": "2.9.0"}
EXAM_2024 = {"tensorflow": "2.13.0", "keras": "2.13.1"}
TODAY = {"tensorflow-cpu": "2.21.0", "keras": "3.15.1"}
TODAY_WITH_TF_KERAS = {**TODAY, "tf-keras": "2.21.0"}


@pytest.mark.parametrize(
    ("packages", "variables", "keras"),
    [
        (EXAM_2022, {}, "2.9.0"),
        ({"tensorflow": "2.5.0"}, {}, "2.5.0"),  # Keras inside TensorFlow: no keras distribution
        (TODAY, {}, "3.15.1"),
        (TODAY_WITH_TF_KERAS, {}, "3.15.1"),  # tf-keras installed but not chosen
        (TODAY_WITH_TF_KERAS, {"TF_USE_LEGACY_KERAS": "1"}, "2.21.0"),
        (TODAY, {"TF_USE_LEGACY_KERAS": "1"}, "3.15.1"),  # asked for, not installed: tf.keras stays Keras 3
        ({"numpy": "1.22.4"}, {}, None),
    ],
)
def test_the_keras_tf_keras_is(packages, variables, keras):
    found = target_keras_version(target(packages, variables))
    assert (str(found) if found else None) == keras


def verdict(metadata: dict, packages: dict[str, str], variables: dict[str, str] | None = None) -> str:
    return expectation(metadata, target(packages, variables)).verdict


KERAS_FILE = {"format": "keras", "keras_version": "3.15.1"}
KERAS_3_H5 = {"format": "h5", "keras_version": "3.15.1", "compiled": False}
KERAS_2_H5 = {"format": "h5", "keras_version": "2.9.0", "compiled": False}
SAVED_MODEL = {"format": "savedmodel", "keras_version": "2.9.0", "tensorflow_version": "2.9.0"}


def test_a_keras_file_is_read_from_keras_2_12_on():
    assert verdict(KERAS_FILE, EXAM_2022) == "cannot"
    assert verdict(KERAS_FILE, TODAY) == "expected"
    assert (
        expectation(KERAS_FILE, target(EXAM_2022)).reason
        == "Keras reads .keras files from 2.12 on; the target's is 2.9.0"
    )


def test_an_h5_of_keras_3_is_unlikely_in_keras_2():
    assert verdict(KERAS_3_H5, EXAM_2022) == "unlikely"
    assert verdict(KERAS_3_H5, TODAY_WITH_TF_KERAS, {"TF_USE_LEGACY_KERAS": "1"}) == "unlikely"
    assert verdict(KERAS_2_H5, EXAM_2022) == "expected"


def test_a_newer_keras_2_minor_is_unlikely_and_a_newer_patch_expected():
    assert verdict(dict(KERAS_2_H5, keras_version="2.21.0"), EXAM_2022) == "unlikely"
    assert verdict(dict(KERAS_2_H5, keras_version="2.13.1"), {"tensorflow": "2.13.0", "keras": "2.13.0"}) == "expected"


def test_keras_3_loads_no_saved_model_and_no_compiled_h5():
    assert verdict(SAVED_MODEL, TODAY) == "cannot"
    assert verdict(SAVED_MODEL, EXAM_2024) == "expected"
    assert verdict(dict(KERAS_2_H5, compiled=True), TODAY) == "unlikely"
    assert verdict(KERAS_2_H5, TODAY) == "expected"


def test_a_target_without_tensorflow_is_unknown():
    assert verdict(KERAS_2_H5, {"numpy": "1.22.4"}) == "unknown"
