"""The fixer's parts on their own: planning (merged pins, placeholders, already-done actions), the
guarded patch preview, atomic writes, the journal and its listing, pip's answers and undo's diff
of two freezes."""

from __future__ import annotations

import json
import os
import time
from dataclasses import replace

import pytest

from tests.helpers import require_python
from tfenvcheck.errors import UsageError
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.facts.model import Distribution
from tfenvcheck.fixer.atomic import write_atomically
from tfenvcheck.fixer.journal import Journal, list_runs, load_run, target_key
from tfenvcheck.fixer.patch import preview_patch
from tfenvcheck.fixer.pin import install_failure, restore_steps
from tfenvcheck.fixer.plan import plan_fixes
from tfenvcheck.profiles.selection import choose_profile
from tfenvcheck.registry.loader import RegistryError, load_breakage, parse_breakage
from tfenvcheck.target import Target


def entry(breakage_id: str, *fix: dict, **when) -> object:
    return parse_breakage(
        {
            "id": breakage_id,
            "title": breakage_id,
            "symptom": "s",
            "when": when or {"missing": ["tfenvcheck-test-absent"]},
            "fix": list(fix),
        }
    )


@pytest.fixture(scope="module")
def python_facts() -> dict:
    python = require_python("3.11")
    return gather_facts(Target(str(python), "test"), with_tensorflow=False)


def test_pins_merge_into_one_install_without_what_is_already_satisfied(python_facts):
    pip_version = python_facts.packages["pip"]
    breakages = [
        entry("a", {"kind": "pin", "requirements": ["tfenvcheck-test-one==1.0", "pip=={}".format(pip_version)]}),
        entry(
            "b",
            {"kind": "pin", "requirements": ["tfenvcheck-test-one==1.0", "tfenvcheck-test-two>=2"]},
            {"kind": "advise", "text": "or do it by hand"},
        ),
        entry("c", {"kind": "pin", "requirements": ["tf-keras~={tensorflow_minor}.0"], "no_deps": True}),
        entry("not-here", {"kind": "pin", "requirements": ["six==1.0"]}, packages={"pip": "<1"}),
    ]
    plan = plan_fixes(python_facts, breakages)
    assert [b.id for b, _ in plan.breakages] == ["a", "b", "c"]
    pin, no_deps_pin, advice = plan.actions
    assert pin.breakage_ids == ["a", "b"]
    assert pin.details["requirements"] == [
        "tfenvcheck-test-one==1.0",
        "tfenvcheck-test-two>=2",
    ]  # pip is at its version
    assert pin.details["command"] == [
        plan.python,
        "-m",
        "pip",
        "install",
        "tfenvcheck-test-one==1.0",
        "tfenvcheck-test-two>=2",
    ]
    assert no_deps_pin.details["command"][-2:] == ["--no-deps", "tf-keras~=0.0.0"]  # no TensorFlow: no minor version
    assert advice.kind == "advise" and plan.advice_only == []
    assert plan.problems == [] and plan.to_apply == [pin, no_deps_pin]


def test_a_placeholder_takes_the_targets_tensorflow_minor_version(python_facts):
    installed = dict(python_facts.interpreter.distributions, tensorflow=Distribution("2.16.1", "/site-packages"))
    facts = replace(python_facts, interpreter=replace(python_facts.interpreter, distributions=installed))
    plan = plan_fixes(facts, [entry("k", {"kind": "pin", "requirements": ["tf-keras~={tensorflow_minor}.0"]})])
    assert plan.actions[0].details["requirements"] == ["tf-keras~=2.16.0"]


def test_only_the_ids_asked_for_are_planned_and_unknown_ids_are_a_usage_error(python_facts):
    breakages = [entry("a", {"kind": "advise", "text": "x"}), entry("b", {"kind": "advise", "text": "y"})]
    plan = plan_fixes(python_facts, breakages, ids=["b"])
    assert [b.id for b, _ in plan.breakages] == ["b"] and plan.advice_only == ["b"]
    with pytest.raises(UsageError, match="unknown fix id 'zz'"):
        plan_fixes(python_facts, breakages, ids=["zz"])


def test_no_deps_is_a_pin_option_only(tmp_path):
    base = 'id = "x"\ntitle = "t"\nsymptom = "s"\n[when]\nmissing = ["y"]\n[[fix]]\n'
    (tmp_path / "ok.toml").write_text(base + 'kind = "pin"\nrequirements = ["a==1"]\nno_deps = true\n')
    assert load_breakage(tmp_path / "ok.toml").fix[0].no_deps is True
    assert load_breakage(tmp_path / "ok.toml").fix[0].describe() == 'pip install --no-deps "a==1"'
    (tmp_path / "bad.toml").write_text(base + 'kind = "env"\nname = "A"\nvalue = "1"\nno_deps = true\n')
    with pytest.raises(RegistryError, match="fix\\[0\\]: unknown key 'no_deps'"):
        load_breakage(tmp_path / "bad.toml")
    (tmp_path / "type.toml").write_text(base + 'kind = "pin"\nrequirements = ["a==1"]\nno_deps = "yes"\n')
    with pytest.raises(RegistryError, match="fix\\[0\\].no_deps: expected bool"):
        load_breakage(tmp_path / "type.toml")


BAD, GOOD = "for mod in sys.modules.values():", "for mod in list(sys.modules.values()):"


