"""How long `tfenvcheck create-env` takes to a working exam environment, with uv's cache cold and warm.

    python benchmarks/create_env_speed.py --profile exam-2020-07 [--warm-runs 2] [--installer uv|pip] [--json]

The cold run points UV_CACHE_DIR (and PIP_CACHE_DIR) at a new empty folder, so every wheel is
downloaded and built as on a first use; the warm runs share one cache that the cold run filled.
Each run is the real command in a fresh process into a new folder, timed from start to exit; the
phases come from the command's own JSON (search, venv, install, pins, check; `built` is the time
to a finished environment, before the check). Every run must end with a working environment
(exit 0): anything else stops the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def create_env(profile: str, destination: Path, cache: Path, installer: str | None) -> dict:
    env = dict(os.environ, UV_CACHE_DIR=str(cache), PIP_CACHE_DIR=str(cache / "pip"))
    command = [sys.executable, "-m", "tfenvcheck", "create-env", "--json", "--profile", profile, str(destination)]
    if installer:
        command += ["--installer", installer]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit("create-env exited with {}: {}".format(done.returncode, done.stderr[-2000:]))
    result = json.loads(done.stdout)
    return {
        "wall_s": round(wall, 2),
        "phases_s": result["environment"]["seconds"],
        "verdict": result["check"]["verdict"],
        "pins": [p["breakage"] for p in result["environment"]["pins"]],
        "tensorflow": result["check"]["facts"]["packages"].get("tensorflow"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", required=True)
    parser.add_argument("--warm-runs", type=int, default=2)
    parser.add_argument("--installer", choices=("uv", "pip"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    runs = []
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-bench-") as scratch:
        cache = Path(scratch, "cache")
        cache.mkdir()
        for number in range(1 + args.warm_runs):
            destination = Path(scratch, "env-{}".format(number))
            run = create_env(args.profile, destination, cache, args.installer)
            run["cache"] = "cold" if number == 0 else "warm"
            runs.append(run)
            shutil.rmtree(destination)
    if args.json:
        print(json.dumps({"profile": args.profile, "installer": args.installer or "default", "runs": runs}, indent=2))
        return 0
    print("create-env --profile {} ({})".format(args.profile, args.installer or "default installer"))
    print(
        "{:<6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}  {}".format(
            "cache", "total", "built", "venv", "install", "pins", "check", "verdict"
        )
    )
    for run in runs:
        phases = run["phases_s"]
        print(
            "{:<6} {:>7.1f}s {:>7.1f}s {:>7.1f}s {:>7.1f}s {:>7.1f}s {:>7.1f}s  {} (TensorFlow {}; pins: {})".format(
                run["cache"],
                run["wall_s"],
                phases["built"],
                phases.get("venv", 0),
                phases.get("install", 0),
                phases.get("pins", 0),
                phases.get("check", 0),
                run["verdict"],
                run["tensorflow"],
                ", ".join(run["pins"]) or "none",
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
