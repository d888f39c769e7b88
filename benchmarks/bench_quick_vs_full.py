"""How well `bench --quick` predicts the tutorial: its projection of A0 against a measured `--full` run.

Goals: the quick projection is within 10% of the full run's measured time, and the quick run takes
at most 15% of the full run's wall time.

    python benchmarks/bench_quick_vs_full.py --python /path/to/venv-with-tensorflow/bin/python \
        [--workload A0] [--quick-runs 2]

Runs `tfenvcheck bench --workload A0 --quick --json` (--quick-runs times, around the full run) and
`tfenvcheck bench --workload A0 --full --json` as a user would, each a fresh process, timing each
command's wall clock (TensorFlow's import included). A0 on a 2-core CPU: the full run about 2 to
8 minutes, each quick run a tenth of that. Each line also says how many epoch starts waited for the
last epoch's tf.data iterator to be torn down (epoch_waits.py) and what the projection expects.
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


def bench(tool: str, python: str, workload: str, mode: str) -> tuple[dict, float]:
    start = time.monotonic()
    done = subprocess.run(
        [tool, "bench", "--python", python, "--workload", workload, mode, "--json"], capture_output=True, text=True
    )
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit("tfenvcheck bench {} failed: {}".format(mode, done.stderr[-2000:]))
    (result,) = json.loads(done.stdout)["workloads"]
    return result, wall


def describe_waits(wait: dict) -> str:
    if not wait["sampled"]:
        return "not sampled; mean wait {:.3f} s".format(wait["expected_seconds"])
    return "missed the join {} of {}; {:.2f} s if missed at the tutorial's epoch; expected {:.2f} s".format(
        wait["missed"], wait["epoch_starts"], wait["seconds_if_missed"], wait["expected_seconds"]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow")
    parser.add_argument("--workload", default="A0")
    parser.add_argument("--quick-runs", type=int, default=2, help="quick runs, split before and after the full run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tool = shutil.which("tfenvcheck", path=str(Path(sys.executable).parent)) or "tfenvcheck"

    quick = [bench(tool, args.python, args.workload, "--quick") for _ in range((args.quick_runs + 1) // 2)]
    full, full_wall = bench(tool, args.python, args.workload, "--full")
    quick += [bench(tool, args.python, args.workload, "--quick") for _ in range(args.quick_runs // 2)]
    measured = full["measured_seconds"]
    projections = [result["projected_tutorial_seconds"] for result, _ in quick]
    walls = [wall for _, wall in quick]
    summary = {
        "workload": args.workload,
        "full_measured_seconds": measured,
        "full_wall_seconds": full_wall,
        "full_first_epoch_seconds": full["first_epoch_seconds"],
        "full_steady_median_step_seconds": full["steady"]["median_step_seconds"],
        "quick_projected_seconds": projections,
        "quick_first_epoch_seconds": [result["first_epoch_seconds"] for result, _ in quick],
        "quick_steady_median_step_seconds": [result["steady"]["median_step_seconds"] for result, _ in quick],
        "quick_wall_seconds": walls,
        "full_epoch_start_wait": full["steady"]["epoch_start_wait"],
        "quick_epoch_start_wait": [result["steady"]["epoch_start_wait"] for result, _ in quick],
        "projection_error_percent": [100.0 * (p - measured) / measured for p in projections],
        "quick_time_share_percent": 100.0 * statistics.median(walls) / full_wall,
    }
    summary["goal_within_10_percent"] = all(abs(e) <= 10 for e in summary["projection_error_percent"])
    summary["goal_quick_at_most_15_percent"] = summary["quick_time_share_percent"] <= 15
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        "{}: full run measured {:.1f} s (command {:.1f} s; first epoch {:.1f} s, steady step {:.3f} s)".format(
            args.workload, measured, full_wall, full["first_epoch_seconds"], full["steady"]["median_step_seconds"]
        )
    )
    print("  full:  epoch starts " + describe_waits(full["steady"]["epoch_start_wait"]))
    for (result, wall), error in zip(quick, summary["projection_error_percent"]):
        print(
            "  quick: projected {:.1f} s ({:+.1f}%), first epoch {:.1f} s, step {:.3f} s, command {:.1f} s".format(
                result["projected_tutorial_seconds"],
                error,
                result["first_epoch_seconds"],
                result["steady"]["median_step_seconds"],
                wall,
            )
        )
        print("         epoch starts " + describe_waits(result["steady"]["epoch_start_wait"]))
    print(
        "  within 10%: {}; quick takes {:.1f}% of the full run's time (goal at most 15%): {}".format(
            "met" if summary["goal_within_10_percent"] else "NOT met",
            summary["quick_time_share_percent"],
            "met" if summary["goal_quick_at_most_15_percent"] else "NOT met",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
