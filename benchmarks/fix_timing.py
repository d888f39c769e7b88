"""How long `tfenvcheck fix` and `tfenvcheck undo` take on a real target, each phase timed.

    python benchmarks/fix_timing.py --venv ~/.cache/tfenvcheck-tests/venvs/py3.7-<key> [--runs 3]

Each run works on a fresh copy of the given venv (which is never changed), with a journal of its
own: `fix --dry-run` (detect and plan), `fix --yes` (plan, pip, detect again with the confirmation
snippets), and `undo --yes` (back to the previous pip freeze, checked). Pins download from the
package index, or pip's cache once warm: the figures include the network. Prints the medians,
and with --json the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str], allowed: tuple[int, ...]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode not in allowed:
        raise SystemExit("{} exited with {}: {}".format(" ".join(command), done.returncode, done.stderr[-800:]))
    return time.perf_counter() - start


def one_run(venv: Path, workdir: Path) -> dict[str, float]:
    copy = workdir / "venv"
    shutil.copytree(venv, copy, symlinks=True)
    python = str(copy / "bin" / "python")
    env = dict(os.environ, TFENVCHECK_STATE_DIR=str(workdir / "state"), NO_COLOR="1")
    tool = [sys.executable, "-m", "tfenvcheck"]
    freeze = [python, "-m", "pip", "freeze", "--all"]
    before = subprocess.run(freeze, capture_output=True, text=True).stdout
    times = {
        "fix_dry_run": timed([*tool, "fix", "--python", python, "--dry-run"], env, (0, 1)),
        "fix_yes": timed([*tool, "fix", "--python", python, "--yes"], env, (0,)),
        "undo_yes": timed([*tool, "undo", "--python", python, "--yes"], env, (0,)),
    }
    if subprocess.run(freeze, capture_output=True, text=True).stdout != before:
        raise SystemExit("undo did not bring back the previous pip freeze")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", required=True, type=Path, help="a venv with known breakages (copied, never changed)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="tfenvcheck-fix-bench-") as workdir:
            runs.append(one_run(args.venv.resolve(), Path(workdir)))
    results = {
        phase: {
            "median_s": statistics.median(r[phase] for r in runs),
            "min_s": min(r[phase] for r in runs),
            "max_s": max(r[phase] for r in runs),
            "runs": len(runs),
        }
        for phase in runs[0]
    }
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for phase, figures in results.items():
            print(
                "{:<12} median {median_s:6.2f} s  (min {min_s:.2f}, max {max_s:.2f}, {runs} runs)".format(
                    phase, **figures
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
