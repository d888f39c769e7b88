"""The probes run at the same time, proved by the clock: a slow stand-in target (a shell script that
logs when each run starts and ends, waits 2 s, then runs a real Python) is checked, and every probe
it is asked for has started before the first of them ends."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import require_python, run_cli, stand_in_python

WAIT_SECONDS = 2.0


def slow_target(folder: Path, log: Path) -> str:
    """A stand-in python: each run is logged with its arguments and start and end times (GNU date)."""
    real = require_python("3.11")
    body = (
        'echo "start $$ $(date +%s.%N) $*" >> {log}\n'
        "sleep {wait}\n"
        '{real} "$@"\n'
        "status=$?\n"
        'echo "end $$ $(date +%s.%N)" >> {log}\n'
        "exit $status"
    ).format(log=log, wait=WAIT_SECONDS, real=real)
    return stand_in_python(folder, body)


def runs(log: Path) -> dict[str, dict[str, float]]:
    """pid -> {"start", "end", and the run's arguments}."""
    found: dict[str, dict] = {}
    for line in log.read_text().splitlines():
        event, pid, stamp, *args = line.split(" ")
        found.setdefault(pid, {})[event] = float(stamp)
        if event == "start":
            found[pid]["args"] = " ".join(args)
    return found


def test_checks_probes_of_the_target_overlap_in_time(tmp_path):
    log = tmp_path / "runs.log"
    python = slow_target(tmp_path / "bin", log)
    done = run_cli("check", "--python", python, "--profile", "exam-2022-07", timeout=300)
    assert done.returncode == 1, done.stderr  # a plain Python 3.11 is not the exam's
    found = runs(log)
    # The interpreter, TensorFlow and GPU payloads (sent on stdin), pip check, and the profile's imports.
    assert sorted(run["args"] for run in found.values()) == [
        "-m pip check",
        "-u -",
        "-u -",
        "-u -",
        "-u - tensorflow_datasets PIL pandas numpy scipy",
    ]
    assert all(run["end"] - run["start"] >= WAIT_SECONDS for run in found.values())
    assert max(run["start"] for run in found.values()) < min(run["end"] for run in found.values())
    # One after another they would span the sum of their times; together, less than half of it.
    span = max(run["end"] for run in found.values()) - min(run["start"] for run in found.values())
    assert span < sum(run["end"] - run["start"] for run in found.values()) / 2
