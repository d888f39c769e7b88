"""How much the bench's calibration moves when the machine does not: its "drift" over a short training.

The bench times a matrix product in short windows before and after each workload's training and
warns when the medians differ by 25% or more (tfenvcheck/bench/projection.py: DRIFT_WARNING) and
every window after lies beyond every window before (drift_beyond_noise). On a quiet machine every
such warning is false, so what is measured here, with nothing else running, is the calibration's own
noise. Each round, in one target process: the calibrations, one epoch of the workload's training
(its model and synthetic data, --samples of them), the calibrations again. Both the payload's
calibration and the one it replaced (ten 384 x 384 products, median of 5, no warm-up: judged on the
threshold alone, having no windows) are timed, in alternating order, so the two see the same machine.

    python benchmarks/calibration_noise.py --python /path/to/venv-with-tensorflow/bin/python \
        [--workload A0] [--rounds 8] [--samples 512] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from payload_driver import run_driver

from tfenvcheck.bench.projection import DRIFT_WARNING, drift_beyond_noise
from tfenvcheck.bench.workloads import WORKLOADS

DRIVER = r"""
rounds = int(extra[0])

def earlier(tf):
    # The calibration before this one: ten 384 x 384 products, median of 5, no warm-up.
    matrix = tf.random.stateless_uniform([384, 384], seed=[1, 2]) / 384.0
    times = []
    for _ in range(5):
        start = payload.clock()
        product = matrix
        for _ in range(10):
            product = tf.linalg.matmul(product, matrix)
        float(tf.reduce_sum(product))
        times.append(payload.clock() - start)
    return sorted(times)[2]

arms = {"current": payload.calibrate, "earlier": lambda tf: [earlier(tf)]}
rows = []
for number in range(rounds):
    order = ("current", "earlier") if number % 2 == 0 else ("earlier", "current")
    before = {arm: arms[arm](tf) for arm in order}
    model.fit(train, validation_data=validation, epochs=1, verbose=0)
    after = {arm: arms[arm](tf) for arm in order}
    rows.append({"before": before, "after": after})
print(json.dumps({"event": "benchmark", "rows": rows}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow")
    parser.add_argument("--workload", default="A0", choices=sorted(WORKLOADS))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--samples", type=int, default=512, help="synthetic training samples (one epoch a round)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    spec = WORKLOADS[args.workload].payload_spec(train_samples=args.samples)
    load_before = os.getloadavg()[0]
    rows = run_driver(args.python, DRIVER, spec, str(args.rounds))["rows"]
    summary: dict = {"workload": args.workload, "rounds": len(rows), "samples": args.samples}
    for arm in ("current", "earlier"):
        calibrations = [
            {
                "before_seconds": statistics.median(row["before"][arm]),
                "after_seconds": statistics.median(row["after"][arm]),
                "before_windows": row["before"][arm] if arm == "current" else None,
                "after_windows": row["after"][arm] if arm == "current" else None,
            }
            for row in rows
        ]
        drifts = [100 * (c["after_seconds"] / c["before_seconds"] - 1) for c in calibrations]
        timings = [c[key] for c in calibrations for key in ("before_seconds", "after_seconds")]
        summary[arm] = {
            "median_seconds": statistics.median(timings),
            "drift_percent": [round(d, 1) for d in drifts],
            "largest_drift_percent": round(max(drifts, key=abs), 1),
            "past_threshold": sum(abs(d) >= 100 * DRIFT_WARNING for d in drifts),
            "false_warnings": sum(drift_beyond_noise(c) is not None for c in calibrations),
        }
    summary["load_average_before_after"] = [load_before, os.getloadavg()[0]]
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print("{workload}, {rounds} rounds of one epoch ({samples} samples) between two calibrations".format(**summary))
    for arm in ("current", "earlier"):
        part = summary[arm]
        print(
            "  {:8} {:.3g} ms; drift {} %; largest {:+.1f}%; {} of {} at or past {:.0f}%, {} false warnings".format(
                arm,
                1000 * part["median_seconds"],
                ", ".join("{:+.1f}".format(d) for d in part["drift_percent"]),
                part["largest_drift_percent"],
                part["past_threshold"],
                summary["rounds"],
                100 * DRIFT_WARNING,
                part["false_warnings"],
            )
        )
    print("  load average {:.1f} before, {:.1f} after".format(*summary["load_average_before_after"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
