"""How soon `tfenvcheck check` answers about a target that hangs.

Goal: the verdict ("cannot probe ...: timed out after 30 s", exit 3) within the interpreter probe's
own timeout plus 2 s (median of the runs), not after TensorFlow's import timeout: once the
interpreter probe has failed, the TensorFlow, import and `pip check` probes are cancelled.

    python benchmarks/hang_answer_time.py [--runs 5] [--timeout SECONDS] [--daemon]

The target is a real venv (made from this Python, without pip) whose sitecustomize hangs at every
start, so every probe of it hangs; with --daemon it first starts a daemon that escapes its session
and holds stdout (the pipes stay open after the target is killed). `--timeout` is passed to check
(it also caps the interpreter probe's timeout); default: check's own timeouts. Each run is a fresh
`tfenvcheck` process, as a user would run it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tfenvcheck.probes.interpreter import DEFAULT_TIMEOUT as INTERPRETER_TIMEOUT

HANG = "import time\ntime.sleep(3600)\n"
DAEMON_THEN_HANG = (
    "import os, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        time.sleep(120)\n"  # holds the stdout and stderr it inherited
    "    os._exit(0)\n"
    "time.sleep(3600)\n"
)


def hanging_target(where: Path, daemon: bool) -> Path:
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    site = next((where / "lib").glob("python3.*/site-packages"))
    (site / "sitecustomize.py").write_text(DAEMON_THEN_HANG if daemon else HANG)
    return where / "bin" / "python"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, help="passed to check as --timeout")
    parser.add_argument("--daemon", action="store_true", help="the target leaves a daemon holding stdout")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    tool = shutil.which("tfenvcheck", path=str(Path(sys.executable).parent)) or "tfenvcheck"
    limit = min(INTERPRETER_TIMEOUT, args.timeout) if args.timeout else INTERPRETER_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-hang-") as folder:
        python = hanging_target(Path(folder) / "venv", args.daemon)
        command = [tool, "check", "--python", str(python), *(["--timeout", str(args.timeout)] if args.timeout else [])]
        times, lines = [], set()
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            times.append(time.perf_counter() - start)
            if done.returncode != 3:
                raise SystemExit("expected exit 3, got {}: {}".format(done.returncode, done.stderr[-500:]))
            lines.add(done.stderr.strip().splitlines()[-1].replace(str(python), "TARGET"))
    result = {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs": len(times),
        "interpreter_probe_timeout_s": limit,
        "goal_s": limit + 2,
        "within_goal": statistics.median(times) <= limit + 2,
        "messages": sorted(lines),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        "check of a hanging target{}: median {:.2f} s (min {:.2f}, max {:.2f}, {} runs)".format(
            " leaving a daemon" if args.daemon else "", result["median_s"], result["min_s"], result["max_s"], len(times)
        )
    )
    print(
        "goal: interpreter probe timeout {:g} s + 2 s = {:g} s: {}".format(
            limit, limit + 2, "within" if result["within_goal"] else "OVER"
        )
    )
    for line in result["messages"]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
