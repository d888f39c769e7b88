"""How long the real venvs of today's stacks take to build cold, as a fresh CI run builds them: those
of tests/test_today_real.py and the DeepLearning.AI course's pins of tests/test_course_profiles.py.

    python benchmarks/today_venvs_build.py [--json]

Each venv is built by the tests' own `cached_venv` into a new empty cache folder (uv's download
cache included, and pip's turned off for the forced installs), so every wheel is downloaded as on a
first run, and built in the order a test run builds them, so a later venv reuses what an earlier one
downloaded as it does there. The TF-Hub venv is built alone: it shares tensorflow-cpu 2.21.0 with
the venv the other slow tests build (a .pth file, added by its fixture).
Run it from the repository root (so that `tests` imports), with the tests' extra installed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-cold-venvs-") as cache:
        # The tests' helpers read the cache folder when they are imported.
        os.environ.update(TFENVCHECK_TEST_CACHE=cache, PIP_NO_CACHE_DIR="1")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.conftest import TF_HUB_OVER_CURRENT
        from tests.helpers import cached_venv
        from tests.test_course_profiles import DLAI_PINS, DLAI_PINS_FIXED
        from tests.test_today_real import TF_2_15_NUMPY_2, TF_2_18_ML_DTYPES_05

        stacks = {
            "DeepLearning.AI pins": ("3.11", DLAI_PINS),
            "DeepLearning.AI pins, fixed": ("3.11", DLAI_PINS_FIXED),
            "tensorflow-hub over tensorflow-cpu 2.21.0": TF_HUB_OVER_CURRENT,
            "tensorflow-cpu 2.15.1 + numpy 2": TF_2_15_NUMPY_2,
            "tensorflow-cpu 2.18.0 + ml-dtypes 0.5.1": TF_2_18_ML_DTYPES_05,
        }
        seconds = {}
        for name, stack in stacks.items():
            start = time.perf_counter()
            cached_venv(*stack)
            seconds[name] = round(time.perf_counter() - start, 1)
    seconds["total"] = round(sum(seconds.values()), 1)
    if arguments.json:
        print(json.dumps({"cold_build_s": seconds}, indent=2))
    else:
        for name, value in seconds.items():
            print("{:45} {:7.1f} s".format(name, value))


if __name__ == "__main__":
    main()
