"""Preload actions on a real venv: a .pth file loads site-packages' libraries by absolute path at every
start of the target, so a later dlopen by name (TensorFlow's) finds them without LD_LIBRARY_PATH;
undo removes the file. The libraries are real ones compiled here with the wheels' real names."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.fix_targets import bare_venv, fix_env, registry
from tests.helpers.gpu_stand_ins import CUSPARSE, NVJITLINK, nvidia_wheel_libraries, shared_library
from tfenvcheck.registry.loader import parse_breakage
from tfenvcheck.tomlcheck import Invalid

PRELOAD_ENTRY = """
id = "test-preload"
title = "test entry: the nvidia-* wheels' libraries are not on the loader path"
symptom = "Cannot dlopen some GPU libraries."
[when]
nvidia_libraries_off_loader_path = true
[[fix]]
kind = "preload"
libraries = ["nvidia/*/lib/*.so*"]
"""
# What TensorFlow does: ask for a CUDA library by soname. The answer is which of the wheels' files
# the fresh process has mapped (from /proc/self/maps), or the loader's error.
DLOPEN_BY_NAME = """
import ctypes
try:
    ctypes.CDLL("libcusparse.so.12")
except OSError as error:
    print("error: " + str(error))
else:
    print(sorted({line.split()[-1] for line in open("/proc/self/maps") if "/nvidia/" in line}))
"""


def dlopen_by_name(python: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    done = subprocess.run(
        [str(python), "-c", DLOPEN_BY_NAME], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    return done.stdout.strip()


def site_packages_of(python: Path) -> Path:
    [site] = (python.parent.parent / "lib").glob("python3.*/site-packages")
    return site


def test_preloaded_libraries_are_found_by_name_in_every_new_process_and_undo_removes_the_file(tmp_path):
    python = bare_venv(tmp_path / "venv")
    site = site_packages_of(python)
    nvidia_wheel_libraries(site)
    assert (
        dlopen_by_name(python) == "error: libcusparse.so.12: cannot open shared object file: No such file or directory"
    )
    env = fix_env(tmp_path / "state")
    entries = registry(tmp_path / "registry", PRELOAD_ENTRY)

    plan = run_cli("fix", "test-preload", "--python", str(python), "--registry", str(entries), "--dry-run", env=env)
    assert plan.returncode == 1, plan.stderr  # breakages found, nothing changed
    pth = site / "tfenvcheck-preload-test-preload.pth"
    assert (
        "load 3 libraries by path at every start of the target (a .pth file the interpreter runs at start-up: "
        "{}), each with ctypes, RTLD_GLOBAL:".format(pth)
    ) in " ".join(plan.stdout.split())
    listed = [line.strip() for line in plan.stdout.splitlines() if line.strip().startswith(str(site))]
    assert listed == [
        str(site / "nvidia/cuda_runtime/lib/libcudart.so.12"),
        str(site / CUSPARSE),
        str(site / NVJITLINK),
    ]
    assert not pth.exists()

    done = run_cli(
        "fix", "test-preload", "--python", str(python), "--registry", str(entries), "--yes", "--json", env=env
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["verification"][0]["status"] == "gone"
    [action] = record["actions"]
    assert action["kind"] == "preload" and action["path"] == str(pth) and action["status"] == "applied"
    assert action["libraries"] == listed
    # libcusparse comes before the libnvJitLink it needs: it loads in the second pass.
    assert dlopen_by_name(python) == str(sorted(listed))

    undone = run_cli("undo", "--python", str(python), "--yes", env=env)
    assert undone.returncode == 0, undone.stderr
    assert not pth.exists()
    assert dlopen_by_name(python).startswith("error: ")


def test_a_preload_with_no_matching_library_is_refused_before_anything_changes(tmp_path):
    python = bare_venv(tmp_path / "venv")
    always = PRELOAD_ENTRY.replace("nvidia_libraries_off_loader_path = true", 'missing = ["tfenvcheck-test-absent"]')
    entries = registry(tmp_path / "registry", always)
    done = run_cli(
        "fix", "test-preload", "--python", str(python), "--registry", str(entries), "--yes", env=fix_env(tmp_path / "s")
    )
    assert done.returncode != 0
    assert "no file in {} matches nvidia/*/lib/*.so*: nothing to preload".format(site_packages_of(python)) in (
        " ".join((done.stdout + done.stderr).split())
    )
    assert not list(site_packages_of(python).glob("tfenvcheck-preload-*"))


@pytest.mark.parametrize("pattern", ["/usr/lib/libcuda.so.1", "../../../lib/*.so", "nvidia/../../x.so"])
def test_a_preload_pattern_outside_site_packages_is_refused_by_the_loader(pattern):
    data = {
        "id": "x",
        "title": "x",
        "symptom": "x",
        "when": {"missing": ["y"]},
        "fix": [{"kind": "preload", "libraries": [pattern]}],
    }
    with pytest.raises(Invalid) as raised:
        parse_breakage(data)
    assert str(raised.value) == (
        "fix[0].libraries: {!r} is not a pattern relative to site-packages (absolute, or with '..', is refused)".format(
            pattern
        )
    )


def preload_target(where: Path):
    from tests.test_fix_kill_trials import Target

    python = bare_venv(where / "venv")
    shared_library(site_packages_of(python) / "nvidia/cuda_runtime/lib/libcudart.so.12", "cudaRuntimeGetVersion")
    return Target(python, registry(where / "registry", PRELOAD_ENTRY))


def test_preload_killed_at_each_of_its_steps_then_undone(tmp_path):
    from tests.test_fix_kill_trials import killed_fix_then_undo, killed_undo_then_undo, steps_of

    target = preload_target(tmp_path / "steps")
    steps = steps_of(lambda **log: target.fix(tmp_path / "steps-state", **log), tmp_path / "fix.log")
    own = [step for step in steps if step.startswith("preload:")]
    assert own == ["preload:temp-written#1", "preload:renamed#1"]
    for number, step in enumerate(own):
        case = tmp_path / "fix-{}".format(number)
        killed_fix_then_undo(preload_target(case), case / "state", step)
    case = tmp_path / "undo"
    killed_undo_then_undo(preload_target(case), case / "state", "undo-env:removed#1")
