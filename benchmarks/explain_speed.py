"""How fast `tfenvcheck explain` is, and that it reads any amount of text in bounded memory.

Goals: `explain --no-target` on a 1 MB console log under 1 s wall time (a fresh process, as a user
runs it), the matching itself (reading, scanning, ranking, in process) under 0.3 s, and a 50 MB log
read without holding it: the peak RSS of that run close to the 1 MB run's, far below 50 MB more.

    python benchmarks/explain_speed.py [--runs 5] [--json]

The log is a TensorFlow training console: start-up lines (harmless), Keras progress lines,
ordinary warnings, and at the end the traceback of `import tensorflow` with protobuf 4.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tfenvcheck.explain.diagnose import explain_lines
from tfenvcheck.explain.reading import text_lines
from tfenvcheck.registry.loader import load_registry

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "explain"
BODY = [
    "2024-05-02 10:12:01.120553: I tensorflow/core/util/port.cc:113] oneDNN custom operations are on. You may see "
    "slightly different numerical results due to floating-point round-off errors.",
    "2024-05-02 10:12:01.170000: I tensorflow/core/platform/cpu_feature_guard.cc:182] This TensorFlow binary is "
    "optimized to use available CPU instructions in performance-critical operations.",
    "Epoch 3/10",
    "1875/1875 [==============================] - 4s 2ms/step - loss: 0.2961 - accuracy: 0.9143 - val_loss: 0.1520",
    "/home/me/exam/venv/lib/python3.8/site-packages/keras/engine/training.py:2470: UserWarning: "
    "`Model.state_updates` will be removed in a future version.",
    '  File "/home/me/exam/venv/lib/python3.8/site-packages/tensorflow/python/keras/engine/training.py", '
    "line 1100, in fit",
    "    tmp_logs = self.train_function(iterator)",
]


def write_log(path: Path, size: int) -> None:
    ending = (DATA / "tf2.0-py3.7-import-protobuf4.txt").read_text()
    block = ("\n".join(BODY) + "\n").encode()
    with path.open("wb") as out:
        written = 0
        while written < size - len(ending):
            out.write(block)
            written += len(block)
        out.write(ending.encode())


def fresh_process(command: list[str]) -> tuple[float, int, int, float]:
    """Wall seconds, exit status, peak RSS (KiB) and CPU seconds of one run of `command` (the CPU time
    tells what the wall time would be on an idle machine: a shared one stretches the wall time)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, proc.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime  # ru_maxrss: KiB on Linux


def explain_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "tfenvcheck", "explain", "--no-target", "--json", str(path)]


def measure(runs: int) -> dict[str, object]:
    registry = load_registry()
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder, "console-1mb.log"), Path(folder, "console-50mb.log")
        write_log(small, 1 << 20)
        write_log(large, 50 << 20)
        walls, cpus, matching, rss_small = [], [], [], 0
        for run in range(runs + 1):  # the first run warms the file cache and is not counted
            wall, status, rss_small, cpu = fresh_process(explain_command(small))
            if status != 1:
                raise SystemExit("explain of the 1 MB log exited with {}".format(status))
            started = time.perf_counter()
            with small.open("rb") as stream:
                explanation = explain_lines(text_lines(stream), registry)
            if run:
                walls.append(wall)
                cpus.append(cpu)
                matching.append(time.perf_counter() - started)
        assert [m.breakage.id for m in explanation.matches] == ["protobuf4-descriptors"]
        wall_large, status, rss_large, _ = fresh_process(explain_command(large))
        if status != 1:
            raise SystemExit("explain of the 50 MB log exited with {}".format(status))
        return {
            "lines_1mb": explanation.lines_read,
            "wall_1mb_median_s": statistics.median(walls),
            "wall_1mb_min_s": min(walls),
            "cpu_1mb_median_s": statistics.median(cpus),
            "matching_1mb_median_s": statistics.median(matching),
            "peak_rss_1mb_mib": rss_small / 1024,
            "wall_50mb_s": wall_large,
            "peak_rss_50mb_mib": rss_large / 1024,
            "runs": runs,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        "explain, 1 MB ({} lines): {:.3f} s wall (median of {}; min {:.3f}), {:.3f} s CPU, matching {:.3f} s, "
        "peak RSS {:.0f} MiB".format(
            figures["lines_1mb"],
            figures["wall_1mb_median_s"],
            figures["runs"],
            figures["wall_1mb_min_s"],
            figures["cpu_1mb_median_s"],
            figures["matching_1mb_median_s"],
            figures["peak_rss_1mb_mib"],
        )
    )
    print(
        "explain, 50 MB: {:.2f} s wall, peak RSS {:.0f} MiB".format(
            figures["wall_50mb_s"], figures["peak_rss_50mb_mib"]
        )
    )


if __name__ == "__main__":
    main()
