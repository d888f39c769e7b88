"""Registry data never writes outside the target: a patch module that climbs out or is a path, a
symbolic link in site-packages that leads elsewhere, an env action's name that is no variable
name, and a journal that names a file outside the target are each refused, and the file outside
keeps its bytes. Each case is a real `tfenvcheck` process with a private HOME and state folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.helpers.fix_targets import bare_venv, private_env, registry
from tfenvcheck.facts.model import Facts, TargetFacts
from tfenvcheck.fixer.apply import apply_plan, start_journal
from tfenvcheck.fixer.plan import plan_fixes
from tfenvcheck.probes.interpreter import probe_interpreter
from tfenvcheck.registry.loader import parse_breakage

PATCH_ENTRY = """\
id = "test-escape"
title = "test entry: a patch of a module"
symptom = "none"
[when]
env_unset = ["TFENVCHECK_TEST_NEVER_SET"]
[[fix]]
kind = "patch"
module = "{module}"
find = "BAD = 1"
replace = "GOOD = 1"
"""
ENV_ENTRY = """\
id = "test-env-name"
title = "test entry: an env action"
symptom = "none"
[when]
env_unset = ["TFENVCHECK_TEST_NEVER_SET"]
[[fix]]
kind = "env"
name = "{name}"
value = "1"
"""


@pytest.fixture
def case(tmp_path) -> Path:
    """The case's folder: a venv (no pip, quick), and beside it a file that must keep its bytes."""
    bare_venv(tmp_path / "venv")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.py").write_text("BAD = 1\n")
    return tmp_path


def fix(case: Path, entries: Path, *extra: str) -> subprocess.CompletedProcess:
    python = case / "venv" / "bin" / "python"
    return run_cli(
        "fix", "--python", str(python), "--registry", str(entries), "--yes", *extra, env=private_env(case), timeout=120
    )


def assert_one_line_error(done: subprocess.CompletedProcess, code: int) -> str:
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    last = done.stderr.splitlines()[-1]
    assert last.startswith("tfenvcheck: error: ")
    return last


def assert_untouched(case: Path) -> None:
    assert (case / "outside" / "victim.py").read_text() == "BAD = 1\n"
    assert sorted(p.name for p in (case / "outside").iterdir()) == ["victim.py"]
    assert not (case / "state" / "runs").exists()


@pytest.mark.parametrize(
    ("module", "why"),
    [
        ("../../../../outside/victim", "climbs out with .."),
        ("{case}/outside/victim", "an absolute path"),
        ("linecache.", "an empty part"),
    ],
)
def test_a_patch_module_that_is_not_a_dotted_name_is_refused_at_load(case, module, why):
    module = module.format(case=case)
    entries = registry(case / "registry", PATCH_ENTRY.format(module=module))
    done = fix(case, entries)
    assert assert_one_line_error(done, 2) == (
        "tfenvcheck: error: {}:8: fix[0].module: {!r} is not a dotted module name "
        "(a path, absolute or with '..', is refused)".format(entries / "entry.toml", module)
    )
    assert done.stdout == ""
    assert_untouched(case)


def test_a_file_condition_module_that_is_a_path_is_refused_at_load(case):
    text = PATCH_ENTRY.format(module="victim").replace(
        'env_unset = ["TFENVCHECK_TEST_NEVER_SET"]', 'file = { module = "../outside/victim", contains = "BAD" }'
    )
    entries = registry(case / "registry", text)
    assert assert_one_line_error(fix(case, entries), 2) == (
        "tfenvcheck: error: {}:5: when.file.module: '../outside/victim' is not a dotted module name "
        "(a path, absolute or with '..', is refused)".format(entries / "entry.toml")
    )
    assert_untouched(case)


def test_a_symbolic_link_out_of_site_packages_is_refused_and_the_file_outside_keeps_its_bytes(case):
    site = next((case / "venv" / "lib").glob("python3.*/site-packages"))
    (site / "shared").symlink_to(case / "outside", target_is_directory=True)
    entries = registry(case / "registry", PATCH_ENTRY.format(module="shared.victim"))
    done = fix(case, entries)
    last = assert_one_line_error(done, 3)
    assert last.startswith(
        "tfenvcheck: error: cannot fix {}: {} (which resolves to {}) lies outside the target (".format(
            case / "venv" / "bin" / "python", site / "shared" / "victim.py", case / "outside" / "victim.py"
        )
    )
    assert last.endswith("): tfenvcheck writes only inside the target; nothing was changed")
    assert_untouched(case)


def test_an_env_file_that_is_a_link_out_of_site_packages_is_refused(case):
    site = next((case / "venv" / "lib").glob("python3.*/site-packages"))
    (site / "tfenvcheck-env-TFENVCHECK_TEST_X.pth").symlink_to(case / "outside" / "made.pth")
    entries = registry(case / "registry", ENV_ENTRY.format(name="TFENVCHECK_TEST_X"))
    last = assert_one_line_error(fix(case, entries), 3)
    assert (
        "lies outside the target (" in last and "(which resolves to {})".format(case / "outside" / "made.pth") in last
    )
    assert_untouched(case)


