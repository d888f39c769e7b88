"""Known breakages detected in real targets: an Apple-style linecache.py, real TensorFlow stacks,
and an entry added as a data file alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli
from tests.helpers.fix_targets import apple_style_python
from tfenvcheck.registry.confirm import CONFIRMED, NOT_REPRODUCED, confirm_breakage
from tfenvcheck.registry.loader import load_registry


@pytest.fixture
def pyenv_37_base() -> Path:
    return require_python("3.7").resolve().parent.parent


def applicable_ids(python: Path, *extra: str) -> list[str]:
    done = run_cli("fixes", "--applicable", "--json", "--python", str(python), *extra)
    assert done.returncode == 0, done.stderr
    return [row["id"] for row in json.loads(done.stdout)["breakages"]]


# linecache.py's lines in the traceback of Apple's Python 3.7 quoted in
# https://github.com/apple/turicreate/issues/2766 (its getline and getlines frames).
APPLE_FRAMES = {
    15: "def getline(filename, lineno, module_globals=None):",
    16: "    lines = getlines(filename, module_globals)",
    47: "        if module_globals is None:",
    48: "            for mod in sys.modules.values():",
    49: "                if getattr(mod, '__file__', None) == filename:",
}


def test_apple_linecache_is_detected_in_the_copy_only(tmp_path, pyenv_37_base):
    copy = apple_style_python(pyenv_37_base, tmp_path / "CommandLineTools")
    cpython = (pyenv_37_base / "lib" / "python3.7" / "linecache.py").read_text().splitlines()
    apple = (copy.parent.parent / "lib" / "python3.7" / "linecache.py").read_text().splitlines()
    # The copy is CPython's file with Apple's five lines of search after getlines' `try:` (line 46) ...
    assert {number: apple[number - 1] for number in APPLE_FRAMES} == APPLE_FRAMES
    assert apple[:46] == cpython[:46] and apple[51:] == cpython[46:]
    # ... and only the copy is taken for Apple's.
    assert "apple-clt-linecache" in applicable_ids(copy)
    assert "apple-clt-linecache" not in applicable_ids(pyenv_37_base / "bin" / "python3.7")


def test_apple_linecache_is_confirmed_by_a_lazy_module(tmp_path, pyenv_37_base):
    [breakage] = [b for b in load_registry() if b.id == "apple-clt-linecache"]
    copy = apple_style_python(pyenv_37_base, tmp_path / "CommandLineTools")
    confirmed = confirm_breakage(str(copy), breakage)
    assert confirmed.outcome == CONFIRMED
    assert confirmed.detail == "RuntimeError: dictionary changed size during iteration"
    original = confirm_breakage(str(pyenv_37_base / "bin" / "python3.7"), breakage)
    assert original.outcome == NOT_REPRODUCED


def test_check_reports_the_linecache_breakage(tmp_path, pyenv_37_base):
    copy = apple_style_python(pyenv_37_base, tmp_path / "CommandLineTools")
    done = run_cli("check", "--python", str(copy), "--profile", "exam-2020-07", "--no-tensorflow", "--json")
    findings = {f["id"]: f for f in json.loads(done.stdout)["findings"]}
    finding = findings["breakage.apple-clt-linecache"]
    assert finding["status"] == "fail"
    assert finding["fix_id"] == "apple-clt-linecache"
    assert "dictionary changed size during iteration" in finding["hint"]
    assert "linecache.py contains 'for mod in sys.modules.values():'" in finding["seen"]


NEW_ENTRY = """
id = "team-old-pip"
title = "pip older than 24 cannot read our wheel index"
symptom = "ERROR: No matching distribution found"
severity = "warn"
[when]
packages = { pip = "<99" }
[[fix]]
kind = "advise"
text = "python -m pip install --upgrade pip"
"""


def test_an_entry_file_alone_adds_a_detected_breakage(tmp_path):
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "team-old-pip.toml").write_text(NEW_ENTRY)
    python = require_python("3.11")
    done = run_cli("check", "--python", str(python), "--no-tensorflow", "--json", "--registry", str(registry))
    findings = {f["id"]: f for f in json.loads(done.stdout)["findings"]}
    assert findings["breakage.team-old-pip"]["status"] == "warn"
    assert findings["breakage.team-old-pip"]["seen"].startswith("pip ")
    assert "team-old-pip" in applicable_ids(python, "--registry", str(registry))


def test_a_bad_registry_file_is_a_usage_error(tmp_path):
    (tmp_path / "broken.toml").write_text(NEW_ENTRY.replace('"<99"', '"<<99"'))
    done = run_cli("fixes", "--registry", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.strip() == "tfenvcheck: error: {}:7: when.packages.pip: invalid version specifier '<<99'".format(
        tmp_path / "broken.toml"
    )


THE_THREE = ("protobuf4-descriptors", "numpy120-symbolic-lstm", "h5py3-str-decode")


def check_findings(python: Path, *args: str) -> dict[str, dict]:
    done = run_cli("check", "--python", str(python), "--json", *args)
    assert done.returncode in (0, 1), done.stderr
    return {f["id"]: f for f in json.loads(done.stdout)["findings"]}


@pytest.mark.slow
def test_real_tf_2_0_stack_has_the_three_breakages_and_confirm_reproduces_them(tf_2_0_broken_python):
    likely = check_findings(tf_2_0_broken_python, "--profile", "exam-2020-07")
    for breakage_id in THE_THREE:
        assert likely["breakage." + breakage_id]["status"] == "fail"
        assert likely["breakage." + breakage_id]["title"].endswith("--confirm can reproduce it)")
    confirmed = check_findings(tf_2_0_broken_python, "--profile", "exam-2020-07", "--confirm")
    expected_errors = {
        "protobuf4-descriptors": "TypeError: Descriptors cannot not be created directly.",
        "numpy120-symbolic-lstm": "NotImplementedError: Cannot convert a symbolic Tensor (lstm/strided_slice:0)",
        "h5py3-str-decode": "AttributeError: 'str' object has no attribute 'decode'",
    }
    for breakage_id, error in expected_errors.items():
        finding = confirmed["breakage." + breakage_id]
        assert finding["title"].endswith("(confirmed)"), finding
        assert "confirmed: " + error in finding["seen"]


@pytest.mark.slow
def test_healthy_tf_2_5_stack_has_no_false_positives(tf_2_5_python):
    findings = check_findings(tf_2_5_python, "--profile", "exam-2021-mid", "--confirm")
    breakages = {k: f for k, f in findings.items() if k.startswith("breakage.")}
    for breakage_id in THE_THREE:
        assert "breakage." + breakage_id not in breakages
    assert [f for f in breakages.values() if f["status"] == "fail"] == []
