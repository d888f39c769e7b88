"""Does the quick mode's 95% prediction interval hold a real run? Paired trials, quick then full.

Each trial runs `tfenvcheck bench --workload W --quick --budget B --json` and then
`tfenvcheck bench --workload W --full --epochs 2 --json` (the tutorial shortened to 2 epochs), as a
user would, and predicts the 2-epoch run from the quick result's saved parts by the formula of the
projection itself (tfenvcheck.bench.projection.project). A trial is a hit when the measured run lies
inside the interval. The machine's load is recorded per trial (the 1-minute load average before and
after, and other processes' CPU share while each command ran, from the results).

    python benchmarks/bench_quick_interval.py --python /path/to/venv/bin/python --workload A0 \
        --pairs 6 [--budget 60] [--output trials.json]

Goals: the measured run inside the interval in at least 5 of 6 trials for A0 and 2 of 3 for B0;
A0's half-width at most 10%. Results are appended to --output after every trial, so a run cut
short keeps what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tfenvcheck.bench.projection import drift_beyond_noise, project

FULL_EPOCHS = 2


def bench(tool: str, python: str, workload: str, *mode: str) -> tuple[dict, float]:
    start = time.monotonic()
    done = subprocess.run(
        [tool, "bench", "--python", python, "--workload", workload, *mode, "--json"], capture_output=True, text=True
    )
    wall = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit("tfenvcheck bench {} failed: {}".format(" ".join(mode), done.stderr[-2000:]))
    (result,) = json.loads(done.stdout)["workloads"]
    return result, wall


def trial(tool: str, python: str, workload: str, budget: float) -> dict:
    load_before = os.getloadavg()[0]
    quick, quick_wall = bench(tool, python, workload, "--quick", "--budget", str(budget))
    full, full_wall = bench(tool, python, workload, "--full", "--epochs", str(FULL_EPOCHS))
    drift = quick["drift"]
    calibration = {
        "before_seconds": drift["calibration_before_seconds"],
        "after_seconds": drift["calibration_after_seconds"],
        "before_windows": drift.get("calibration_before_windows"),
        "after_windows": drift.get("calibration_after_windows"),
    }
    predicted = project(quick["projection"]["parts"], FULL_EPOCHS, drift_beyond_noise(calibration))
    measured = full["measured_seconds"]
    low, high = predicted["low_seconds"], predicted["high_seconds"]
    return {
        "workload": workload,
        "predicted_seconds": predicted["seconds"],
        "low_seconds": low,
        "high_seconds": high,
        "half_width_percent": predicted["half_width_percent"],
        "measured_seconds": measured,
        "error_percent": 100 * (predicted["seconds"] - measured) / measured,
        "inside": low is not None and high is not None and low <= measured <= high,
        "quick_stopped": quick["sampling"]["stopped"],
        "quick_steady_steps": quick["steady"]["steps"],
        "quick_wall_seconds": quick_wall,
        "full_wall_seconds": full_wall,
        "quick_drift_percent": quick["drift"]["slowdown_percent"],
        "quick_others_cpu_share": quick["machine_load"]["others_cpu_share_mean"],
        "full_others_cpu_share": full["machine_load"]["others_cpu_share_mean"],
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        # What the two runs measured, to see where a miss came from.
        "quick_result": quick,
        "full_result": full,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow")
    parser.add_argument("--workload", default="A0")
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--budget", type=float, default=60.0, help="the quick run's --budget (a workload's share)")
    parser.add_argument("--output", type=Path, help="append each trial to this JSON list")
    args = parser.parse_args()
    tool = shutil.which("tfenvcheck", path=str(Path(sys.executable).parent)) or "tfenvcheck"
    trials = []
    for number in range(1, args.pairs + 1):
        row = trial(tool, args.python, args.workload, args.budget)
        trials.append(row)
        if args.output:
            kept = json.loads(args.output.read_text()) if args.output.exists() else []
            args.output.write_text(json.dumps([*kept, dict(row, python=args.python)], indent=2))
        print(
            "{} trial {}: predicted {:.1f} s ({:.1f}-{:.1f}, +-{:.1f}%), measured {:.1f} s ({:+.1f}%): {}; "
            "quick {:.0f} s ({}), others' CPU {:.0%}/{:.0%}, load {:.1f}->{:.1f}".format(
                args.workload,
                number,
                row["predicted_seconds"],
                row["low_seconds"] or 0,
                row["high_seconds"] or 0,
                row["half_width_percent"] or 0,
                row["measured_seconds"],
                row["error_percent"],
                "inside" if row["inside"] else "OUTSIDE",
                row["quick_wall_seconds"],
                row["quick_stopped"],
                row["quick_others_cpu_share"] or 0,
                row["full_others_cpu_share"] or 0,
                row["load_average_before"],
                row["load_average_after"],
            ),
            flush=True,
        )
    hits = sum(row["inside"] for row in trials)
    print("{}: inside the interval in {} of {} trials".format(args.workload, hits, len(trials)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
