"""Redaction of what is shared (`check --markdown`, `report`): the home folder, other users' home
folders on Linux, macOS and Windows, the user name, GPU UUIDs; and the word "root" when root runs it."""

from __future__ import annotations

import getpass
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli, stand_in_program
from tfenvcheck.render.redact import redact, redact_data

UUID = "GPU-5a2c1f0e-8d3b-4c6a-9e71-2b4d6f8a0c13"


@pytest.mark.parametrize(
    "text, redacted",
    [
        ("/home/ana/exam/bin/python", "~/exam/bin/python"),
        ("/home/bob/venv/bin/python and /home/bob", "/home/<user>/venv/bin/python and /home/<user>"),
        ("/Users/carol/exam/bin/python3", "/Users/<user>/exam/bin/python3"),
        ("C:\\Users\\dave\\exam\\Scripts\\python.exe", "C:\\Users\\<user>\\exam\\Scripts\\python.exe"),
        ("c:\\users\\dave\\AppData", "c:\\users\\<user>\\AppData"),
        ("'/home/eve' \"/Users/frank\"", "'/home/<user>' \"/Users/<user>\""),
        (
            "0, NVIDIA GeForce RTX 3060, {}, 550.54.14".format(UUID),
            "0, NVIDIA GeForce RTX 3060, GPU-<redacted>, 550.54.14",
        ),
        ("ana ran it; banana and anaconda stay", "<user> ran it; banana and anaconda stay"),
        ("/usr/lib/python3.9 and /opt/homebrew/bin", "/usr/lib/python3.9 and /opt/homebrew/bin"),
    ],
)
def test_what_identifies_someone_is_redacted(text, redacted):
    assert redact(text, home="/home/ana", user="ana") == redacted


def test_a_document_is_redacted_in_its_keys_and_values():
    document = {"/home/bob/x": ["C:\\Users\\dave\\y", {"uuid": UUID}], "count": 3, "ok": True, "none": None}
    assert redact_data(document, home="/home/ana", user="ana") == {
        "/home/<user>/x": ["C:\\Users\\<user>\\y", {"uuid": "GPU-<redacted>"}],
        "count": 3,
        "ok": True,
        "none": None,
    }


def test_root_is_no_ones_name():
    """Run as root, the home /root becomes ~, but "root" names nobody: the word stays."""
    text = "/root/.pyenv/versions/3.11.7; the root certificate store; pyenv root; /home/root"
    assert (
        redact(text, home="/root", user="root")
        == "~/.pyenv/versions/3.11.7; the root certificate store; pyenv root; /home/<user>"
    )


ROOT_ENTRY = """
id = "team-root-certificates"
title = "the root certificate store of this Python is empty"
symptom = "SSL: CERTIFICATE_VERIFY_FAILED"
severity = "warn"
[when]
packages = { pip = ">=1" }
[[fix]]
kind = "advise"
text = "run Install Certificates.command"
"""


def test_check_markdown_redacts_other_users_homes_and_gpu_uuids(tmp_path):
    """A target under another user's home folder, and an nvidia-smi whose error names its GPU by UUID (a
    stand-in), through the real `check --markdown`; as root, the word "root" of a finding stays."""
    venv = tmp_path / "home" / "bob" / "exam"
    subprocess.run([str(require_python("3.11")), "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = stand_in_program(
        tmp_path / "bin" / "nvidia-smi",
        "echo 'Unable to determine the device handle for {}: Unknown Error'; exit 15".format(UUID),
    ).parent
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "team-root-certificates.toml").write_text(ROOT_ENTRY)
    env = dict(os.environ, PATH="{}:{}".format(bin_dir, os.environ["PATH"]))
    python = str(venv / "bin" / "python")
    done = run_cli("check", "--python", python, "--markdown", "--no-tensorflow", "--registry", str(registry), env=env)
    assert done.returncode == 1, done.stderr
    shared = done.stdout
    assert "home/<user>/exam/bin/python" in shared and "/bob/" not in shared
    assert "GPU-<redacted>" in shared and UUID not in shared
    assert "the root certificate store of this Python is empty" in shared
    raw = run_cli("check", "--python", python, "--markdown", "--no-tensorflow", "--no-redact", env=env)
    assert "home/bob/exam/bin/python" in raw.stdout and UUID in raw.stdout


@pytest.mark.skipif(getpass.getuser() != "root", reason="what redaction does when root runs it")
def test_run_as_root_the_home_is_tilde_and_the_word_root_stays(tmp_path):
    python = require_python("3.11")
    done = run_cli("check", "--python", str(python), "--markdown", "--no-tensorflow", timeout=300)
    assert str(Path.home()) == "/root" and "`~/" in done.stdout and "/root/" not in done.stdout
    assert "<user>" not in done.stdout
