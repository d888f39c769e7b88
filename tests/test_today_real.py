"""Today's breakages on real Python 3.11 stacks, installed as users install them: TF-Hub's KerasLayer
under Keras 3 (TensorFlow 2.21), numpy 2 forced into TensorFlow 2.15, and JAX's ml-dtypes 0.5 forced
into TensorFlow 2.18. The check names each entry; numpy 2's is confirmed in the target, and after
`fix` a KerasLayer goes into a Sequential. TensorFlow is tensorflow-cpu throughout (the smaller wheel);
the TF-Hub venv is what pip adds for `tensorflow==2.21.0 tensorflow-hub`, seeing the shared 2.21.0 venv
(tests/conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import COMPLETE_MARKER, FORCED_LOG, cached_venv, run_cli
from tests.helpers.fix_targets import fix_env
from tests.test_explain_today import first_ids

pytestmark = pytest.mark.slow

# Packages forced past TensorFlow's pins in a second pip run, as a user does with `pip install -U numpy`
# or by installing JAX (which takes ml-dtypes 0.5): pip installs them and warns of the conflict.
TF_2_15_NUMPY_2 = ("3.11", ["tensorflow-cpu==2.15.1"], ["numpy==2.4.6"])
TF_2_18_ML_DTYPES_05 = ("3.11", ["tensorflow-cpu==2.18.0"], ["ml-dtypes==0.5.1"])

# A course notebook's first TF-Hub cell, with a model saved here (tfhub.dev is not reachable).
HUB_IN_SEQUENTIAL = """
import tensorflow as tf
import tensorflow_hub as hub

class Doubler(tf.Module):
    def __init__(self):
        self.weight = tf.Variable(2.0)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        return x * self.weight

tf.saved_model.save(Doubler(), "doubler")
model = tf.keras.Sequential([hub.KerasLayer("doubler", input_shape=(3,)), tf.keras.layers.Dense(1)])
print(type(model).__module__.split(".")[0], model(tf.ones([2, 3])).shape)
"""


def check_findings(python: Path, *args: str) -> dict[str, dict]:
    done = run_cli("check", "--python", str(python), "--json", *args, env=without_legacy_keras())
    assert done.returncode in (0, 1), done.stderr
    return {f["id"]: f for f in json.loads(done.stdout)["findings"]}


def without_legacy_keras(env: dict[str, str] | None = None) -> dict[str, str]:
    return {k: v for k, v in (env or os.environ).items() if k != "TF_USE_LEGACY_KERAS"}


def run_hub_cell(python: Path, folder: Path) -> subprocess.CompletedProcess:
    folder.mkdir()
    return subprocess.run(
        [str(python), "-c", HUB_IN_SEQUENTIAL],
        capture_output=True,
        text=True,
        cwd=folder,
        env=without_legacy_keras(),
        timeout=300,
    )


def test_tfhub_keraslayer_under_keras3_is_flagged_and_after_fix_goes_into_a_sequential(tf_hub_python, tmp_path):
    copy = tmp_path / "hub"
    shutil.copytree(tf_hub_python.parent.parent, copy, symlinks=True)
    (copy / COMPLETE_MARKER).unlink()
    python = copy / "bin" / "python"

    flagged = check_findings(python, "--profile", "course-2025")["breakage.tfhub-keraslayer-keras3"]
    assert (flagged["status"], flagged["fix_id"]) == ("warn", "tfhub-keraslayer-keras3")
    assert flagged["seen"] == "TensorFlow 2.21.0; tensorflow-hub 0.16.1; keras 3.15.1; TF_USE_LEGACY_KERAS not set"
    broken = run_hub_cell(python, tmp_path / "before")
    assert broken.returncode == 1
    assert (
        "ValueError: Only instances of `keras.Layer` can be added to a Sequential model. Received: "
        "<tensorflow_hub.keras_layer.KerasLayer object at 0x"
    ) in broken.stderr
    assert first_ids(broken.stderr)[0] == "tfhub-keraslayer-keras3"

    env = without_legacy_keras(fix_env(tmp_path / "state"))
    done = run_cli("fix", "tfhub-keraslayer-keras3", "--python", str(python), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    # pip already took the tf-keras the pin asks for; what was missing is the variable.
    pin, setting = record["actions"]
    assert (pin["kind"], pin["status"]) == ("pin", "already-done")
    assert (setting["status"], setting["name"], setting["value"]) == ("applied", "TF_USE_LEGACY_KERAS", "1")
    assert record["verification"] == [
        {"breakage_id": "tfhub-keraslayer-keras3", "status": "gone", "detail": "its conditions no longer hold"}
    ]
    fixed = run_hub_cell(python, tmp_path / "after")
    assert fixed.returncode == 0, fixed.stderr[-2000:]
    assert fixed.stdout.split() == ["tf_keras", "(2,", "1)"]


def test_numpy_2_forced_into_tensorflow_215_is_flagged_and_confirmed():
    python = cached_venv(*TF_2_15_NUMPY_2)
    finding = check_findings(python, "--confirm")["breakage.numpy2-abi"]
    assert finding["status"] == "fail"
    assert finding["title"].endswith("(confirmed)"), finding
    assert (
        finding["seen"] == "TensorFlow 2.15.1; numpy 2.4.6 -> confirmed: ImportError: numpy.core.umath failed to import"
    )
    imported = subprocess.run([str(python), "-c", "import tensorflow"], capture_output=True, text=True, timeout=300)
    assert "A module that was compiled using NumPy 1.x cannot be run in\nNumPy 2.4.6" in imported.stderr
    assert "AttributeError: _ARRAY_API not found" in imported.stderr
    assert first_ids(imported.stderr)[0] == "numpy2-abi"


def test_ml_dtypes_05_forced_into_tensorflow_218_is_flagged_and_pips_warning_explained():
    python = cached_venv(*TF_2_18_ML_DTYPES_05)
    finding = check_findings(python)["breakage.ml-dtypes-conflict"]
    assert (finding["status"], finding["seen"]) == ("fail", "TensorFlow 2.18.0; ml-dtypes 0.5.1")
    warning = (python.parent.parent / FORCED_LOG).read_text()
    assert (
        "tensorflow-cpu 2.18.0 requires ml-dtypes<0.5.0,>=0.4.0, but you have ml-dtypes 0.5.1 which is incompatible."
    ) in warning
    assert first_ids(warning)[0] == "ml-dtypes-conflict"
    checked = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert (
        checked.stdout
        == "tensorflow-cpu 2.18.0 has requirement ml-dtypes<0.5.0,>=0.4.0, but you have ml-dtypes 0.5.1.\n"
    )
    assert first_ids(checked.stdout) == ["ml-dtypes-conflict"]
