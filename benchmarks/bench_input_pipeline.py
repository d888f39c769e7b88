"""Is the input pipeline out of the way? Steady-state A0 throughput on synthetic data against a real folder.

Goal: synthetic batches and a real `flower_photos/` folder of 3,670 JPEGs (loaded through
`image_dataset_from_directory`, cached and prefetched as the tutorial does) give the same
steady-state throughput within 5%.

    python benchmarks/bench_input_pipeline.py --python /path/to/venv-with-tensorflow/bin/python \
        [--data-dir DIR] [--pairs 1]

Without --data-dir, a flower-like folder (5 classes of 633-898 JPEGs of the real photos' sizes, about
60 KB each) is written into a temporary directory by the target's TensorFlow first (a few minutes on
2 cores), and removed afterwards. Each side runs `tfenvcheck bench --workload A0 --full --epochs 2
--json`: epoch 1 decodes and caches, epoch 2 (92 steps) is the steady state compared. Sides
alternate (synthetic, real, real, synthetic, ...). A0 on a 2-core CPU: about 2 minutes a run.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tfenvcheck.bench.sample_data import write_flower_folder  # noqa: E402


def bench(tool: str, python: str, data_dir: Path | None) -> dict:
    command = [tool, "bench", "--python", python, "--workload", "A0", "--full", "--epochs", "2", "--json"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("{} failed: {}".format(" ".join(command), done.stderr[-2000:]))
    (result,) = json.loads(done.stdout)["workloads"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with TensorFlow")
    parser.add_argument("--data-dir", type=Path, help="an existing flower_photos/ (or its parent) to use")
    parser.add_argument("--pairs", type=int, default=1, help="pairs of runs, one synthetic and one real (default 1)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tool = shutil.which("tfenvcheck", path=str(Path(sys.executable).parent)) or "tfenvcheck"

    scratch = None
    data_dir = args.data_dir
    generated_seconds = None
    if data_dir is None:
        scratch = Path(tempfile.mkdtemp(prefix="tfenvcheck-flowers-"))
        start = time.monotonic()
        data_dir = write_flower_folder(args.python, scratch)
        generated_seconds = time.monotonic() - start
    try:
        runs: dict[str, list[dict]] = {"synthetic": [], "real": []}
        for number in range(args.pairs):
            for side in ("synthetic", "real") if number % 2 == 0 else ("real", "synthetic"):
                runs[side].append(bench(tool, args.python, data_dir if side == "real" else None))
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

    def side_summary(results: list[dict]) -> dict:
        return {
            "samples_per_second": [r["samples_per_second"] for r in results],
            "median_step_seconds": [r["steady"]["median_step_seconds"] for r in results],
            "p90_step_seconds": [r["steady"]["p90_step_seconds"] for r in results],
            "first_epoch_measured_seconds": [
                r["measured_seconds"] - r["steady"]["epoch_seconds"] - r["setup_seconds"] for r in results
            ],
            "train_samples": results[0]["data"]["train_samples"],
        }

    synthetic, real = side_summary(runs["synthetic"]), side_summary(runs["real"])
    difference = 100.0 * (
        statistics.median(real["samples_per_second"]) / statistics.median(synthetic["samples_per_second"]) - 1
    )
    # The median step as well: one burst of load from elsewhere moves the mean, rarely the median.
    median_difference = 100.0 * (
        statistics.median(synthetic["median_step_seconds"]) / statistics.median(real["median_step_seconds"]) - 1
    )
    summary = {
        "synthetic": synthetic,
        "real": real,
        "real_vs_synthetic_percent": difference,
        "real_vs_synthetic_median_step_percent": median_difference,
        "goal_within_5_percent": abs(difference) <= 5,
        "folder_written_seconds": generated_seconds,
        "folder": str(data_dir) if args.data_dir else "temporary",
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    if generated_seconds is not None:
        print("wrote a flower-like folder of 3,670 JPEGs in {:.0f} s".format(generated_seconds))
    for name, side in (("synthetic", synthetic), ("real folder", real)):
        print(
            "  {:12} {} training images: steady {} samples/s, median step {} s, first epoch about {} s".format(
                name,
                side["train_samples"],
                ", ".join("{:.1f}".format(v) for v in side["samples_per_second"]),
                ", ".join("{:.3f}".format(v) for v in side["median_step_seconds"]),
                ", ".join("{:.0f}".format(v) for v in side["first_epoch_measured_seconds"]),
            )
        )
    print(
        "  real vs synthetic steady throughput: {:+.1f}% (goal: within 5%) -> {}; by the median step: {:+.1f}%".format(
            difference, "met" if summary["goal_within_5_percent"] else "NOT met", median_difference
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
