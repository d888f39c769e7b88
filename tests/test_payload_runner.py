"""The payload runner turns every way a target can misbehave into a one-line failure."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.helpers import stand_in_python
from tfenvcheck.probes.payload_runner import run_payload
from tfenvcheck.probes.spawn import describe_exit, run_captured
from tfenvcheck.probes.target_pip import run_target_pip


def test_missing_interpreter(tmp_path):
    result = run_payload(str(tmp_path / "nope" / "python"), "interpreter_payload.py")
    assert result.data is None
    assert result.failure.kind == "not-found"


def test_file_that_is_not_executable(tmp_path):
    result = run_payload(stand_in_python(tmp_path, "true", executable=False), "interpreter_payload.py")
    assert result.failure.kind == "not-executable"
    assert "Permission denied" in result.failure.message


def test_killed_by_sigill_names_the_signal(tmp_path):
    result = run_payload(stand_in_python(tmp_path, "cat >/dev/null; kill -ILL $$"), "interpreter_payload.py")
    assert result.failure.kind == "signal"
    assert result.failure.message == "crashed with signal 4 (SIGILL: illegal instruction)"


def test_hang_is_cut_off_at_the_timeout(tmp_path):
    start = time.monotonic()
    result = run_payload(stand_in_python(tmp_path, "sleep 60"), "interpreter_payload.py", timeout=1)
    assert result.failure.kind == "timeout"
    assert result.failure.message == "timed out after 1 s"
    assert time.monotonic() - start < 10


def test_garbage_on_stdout(tmp_path):
    result = run_payload(
        stand_in_python(tmp_path, "cat >/dev/null; echo 'hello from a wrapper'"), "interpreter_payload.py"
    )
    assert result.failure.kind == "garbage"
    assert "hello from a wrapper" in result.failure.message


def test_non_zero_exit_keeps_the_stderr_tail(tmp_path):
    result = run_payload(
        stand_in_python(tmp_path, "cat >/dev/null; echo 'fatal: no encodings module' >&2; exit 7"),
        "interpreter_payload.py",
    )
    assert result.failure.kind == "exit"
    assert result.failure.message == "exited with status 7"
    assert result.failure.stderr_tail == ["fatal: no encodings module"]


def test_the_answer_is_found_among_library_chatter(tmp_path):
    """Only a line framed by the run's marker is the answer: JSON that a library prints is not."""
    body = (
        "cat >/dev/null; echo 'some library banner'; printf '%s%s\\n' \"$TFENVCHECK_ANSWER_MARKER\" '{\"answer\": 42}'; "
        'echo \'{"not": "the answer"}\''
    )
    result = run_payload(stand_in_python(tmp_path, body), "interpreter_payload.py")
    assert result.failure is None
    assert result.data == {"answer": 42}


def test_json_without_the_marker_is_no_answer(tmp_path):
    result = run_payload(stand_in_python(tmp_path, "cat >/dev/null; echo '{\"answer\": 42}'"), "interpreter_payload.py")
    assert result.failure.kind == "garbage"


def test_windows_crash_codes_are_named():
    assert describe_exit(0xC000001D) == "crashed: illegal instruction (STATUS_ILLEGAL_INSTRUCTION)"
    assert describe_exit(3) == "exited with status 3"


def test_a_child_run_to_its_end_with_and_without_its_lines_handed_over(tmp_path):
    """spawn.run_captured, behind the target's pip and create-env's installers."""
    script = stand_in_python(tmp_path, "echo out; echo err >&2; exit 3")
    captured = run_captured([script], timeout=10)
    assert (captured.returncode, captured.stdout, captured.stderr, captured.timed_out) == (3, "out\n", "err\n", False)
    lines = []
    streamed = run_captured([script], on_line=lines.append)
    assert streamed.returncode == 3 and sorted(lines) == ["err", "out"] and streamed.stderr == ""
    assert run_captured([stand_in_python(tmp_path, "sleep 60")], timeout=1).timed_out


def test_the_targets_pip_runs_in_the_target():
    done = run_target_pip(sys.executable, ["--version"], timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("pip ")


def test_an_answer_is_read_though_a_daemon_the_target_left_holds_stdout(tmp_path):
    """The target answers and exits; a daemon in a session of its own keeps its stdout open for
    60 s: the answer comes at once, not when the daemon ends."""
    pid_file = tmp_path / "daemon.pid"
    body = (
        "cat >/dev/null; setsid sh -c 'echo $$ > {}; exec sleep 60' & "
        "printf '%s%s\\n' \"$TFENVCHECK_ANSWER_MARKER\" '{{\"answer\": 42}}'".format(pid_file)
    )
    try:
        result = run_payload(stand_in_python(tmp_path, body), "interpreter_payload.py", timeout=30)
        assert result.failure is None and result.data == {"answer": 42}
        assert result.seconds < 10
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_lines_handed_over_end_though_a_daemon_holds_the_pipe(tmp_path):
    pid_file = tmp_path / "daemon.pid"
    script = stand_in_python(tmp_path, "setsid sh -c 'echo $$ > {}; exec sleep 60' & echo done".format(pid_file))
    lines: list[str] = []
    start = time.monotonic()
    try:
        captured = run_captured([script], timeout=30, on_line=lines.append)
        assert (captured.returncode, lines, captured.timed_out) == (0, ["done"], False)
        assert time.monotonic() - start < 10
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_child_dies_with_tfenvcheck_even_when_tfenvcheck_is_killed_outright(tmp_path):
    """A fixer killed (SIGKILL) during a pip run must not leave that pip changing the target."""
    script = (
        "import sys\n"
        "from tfenvcheck.probes.spawn import run_captured\n"
        "run_captured(['sh', '-c', 'echo $$; exec sleep 60'], on_line=lambda line: print(line, flush=True))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        assert child.status() != psutil.STATUS_ZOMBIE
        parent.kill()
        parent.wait()
        gone, _ = psutil.wait_procs([child], timeout=5)
        assert gone or child.status() == psutil.STATUS_ZOMBIE  # killed; reaped, or waiting to be
    finally:
        parent.kill()
