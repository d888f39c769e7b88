"""End to end on the real 2020 exam stack: a copy of the Python 3.7 + tensorflow==2.0.0 venv that pip
builds today goes from three confirmed breakages to none with `tfenvcheck fix --yes`, trains the
exam's kind of model and round-trips a .h5 file, and `tfenvcheck undo` brings back the exact
previous `pip freeze`. The shared cached venv is never changed: the test works on its own copy."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import COMPLETE_MARKER, run_cli
from tests.helpers.fix_targets import fix_env, freeze

pytestmark = pytest.mark.slow

THE_THREE = ["h5py3-str-decode", "numpy120-symbolic-lstm", "protobuf4-descriptors"]
EXAM_MODEL = """
import os, tempfile
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Embedding(1000, 16, input_length=10),
    tf.keras.layers.LSTM(8),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(np.random.randint(0, 1000, (32, 10)), np.random.randint(0, 2, (32, 1)), epochs=1, verbose=0)
path = os.path.join(tempfile.mkdtemp(), "model.h5")
model.save(path)
reloaded = tf.keras.models.load_model(path)
sample = np.random.randint(0, 1000, (4, 10))
assert np.allclose(model.predict(sample), reloaded.predict(sample))
print("ok", tf.__version__)
"""


@pytest.fixture
def tf_2_0_copy(tf_2_0_broken_python, tmp_path) -> Path:
    """A copy of the cached broken venv that the test may change (a venv's python finds its prefix
    from pyvenv.cfg beside it, so the copy's pip installs into the copy)."""
    copy = tmp_path / "tf20"
    shutil.copytree(tf_2_0_broken_python.parent.parent, copy, symlinks=True)
    (copy / COMPLETE_MARKER).unlink()
    python = copy / "bin" / "python"
    where = subprocess.run(
        [str(python), "-c", "import sys, pip; print(sys.prefix); print(pip.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert where[0] == str(copy) and where[1].startswith(str(copy) + "/")
    return python


def confirmed_breakages(python: Path, env: dict[str, str]) -> list[str]:
    done = run_cli("check", "--python", str(python), "--profile", "exam-2020-07", "--confirm", "--json", env=env)
    findings = json.loads(done.stdout)["findings"]
    return sorted(f["fix_id"] for f in findings if f["id"].startswith("breakage.") and "(confirmed)" in f["title"])


def test_fix_takes_the_tf_2_0_stack_from_three_breakages_to_none_and_undo_restores_the_freeze(
    tf_2_0_broken_python, tf_2_0_copy, tmp_path
):
    env = fix_env(tmp_path / "state")
    shared_before = freeze(tf_2_0_broken_python)
    before = freeze(tf_2_0_copy)
    assert confirmed_breakages(tf_2_0_copy, env) == THE_THREE

    done = run_cli("fix", "--python", str(tf_2_0_copy), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    [pin] = record["actions"]
    assert pin["kind"] == "pin" and pin["status"] == "applied"
    assert {"h5py==2.10.0", "numpy==1.19.5", "protobuf==3.20.3"} <= set(pin["requirements"])
    assert pin["freeze_before"] == before.split()
    assert pin["freeze_after"] == freeze(tf_2_0_copy).split()
    verified = {v["breakage_id"]: v for v in record["verification"]}
    for breakage_id in THE_THREE:
        assert verified[breakage_id] == {
            "breakage_id": breakage_id,
            "status": "gone",
            "detail": "its conditions no longer hold and the snippet that reproduces it runs without error",
        }
    assert all(v["status"] == "gone" for v in record["verification"])

    trained = subprocess.run([str(tf_2_0_copy), "-c", EXAM_MODEL], capture_output=True, text=True, timeout=300)
    assert trained.stdout.strip().splitlines()[-1] == "ok 2.0.0", trained.stderr[-2000:]
    still = run_cli("fixes", "--applicable", "--json", "--python", str(tf_2_0_copy), env=env)
    assert json.loads(still.stdout)["breakages"] == []
    again = run_cli("fix", "--python", str(tf_2_0_copy), "--yes", env=env)
    assert again.returncode == 0 and again.stdout.startswith("Already fixed: no known breakage applies to ")

    undone = run_cli("undo", "--python", str(tf_2_0_copy), "--yes", "--json", env=env)
    assert undone.returncode == 0, undone.stderr
    [restored] = json.loads(undone.stdout)["undo"]["actions"]
    assert restored["status"] == "restored", restored
    assert freeze(tf_2_0_copy) == before
    assert freeze(tf_2_0_broken_python) == shared_before
