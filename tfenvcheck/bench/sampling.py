"""The adaptive quick mode: sample steady epochs until the projection is known well enough.

After each epoch the payload reports, the projection of one full tutorial run is recomputed from
the epochs so far (measurement.steady_model, projection.project: the formula of the result). Once
its 95% prediction interval is within TARGET_HALF_WIDTH_PERCENT of it, or the workload's share of
the budget is spent, a stop file tells the payload to end the fit after its current epoch. The
budget is the whole bench's: each workload gets an equal share of what is left when it starts, so
time one workload spends preparing data comes out of the later ones' sampling.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfenvcheck.bench.measurement import steady_model
from tfenvcheck.bench.projection import project
from tfenvcheck.bench.workloads import Workload

# Image steps are alike; text steps follow each batch's longest review, so their mix is known less well.
TARGET_HALF_WIDTH_PERCENT = {"image": 5.0, "text": 10.0}
# `bench all --quick` in about 5 minutes on a 2-core CPU: TensorFlow's import and the four
# workloads' data and models take about a minute there, the rest is sampling.
DEFAULT_BUDGET_SECONDS = 240.0
MIN_STEADY_EPOCHS = 3
MIN_SHARE_SECONDS = 10.0  # even when the budget is spent: enough for the minimum epochs on most machines
MAX_EPOCHS = 5000  # the payload's cap; the budget stops it long before

# The payload also stops by itself once a workload has trained for the whole budget (a safety net).
PRECISION, BUDGET, CAP = "precision reached", "budget spent", "the payload's time cap"


@dataclass
class _Sampled:
    workload: Workload
    raw: dict[str, Any]
    started: float
    share_seconds: float
    stop_file: Path
    stopped: str | None = None
    half_width_percent: float | None = None
    epochs: int = 0
    epochs_at_stop: int | None = None


@dataclass
class AdaptiveSampling:
    budget_seconds: float
    workloads: int
    stop_folder: Path
    deadline: float = 0.0
    runs: dict[str, _Sampled] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.budget_seconds

    def payload_settings(self) -> dict[str, Any]:
        return {
            "max_epochs": MAX_EPOCHS,
            "min_epochs": 1 + MIN_STEADY_EPOCHS,
            "max_seconds": self.budget_seconds,
            "stop_folder": str(self.stop_folder),
        }

    def started(self, workload: Workload, event: dict[str, Any]) -> None:
        """A workload's training starts: its share of what is left of the budget."""
        now = time.monotonic()
        left = self.workloads - len(self.runs)
        share = max(MIN_SHARE_SECONDS, (self.deadline - now) / max(1, left))
        raw: dict[str, Any] = {
            "epochs": [],
            "setup_seconds": event.get("setup_seconds") or 0.0,
            "first_pass": event.get("first_pass"),
            "steps_per_epoch": None,
            "train_strata": event.get("train_strata") or 1,
        }
        stop_file = self.stop_folder / workload.id
        stop_file.unlink(missing_ok=True)  # a second device's run of the same workload
        self.runs[workload.id] = _Sampled(workload, raw, now, share, stop_file)

    def epoch(self, workload_id: str, epoch: dict[str, Any]) -> None:
        run = self.runs.get(workload_id)
        if run is None:
            return
        run.raw["epochs"].append(epoch)
        run.epochs += 1
        if run.stopped or run.epochs < 1 + MIN_STEADY_EPOCHS:
            return
        projection = project(steady_model(run.workload, run.raw)["parts"], run.workload.epochs)
        run.half_width_percent = projection["half_width_percent"]
        target = TARGET_HALF_WIDTH_PERCENT[run.workload.family]
        if run.half_width_percent is not None and run.half_width_percent <= target:
            run.stopped = PRECISION
        elif time.monotonic() - run.started >= run.share_seconds:
            run.stopped = BUDGET
        if run.stopped:
            run.epochs_at_stop = run.epochs
            run.stop_file.touch()

    def record(self, workload_id: str) -> dict[str, Any]:
        """What the result says about the sampling: the target, the share, and why it stopped."""
        run = self.runs.get(workload_id)
        if run is None:  # the payload never said its training started
            return dict(fixed_sampling(None, "quick"), adaptive=True, stopped=CAP)
        return {
            "adaptive": True,
            "target_half_width_percent": TARGET_HALF_WIDTH_PERCENT[run.workload.family],
            "budget_seconds": round(run.share_seconds, 1),
            "sampled_seconds": round(time.monotonic() - run.started, 1),
            "stopped": run.stopped or (BUDGET if run.epochs > MIN_STEADY_EPOCHS else CAP),
            "half_width_percent_at_stop": run.half_width_percent,
        }


def fixed_sampling(steps: int | None, mode: str) -> dict[str, Any]:
    """The record of a run that did not sample adaptively: `--steps N`, or a full run."""
    return {
        "adaptive": False,
        "target_half_width_percent": None,
        "budget_seconds": None,
        "sampled_seconds": None,
        "stopped": "{} steady steps asked for".format(steps) if steps else "{} run".format(mode),
        "half_width_percent_at_stop": None,
    }
