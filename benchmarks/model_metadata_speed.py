"""How fast `tfenvcheck model` reads a model file's metadata, without TensorFlow.

Goal: a 100 MB .h5 model's metadata (format, Keras version, layers, parameter count, shapes) read
in under 1 s: the child of tfenvcheck's own Python that reads it (start-up, import of h5py, reading),
as `tfenvcheck model` runs it. The file is laid out as Keras 2 saves a model: the config and versions
as attributes, 25 million float32 weights as datasets under model_weights (only their shapes are read).

    python benchmarks/model_metadata_speed.py [--runs 5] [--megabytes 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import h5py
import numpy

from tfenvcheck.modelfile.metadata import read_metadata
from tfenvcheck.modelfile.reading import read_model_metadata

LAYERS = 10


def write_model(path: Path, megabytes: int) -> None:
    """A Sequential of LAYERS Dense layers whose kernels hold `megabytes` MB of float32 in all."""
    width = int((megabytes * 1_000_000 / 4 / LAYERS) ** 0.5)
    layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, width], "name": "input_1"}}]
    layers += [{"class_name": "Dense", "config": {"name": "dense_{}".format(i), "units": width}} for i in range(LAYERS)]
    with h5py.File(path, "w") as h5:
        h5.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"name": "big", "layers": layers}})
        h5.attrs["keras_version"] = "2.9.0"
        h5.attrs["backend"] = "tensorflow"
        weights = h5.create_group("model_weights")
        for i in range(LAYERS):
            name = "dense_{}".format(i)
            weights.create_dataset(
                "{0}/{0}/kernel:0".format(name), data=numpy.random.rand(width, width).astype("float32")
            )
            weights.create_dataset("{0}/{0}/bias:0".format(name), data=numpy.zeros(width, "float32"))


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.h5"
        write_model(path, args.megabytes)
        found = read_model_metadata(path)
        child = timed(lambda: read_model_metadata(path), args.runs)
        in_process = timed(lambda: read_metadata(path), args.runs)
    result = {
        "file_bytes": found["size_bytes"],
        "parameter_count": found["parameter_count"],
        "runs": args.runs,
        "child_seconds_median": statistics.median(child),
        "child_seconds_max": max(child),
        "in_process_seconds_median": statistics.median(in_process),
        "goal_seconds": 1.0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            "{:.1f} MB .h5 ({:,} parameters): metadata read in {:.3f} s median, {:.3f} s max over {} runs "
            "(a child of this Python, as `tfenvcheck model` runs it); {:.4f} s in process. Goal: under 1 s.".format(
                result["file_bytes"] / 1e6,
                result["parameter_count"],
                result["child_seconds_median"],
                result["child_seconds_max"],
                args.runs,
                result["in_process_seconds_median"],
            )
        )
    return 0 if result["child_seconds_max"] < result["goal_seconds"] else 1


if __name__ == "__main__":
    sys.exit(main())
