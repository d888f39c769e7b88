"""The pin and env actions together on a real current stack: Keras 3 behind tf.keras in
TensorFlow 2.21 (a copy of the cached Python 3.11 + tensorflow-cpu 2.21.0 venv). The fix installs
tf-keras for the target's TensorFlow minor version and sets TF_USE_LEGACY_KERAS=1 for every run of
the interpreter through a .pth file; Keras 2 code then works; undo puts both back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import COMPLETE_MARKER, run_cli
from tests.helpers.fix_targets import fix_env, freeze

pytestmark = pytest.mark.slow

KERAS_2_CODE = """
import tensorflow as tf
layer = tf.keras.layers.LSTM(8, time_major=False)  # a Keras 2 argument that Keras 3 refuses
print(tf.keras.__name__.split(".")[0])
"""


def run_in(python: Path, code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env, timeout=300)


def test_fix_keras3_installs_tf_keras_and_sets_legacy_keras_then_undo_removes_both(tf_current_python, tmp_path):
    copy = tmp_path / "tf221"
    shutil.copytree(tf_current_python.parent.parent, copy, symlinks=True)
    (copy / COMPLETE_MARKER).unlink()
    python = copy / "bin" / "python"
    before = freeze(python)
    assert "Unrecognized keyword arguments passed to LSTM: {'time_major': False}" in run_in(python, KERAS_2_CODE).stderr

    env = fix_env(tmp_path / "state")
    env.pop("TF_USE_LEGACY_KERAS", None)
    done = run_cli("fix", "keras3-legacy-code", "--python", str(python), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    pin, setting = record["actions"]
    assert (pin["kind"], pin["status"], pin["requirements"], pin["options"]) == (
        "pin",
        "applied",
        ["tf-keras~=2.21.0"],
        ["--no-deps"],
    )
    # Only tf-keras is added: no second TensorFlow ("tensorflow" beside tensorflow-cpu).
    assert sorted(set(pin["freeze_after"]) - set(pin["freeze_before"])) == ["tf_keras==2.21.0"]
    assert (setting["kind"], setting["status"], setting["name"], setting["value"]) == (
        "env",
        "applied",
        "TF_USE_LEGACY_KERAS",
        "1",
    )
    assert record["verification"] == [
        {"breakage_id": "keras3-legacy-code", "status": "gone", "detail": "its conditions no longer hold"}
    ]
    legacy = run_in(python, KERAS_2_CODE)
    assert legacy.returncode == 0, legacy.stderr[-2000:]
    assert legacy.stdout.split() == ["tf_keras"]

    undone = run_cli("undo", "--python", str(python), "--yes", "--json", env=env)
    assert undone.returncode == 0, undone.stderr
    assert [a["status"] for a in json.loads(undone.stdout)["undo"]["actions"]] == ["restored", "restored"]
    assert not Path(setting["path"]).exists()
    assert freeze(python) == before
