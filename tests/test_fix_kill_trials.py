"""The fixer killed with SIGKILL at every step of every action kind (patch, env, pin) and of every
journal write, and undo killed the same way: after each kill the journal is readable, and `undo`
brings the target back to exactly what it was (every file byte for byte, `pip freeze` equal).

The steps are not listed here: an uninterrupted run with TFENVCHECK_TEST_STEPS_LOG says which it
passes (fixer/faults.py), and a trial kills at each one. The pin trials install tiny wheels built
by the test from a local folder (PIP_NO_INDEX, PIP_FIND_LINKS), so no network is needed."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import make_venv, require_python, run_cli
from tests.helpers.fix_targets import bare_venv, fix_env, freeze, registry, tiny_wheel, tree_state
from tfenvcheck import documents
from tfenvcheck.fixer.journal import STATE_DIR_VARIABLE, list_runs

PATCH_AND_ENV_ENTRY = """\
id = "test-kill-patch-env"
title = "test entry: a module to patch and a variable to set"
symptom = "none"
[when]
file = { module = "tfenvcheck_victim", contains = "BAD = 1" }
[[fix]]
kind = "patch"
module = "tfenvcheck_victim"
find = "BAD = 1"
replace = "GOOD = 1"
[[fix]]
kind = "env"
name = "TFENVCHECK_TEST_TRIAL"
value = "1"
"""
PIN_ENTRY = """\
id = "test-kill-pin"
title = "test entry: packages to pin"
symptom = "none"
[when]
packages = { tfenvcheck-tiny = "<2" }
[[fix]]
kind = "pin"
requirements = ["tfenvcheck-tiny==2.0", "tfenvcheck-tiny-extra==1.0"]
"""


class Target:
    """A target, the registry that breaks it, and how to run fix and undo on it."""

    def __init__(self, python: Path, entries: Path, pip_env: dict[str, str] | None = None):
        self.python = python
        self.venv = python.parent.parent
        self.entries = entries
        self.pip_env = pip_env or {}
        self.before = tree_state(self.venv)
        self.freeze_before = freeze(python) if pip_env else None

    def env(self, state: Path, **extra: str) -> dict[str, str]:
        return fix_env(state, **self.pip_env, **extra)

    def fix(self, state: Path, **extra: str):
        return run_cli(
            "fix", "--python", str(self.python), "--registry", str(self.entries), "--yes", env=self.env(state, **extra)
        )

    def undo(self, state: Path, run_id: str, **extra: str):
        return run_cli("undo", run_id, "--yes", env=self.env(state, **extra))

    def assert_as_before(self) -> None:
        assert tree_state(self.venv) == self.before
        if self.freeze_before is not None:
            assert freeze(self.python) == self.freeze_before


def steps_of(run: Callable[..., object], log: Path) -> list[str]:
    """The fault-injection steps an uninterrupted run passes, in order."""
    run(TFENVCHECK_TEST_STEPS_LOG=str(log))
    return log.read_text().split()


def readable_runs(state: Path) -> list[str]:
    """The run ids in `state`: every journal written must read as a journal, and be listed by undo."""
    journals = sorted((state / "runs").glob("*/journal.json")) if (state / "runs").exists() else []
    for journal in journals:
        documents.read_document(journal, documents.FIX_RUN)
    with pytest.MonkeyPatch.context() as patched:
        patched.setenv(STATE_DIR_VARIABLE, str(state))
        assert sorted(r["run_id"] for r in list_runs()) == [j.parent.name for j in journals]
    return [j.parent.name for j in journals]


def killed_fix_then_undo(target: Target, state: Path, step: str) -> None:
    killed = target.fix(state, TFENVCHECK_TEST_KILL_AT=step)
    assert killed.returncode == -signal.SIGKILL, (step, killed.stderr)
    for run_id in readable_runs(state):
        undone = target.undo(state, run_id)
        assert undone.returncode == 0, (step, undone.stdout + undone.stderr)
    target.assert_as_before()


def killed_undo_then_undo(target: Target, state: Path, step: str) -> None:
    done = target.fix(state)
    assert done.returncode == 0, done.stdout + done.stderr
    [run_id] = readable_runs(state)
    killed = target.undo(state, run_id, TFENVCHECK_TEST_KILL_AT=step)
    assert killed.returncode == -signal.SIGKILL, (step, killed.stderr)
    assert readable_runs(state) == [run_id]
    again = target.undo(state, run_id)
    assert again.returncode == 0, (step, again.stdout + again.stderr)
    target.assert_as_before()


def patch_and_env_target(where: Path) -> Target:
    python = bare_venv(where / "venv")
    site = next((where / "venv" / "lib").glob("python3.*/site-packages"))
    (site / "tfenvcheck_victim.py").write_text("# a module of the target\nBAD = 1\n")
    return Target(python, registry(where / "registry", PATCH_AND_ENV_ENTRY))


def test_patch_and_env_killed_at_every_step_then_undone(tmp_path):
    target = patch_and_env_target(tmp_path / "steps")
    fix_steps = steps_of(lambda **log: target.fix(tmp_path / "steps-state", **log), tmp_path / "fix.log")
    for kind in ("patch:temp-written", "patch:renamed", "backup:renamed", "env:temp-written", "env:renamed"):
        assert kind + "#1" in fix_steps
    assert sum(step.startswith("journal:renamed#") for step in fix_steps) >= 6
    for number, step in enumerate(fix_steps):
        case = tmp_path / "fix-{}".format(number)
        killed_fix_then_undo(patch_and_env_target(case), case / "state", step)


@pytest.mark.slow  # a minute: a whole fix before each of its trials
def test_undo_of_patch_and_env_killed_at_every_step_then_undone_again(tmp_path):
    target = patch_and_env_target(tmp_path / "steps")
    state = tmp_path / "steps-state"
    assert target.fix(state).returncode == 0
    [run_id] = readable_runs(state)
    undo_steps = steps_of(lambda **log: target.undo(state, run_id, **log), tmp_path / "undo.log")
    target.assert_as_before()
    assert {"undo:temp-written#1", "undo:renamed#1", "undo-env:removed#1"} <= set(undo_steps)
    for number, step in enumerate(undo_steps):
        case = tmp_path / "undo-{}".format(number)
        killed_undo_then_undo(patch_and_env_target(case), case / "state", step)


@pytest.fixture(scope="module")
def pin_target(tmp_path_factory) -> Target:
    """A venv with pip and tfenvcheck-tiny 1.0; the entry pins 2.0 and adds tfenvcheck-tiny-extra."""
    where = tmp_path_factory.mktemp("pin")
    wheels = where / "wheels"
    for name, version in (("tfenvcheck-tiny", "1.0"), ("tfenvcheck-tiny", "2.0"), ("tfenvcheck-tiny-extra", "1.0")):
        tiny_wheel(wheels, name.replace("-", "_"), version)
    pip_env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)}
    python = make_venv(require_python("3.11"), where / "venv")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheels), "tfenvcheck-tiny==1.0"],
        check=True,
        timeout=300,
    )
    return Target(python, registry(where / "registry", PIN_ENTRY), pip_env)


@pytest.mark.slow
def test_pin_killed_at_every_step_then_undone(pin_target, tmp_path):
    fix_steps = steps_of(lambda **log: pin_target.fix(tmp_path / "steps-state", **log), tmp_path / "fix.log")
    [run_id] = readable_runs(tmp_path / "steps-state")
    assert pin_target.undo(tmp_path / "steps-state", run_id).returncode == 0
    pin_target.assert_as_before()
    assert "pin:installed#1" in fix_steps
    for number, step in enumerate(fix_steps):
        killed_fix_then_undo(pin_target, tmp_path / "fix-{}".format(number), step)


@pytest.mark.slow
def test_undo_of_a_pin_killed_at_every_step_then_undone_again(pin_target, tmp_path):
    state = tmp_path / "steps-state"
    assert pin_target.fix(state).returncode == 0
    [run_id] = readable_runs(state)
    undo_steps = steps_of(lambda **log: pin_target.undo(state, run_id, **log), tmp_path / "undo.log")
    pin_target.assert_as_before()
    assert {"undo-pin:uninstalled#1", "undo-pin:installed#1"} <= set(undo_steps)
    for number, step in enumerate(undo_steps):
        killed_undo_then_undo(pin_target, tmp_path / "undo-{}".format(number), step)