@pytest.mark.parametrize("name", ["BAD=NAME", "1ST", "TWO WORDS", ""])
def test_an_env_action_whose_name_is_no_variable_name_is_refused_at_load(case, name):
    entries = registry(case / "registry", ENV_ENTRY.format(name=name))
    done = fix(case, entries)
    line = 8 if name else None
    assert assert_one_line_error(done, 2) == (
        "tfenvcheck: error: {}{}: fix[0].name: {!r} is not an environment variable name "
        "(letters, digits and _, not starting with a digit)".format(
            entries / "entry.toml", ":{}".format(line) if line else "", name
        )
    )
    site = next((case / "venv" / "lib").glob("python3.*/site-packages"))
    assert not list(site.glob("tfenvcheck-env-*.pth"))
    assert_untouched(case)


def test_undo_leaves_alone_a_file_the_journal_names_outside_the_target_whatever_roots_it_records(case, monkeypatch):
    # Fixed once set: the interpreter probe reports TF_CPP_MIN_LOG_LEVEL, so verification sees it.
    text = ENV_ENTRY.format(name="TF_CPP_MIN_LOG_LEVEL").replace("TFENVCHECK_TEST_NEVER_SET", "TF_CPP_MIN_LOG_LEVEL")
    entries = registry(case / "registry", text)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    done = fix(case, entries, "--json")
    assert done.returncode == 0, done.stderr
    [journal] = (case / "state" / "runs").glob("*/journal.json")
    record = json.loads(journal.read_text())
    pth = Path(record["actions"][0]["path"])
    # A journal edited to name a file outside the target that holds the very bytes the fix wrote,
    # and to let every action kind write in that file's folder.
    (case / "outside" / "victim.py").write_bytes(pth.read_bytes())
    record["actions"][0]["path"] = str(case / "outside" / "victim.py")
    record["target"]["roots"] = {kind: [str(case / "outside")] for kind in ("env", "preload", "patch")}
    journal.write_text(json.dumps(record))
    undone = run_cli("undo", record["run_id"], "--yes", env=private_env(case), timeout=120)
    assert undone.returncode == 1, undone.stdout + undone.stderr
    assert "Traceback" not in undone.stderr + undone.stdout
    assert "lies outside the target (" in undone.stdout
    assert (case / "outside" / "victim.py").read_bytes() == pth.read_bytes()
    assert pth.exists()  # the real .pth too: undo stopped at what it would not touch


def test_undo_of_a_journal_whose_target_now_runs_from_elsewhere_changes_nothing(case, monkeypatch):
    text = ENV_ENTRY.format(name="TF_CPP_MIN_LOG_LEVEL").replace("TFENVCHECK_TEST_NEVER_SET", "TF_CPP_MIN_LOG_LEVEL")
    entries = registry(case / "registry", text)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    assert fix(case, entries, "--json").returncode == 0
    [journal] = (case / "state" / "runs").glob("*/journal.json")
    record = json.loads(journal.read_text())
    pth = Path(record["actions"][0]["path"])
    record["target"]["executable"] = sys.executable  # another interpreter, with another prefix
    journal.write_text(json.dumps(record))
    undone = run_cli("undo", record["run_id"], "--yes", env=private_env(case), timeout=120)
    last = assert_one_line_error(undone, 3)
    assert last == "tfenvcheck: error: the run's target {} now runs from {}, not {}: nothing was changed".format(
        sys.executable, sys.prefix, case / "venv"
    )
    assert pth.exists()


def test_a_link_swapped_in_after_the_plan_is_refused_just_before_writing(case, monkeypatch):
    monkeypatch.setenv("TFENVCHECK_STATE_DIR", str(case / "state"))
    python = str(case / "venv" / "bin" / "python")
    site = next((case / "venv" / "lib").glob("python3.*/site-packages"))
    (site / "shared").mkdir()
    (site / "shared" / "victim.py").write_text("BAD = 1\n")
    breakage = parse_breakage(
        {
            "id": "swap",
            "title": "t",
            "symptom": "s",
            "when": {"file": {"module": "shared.victim", "contains": "BAD"}},
            "fix": [{"kind": "patch", "module": "shared.victim", "find": "BAD = 1", "replace": "GOOD = 1"}],
        }
    )
    facts = Facts(TargetFacts(python, "test"), probe_interpreter(python))
    plan = plan_fixes(facts, [breakage], python=python)
    assert plan.problems == []
    (site / "shared").rename(case / "moved")
    (site / "shared").symlink_to(case / "outside", target_is_directory=True)
    journal = start_journal(plan, [])
    assert apply_plan(plan, journal) is False
    [action] = journal.record["actions"]
    assert action["status"] == "failed"
    assert action["error"].startswith(
        "{} (which resolves to {}) lies outside the target (".format(
            site / "shared" / "victim.py", case / "outside" / "victim.py"
        )
    )
    assert (case / "outside" / "victim.py").read_text() == "BAD = 1\n"
