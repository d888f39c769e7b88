"""`tfenvcheck model` with real models saved by real stacks and loaded in real targets, each case
asserted as measured: the exam-2022-07 stack (Python 3.8, TensorFlow 2.9, Keras 2.9) against
Python 3.11 + tensorflow-cpu 2.21 (Keras 3), and tf-keras 2.21 beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_child, run_cli
from tests.test_model_files import keras_2_h5

pytestmark = pytest.mark.slow

# A small model of Dense layers, compiled as course code does, saved under each name given.
SAVE = """
import os, sys
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
for path in sys.argv[1:]:
    model.save(path)
"""


def saved_by(python: Path, folder: Path, *names: str, legacy_keras: bool = False) -> Path:
    folder.mkdir()
    env = {"TF_CPP_MIN_LOG_LEVEL": "2", "PATH": "/usr/bin:/bin"}
    if legacy_keras:
        env["TF_USE_LEGACY_KERAS"] = "1"  # tf.keras is tf_keras (Keras 2) where it is installed
    done = run_child([python, "-c", SAVE, *(folder / name for name in names)], env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def exam_models(tf_2_9_python, tmp_path_factory) -> Path:
    return saved_by(tf_2_9_python, tmp_path_factory.mktemp("tf29") / "models", "model.h5", "savedmodel")


@pytest.fixture(scope="module")
def keras_3_models(tf_current_python, tmp_path_factory) -> Path:
    return saved_by(tf_current_python, tmp_path_factory.mktemp("tf221") / "models", "model.keras", "model.h5")


@pytest.fixture(scope="module")
def tf_keras_models(tf_keras_python, tmp_path_factory) -> Path:
    return saved_by(tf_keras_python, tmp_path_factory.mktemp("tfkeras") / "models", "model.h5", legacy_keras=True)


def model_check(path: Path, python: Path, *options: str) -> tuple[int, dict]:
    done = run_cli("model", str(path), "--python", str(python), "--json", *options)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_a_model_saved_by_the_exam_stack_loads_there(exam_models, tf_2_9_python):
    for name in ("model.h5", "savedmodel"):
        code, document = model_check(exam_models / name, tf_2_9_python)
        assert code == 0, document["load"]
        assert document["kind"] == "tfenvcheck-model" and document["status"] == "ok"
        assert document["file"]["keras_version"] == "2.9.0"
        assert document["target"]["tensorflow_version"] == "2.9.0"
        assert document["target"]["keras_version"] == "2.9.0"
        assert document["expectation"]["verdict"] == "expected"
        assert document["load"]["output_shapes"] == [[1, 1]]
        assert document["load"]["load_seconds"] > 0 and document["load"]["predict_seconds"] > 0
    assert document["file"]["tensorflow_version"] == "2.9.0"  # only a SavedModel records it


def test_an_exam_h5_file_tells_its_metadata(exam_models, tf_2_9_python):
    _, document = model_check(exam_models / "model.h5", tf_2_9_python)
    file = document["file"]
    assert (file["format"], file["model_class"], file["layer_count"]) == ("h5", "Sequential", 2)
    assert (file["parameter_count"], file["input_shapes"], file["output_shapes"]) == (49, [[None, 4]], [[None, 1]])


def test_a_keras_3_keras_file_does_not_load_in_the_exam_stack(keras_3_models, tf_2_9_python):
    code, document = model_check(keras_3_models / "model.keras", tf_2_9_python, "--profile", "exam-2022-07")
    assert code == 1 and document["status"] == "fail"
    assert document["file"]["keras_version"].startswith("3.")
    assert document["expectation"]["verdict"] == "cannot"
    assert document["load"]["stage"] == "load"
    assert document["load"]["error"]["type"] == "OSError"
    assert document["load"]["error"]["last_line"] == "Unable to synchronously open file (file signature not found)"
    assert [d["id"] for d in document["diagnoses"]] == ["keras-format-in-old-keras"]
    assert document["remedies"][0].startswith(
        "Train the model with the target's TensorFlow in the notebook (pip install tensorflow==2.9.0, "
        "on a Python <3.9,>=3.8 as the profile exam-2022-07 says)"
    )


def test_a_keras_3_h5_file_does_not_load_in_the_exam_stack(keras_3_models, tf_2_9_python):
    code, document = model_check(keras_3_models / "model.h5", tf_2_9_python)
    assert code == 1
    assert document["expectation"]["verdict"] == "unlikely"
    assert document["load"]["error"]["last_line"] == "Unrecognized keyword arguments: ['batch_shape', 'optional']"
    assert [d["id"] for d in document["diagnoses"]] == ["keras3-h5-in-keras2"]


def test_a_tf_keras_h5_file_does_not_load_in_the_exam_stack_either(tf_keras_models, tf_2_9_python):
    code, document = model_check(tf_keras_models / "model.h5", tf_2_9_python)
    assert code == 1
    assert document["file"]["keras_version"] == "2.21.0"
    assert document["load"]["error"]["last_line"] == "Unrecognized keyword arguments: ['optional']"
    assert [d["id"] for d in document["diagnoses"]] == ["keras3-h5-in-keras2"]


def test_the_exam_stacks_models_in_keras_3(exam_models, keras_3_models, tf_current_python):
    code, document = model_check(keras_3_models / "model.keras", tf_current_python)
    assert code == 0 and document["load"]["output_shapes"] == [[1, 1]]
    code, document = model_check(exam_models / "model.h5", tf_current_python)
    assert code == 1 and document["expectation"]["verdict"] == "unlikely"
    assert document["load"]["error"]["last_line"] == (
        "Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass"
    )
    assert [d["id"] for d in document["diagnoses"]] == ["compiled-h5-in-keras3"]
    code, document = model_check(keras_3_models / "model.h5", tf_current_python)  # Keras 3's own .h5
    assert code == 1 and document["load"]["error"]["last_line"] == (
        "Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass"
    )
    code, document = model_check(exam_models / "savedmodel", tf_current_python)
    assert code == 1 and document["expectation"]["verdict"] == "cannot"
    assert document["load"]["error"]["first_line"].startswith("File format not supported: filepath=")


def test_the_report_lists_the_models_it_was_given(exam_models, keras_3_models, tf_2_9_python):
    done = run_cli(
        "report",
        "--python",
        str(tf_2_9_python),
        "--profile",
        "exam-2022-07",
        "--no-tensorflow",
        "--no-redact",
        "--markdown",
        "-",
        "--model",
        str(exam_models / "model.h5"),
        "--model",
        str(keras_3_models / "model.keras"),
    )
    assert done.returncode in (0, 1), done.stderr
    assert "#### Model files loaded in this interpreter" in done.stdout
    assert "| `{}` | h5 file, Keras 2.9.0 | loads and predicts (output [[1, 1]], load ".format(
        exam_models / "model.h5"
    ) in (done.stdout)
    # The Keras 3 release pip chose beside tensorflow-cpu 2.21.0 when the venv was built (3.15.1 here).
    row = next(
        line for line in done.stdout.splitlines() if line.startswith("| `{}` |".format(keras_3_models / "model.keras"))
    )
    assert row.startswith("| `{}` | keras file, Keras 3.".format(keras_3_models / "model.keras"))
    assert row.endswith(
        " | does not load: Unable to synchronously open file (file signature not found) "
        "| A .keras model file does not load in Keras before 2.12 (keras-format-in-old-keras) |"
    )


def test_a_target_whose_tensorflow_does_not_import_could_not_check(tf_2_0_broken_python, tmp_path):
    """TF 2.0.0 with protobuf 4 (its import fails, in protobuf's own words): status 3 and one line, not a failed load."""
    path = keras_2_h5(tmp_path / "model.h5")
    done = run_cli("model", str(path), "--python", str(tf_2_0_broken_python), "--json")
    assert done.returncode == 3, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "tfenvcheck: error: TensorFlow does not import in {0} (TypeError: Descriptors cannot not be created "
        "directly.); `tfenvcheck check --python {0}` says why".format(tf_2_0_broken_python)
    ]
