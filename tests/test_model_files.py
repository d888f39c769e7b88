"""Reading a model file's metadata without TensorFlow: Keras-shaped files written here with h5py and
zipfile, and hostile ones (a corrupt HDF5, a zip bomb named .keras, an empty folder, a huge or deeply
nested config), each refused in one line with exit status 2 and no traceback."""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

import h5py
import numpy
import pytest

from tests.helpers import run_cli, stand_in_python
from tfenvcheck.errors import UsageError
from tfenvcheck.modelfile.reading import read_model_metadata

# The InputLayer and Dense configs as Keras 2.9 writes them in an .h5 file's model_config.
KERAS_2_CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "sequential",
        "layers": [
            {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "name": "input_1"}},
            {"class_name": "Dense", "config": {"name": "dense", "units": 8}},
            {"class_name": "Dense", "config": {"name": "dense_1", "units": 1}},
        ],
    },
}


def keras_2_h5(path: Path, config: object = KERAS_2_CONFIG) -> Path:
    """An .h5 laid out as Keras 2 saves a model: the config and versions as attributes, the weights
    as datasets under model_weights."""
    with h5py.File(path, "w") as h5:
        h5.attrs["model_config"] = json.dumps(config)
        h5.attrs["keras_version"] = "2.9.0"
        h5.attrs["backend"] = "tensorflow"
        weights = h5.create_group("model_weights")
        weights.create_dataset("dense/dense/kernel:0", data=numpy.zeros((4, 8), "float32"))
        weights.create_dataset("dense/dense/bias:0", data=numpy.zeros((8,), "float32"))
        weights.create_dataset("dense_1/dense_1/kernel:0", data=numpy.zeros((8, 1), "float32"))
        weights.create_dataset("dense_1/dense_1/bias:0", data=numpy.zeros((1,), "float32"))
    return path


def refusal(path: Path) -> str:
    """The one line `tfenvcheck model PATH` prints, having checked it exits 2 without a traceback."""
    done = run_cli("model", str(path), "--python", sys.executable)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_an_h5_model_tells_its_keras_layers_parameters_and_shapes(tmp_path):
    found = read_model_metadata(keras_2_h5(tmp_path / "model.h5"))
    assert found["format"] == "h5"
    assert (found["keras_version"], found["backend"]) == ("2.9.0", "tensorflow")
    assert found["model_class"] == "Sequential"
    assert [layer["class_name"] for layer in found["layers"]] == ["InputLayer", "Dense", "Dense"]
    assert found["layer_count"] == 2
    assert found["parameter_count"] == 49  # 4*8 + 8 + 8*1 + 1
    assert found["input_shapes"] == [[None, 4]]
    assert found["output_shapes"] == [[None, 1]]
    assert found["size_bytes"] == (tmp_path / "model.h5").stat().st_size
    assert found["compiled"] is False  # no training_config attribute


