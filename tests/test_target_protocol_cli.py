"""No output of the target can fool the payload protocol, no daemon it leaves can hang tfenvcheck,
and a target that cannot answer is answered about without waiting for the other probes.

Each case runs the real CLI with a private HOME and state folder against a real venv or a stand-in
target; it asserts the exit code, a one-line message and no traceback."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from tests.helpers import require_python, run_cli, stand_in_python
from tests.helpers.fix_targets import bare_venv, private_env, registry
from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.facts.gather import gather_facts
from tfenvcheck.target import Target

SNIPPET_ENTRY = """\
id = "test-snippet"
title = "test entry: a snippet"
symptom = "none"
[when]
python = ">=3"
[confirm]
snippet = '''{snippet}'''
expect = "never seen"
timeout = 30
[[fix]]
kind = "advise"
text = "nothing"
"""


def site_packages(python: Path) -> Path:
    return next((python.parent.parent / "lib").glob("python3.*/site-packages"))


def assert_one_line_error(done: subprocess.CompletedProcess, code: int) -> str:
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    last = done.stderr.splitlines()[-1]
    assert last.startswith("tfenvcheck: error: ")
    return last


@pytest.fixture
def daemons(tmp_path):
    """Where stand-ins write the pids of the daemons they leave; they are killed after the test."""
    folder = tmp_path / "daemons"
    folder.mkdir()
    yield folder
    for pid_file in folder.iterdir():
        with contextlib.suppress(ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def daemon_command(daemons: Path, name: str) -> str:
    """Shell for a daemon in a session of its own that keeps the stdout and stderr it was given."""
    return "setsid sh -c 'echo $$ > {}; exec sleep 60' &".format(daemons / name)


def test_a_sitecustomize_that_prints_json_at_start_and_at_exit_is_not_taken_for_the_answer(tmp_path):
    python = bare_venv(tmp_path / "venv")
    (site_packages(python) / "sitecustomize.py").write_text(
        "import atexit, json\n"
        'print(json.dumps({"supported": False, "version": "2.7.18"}))\n'
        'atexit.register(lambda: print(json.dumps({"supported": False, "version": "0"})))\n'
    )
    done = run_cli("probe", "--python", str(python), "--no-tensorflow", "--json", env=private_env(tmp_path))
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)
    assert facts["interpreter"]["version"] == require_python("3.11").resolve().parent.parent.name
    assert facts["interpreter"]["prefix"] == str(tmp_path / "venv")


def test_a_target_answering_an_empty_object_answered_nothing_usable(tmp_path):
    marked = 'cat >/dev/null; printf "%s{}\\n" "$TFENVCHECK_ANSWER_MARKER"'
    python = stand_in_python(tmp_path / "liar", marked)
    done = run_cli("check", "--python", python, env=private_env(tmp_path), timeout=120)
    assert assert_one_line_error(done, 3) == (
        "tfenvcheck: error: cannot probe {}: it answered nothing usable (the interpreter probe's answer: "
        'missing value for field "executable")'.format(python)
    )


def test_a_target_answering_only_that_it_is_unsupported_answered_nothing_usable(tmp_path):
    marked = 'cat >/dev/null; printf "%s%s\\n" "$TFENVCHECK_ANSWER_MARKER" \'{"supported": false}\''
    python = stand_in_python(tmp_path / "liar", marked)
    done = run_cli("probe", "--python", python, "--json", env=private_env(tmp_path), timeout=120)
    assert assert_one_line_error(done, 3).startswith(
        "tfenvcheck: error: cannot probe {}: it answered nothing usable (".format(python)
    )
    assert done.stdout == ""


def test_a_target_printing_json_without_the_marker_answered_nothing_usable(tmp_path):
    python = stand_in_python(tmp_path / "liar", "cat >/dev/null; echo '{\"supported\": true}'")
    done = run_cli("check", "--python", python, env=private_env(tmp_path), timeout=120)
    assert assert_one_line_error(done, 3) == (
        "tfenvcheck: error: cannot probe {}: answered nothing usable: no answer line on its stdout "
        "(it printed '{{\"supported\": true}}')".format(python)
    )


def confirmation_seen(tmp_path: Path, snippet: str) -> tuple[subprocess.CompletedProcess, str]:
    python = bare_venv(tmp_path / "venv")
    entries = registry(tmp_path / "registry", SNIPPET_ENTRY.format(snippet=snippet))
    done = run_cli(
        "check",
        "--python",
        str(python),
        "--no-tensorflow",
        "--confirm",
        "--registry",
        str(entries),
        "--json",
        env=private_env(tmp_path),
        timeout=120,
    )
    assert "Traceback" not in done.stdout + done.stderr
    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["id"] == "breakage.test-snippet"]
    return done, finding["seen"]


def test_a_snippet_that_prints_a_failed_answer_and_exits_is_inconclusive(tmp_path):
    done, seen = confirmation_seen(tmp_path, "print('{\"ok\": false}'); import os; os._exit(0)")
    assert done.returncode == 1
    assert seen.endswith(
        "-> inconclusive: the snippet answered nothing usable: no answer line on its stdout "
        "(it printed '{\"ok\": false}')"
    )


def test_a_snippet_that_answers_in_the_payloads_own_frame_without_an_error_is_inconclusive(tmp_path):
    done, seen = confirmation_seen(tmp_path, 'import __main__, os; __main__.answer({"ok": False}); os._exit(0)')
    assert done.returncode == 1
    assert seen.endswith("-> inconclusive: the snippet answered nothing usable")


def test_a_snippet_that_leaves_a_daemon_holding_stdout_does_not_hang_the_check(tmp_path, daemons):
    snippet = "import subprocess; subprocess.Popen(['sh', '-c', \"{}\"])".format(daemon_command(daemons, "snippet"))
    start = time.monotonic()
    done, seen = confirmation_seen(tmp_path, snippet)
    assert time.monotonic() - start < 30  # the daemon sleeps 60 s with the snippet's stdout
    assert done.returncode == 1
    assert seen.endswith("-> not-reproduced: the snippet ran without error")
    assert list(daemons.iterdir())  # the daemon was started indeed


def test_a_target_that_hangs_leaving_a_daemon_holding_stdout_times_out(tmp_path, daemons):
    python = stand_in_python(
        tmp_path / "hangs", "cat >/dev/null; {} exec sleep 600".format(daemon_command(daemons, "$$"))
    )
    start = time.monotonic()
    done = run_cli("check", "--python", python, "--timeout", "3", env=private_env(tmp_path), timeout=120)
    elapsed = time.monotonic() - start
    assert assert_one_line_error(done, 3) == "tfenvcheck: error: cannot probe {}: timed out after 3 s".format(python)
    assert elapsed < 30, elapsed  # not the 60 s the daemons hold the pipes
    assert len(list(daemons.iterdir())) >= 1


def hanging_venv(where: Path) -> Path:
    python = bare_venv(where)
    (site_packages(python) / "sitecustomize.py").write_text("import time\ntime.sleep(600)\n")
    return python


def target_processes(venv: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["exe", "cmdline"]):
        if str(venv) in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_the_other_probes_are_cancelled_once_the_interpreter_probe_fails(tmp_path):
    """TensorFlow's probe has 60 s, the interpreter's 2 s: the answer comes after about 2 s, and no
    process of the target is left running."""
    python = hanging_venv(tmp_path / "venv")
    start = time.monotonic()
    with pytest.raises(CouldNotCheck) as raised:
        gather_facts(
            Target(str(python), "test"),
            tensorflow_timeout=60,
            interpreter_timeout=2,
            with_pip_check=True,
            import_modules=["json"],
        )
    elapsed = time.monotonic() - start
    assert str(raised.value) == "cannot probe {}: timed out after 2 s".format(python)
    assert elapsed < 15, elapsed
    assert target_processes(tmp_path / "venv") == []


def test_check_of_a_real_venv_that_hangs_answers_at_the_interpreter_probes_timeout(tmp_path):
    python = hanging_venv(tmp_path / "venv")
    done = run_cli("check", "--python", str(python), "--timeout", "3", env=private_env(tmp_path), timeout=120)
    assert assert_one_line_error(done, 3) == "tfenvcheck: error: cannot probe {}: timed out after 3 s".format(python)
    assert target_processes(tmp_path / "venv") == []
