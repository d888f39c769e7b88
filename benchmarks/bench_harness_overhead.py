"""What timing every step costs: the bench harness against a bare `model.fit` of the same model and data.

Goal: the harness (a callback reading each step's loss and a monotonic clock, progress lines every
0.25 s) costs at most 3% of steady-state throughput.

    python benchmarks/bench_harness_overhead.py --python /path/to/venv-with-tensorflow/bin/python \
        [--workload A0] [--pairs 3] [--samples N]

In one target process, one model and the tutorial's pipeline (synthetic data of the tutorial's size
unless --samples): a warm-up epoch, then one-epoch `model.fit(..., verbose=0)` calls alternating,
in ABBA order, between bare (no callback) and the harness's StepTimer callback. The median epoch
(training and validation) of each arm is compared. A0 on a 2-core CPU: 8 to 40 s an epoch, so 1 to
5 minutes with the default 3 pairs.

tf.data autotuning is off in both arms unless --autotune: with it on, tearing down the last fit's
iterator can wait for its autotuning thread's next wake (tfenvcheck/bench/epoch_waits.py), seconds
that land in either arm at random and swamp a cost of a few percent.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

from payload_driver import run_driver

from tfenvcheck.bench.workloads import WORKLOADS

# Runs in the target: the payload's own model and pipeline; after a warm-up epoch, one-epoch fits
# alternate between the arms in ABBA order, so a change of machine load hits both alike.
DRIVER = r"""
import time
pairs, autotune = int(extra[0]), extra[1] == "on"
if not autotune:
    options = tf.data.Options()
    options.autotune.enabled = False
    train, validation = train.with_options(options), validation.with_options(options)

def fit(callbacks):
    start, cpu = time.monotonic(), time.process_time()
    model.fit(train, validation_data=validation, epochs=1, validation_steps=spec.get("validation_steps"),
              callbacks=callbacks, verbose=0)
    return time.monotonic() - start, time.process_time() - cpu

def harness_callbacks():
    timer = payload.StepTimer(tf, 0, spec["id"], config["progress_interval"])
    timer.start()
    return [timer.callback]

fit([])  # warm-up: tracing, and the cache fills
results = {"bare": [], "harness": []}
cpu = {"bare": [], "harness": []}
for number in range(pairs):
    for arm in (("bare", "harness") if number % 2 == 0 else ("harness", "bare")):
        wall, used = fit(harness_callbacks() if arm == "harness" else [])
        results[arm].append(wall)
        cpu[arm].append(used)
print(json.dumps({"event": "benchmark", "results": results, "cpu": cpu, "data": data}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow")
    parser.add_argument("--workload", default="A0", choices=sorted(WORKLOADS))
    parser.add_argument("--pairs", type=int, default=3, help="pairs of one-epoch fits, one per arm (default 3)")
    parser.add_argument("--samples", type=int, help="synthetic training samples (default: the tutorial's)")
    parser.add_argument("--autotune", action="store_true", help="leave tf.data autotuning on in both arms")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    workload = WORKLOADS[args.workload]
    spec = workload.payload_spec(train_samples=args.samples)
    measured = run_driver(args.python, DRIVER, spec, str(args.pairs), "on" if args.autotune else "off")
    bare, harness = (statistics.median(measured["results"][arm]) for arm in ("bare", "harness"))
    steps = measured["data"]["train_batches"]
    summary = {
        "workload": args.workload,
        "tf_data_autotune": args.autotune,
        "train_samples": measured["data"]["train_samples"],
        "epochs_per_arm": len(measured["results"]["bare"]),
        "bare_epoch_seconds": measured["results"]["bare"],
        "harness_epoch_seconds": measured["results"]["harness"],
        "bare_samples_per_second": steps * spec["batch_size"] / bare,
        "harness_samples_per_second": steps * spec["batch_size"] / harness,
        "throughput_cost_percent": 100.0 * (1 - bare / harness),
        # CPU seconds the target process used: steadier than wall time when others share the machine.
        "bare_cpu_seconds": measured["cpu"]["bare"],
        "harness_cpu_seconds": measured["cpu"]["harness"],
        "cpu_cost_percent": 100.0
        * (statistics.median(measured["cpu"]["harness"]) / statistics.median(measured["cpu"]["bare"]) - 1),
    }
    summary["goal_met"] = summary["throughput_cost_percent"] <= 3.0
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            "{workload} ({train_samples} samples), {epochs_per_arm} one-epoch fits per arm (median), tf.data "
            "autotuning {autotune}".format(autotune="on" if args.autotune else "off", **summary)
        )
        print(
            "  bare model.fit   {:8.1f} samples/s  epochs {}".format(
                summary["bare_samples_per_second"], ", ".join("{:.2f}".format(s) for s in summary["bare_epoch_seconds"])
            )
        )
        print(
            "  bench harness    {:8.1f} samples/s  epochs {}".format(
                summary["harness_samples_per_second"],
                ", ".join("{:.2f}".format(s) for s in summary["harness_epoch_seconds"]),
            )
        )
        print(
            "  CPU seconds per epoch: bare {}, harness {} ({:+.2f}%)".format(
                ", ".join("{:.1f}".format(s) for s in summary["bare_cpu_seconds"]),
                ", ".join("{:.1f}".format(s) for s in summary["harness_cpu_seconds"]),
                summary["cpu_cost_percent"],
            )
        )
        print(
            "  harness cost: {:+.2f}% of throughput (goal: at most 3%) -> {}".format(
                summary["throughput_cost_percent"], "met" if summary["goal_met"] else "NOT met"
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
