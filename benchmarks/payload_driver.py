"""What the benchmarks that drive the bench payload by hand share: the payload loaded in the target as
`tfenvcheck bench` sends it (the prelude, then the payload), one workload's model and data built by
the payload's own code, then the benchmark's driver; its answer is the last "benchmark" event it
prints. In the driver: `payload`, `tf`, `spec`, `config`, `model`, `train`, `validation`, `data`,
and `extra`, the driver's own arguments (strings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tfenvcheck.bench.runner import PAYLOAD, PROGRESS_INTERVAL, SEED
from tfenvcheck.probes.payload_runner import PRELUDE

LOADER = r"""
import json, sys, types
payload = types.ModuleType("workloads_payload")  # as the target gets it: the prelude, then the payload
source = b"\n".join(open(path, "rb").read() for path in sys.argv[1:3])
exec(compile(source, "workloads_payload", "exec"), payload.__dict__)
import tensorflow as tf
spec, config, extra = json.loads(sys.argv[3]), json.loads(sys.argv[4]), sys.argv[5:]
build = payload.image_run if spec["family"] == "image" else payload.text_run
model, train, validation, data, _ = build(tf, spec, config, [])
"""


def run_driver(python: str, driver: str, spec: dict[str, Any], *extra: str) -> dict[str, Any]:
    """Run `driver` after LOADER in `python` (a full-mode run of `spec`); its last benchmark event."""
    config = {"mode": "full", "seed": SEED, "progress_interval": PROGRESS_INTERVAL}
    done = subprocess.run(
        [python, "-c", LOADER + driver, str(PRELUDE), str(PAYLOAD), json.dumps(spec), json.dumps(config), *extra],
        capture_output=True,
        text=True,
    )
    lines = [line for line in done.stdout.splitlines() if '"event": "benchmark"' in line]
    if done.returncode != 0 or not lines:
        raise SystemExit("the driver failed:\n" + done.stderr[-3000:])
    return json.loads(lines[-1])
