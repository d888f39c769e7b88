"""How busy the machine is with other work while the bench runs: other processes' share of its CPUs.

Each second, the CPUs' busy share (psutil) less what tfenvcheck and its children (the target) used
in that second. On a 2-core machine one busy process elsewhere is half of it, and it slows a
TensorFlow step that uses both cores far more than that share, so HIGH_SHARE is a warning, not a
correction.
"""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any

import psutil

HIGH_SHARE = 0.25
INTERVAL_SECONDS = 1.0


def _tree_cpu_seconds(root: psutil.Process) -> float:
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        total += times.user + times.system
    return total


class MachineLoad(threading.Thread):
    """Samples other processes' CPU share until stopped; summary() for any stretch of the run."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []  # (monotonic time, others' share of all CPUs)
        self._halt = threading.Event()
        self._cpus = psutil.cpu_count() or 1

    def run(self) -> None:
        me = psutil.Process()
        psutil.cpu_percent(interval=None)
        last_time, last_tree = time.monotonic(), _tree_cpu_seconds(me)
        while not self._halt.wait(INTERVAL_SECONDS):
            busy = psutil.cpu_percent(interval=None) / 100
            now, tree = time.monotonic(), _tree_cpu_seconds(me)
            ours = max(0.0, tree - last_tree) / max(1e-6, (now - last_time) * self._cpus)
            self.samples.append((now, min(1.0, max(0.0, busy - ours))))
            last_time, last_tree = now, tree

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=2 * INTERVAL_SECONDS)

    def summary(self, since: float) -> dict[str, Any]:
        shares = [share for at, share in self.samples if at >= since]
        mean = statistics.fmean(shares) if shares else None
        return {
            "others_cpu_share_mean": None if mean is None else round(mean, 3),
            "others_cpu_share_max": round(max(shares), 3) if shares else None,
            "samples": len(shares),
            "cpus": self._cpus,
            "warning": mean is not None and mean >= HIGH_SHARE,
        }
