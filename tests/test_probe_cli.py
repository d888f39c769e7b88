"""`tfenvcheck probe` against real interpreters and real (if deliberately broken) packages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from tests.helpers import require_python, run_cli, stand_in_python
from tests.helpers.facts import BUILD_2_18, target_facts
from tfenvcheck.render.probe_text import render_probe

TARGET_VERSIONS = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def probe_json(*args: str, **kwargs) -> dict:
    done = run_cli("probe", "--json", *args, **kwargs)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("version", TARGET_VERSIONS)
def test_reports_the_target_python_version(version):
    python = require_python(version)
    facts = probe_json("--python", str(python), "--no-tensorflow")
    assert facts["schema_version"] == 1
    interpreter = facts["interpreter"]
    assert interpreter["version"] == python.resolve().parent.parent.name  # pyenv's folder: "3.7.16"
    assert interpreter["version"].startswith(version + ".")
    assert interpreter["executable"] == str(python) or Path(interpreter["real_executable"]) == python.resolve()
    assert interpreter["origin"] == "pyenv"
    assert interpreter["is_venv"] is False
    assert interpreter["linecache_file"].endswith("/lib/python{}/linecache.py".format(version))
    assert facts["packages"]["pip"]
    tensorflow = facts["tensorflow"]
    assert (tensorflow["probed"], tensorflow["importable"], tensorflow["version"]) == (False, None, None)
    assert tensorflow["error"] is None and tensorflow["gpus"] == []


def test_python_2_7_is_refused_in_one_line():
    python = require_python("2.7")
    done = run_cli("probe", "--python", str(python))
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1].startswith("tfenvcheck: error: unsupported interpreter: Python 2.7 ")
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    "body, message",
    [
        ("cat >/dev/null; kill -ILL $$", "crashed with signal 4 (SIGILL: illegal instruction)"),
        ("cat >/dev/null; echo 'Welcome to my shell wrapper'", "answered nothing usable: no answer line on its stdout"),
        ("cat >/dev/null; exit 9", "exited with status 9"),
    ],
)
def test_broken_targets_give_one_line_and_exit_3(tmp_path, body, message):
    done = run_cli("probe", "--python", stand_in_python(tmp_path, body), "--json")
    assert done.returncode == 3
    assert done.stdout == ""
    [line] = [text for text in done.stderr.splitlines() if text.startswith("tfenvcheck:")]
    assert message in line
    assert "Traceback" not in done.stderr


def test_missing_target_gives_one_line_and_exit_3(tmp_path):
    done = run_cli("probe", "--python", str(tmp_path / "venv" / "bin" / "python"))
    assert done.returncode == 3
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_command_name_gives_one_line_and_exit_3():
    done = run_cli("probe", "--python", "python3.99-does-not-exist")
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "tfenvcheck: error: python3.99-does-not-exist not found: give a path to a Python interpreter or a command on PATH"
    )


@pytest.fixture
def venv_with_fake_tensorflow(tmp_path):
    """A real venv whose `tensorflow` package does what a test writes into its __init__.py."""
    python = require_python("3.11")
    venv = tmp_path / "venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    package = venv / "lib" / "python3.11" / "site-packages" / "tensorflow"
    package.mkdir(parents=True)

    def make(init_source: str) -> str:
        (package / "__init__.py").write_text(init_source)
        return str(venv / "bin" / "python")

    return make


def test_tensorflow_killed_by_sigill_is_a_fact(venv_with_fake_tensorflow):
    python = venv_with_fake_tensorflow("import os, signal\nos.kill(os.getpid(), signal.SIGILL)\n")
    facts = probe_json("--python", python)
    tensorflow = facts["tensorflow"]
    assert tensorflow["importable"] is False
    assert tensorflow["error"]["type"] == "signal"
    assert tensorflow["error"]["message"] == "crashed with signal 4 (SIGILL: illegal instruction)"


def test_tensorflow_hang_is_a_fact_after_the_timeout(venv_with_fake_tensorflow):
    python = venv_with_fake_tensorflow("import time\ntime.sleep(600)\n")
    facts = probe_json("--python", python, "--timeout", "2")
    assert facts["tensorflow"]["importable"] is False
    assert facts["tensorflow"]["error"]["type"] == "timeout"
    assert facts["tensorflow"]["error"]["message"] == "timed out after 2 s"


def test_tensorflow_import_error_keeps_type_and_message(venv_with_fake_tensorflow):
    python = venv_with_fake_tensorflow(
        "raise ImportError('Traceback above.\\nFailed to load the native TensorFlow runtime.')\n"
    )
    facts = probe_json("--python", python)
    error = facts["tensorflow"]["error"]
    assert error["type"] == "ImportError"
    assert error["last_line"] == "Failed to load the native TensorFlow runtime."
    assert error["last_frame"].endswith("tensorflow/__init__.py:1 in <module>")


def test_odd_tensorflow_without_the_usual_api_is_described_not_fatal(venv_with_fake_tensorflow):
    python = venv_with_fake_tensorflow("print('chatter on stdout')\n__version__ = '9.9.9'\n")
    facts = probe_json("--python", python)
    tensorflow = facts["tensorflow"]
    assert tensorflow["importable"] is True
    assert tensorflow["version"] == "9.9.9"
    assert tensorflow["built_with_cuda_error"]["type"] == "AttributeError"
    assert tensorflow["devices"] == [] and tensorflow["devices_error"]["type"] == "AttributeError"


def test_the_working_directory_cannot_shadow_the_probed_modules(tmp_path):
    """PyCharm projects often hold a file named like a module; the payload must not import it."""
    python = require_python("3.11")
    (tmp_path / "tensorflow.py").write_text("raise SystemExit('shadowed')\n")
    (tmp_path / "json.py").write_text("raise SystemExit('shadowed')\n")
    console_script = Path(sys.executable).with_name("tfenvcheck")
    done = subprocess.run(
        [str(console_script), "probe", "--json", "--python", str(python)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tensorflow"]["error"]["type"] == "ModuleNotFoundError"


def test_human_output_names_target_and_reason():
    python = require_python("3.11")
    done = run_cli("probe", "--python", str(python), "--no-tensorflow")
    assert done.returncode == 0, done.stderr
    assert "given with --python" in done.stdout
    assert "3.11." in done.stdout and "not probed (--no-tensorflow)" in done.stdout


def test_active_virtualenv_is_the_default_target(tmp_path):
    python = require_python("3.9")
    venv = tmp_path / "exam-venv"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    env.pop("CONDA_PREFIX", None)
    facts = probe_json("--no-tensorflow", env=env)
    assert facts["target"]["reason"] == "the active virtualenv (VIRTUAL_ENV)"
    assert facts["interpreter"]["prefix"] == str(venv)
    assert facts["interpreter"]["is_venv"] is True
    assert facts["interpreter"]["version"].startswith("3.9.")


@pytest.mark.slow
def test_real_current_tensorflow(tf_current_python):
    facts = probe_json("--python", str(tf_current_python))
    tensorflow = facts["tensorflow"]
    assert tensorflow["importable"] is True, tensorflow["error"]
    assert tensorflow["version"] == "2.21.0"
    assert facts["packages"]["tensorflow-cpu"] == "2.21.0"
    assert tensorflow["keras"]["backing"] == "keras"
    assert tensorflow["keras"]["version"] == facts["packages"]["keras"]
    assert tensorflow["keras"]["version"].startswith("3.")
    assert tensorflow["built_with_cuda"] is False
    assert [d["type"] for d in tensorflow["devices"]] == ["CPU"]
    assert tensorflow["gpus"] == []
    [op] = tensorflow["tiny_ops"]
    assert op["ok"] is True and op["placed_on"].endswith("device:CPU:0")


@pytest.mark.slow
def test_real_tensorflow_2_0_fails_to_import_for_the_known_reason(tf_2_0_broken_python):
    facts = probe_json("--python", str(tf_2_0_broken_python))
    assert facts["interpreter"]["version"].startswith("3.7.")
    assert facts["packages"]["tensorflow"] == "2.0.0"
    assert int(facts["packages"]["protobuf"].split(".")[0]) >= 4
    error = facts["tensorflow"]["error"]
    assert facts["tensorflow"]["importable"] is False
    assert error["type"] == "TypeError"
    assert error["first_line"] == "Descriptors cannot not be created directly."
    assert "google/protobuf/descriptor.py" in error["last_frame"]
    done = run_cli("probe", "--python", str(tf_2_0_broken_python))
    assert "does not import: TypeError: Descriptors cannot not be created directly." in " ".join(done.stdout.split())


@pytest.mark.slow
def test_real_tensorflow_2_5_on_python_3_8(tf_2_5_python):
    facts = probe_json("--python", str(tf_2_5_python))
    tensorflow = facts["tensorflow"]
    assert tensorflow["importable"] is True, tensorflow["error"]
    assert tensorflow["version"] == "2.5.0"
    assert tensorflow["keras"]["backing"] == "tensorflow.python.keras"
    assert tensorflow["build_info"]["cuda_version"] == "11.2"
    assert tensorflow["built_with_cuda"] is True


def test_the_text_view_says_what_the_target_sees_of_the_nvidia_stack():
    """libcuda, the nvidia-* wheels' libraries, the build's CUDA and what TensorFlow loaded."""
    site = "/home/ana/exam/lib/python3.9/site-packages/nvidia"
    facts = target_facts(
        tensorflow="2.18.0",
        build_info=BUILD_2_18,
        gpu={
            "probed": True,
            "libcuda_error": "libcuda.so.1: cannot open shared object file: No such file or directory",
            "wsl_library_folder": "/usr/lib/wsl/lib",
            "wheel_libraries": [
                {"path": site + "/cudnn/lib/libcudnn.so.9", "package": "cudnn", "on_library_path": True},
                {"path": site + "/cublas/lib/libcublas.so.12", "package": "cublas"},
            ],
            "loaded_libraries": {"probed": True, "loaded": {}, "not_found": ["libcudart.so.12"], "gpus": 0},
        },
    )
    console = Console(record=True, width=400)
    render_probe(facts, console)
    rows = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in console.export_text().splitlines())
    assert rows["GPU (target)"] == (
        "libcuda does not load: libcuda.so.1: cannot open shared object file: No such file or directory; "
        "WSL's driver folder /usr/lib/wsl/lib is not on the library path; "
        "nvidia-* wheels: 2 libraries of cublas, cudnn (1 on the library path, 0 preloaded)"
    )
    assert rows["CUDA build"] == "CUDA 12.5.1, cuDNN 9, compute capabilities sm_60, sm_70, sm_80, sm_89, compute_90"
    assert rows["CUDA libraries"] == "0 loaded (none); not found: libcudart.so.12"
