"""`tfenvcheck fix` and `tfenvcheck undo` on a real interpreter: a copy of pyenv's Python 3.7 whose
linecache.py has Apple's loop over sys.modules (the 2020 exam candidate's breakage)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.fix_targets import APPLE_LOOP, PATCHED_LOOP, fix_env, linecache_of, private_apple_python, sha256

# What tensorflow_core's lazy loaders do to linecache in TF 1.15-2.1: touching a module imports more.
LAZY_MODULE_ITERATION = """
import linecache, sys, types
class LazyModule(types.ModuleType):
    def __getattr__(self, name):
        sys.modules["lazy_%d" % len(sys.modules)] = types.ModuleType("loaded_on_access")
        raise AttributeError(name)
sys.modules["lazy"] = LazyModule("lazy")
linecache.getlines("/nonexistent/file.py")
print("iterated")
"""


@pytest.fixture
def apple_python(tmp_path) -> Path:
    return private_apple_python(tmp_path / "CommandLineTools")


def test_dry_run_and_a_declined_prompt_change_nothing(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    linecache = linecache_of(apple_python)
    before = sha256(linecache)
    dry = run_cli("fix", "--python", str(apple_python), "--dry-run", env=env)
    assert dry.returncode == 1, dry.stderr
    assert "-" + 12 * " " + APPLE_LOOP in dry.stdout and "+" + 12 * " " + PATCHED_LOOP in dry.stdout  # the unified diff
    assert "Dry run: nothing was changed." in dry.stdout
    declined = run_cli("fix", "--python", str(apple_python), env=env, stdin="\n")  # Enter: the default is no
    assert declined.returncode == 1
    assert "Apply these changes to {}? [y/N]".format(apple_python) in declined.stderr
    assert "Nothing was changed." in declined.stdout
    assert sha256(linecache) == before
    assert not (tmp_path / "state" / "runs").exists()


def test_fix_patches_the_loop_and_undo_restores_the_file_byte_for_byte(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    linecache = linecache_of(apple_python)
    original = linecache.read_bytes()
    mode = linecache.stat().st_mode
    broken = subprocess.run(
        [str(apple_python), "-c", LAZY_MODULE_ITERATION], capture_output=True, text=True, timeout=60
    )
    assert "RuntimeError: dictionary changed size during iteration" in broken.stderr

    done = run_cli("fix", "--python", str(apple_python), "--yes", "--json", env=env)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    [patch] = [a for a in record["actions"] if a["kind"] == "patch"]
    assert patch["status"] == "applied" and patch["path"] == str(linecache)
    assert (
        patch["sha256_before"]
        == hashlib.sha256(original).hexdigest()
        == sha256(Path(env["TFENVCHECK_STATE_DIR"]) / "runs" / record["run_id"] / patch["backup"])
    )
    assert patch["sha256_after"] == sha256(linecache)
    assert record["verification"] == [
        {
            "breakage_id": "apple-clt-linecache",
            "status": "gone",
            "detail": "its conditions no longer hold and the snippet that reproduces it runs without error",
        }
    ]
    text = linecache.read_text()
    assert PATCHED_LOOP in text and APPLE_LOOP not in text
    assert text == original.decode().replace(APPLE_LOOP, PATCHED_LOOP)
    assert linecache.stat().st_mode == mode
    assert not list(linecache.parent.glob(".linecache.py.tfenvcheck-*"))
    fixed = subprocess.run([str(apple_python), "-c", LAZY_MODULE_ITERATION], capture_output=True, text=True, timeout=60)
    assert fixed.returncode == 0 and fixed.stdout.strip() == "iterated", fixed.stderr

    again = run_cli("fix", "--python", str(apple_python), "--yes", env=env)
    assert again.returncode == 0
    assert (
        "Already fixed: no known breakage applies to {} (last fixed by run {}".format(apple_python, record["run_id"])
        in again.stdout
    )
    assert sha256(linecache) == patch["sha256_after"]
    listed = run_cli("undo", "--list", "--json", env=env)
    assert [r["run_id"] for r in json.loads(listed.stdout)] == [record["run_id"]]  # the second fix journalled nothing

    undone = run_cli("undo", "--python", str(apple_python), "--yes", "--json", env=env)
    assert undone.returncode == 0, undone.stderr
    assert json.loads(undone.stdout)["undo"]["actions"][0]["status"] == "restored"
    assert linecache.read_bytes() == original
    assert linecache.stat().st_mode == mode
    again = run_cli("undo", record["run_id"], "--yes", env=env)
    assert again.returncode == 0 and "was already undone" in again.stdout


def test_fix_only_the_ids_given(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    done = run_cli("fix", "protobuf4-descriptors", "--python", str(apple_python), "--yes", env=env)
    assert done.returncode == 0
    assert done.stdout.strip() == "protobuf4-descriptors: does not apply to {}".format(apple_python)
    assert APPLE_LOOP in linecache_of(apple_python).read_text()
    unknown = run_cli("fix", "no-such-breakage", "--python", str(apple_python), env=env)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().endswith("error: unknown fix id 'no-such-breakage' (`tfenvcheck fixes` lists them)")


def test_a_second_fixer_on_the_same_target_is_refused(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    # Hold the target's lock from another process, as a running `tfenvcheck fix` would.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom tfenvcheck.fixer.lock import target_lock\n"
            "with target_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)",
            str(apple_python.parent.parent),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = run_cli("fix", "--python", str(apple_python), "--yes", env=env)
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert busy.returncode == 3
    assert "another tfenvcheck fix or undo is changing {} right now".format(apple_python.parent.parent) in busy.stderr
    assert APPLE_LOOP in linecache_of(apple_python).read_text()


def test_a_read_only_file_is_refused_and_left_alone(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    linecache = linecache_of(apple_python)
    linecache.chmod(0o444)
    before = sha256(linecache)
    done = run_cli("fix", "--python", str(apple_python), "--yes", env=env)
    assert done.returncode == 3
    assert done.stderr.splitlines()[-1] == (
        "tfenvcheck: error: cannot fix {}: {} is read-only (mode 444): tfenvcheck does not overwrite a file marked "
        "read-only; make it writable if you mean it to be patched; nothing was changed".format(apple_python, linecache)
    )
    assert sha256(linecache) == before and linecache.stat().st_mode & 0o777 == 0o444
    assert not (tmp_path / "state" / "runs").exists()


def test_a_file_not_as_known_is_left_alone(tmp_path, apple_python):
    env = fix_env(tmp_path / "state")
    linecache = linecache_of(apple_python)
    # The loop twice: not the file the patch was written for.
    linecache.write_text(
        linecache.read_text().replace(APPLE_LOOP, APPLE_LOOP + "\n                pass\n            " + APPLE_LOOP, 1)
    )
    before = sha256(linecache)
    done = run_cli("fix", "--python", str(apple_python), "--yes", env=env)
    assert done.returncode == 3
    assert done.stderr.splitlines()[-1].endswith(
        "{} contains the known-bad text 2 times: left alone (edited by hand, or another version of the file); "
        "nothing was changed".format(linecache)
    )
    assert sha256(linecache) == before


def test_a_requirements_file_adds_its_pins_to_the_plan(tmp_path, apple_python):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tfenvcheck-test-one==1.0\n")
    dry = run_cli(
        "fix",
        "--python",
        str(apple_python),
        "--requirements",
        str(requirements),
        "--dry-run",
        "--json",
        env=fix_env(tmp_path / "state"),
    )
    assert dry.returncode == 1, dry.stderr
    plan = json.loads(dry.stdout)
    assert [b["id"] for b in plan["breakages"]] == ["apple-clt-linecache", "pin-profile-packages"]
    assert [(a["kind"], a["breakage_ids"]) for a in plan["actions"]] == [
        ("pin", ["pin-profile-packages"]),
        ("patch", ["apple-clt-linecache"]),
        ("advise", ["apple-clt-linecache"]),
    ]
    assert plan["actions"][0]["command"] == [str(apple_python), "-m", "pip", "install", "tfenvcheck-test-one==1.0"]
    assert plan["dry_run"] is True
    assert APPLE_LOOP in linecache_of(apple_python).read_text()
