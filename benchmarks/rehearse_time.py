"""How long the full rehearsal takes: `tfenvcheck rehearse` (all five questions, full size) as a user
runs it, timed by the wall clock. Goal: under 10 minutes on the 2-core development machine.

    python benchmarks/rehearse_time.py --python /path/to/exam-venv/bin/python [--output rehearsal.json]

Prints the CPU (from /proc/cpuinfo where there is one), `uptime` before and after (other work on the
machine slows every phase, TensorFlow's import most), the command's wall time, and each question's
time in both its processes as the rehearsal measured it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with a healthy TensorFlow")
    parser.add_argument("--output", type=Path, help="keep the rehearsal's JSON here")
    args = parser.parse_args()
    tool = shutil.which("tfenvcheck") or sys.exit("tfenvcheck is not on PATH (pip install -e .)")
    output = args.output or Path(tempfile.mkdtemp()) / "rehearsal.json"
    print("CPU:", cpu_name())
    print("before:", uptime())
    start = time.monotonic()
    done = subprocess.run([tool, "rehearse", "--python", args.python, "--output", str(output)], capture_output=True)
    wall = time.monotonic() - start
    print("after: ", uptime())
    if done.returncode not in (0, 1):
        sys.exit("tfenvcheck rehearse failed: {}".format(done.stderr.decode()[-2000:]))
    document = json.loads(output.read_text())
    target = document["fingerprint"]["target"]
    print(
        "target: Python {}, TensorFlow {}, Keras {}".format(
            target["python_version"], target["tensorflow"], target["keras"]
        )
    )
    for question in document["questions"]:
        print(
            "  Q{} {:<17} {:>6.0f} s  {}".format(
                question["number"],
                question["id"],
                question["seconds"],
                "passed" if question["passed"] else "FAILED",
            )
        )
    print("whole rehearsal: {:.0f} s ({:.1f} min), goal under 10 min".format(wall, wall / 60))
    return 0


if __name__ == "__main__":
    sys.exit(main())