def test_patch_preview_patches_only_the_known_bad_file(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    " + BAD + "\n        pass\n")
    preview = preview_patch(module, BAD, GOOD)
    assert preview.problem is None and preview.patched == module.read_bytes().replace(BAD.encode(), GOOD.encode())
    assert "-    " + BAD in preview.diff and "+    " + GOOD in preview.diff
    module.write_bytes(preview.patched)
    assert preview_patch(module, BAD, GOOD).already_patched
    module.write_text("def f():\n    for mod in tuple(sys.modules.values()):\n        pass\n")
    assert preview_patch(module, BAD, GOOD).problem == (
        "{} matches neither the known-bad text {!r} nor the known-good text {!r}: left alone (edited by hand, or "
        "another version of the file)".format(module, BAD, GOOD)
    )
    link = tmp_path / "link.py"
    link.symlink_to(module)
    assert preview_patch(link, BAD, GOOD).problem == (
        "{} is a symbolic link to {}: tfenvcheck only patches a file of the target itself".format(link, module)
    )


def test_atomic_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "file.py"
    target.write_bytes(b"old")
    target.chmod(0o750)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o7777 == 0o750
    assert os.listdir(tmp_path) == ["file.py"]


def test_the_journal_lists_runs_newest_first_per_target(tmp_path, monkeypatch):
    monkeypatch.setenv("TFENVCHECK_STATE_DIR", str(tmp_path))
    first = Journal.start(
        {"executable": "/venv-a/bin/python", "prefix": "/venv-a", "key": target_key("/venv-a")}, [], [], []
    )
    time.sleep(1.1)  # run ids and created times have one-second resolution
    second = Journal.start(
        {"executable": "/venv-b/bin/python", "prefix": "/venv-b", "key": target_key("/venv-b")}, ["x"], [], []
    )
    second.finish("done")
    (tmp_path / "runs" / "garbage").mkdir()
    (tmp_path / "runs" / "garbage" / "journal.json").write_text("{not json")
    assert first.run_id < second.run_id  # run ids start with their UTC time, to the second
    assert [r["run_id"] for r in list_runs()] == [second.run_id, first.run_id]
    assert [r["run_id"] for r in list_runs("/venv-a/bin/python")] == [first.run_id]
    assert [r["run_id"] for r in list_runs(prefix="/venv-b")] == [second.run_id]
    # What is on disk is what the runs were started with, read back by load_run.
    on_disk = json.loads((tmp_path / "runs" / second.run_id / "journal.json").read_text())
    assert on_disk["target"] == {"executable": "/venv-b/bin/python", "prefix": "/venv-b", "key": target_key("/venv-b")}
    assert (on_disk["schema_version"], on_disk["kind"], on_disk["status"], on_disk["requested_ids"]) == (
        1,
        "tfenvcheck-fix-run",
        "done",
        ["x"],
    )
    assert on_disk["finished"] and on_disk["undo"] is None
    record = load_run(first.run_id).record
    assert (record["target"]["executable"], record["status"], record["finished"]) == (
        "/venv-a/bin/python",
        "in-progress",
        None,
    )
    with pytest.raises(UsageError, match="no fix run 'nope'"):
        load_run("nope")
    with pytest.raises(UsageError, match="is not a run id"):
        load_run("../etc")


def test_undo_restores_the_previous_freeze_exactly():
    before = ["h5py==3.8.0", "numpy==1.21.6", "pip==22.0.4", "protobuf==4.24.4"]
    after = ["h5py==2.10.0", "numpy==1.19.5", "Pillow==9.5.0", "pip==22.0.4", "protobuf==3.20.3", "scipy==1.7.3"]
    assert restore_steps(before, after) == (["pillow", "scipy"], ["h5py==3.8.0", "numpy==1.21.6", "protobuf==4.24.4"])
    assert restore_steps(before, before) == ([], [])


def test_pip_failures_are_told_apart():
    offline = (
        "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(... Failed to establish "
        "a new connection: [Errno -3] Temporary failure in name resolution')': /simple/six/\n"
        "ERROR: Could not find a version that satisfies the requirement six==1.16.0 (from versions: none)\n"
    )
    assert install_failure(offline).startswith("no network: pip could not reach the package index (WARNING: Retrying")
    missing = "ERROR: Could not find a version that satisfies the requirement nosuch==1 (from versions: none)\nERROR: No matching distribution found for nosuch==1\n"
    assert install_failure(missing) == "pip install failed: ERROR: No matching distribution found for nosuch==1"


def test_profile_pins_are_what_check_fails_and_only_those(python_facts, tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "tfenvcheck-test-one==1.0\npip\ntfenvcheck-test-two; python_version < '3'\npip=={}\n".format(
            python_facts.packages["pip"]
        )
    )
    profile = choose_profile(None, str(requirements))
    plan = plan_fixes(
        python_facts,
        [entry("a", {"kind": "pin", "requirements": ["tfenvcheck-test-three==3"]})],
        ids=["pin-profile-packages"],
        profile=profile,
    )
    [(breakage, seen)] = plan.breakages
    assert breakage.id == "pin-profile-packages" and seen == ["tfenvcheck-test-one is missing"]
    [pin] = plan.actions
    assert pin.details["requirements"] == ["tfenvcheck-test-one==1.0"]
    assert plan_fixes(python_facts, [], profile=profile).actions[0].details["requirements"] == [
        "tfenvcheck-test-one==1.0"
    ]
    assert plan_fixes(
        python_facts, [entry("a", {"kind": "advise", "text": "x"})], ids=["a"], profile=profile
    ).advice_only == ["a"]