def test_a_corrupt_hdf5_file_is_refused_in_one_line(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\xff" * 4096)  # the signature, then garbage
    assert refusal(path).startswith("tfenvcheck: error: {}: not an HDF5 file (".format(path))


def test_a_truncated_hdf5_file_is_refused_in_one_line(tmp_path):
    path = keras_2_h5(tmp_path / "model.h5")
    path.write_bytes(path.read_bytes()[:1500])
    assert refusal(path).startswith("tfenvcheck: error: {}: ".format(path))


def test_an_hdf5_file_of_weights_only_is_named_so(tmp_path):
    path = tmp_path / "weights.h5"
    with h5py.File(path, "w") as h5:
        h5.attrs["layer_names"] = [b"dense"]
    assert refusal(path) == (
        "tfenvcheck: error: {}: an HDF5 file of weights only (no model_config): load it with model.load_weights".format(
            path
        )
    )


def test_a_zip_bomb_named_keras_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", '{"keras_version": "3.0.0"}')
        archive.writestr("config.json", b" " * (64 * 1024 * 1024))  # 64 MiB of spaces, 64 KiB compressed
    assert path.stat().st_size < 1024 * 1024
    assert refusal(path) == "tfenvcheck: error: {}: config.json in the archive is over 16 MiB uncompressed".format(path)


def test_a_keras_file_that_is_no_zip_is_refused(tmp_path):
    path = tmp_path / "model.keras"
    path.write_bytes(b"not a zip at all")
    assert refusal(
        path
    ) == "tfenvcheck: error: {}: not a Keras archive: not a zip file (File is not a zip file)".format(path)


def test_an_empty_folder_is_no_saved_model(tmp_path):
    assert refusal(tmp_path) == "tfenvcheck: error: {}: a folder without saved_model.pb: not a SavedModel".format(
        tmp_path
    )


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.h5"
    assert refusal(path) == "tfenvcheck: error: {}: no such file or folder".format(path)


def test_a_deeply_nested_config_is_refused(tmp_path):
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as h5:
        h5.attrs["model_config"] = "[" * 200_000 + "]" * 200_000
    assert refusal(path).startswith("tfenvcheck: error: {}: model_config is not valid JSON (".format(path))


def test_a_huge_config_attribute_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "model.h5"
    with h5py.File(path, "w", libver="latest") as h5:  # dense attribute storage: no 64 KiB limit
        h5.attrs["model_config"] = numpy.bytes_(b" " * (20 * 1024 * 1024))
    assert refusal(path) == "tfenvcheck: error: {}: its model_config attribute is over 16 MiB".format(path)


def test_a_keras_archive_reports_its_keras_version_and_counts_only_the_layers_weights(tmp_path):
    weights = tmp_path / "model.weights.h5"
    with h5py.File(weights, "w") as h5:
        h5.create_dataset("layers/dense/vars/0", data=numpy.zeros((4, 8), "float32"))
        h5.create_dataset("layers/dense/vars/1", data=numpy.zeros((8,), "float32"))
        h5.create_dataset("optimizer/vars/0", data=numpy.zeros((), "int64"))
    path = tmp_path / "model.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", '{"keras_version": "3.15.1", "date_saved": "2026-12-02@00:58:16"}')
        archive.writestr("config.json", json.dumps(KERAS_2_CONFIG))
        archive.write(weights, "model.weights.h5")
    found = read_model_metadata(path)
    assert (found["format"], found["keras_version"], found["parameter_count"]) == ("keras", "3.15.1", 40)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("model.h5", "not an HDF5 file ("), ("model.keras", "not a Keras archive: not a zip file (")],
)
def test_an_empty_file_is_refused_by_what_its_name_says_it_is(tmp_path, name, reason):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(UsageError, match="^{}: {}".format(re.escape(str(path)), re.escape(reason))):
        read_model_metadata(path)


def test_a_reader_that_does_not_finish_in_time_is_a_one_line_refusal(tmp_path):
    """libhdf5 stuck on a hostile file: the child is killed at the timeout and says so."""
    path = keras_2_h5(tmp_path / "model.h5")
    with pytest.raises(UsageError, match="^{}: reading it timed out after 0.001 s$".format(re.escape(str(path)))):
        read_model_metadata(path, timeout=0.001)


def test_a_saved_model_folder_with_garbage_for_its_graph_is_refused(tmp_path):
    (tmp_path / "saved_model.pb").write_bytes(b"\xff" * 64)
    assert refusal(tmp_path) == "tfenvcheck: error: {}: saved_model.pb is not a valid protocol buffer".format(tmp_path)


def test_a_target_that_crashes_loading_the_model_is_a_failed_load(tmp_path):
    """A segfault in load_model (or in the import before it: the answer is lost with the process)."""
    path = keras_2_h5(tmp_path / "model.h5")
    # The interpreter probe runs `python -u -`; the load payload gets the model's path as a third argument.
    python = stand_in_python(
        tmp_path / "bin", 'if [ $# -gt 2 ]; then kill -SEGV $$; fi\nexec {} "$@"'.format(sys.executable)
    )
    done = run_cli("model", str(path), "--python", python, "--json")
    assert done.returncode == 1, done.stderr
    load = json.loads(done.stdout)["load"]
    assert (load["stage"], load["loaded"]) == ("crash", False)
    assert load["error"]["first_line"] == "crashed with signal 11 (SIGSEGV: segmentation fault)"
