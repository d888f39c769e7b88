"""Faults while patching: the fixer killed with SIGKILL at every step and at random moments, a
read-only file system and a full disk. The target file is always either as it was or fully
patched, the journal always parses and agrees with the file, and undo puts the original back."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.fix_targets import APPLE_LOOP, PATCHED_LOOP, fix_env, linecache_of, private_apple_python, sha256

# Every checkpoint a `fix --yes` of the linecache patch passes, in order (journal saves numbered).
STEPS = (
    "journal:temp-written#1",
    "journal:renamed#1",  # the run's first record
    "backup:temp-written",
    "backup:renamed",
    "journal:temp-written#2",
    "patch:journalled",  # the action marked "applying"
    "patch:temp-written",
    "patch:renamed",
    "journal:temp-written#3",
    "patch:done",  # the action marked "applied"
    "journal:renamed#4",  # the run marked done
)


def assert_consistent(state: Path, target: Path, before: str, after: str) -> dict | None:
    """The file is at one of its two states and the journal (if any) says so; returns the record."""
    current = sha256(target)
    assert current in (before, after)
    journals = list((state / "runs").glob("*/journal.json")) if (state / "runs").exists() else []
    if not journals:
        assert current == before
        return None
    [journal] = journals
    record = json.loads(journal.read_text())
    [action] = [a for a in record["actions"] if a["kind"] == "patch"]
    assert (action["sha256_before"], action["sha256_after"]) == (before, after)
    if action["status"] == "planned":
        assert current == before
    elif action["status"] == "applied":
        assert current == after
    else:
        assert action["status"] == "applying"
        assert sha256(journal.parent / action["backup"]) == before
    return record


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_each_step_leaves_the_file_whole_and_undo_restores_it(tmp_path, step):
    python = private_apple_python(tmp_path / "CommandLineTools")
    state = tmp_path / "state"
    linecache = linecache_of(python)
    original = linecache.read_bytes()
    before = hashlib.sha256(original).hexdigest()
    after = hashlib.sha256(original.replace(APPLE_LOOP.encode(), PATCHED_LOOP.encode())).hexdigest()

    killed = run_cli("fix", "--python", str(python), "--yes", env=fix_env(state, TFENVCHECK_TEST_KILL_AT=step))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    record = assert_consistent(state, linecache, before, after)
    if record is None:
        return
    # Killed before the run was marked finished, except at the very last step.
    assert record["status"] == ("done" if step == STEPS[-1] else "in-progress")
    undone = run_cli("undo", record["run_id"], "--yes", env=fix_env(state))
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert linecache.read_bytes() == original
    assert sorted(p.name for p in linecache.parent.iterdir() if not p.is_symlink()) == ["__pycache__", "linecache.py"]


def test_a_fix_after_a_killed_one_says_it_was_interrupted(tmp_path):
    python = private_apple_python(tmp_path / "CommandLineTools")
    state = tmp_path / "state"
    killed = run_cli(
        "fix", "--python", str(python), "--yes", env=fix_env(state, TFENVCHECK_TEST_KILL_AT="patch:renamed")
    )
    assert killed.returncode == -signal.SIGKILL
    [run] = [p.name for p in (state / "runs").iterdir()]
    again = run_cli("fix", "--python", str(python), "--yes", env=fix_env(state))
    assert again.returncode == 0, again.stderr
    assert "Note: fix run {} of {} was interrupted".format(run, python) in again.stderr
    assert "`tfenvcheck undo {}` reverts what it did".format(run) in again.stderr
    assert again.stdout.startswith("Nothing to fix: none of the ")  # the file was patched before the kill
    assert PATCHED_LOOP in linecache_of(python).read_text()


DRIVER = textwrap.dedent("""
    import sys, time
    from tfenvcheck.facts.model import Facts, SitePaths, TargetFacts
    from tfenvcheck.fixer.apply import apply_plan, start_journal
    from tfenvcheck.fixer.plan import plan_fixes
    from tfenvcheck.probes.interpreter import probe_interpreter
    from tfenvcheck.registry.loader import parse_breakage

    folder, find, replace = sys.argv[1:4]
    breakage = parse_breakage({"id": "big-file", "title": "t", "symptom": "s",
                               "when": {"file": {"module": "bigmodule", "contains": find}},
                               "fix": [{"kind": "patch", "module": "bigmodule", "find": find, "replace": replace}]})
    facts = Facts(TargetFacts(sys.executable, "test"), probe_interpreter(sys.executable))
    facts.interpreter.paths = SitePaths(stdlib=folder)
    facts.interpreter.prefix = folder
    plan = plan_fixes(facts, [breakage])
    journal = start_journal(plan, [])
    print("ready", flush=True)
    start = time.monotonic()
    apply_plan(plan, journal)
    print(time.monotonic() - start, flush=True)
