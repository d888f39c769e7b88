"""Exit 3, "could not check", as a user reads it: `check --json` prints nothing on stdout when the target
cannot answer, one schema-valid "incomplete" document when one of its checks failed; a bug of ours is
one line unless TFENVCHECK_DEBUG=1 asks for its traceback."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import require_python, run_child, run_cli, stand_in_python

SCHEMA = json.loads((Path(__file__).parents[1] / "tfenvcheck" / "schemas" / "check-result.schema.json").read_text())

# tfenvcheck's own CLI with a bug planted in one place (the code a command runs), run as a user runs it.
WITH_A_BUG = """
import sys
import {module} as where
from tfenvcheck import cli

def bug(*args, **kwargs):
    raise ZeroDivisionError("a bug planted by the test")

{plant}
sys.exit(cli.main(sys.argv[1:]))
"""


def run_with_bug(module: str, plant: str, *args: str, env: dict[str, str] | None = None):
    code = WITH_A_BUG.format(module=module, plant=plant)
    return run_child([sys.executable, "-c", code, *args], timeout=300, env=env)


def quiet_env(**extra: str) -> dict[str, str]:
    return dict({k: v for k, v in os.environ.items() if k != "TFENVCHECK_DEBUG"}, **extra)


@pytest.mark.parametrize(
    "python, message",
    [
        ("/nonexistent/bin/python", "tfenvcheck: error: cannot probe /nonexistent/bin/python: no such file"),
        ("python-2.7", "tfenvcheck: error: unsupported interpreter: Python 2.7"),
        ("killed", "tfenvcheck: error: cannot probe {}: crashed with signal 11 (SIGSEGV: segmentation fault)"),
    ],
)
def test_check_json_of_a_target_that_cannot_answer_prints_no_json(tmp_path, python, message):
    if python == "python-2.7":
        python = str(require_python("2.7"))
    elif python == "killed":
        python = stand_in_python(tmp_path, "kill -SEGV $$")
    message = message.format(python)
    done = run_cli("check", "--json", "--python", python, timeout=120)
    assert done.returncode == 3
    assert done.stdout == ""  # nothing a reader of --json could take for a result
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(message), done.stderr


def test_check_json_with_a_failed_check_is_an_incomplete_document(tmp_path):
    """Everything else passes (a profile the plain Python meets), one check fails with a bug: exit 3."""
    profile = tmp_path / "course.toml"
    profile.write_text('name = "course"\npython = ">=3.10"\nrequires = ["pip>=1"]\n')
    python = str(require_python("3.11"))
    plant = 'where.CHECKS = where.CHECKS + (("broken", bug),)'
    args = ("check", "--json", "--no-tensorflow", "--profile", str(profile), "--python", python)
    done = run_with_bug("tfenvcheck.checks.registry", plant, *args, env=quiet_env())
    assert done.returncode == 3, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["verdict"] == "incomplete" and document["counts"]["fail"] == 0
    [broken] = [f for f in document["findings"] if f["status"] == "error"]
    assert (broken["id"], broken["seen"]) == ("broken", "ZeroDivisionError: a bug planted by the test")


def test_a_bug_of_ours_is_one_line_unless_tfenvcheck_debug_is_set():
    plant = "import tfenvcheck.commands.profiles as command\ncommand.profile_rows = bug"
    quiet = run_with_bug("tfenvcheck.profiles.listing", plant, "profiles", env=quiet_env())
    assert quiet.returncode == 3 and quiet.stdout == ""
    assert quiet.stderr == (
        "tfenvcheck: internal error: ZeroDivisionError: a bug planted by the test "
        "(set TFENVCHECK_DEBUG=1 to see the traceback)\n"
    )
    debug = run_with_bug("tfenvcheck.profiles.listing", plant, "profiles", env=quiet_env(TFENVCHECK_DEBUG="1"))
    assert debug.returncode == 3
    lines = debug.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    # The frames from tfenvcheck's main down to the planted bug (given with -c: no source line shown).
    assert '{}", line '.format(Path("tfenvcheck", "cli.py")) in debug.stderr
    assert 'File "<string>", line 7, in bug\n' in debug.stderr
    assert lines[-2] == "ZeroDivisionError: a bug planted by the test"
    assert lines[-1] == quiet.stderr.rstrip("\n")
