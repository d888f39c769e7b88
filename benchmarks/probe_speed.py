"""How long `tfenvcheck probe` and `check` take, against the cost of importing TensorFlow in the target.

Goals: `probe --no-tensorflow --json` under 1.0 s (median); a full probe, and a `check` of a healthy
target, at most 1.25 x the median of `python -c "import tensorflow"` in the same target, plus 0.3 s.

    python benchmarks/probe_speed.py --python /path/to/venv-with-tensorflow/bin/python [--runs 7]

Each command runs as a fresh process, as a user would run it; the first run of each is a warm-up
(file cache) and is not counted. Prints a table and, with --json, the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall_times(command: list[str], runs: int, allowed_exit_codes: tuple[int, ...] = (0,)) -> list[float]:
    times = []
    for run in range(runs + 1):  # the first run warms the file cache and is not counted
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True)
        if done.returncode not in allowed_exit_codes:
            raise SystemExit("{} exited with {}: {}".format(" ".join(command), done.returncode, done.stderr[-500:]))
        if run:
            times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_s": statistics.median(ordered), "min_s": ordered[0], "max_s": ordered[-1], "runs": len(ordered)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow installed")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--profile", help="the profile `check` is timed against (pick one the target meets)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    tool = shutil.which("tfenvcheck", path=str(Path(sys.executable).parent)) or "tfenvcheck"
    results = {
        "probe_no_tensorflow": summary(
            wall_times([tool, "probe", "--no-tensorflow", "--json", "--python", args.python], args.runs)
        ),
        "import_tensorflow": summary(wall_times([args.python, "-c", "import tensorflow"], args.runs)),
        "probe_full": summary(wall_times([tool, "probe", "--json", "--python", args.python], args.runs)),
    }
    if args.profile:
        check = [tool, "check", "--json", "--python", args.python, "--profile", args.profile, "--fail-on", "fail"]
        results["check"] = summary(wall_times(check, args.runs, allowed_exit_codes=(0, 1)))
    budget = 1.25 * results["import_tensorflow"]["median_s"] + 0.3
    results["goals"] = {
        "probe_no_tensorflow_under_1s": results["probe_no_tensorflow"]["median_s"] < 1.0,
        "full_probe_budget_s": budget,
        "full_probe_within_budget": results["probe_full"]["median_s"] <= budget,
        "full_probe_over_import_ratio": results["probe_full"]["median_s"] / results["import_tensorflow"]["median_s"],
    }
    if "check" in results:
        results["goals"]["check_within_budget"] = results["check"]["median_s"] <= budget
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name in ("probe_no_tensorflow", "import_tensorflow", "probe_full", "check"):
        if name not in results:
            continue
        r = results[name]
        print(
            "{:<22} median {:6.3f} s  (min {:.3f}, max {:.3f}, {} runs)".format(
                name, r["median_s"], r["min_s"], r["max_s"], r["runs"]
            )
        )
    goals = results["goals"]
    print("probe --no-tensorflow under 1.0 s: {}".format("yes" if goals["probe_no_tensorflow_under_1s"] else "NO"))
    print(
        "full probe {:.3f} s vs budget 1.25 x import + 0.3 = {:.3f} s: {} (ratio to import {:.2f})".format(
            results["probe_full"]["median_s"],
            budget,
            "within" if goals["full_probe_within_budget"] else "OVER",
            goals["full_probe_over_import_ratio"],
        )
    )
    if "check" in results:
        print(
            "check {:.3f} s vs the same budget: {}".format(
                results["check"]["median_s"], "within" if goals["check_within_budget"] else "OVER"
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
