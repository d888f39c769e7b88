"""`tfenvcheck run`: the target's output passed through, its exit status returned, a failure diagnosed."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from tests.helpers import require_python, run_cli
from tfenvcheck.registry.loader import load_registry

BY_ID = {b.id: b for b in load_registry()}


def test_output_passes_through_and_the_status_is_the_targets():
    python = require_python("3.11")
    done = run_cli(
        "run",
        "--python",
        str(python),
        "--",
        "-c",
        "import sys; print('out'); print('err', file=sys.stderr); sys.exit(7)",
    )
    assert done.returncode == 7
    assert done.stdout == "out\n"
    assert done.stderr.startswith("err\n")
    assert "the target exited with status 7" in done.stderr
    assert "No known breakage shows in this text" in done.stderr


def test_success_prints_nothing_of_tfenvcheck():
    python = require_python("3.11")
    done = run_cli("run", "--python", str(python), "--", "-c", "print('trained')")
    assert (done.returncode, done.stdout, done.stderr) == (0, "trained\n", "")


def test_a_failure_is_diagnosed_on_stderr_and_in_the_diagnosis_file(tmp_path):
    python = require_python("3.11")
    report = tmp_path / "diagnosis.json"
    done = run_cli(
        "run",
        "--python",
        str(python),
        "--diagnosis",
        str(report),
        "--",
        "-c",
        "raise TypeError('Descriptors cannot not be created directly.')",
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "protobuf4-descriptors" in done.stderr
    assert "the text matches, but your interpreter does not have these conditions" in done.stderr
    document = json.loads(report.read_text())
    assert document["kind"] == "tfenvcheck-explain" and document["exit_status"] == 1
    assert document["matches"][0]["id"] == "protobuf4-descriptors"
    assert document["matches"][0]["applies_to_target"] is False


def test_a_signal_is_128_plus_its_number_and_sigill_is_diagnosed():
    python = require_python("3.11")
    done = run_cli("run", "--python", str(python), "--", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    assert done.returncode == 132
    assert "the target crashed with signal 4 (SIGILL: illegal instruction)" in done.stderr
    assert "TensorFlow wheels need a CPU with AVX (no-avx" in done.stderr


def test_a_target_that_cannot_start_is_one_line_and_status_3(tmp_path):
    done = run_cli("run", "--python", str(tmp_path / "python"), "--", "-c", "print(1)")
    assert (done.returncode, done.stdout) == (3, "")
    assert done.stderr == "tfenvcheck: error: cannot start {}: No such file or directory\n".format(tmp_path / "python")


def test_arguments_are_required():
    done = run_cli("run", "--python", sys.executable)
    assert done.returncode == 2 and done.stderr.startswith("tfenvcheck: error: give the target's arguments after --")


def test_on_a_terminal_the_target_writes_to_a_terminal():
    python = require_python("3.11")
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tfenvcheck",
            "run",
            "--python",
            str(python),
            "--",
            "-c",
            "import sys; print(sys.stdout.isatty(), sys.stderr.isatty()); print('\\r5/10', end='', flush=True)",
        ],
        stdout=slave,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    assert output == b"True True\r\n\r5/10"


@pytest.mark.slow
def test_import_tensorflow_in_the_real_tf20_venv_exits_1_and_names_protobuf4(tf_2_0_broken_python, tmp_path):
    report = tmp_path / "diagnosis.json"
    done = run_cli(
        "run", "--python", str(tf_2_0_broken_python), "--diagnosis", str(report), "--", "-c", "import tensorflow"
    )
    assert done.returncode == 1
    assert "TypeError: Descriptors cannot not be created directly." in done.stderr  # the target's own output
    assert "applies to your interpreter (TensorFlow 2.0.0, protobuf 4.24.4" in done.stderr
    first = json.loads(report.read_text())["matches"][0]
    assert (first["id"], first["applies_to_target"]) == ("protobuf4-descriptors", True)


@pytest.mark.slow
@pytest.mark.parametrize("entry", ["numpy120-symbolic-lstm", "h5py3-str-decode"])
def test_the_later_errors_of_the_real_tf20_venv_name_their_entries(tf_2_0_broken_python, tmp_path, entry):
    """With protobuf's pure-Python parser TensorFlow imports, and the LSTM model and the .h5 reload fail."""
    report = tmp_path / "diagnosis.json"
    confirm = BY_ID[entry].confirm
    done = run_cli(
        "run",
        "--python",
        str(tf_2_0_broken_python),
        "--diagnosis",
        str(report),
        "--",
        "-c",
        confirm.snippet,
        env=dict(os.environ, **confirm.env),
    )
    assert done.returncode == 1, done.stderr
    first = json.loads(report.read_text())["matches"][0]
    assert (first["id"], first["applies_to_target"]) == (entry, True)