""")


@pytest.mark.slow
def test_killed_at_random_moments_of_a_patch(tmp_path):
    """30 SIGKILLs at random moments of patching an 8 MiB file (its writes and fsyncs take long
    enough for the kills to land everywhere in them)."""
    find, replace = APPLE_LOOP, PATCHED_LOOP
    original = ("# padding line of a big module\n" * (2**18)).encode() + find.encode() + b"\n"
    before = hashlib.sha256(original).hexdigest()
    after = hashlib.sha256(original.replace(find.encode(), replace.encode())).hexdigest()
    env = fix_env(tmp_path)

    def start(trial: Path) -> tuple[subprocess.Popen, Path]:
        folder = trial / "lib"
        folder.mkdir(parents=True)
        (folder / "bigmodule.py").write_bytes(original)
        driver = subprocess.Popen(
            [sys.executable, "-c", DRIVER, str(folder), find, replace],
            stdout=subprocess.PIPE,
            text=True,
            env=dict(env, TFENVCHECK_STATE_DIR=str(trial / "state")),
        )
        assert driver.stdout.readline().strip() == "ready"
        return driver, folder / "bigmodule.py"

    driver, target = start(tmp_path / "uninterrupted")
    duration = float(driver.stdout.readline())
    assert driver.wait(timeout=120) == 0 and sha256(target) == after
    outcomes = {"as it was": 0, "patched": 0}
    rng = random.Random(6)
    for trial in range(30):
        driver, target = start(tmp_path / "trial{}".format(trial))
        time.sleep(rng.uniform(0, duration * 1.2))
        driver.kill()
        driver.wait(timeout=60)
        record = assert_consistent(tmp_path / "trial{}".format(trial) / "state", target, before, after)
        outcomes["as it was" if sha256(target) == before else "patched"] += 1
        leftovers = [p.name for p in target.parent.iterdir() if p.name != "bigmodule.py"]
        assert leftovers in ([], [".bigmodule.py.tfenvcheck-{}.tmp".format(record["run_id"])])
    print("patch of 8 MiB took {:.3f} s; after 30 random kills: {}".format(duration, outcomes))
    assert outcomes["as it was"] and outcomes["patched"]  # the kills landed on both sides of the rename


needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or sys.platform != "linux", reason="mounting a tmpfs needs root on Linux"
)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A real 4 MiB file system, to fill up or make read-only."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + done.stderr.strip())
    yield mount
    subprocess.run(["umount", str(mount)], check=True, timeout=60)


def fill(folder: Path) -> None:
    """Write until the file system is full."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


@needs_root
def test_a_full_disk_leaves_the_target_file_unchanged(tmp_path, tiny_tmpfs):
    python = private_apple_python(tmp_path / "CommandLineTools")
    linecache = linecache_of(python)
    original = linecache.read_bytes()
    # The target's stdlib folder on the tiny file system, full; the journal elsewhere.
    move_stdlib_onto(python, tiny_tmpfs, tmp_path / "old-stdlib")
    fill(tiny_tmpfs)
    state = tmp_path / "state"
    done = run_cli("fix", "--python", str(python), "--yes", "--json", env=fix_env(state))
    assert done.returncode == 1, done.stderr
    record = json.loads(done.stdout)
    [action] = [a for a in record["actions"] if a["kind"] == "patch"]
    assert action["status"] == "failed"
    assert action["error"] == "No space left on device ({}): nothing was changed by this step".format(linecache)
    assert record["status"] == "failed" and record["verification"] == []
    assert (tiny_tmpfs / "linecache.py").read_bytes() == original
    assert sorted(p.name for p in tiny_tmpfs.iterdir() if not p.is_symlink()) == [
        "__pycache__",
        "filler",
        "linecache.py",
    ]


@needs_root
def test_a_full_disk_under_the_journal_changes_nothing(tmp_path, tiny_tmpfs):
    python = private_apple_python(tmp_path / "CommandLineTools")
    linecache = linecache_of(python)
    before = sha256(linecache)
    fill(tiny_tmpfs)
    done = run_cli("fix", "--python", str(python), "--yes", env=fix_env(tiny_tmpfs / "state"))
    assert done.returncode == 3
    assert done.stderr.splitlines()[-1].startswith("tfenvcheck: error: ")
    assert "No space left on device" in done.stderr and "nothing was changed" in done.stderr
    assert sha256(linecache) == before


def move_stdlib_onto(python: Path, mount: Path, old: Path) -> Path:
    """The stdlib folder of `python` moved onto `mount` (its links and its own files); returns linecache.py there."""
    stdlib = linecache_of(python).parent
    for entry in stdlib.iterdir():
        target = mount / entry.name
        if entry.is_symlink():
            target.symlink_to(os.readlink(entry))
        elif entry.is_dir():
            target.mkdir()
        else:
            target.write_bytes(entry.read_bytes())
    stdlib.rename(old)
    stdlib.symlink_to(mount)
    return mount / "linecache.py"


@needs_root
def test_a_read_only_file_system_is_a_clear_error(tmp_path, tiny_tmpfs):
    """The target's stdlib on a file system mounted read-only: what the user reads, and nothing changed."""
    python = private_apple_python(tmp_path / "CommandLineTools")
    linecache = move_stdlib_onto(python, tiny_tmpfs, tmp_path / "old-stdlib")
    original = linecache.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True, timeout=60)
    state = tmp_path / "state"
    done = run_cli("fix", "--python", str(python), "--yes", env=fix_env(state))
    assert done.returncode == 3, done.stderr
    # One line naming the target and the folder that cannot be written, and that nothing changed.
    last = done.stderr.splitlines()[-1]
    assert last.startswith(
        "tfenvcheck: error: cannot fix {}: {} is not writable".format(python, linecache_of(python).parent)
    )
    assert last.endswith("; nothing was changed") and "Traceback" not in done.stderr
    assert linecache.read_bytes() == original
    assert not (state / "runs").exists()
