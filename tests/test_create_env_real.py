"""create-env for real: the 2020-07 (Python 3.7, TensorFlow 2.0.0) and 2022-07 (Python 3.8,
TensorFlow 2.9.0) exam environments built from the package registry, checked with --confirm, and
an Embedding+LSTM model trained one step in each, and the exam's five questions rehearsed in the 2022-07 one; pip as the fallback for the 2020-07 pins, repaired
by the registry's pins. Slow: each downloads and installs TensorFlow (uv's cache helps when warm)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli
from tests.helpers.pycharm_trees import make_config_dir, realistic_entries
from tfenvcheck.pycharm.config_dirs import CURRENT_LAYOUT

pytestmark = pytest.mark.slow

TRAIN_ONE_STEP = """
import json
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([
    tf.keras.layers.Embedding(1000, 16, input_length=20),
    tf.keras.layers.LSTM(8),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x = np.random.randint(0, 1000, size=(32, 20))
y = np.random.randint(0, 2, size=(32, 1))
history = model.fit(x, y, batch_size=32, epochs=1, verbose=0)
print(json.dumps({"tensorflow": tf.__version__, "loss": float(history.history["loss"][0]), "steps": len(history.epoch)}))
"""


def create_env(*args: str, timeout: float = 900) -> dict:
    done = run_cli("create-env", "--json", *args, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def train_one_step(python: str) -> dict:
    done = subprocess.run(
        [python, "-c", TRAIN_ONE_STEP],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_working(result: dict, python_minor: str, tensorflow: str) -> None:
    check = result["check"]
    assert check["counts"]["fail"] == 0 and check["counts"]["error"] == 0, [
        f["title"] for f in check["findings"] if f["status"] in ("fail", "error")
    ]
    assert check["verdict"] in ("ready", "ready-with-warnings")
    facts = check["facts"]
    assert facts["interpreter"]["version"].startswith(python_minor + ".") and facts["interpreter"]["is_venv"]
    assert facts["packages"]["tensorflow"] == tensorflow and facts["tensorflow"]["importable"]
    assert facts["pip_check"]["clean"] is True
    assert "pip" in facts["packages"]  # a venv with pip in it, as PyCharm expects
    trained = train_one_step(result["environment"]["python"])
    assert trained["tensorflow"] == tensorflow and trained["steps"] == 1 and trained["loss"] > 0


def test_exam_2020_07_with_uv_and_pycharm_registration(tmp_path: Path) -> None:
    require_python("3.7")
    home = tmp_path / "home"
    config = make_config_dir(home, "Linux", CURRENT_LAYOUT, "PyCharm2023.2", realistic_entries())
    destination = tmp_path / "exam-2020"
    result = create_env(
        "--profile", "exam-2020-07", "--register-pycharm", "--pycharm-config", str(config), str(destination)
    )
    environment = result["environment"]
    assert environment["installer"] == "uv" and environment["exclude_newer"] == "2020-07-30"
    assert environment["base"]["version"].startswith("3.7.") and environment["base"]["origin"] == "pyenv"
    # As of the guide's date: protobuf 3, numpy < 1.20 and h5py 2, none of today's breakages.
    packages = result["check"]["facts"]["packages"]
    assert packages["protobuf"].startswith("3.") and packages["numpy"].startswith("1.19.")
    assert packages["h5py"].startswith("2.")
    # ImageDataGenerator needs scipy, which the 2020-07 guide does not name: the registry's pin adds it.
    assert [pin["breakage"] for pin in environment["pins"]] == ["pil-scipy-missing"] and "scipy" in packages
    assert_working(result, "3.7", "2.0.0")
    assert result["pycharm"]["added"] and result["pycharm"]["sdk"]["home_path"] == environment["python"]
    assert environment["seconds"]["built"] < 300


def test_exam_2022_07_with_uv(tmp_path: Path) -> None:
    require_python("3.8")
    result = create_env("--profile", "exam-2022-07", str(tmp_path / "exam-2022"))
    environment = result["environment"]
    assert environment["exclude_newer"] == "2022-07-13" and environment["pins"] == []
    packages = result["check"]["facts"]["packages"]
    assert (packages["tensorflow-datasets"], packages["numpy"], packages["pandas"]) == ("4.6.0", "1.22.4", "1.4.2")
    assert_working(result, "3.8", "2.9.0")
    assert environment["seconds"]["built"] < 300
    # The exam's five questions (smoke size) pass in the environment create-env built, and reload from .h5.
    rehearsed = run_cli(
        "rehearse", "--python", environment["python"], "--profile", "exam-2022-07", "--quick", "--json", timeout=900
    )
    assert rehearsed.returncode == 0, rehearsed.stderr[-3000:]
    questions = json.loads(rehearsed.stdout)["questions"]
    assert [(q["number"], q["passed"], q["reloaded"]) for q in questions] == [(n, True, True) for n in range(1, 6)]


def test_pip_fallback_is_repaired_by_the_registrys_pins(tmp_path: Path) -> None:
    """pip cannot resolve as of a date: tensorflow==2.0.0 comes with today's protobuf 4, numpy 1.21 and
    h5py 3, and the registry's pins put each right. (The 2020-07 profile's unpinned tensorflow-datasets
    makes plain pip backtrack for more than six minutes, so this profile names TensorFlow alone.)"""
    require_python("3.7")
    profile = tmp_path / "tf-2.0-only.toml"
    profile.write_text(
        'name = "tf-2.0-only"\ntitle = "TensorFlow 2.0.0 alone"\ndescription = "d"\nsource = "test"\n'
        'guide_date = 2020-07-29\npython = ">=3.7,<3.8"\nrequires = ["tensorflow==2.0.0"]\n'
        'importable = ["tensorflow"]\nrefused_origins = ["conda"]\n'
    )
    result = create_env("--profile", str(profile), "--installer", "pip", str(tmp_path / "tf20-pip"))
    environment = result["environment"]
    assert environment["installer"] == "pip" and environment["exclude_newer"] is None
    fixed = {pin["breakage"] for pin in environment["pins"]}
    assert {"protobuf4-descriptors", "numpy120-symbolic-lstm", "h5py3-str-decode"} <= fixed
    packages = result["check"]["facts"]["packages"]
    assert (packages["protobuf"], packages["numpy"], packages["h5py"]) == ("3.20.3", "1.19.5", "2.10.0")
    assert_working(result, "3.7", "2.0.0")


def test_a_two_key_profile_gets_the_newest_python_its_tensorflow_supports(tmp_path: Path) -> None:
    """A custom profile with a name and requirements only: no Python range, no guide date. The base is
    the newest Python TensorFlow 2.21.0 was built for (3.10 to 3.13), said so on the way. The verdict
    itself is not asserted: the registry's Keras 2 fix adds tf-keras, which requires `tensorflow`
    rather than `tensorflow-cpu`, and `pip check` says so."""
    require_python("3.13")
    profile = tmp_path / "my.toml"
    profile.write_text('name = "my-course"\nrequires = ["tensorflow-cpu==2.21.0"]\n')
    done = run_cli("create-env", "--json", "--profile", str(profile), str(tmp_path / "course"), timeout=900)
    assert done.returncode in (0, 1) and done.stdout.startswith("{"), done.stderr[-3000:]
    assert "Python >=3.10,<3.14 (what TensorFlow 2.21.0 supports, from its build table)" in done.stderr
    result = json.loads(done.stdout)
    environment = result["environment"]
    assert environment["base"]["version"].startswith("3.13.") and environment["exclude_newer"] is None
    facts = result["check"]["facts"]
    assert facts["packages"]["tensorflow-cpu"] == "2.21.0" and facts["tensorflow"]["importable"]
    imported = subprocess.run(
        [environment["python"], "-c", "import tensorflow as tf; print(tf.__version__)"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
    )
    assert imported.returncode == 0 and imported.stdout.strip().splitlines()[-1] == "2.21.0", imported.stderr[-3000:]
