"""From the payload's raw timestamps to step statistics and the projected tutorial run.

The payload times every batch as a window between two monotonic timestamps, each taken after the
step's loss was read (so the step had finished). The first epoch (tracing, compilation, filling the
cache) is kept apart; the steady state is every later epoch. A run is projected to the tutorial as

    setup + first epoch + (epochs - 1) x steady epoch + the last iterator's teardown

where an epoch is its training steps, its validation steps, a per-epoch remainder (callbacks,
starting its validation: what its first steps take beyond a typical step) and the wait at its start
while the last epoch's iterator is torn down, which grows with the epoch (epoch_waits.py). In --quick
mode the first epoch is short: its fixed cost (tracing, building) is what remains after its steps
and its data first pass, and is added to the tutorial's full-length first epoch. The mean step
(not the median) scales to a total, since text steps vary with each batch's longest review; in
--quick the text batches stand for quantiles of that length (strata), and the mean is theirs.
projection.py gives the same projection its 95% prediction interval.
"""

from __future__ import annotations

import statistics
from typing import Any

from tfenvcheck.bench.epoch_waits import epoch_start_wait
from tfenvcheck.bench.flops import training_flops_per_step
from tfenvcheck.bench.intervals import Stratum
from tfenvcheck.bench.projection import (
    drift_beyond_noise,
    drift_of,
    exact,
    project,
    projection_parts,
    strata_of,
    stratified_mean,
)
from tfenvcheck.bench.workloads import Workload


def step_statistics(seconds: list[float]) -> dict[str, float | int | None]:
    if not seconds:
        return {
            "steps": 0,
            "median_step_seconds": None,
            "p10_step_seconds": None,
            "p90_step_seconds": None,
            "mean_step_seconds": None,
        }
    if len(seconds) > 1:
        deciles = statistics.quantiles(seconds, n=10, method="inclusive")
        p10, p90 = deciles[0], deciles[-1]
    else:
        p10 = p90 = seconds[0]
    return {
        "steps": len(seconds),
        "median_step_seconds": statistics.median(seconds),
        "p10_step_seconds": p10,
        "p90_step_seconds": p90,
        "mean_step_seconds": statistics.fmean(seconds),
    }


def steady_epochs(epochs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """The epochs after the first; with a single epoch, that epoch (flagged). Either way without each
    epoch's first training and validation step, which also carry the start of the epoch or of its
    validation (a fresh iterator, the shuffle buffer filled, in Keras 3 the wait of epoch_waits.py),
    unless it is the epoch's only step (tiny test runs)."""

    def without_first(steps: list[float]) -> list[float]:
        return steps[1:] if len(steps) > 1 else steps

    later = len(epochs) > 1
    return [
        dict(
            epoch,
            train_step_seconds=without_first(epoch["train_step_seconds"]),
            val_step_seconds=without_first(epoch["val_step_seconds"]),
        )
        for epoch in (epochs[1:] if later else epochs)
    ], later


def device_kind(device: str | None) -> str:
    """'/job:localhost/replica:0/task:0/device:GPU:0' -> 'gpu'; anything without GPU -> 'cpu'."""
    return "gpu" if device and ":GPU:" in device.upper() else "cpu"


def summarise(workload: Workload, raw: dict[str, Any], mode: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """One workload's entry in the bench result: what was run, its steady state and the projection."""
    epochs = raw["epochs"]
    steady, from_later_epochs = steady_epochs(epochs)
    train = step_statistics([s for epoch in steady for s in epoch["train_step_seconds"]])
    model = steady_model(workload, raw)
    drift, moved = drift_of(raw.get("calibration")), drift_beyond_noise(raw.get("calibration"))
    as_tutorial = mode == "full" and not overrides
    measured = model["setup"] + raw["fit_seconds"] if mode == "full" else None
    if as_tutorial and measured:
        projection = exact(measured, workload.epochs)
    else:
        projection = project(model["parts"], workload.epochs, moved)
    step = model["step"]
    flops = training_flops_per_step(workload.payload_spec(), raw["data"])
    return {
        **run_description(workload, raw, mode, overrides),
        "setup_seconds": model["setup"],
        "first_epoch_seconds": epochs[0]["end"] if as_tutorial else model["projected_first"],
        "first_epoch_measured": as_tutorial,
        "steady": dict(
            train,
            val_mean_step_seconds=model["val_step"],
            epoch_remainder_seconds=model["remainder"],
            epoch_start_wait=model["parts"]["epoch_start_wait"],
            epoch_seconds=model["steady_epoch"],
            from_later_epochs=from_later_epochs,
            strata=len(model["parts"]["train_strata"]),
        ),
        "samples_per_second": workload.batch_size / step if step else None,
        "flops_per_step": flops,
        "flops_per_second": flops / step if flops and step else None,
        "projected_tutorial_seconds": projection["seconds"],
        "projection": dict(projection, parts=model["parts"]),
        "drift": drift_summary(raw.get("calibration"), drift, moved),
        "measured_seconds": measured,
        "final_metrics": raw["final_metrics"],
    }


def steady_model(workload: Workload, raw: dict[str, Any]) -> dict[str, Any]:
    """The steady state of the epochs timed so far (raw needs epochs, setup_seconds, first_pass,
    steps_per_epoch, train_strata) and the projection's parts: what summarise reports, and what
    the adaptive quick mode checks after each epoch."""
    epochs = raw["epochs"]
    steady, _ = steady_epochs(epochs)
    train_strata = strata_of([epoch["train_step_seconds"] for epoch in steady], raw.get("train_strata") or 1)
    step = stratified_mean(train_strata)
    val_steps = [s for epoch in steady for s in epoch["val_step_seconds"]]
    val_step = statistics.fmean(val_steps) if val_steps else 0.0
    remainders = epoch_remainders(epochs, step, val_step)
    remainder = max(0.0, statistics.fmean(remainders)) if remainders else 0.0
    setup, projected_first = first_epoch_projection(workload, raw, step, val_step)
    steps, val_steps_per_epoch = workload.steps_per_epoch, workload.val_steps_per_epoch
    epoch_without_wait = steps * step + val_steps_per_epoch * val_step + remainder
    start_wait = epoch_start_wait(epochs, fresh_iterators=raw["steps_per_epoch"] is None, epoch_age=epoch_without_wait)
    parts = projection_parts(
        setup + projected_first - steps * step - val_steps_per_epoch * val_step,
        steps,
        val_steps_per_epoch,
        train_strata,
        [Stratum.of(val_steps)] if val_steps else [],
        Stratum(len(remainders), remainder, Stratum.of(remainders).sd) if remainders else None,
        start_wait,
    )
    return {
        "step": step,
        "val_step": val_step,
        "remainder": remainder,
        "setup": setup,
        "projected_first": projected_first,
        "steady_epoch": epoch_without_wait + start_wait["expected_seconds"],
        "parts": parts,
    }


def drift_summary(calibration: dict[str, Any] | None, drift: float | None, moved: float | None) -> dict[str, Any]:
    """The calibration before and after training, and whether the machine's speed moved (`moved`: the
    drift when it lies beyond the calibration's own scatter)."""
    calibration = calibration or {}
    return {
        "calibration_before_seconds": calibration.get("before_seconds"),
        "calibration_after_seconds": calibration.get("after_seconds"),
        "calibration_before_windows": calibration.get("before_windows"),
        "calibration_after_windows": calibration.get("after_windows"),
        "slowdown_percent": None if drift is None else 100 * drift,
        "warning": moved is not None,
    }


def epoch_remainders(epochs: list[dict[str, Any]], step: float, val_step: float) -> list[float]:
    """What each epoch after the first costs beyond its typical steps from its first batch on (the first
    steps' extra, starting validation, callbacks)."""
    return [
        epoch["end"]
        - epoch["first_batch_start"]
        - len(epoch["train_step_seconds"]) * step
        - len(epoch["val_step_seconds"]) * val_step
        for epoch in epochs[1:]
    ]


def first_epoch_projection(
    workload: Workload, raw: dict[str, Any], step: float, val_step: float
) -> tuple[float, float]:
    """The setup (less the data's first pass) and the tutorial's first epoch: the run's first epoch less
    its steps and their first decoding (its fixed cost), plus the tutorial's steps and their decoding."""
    first_pass = raw.get("first_pass")
    decode_per_batch = first_pass["seconds"] / first_pass["batches"] if first_pass and first_pass["batches"] else 0.0
    setup = raw["setup_seconds"] - (first_pass["seconds"] if first_pass else 0.0)
    first = raw["epochs"][0]
    first_steps, first_val_steps = len(first["train_step_seconds"]), len(first["val_step_seconds"])
    first_fixed = max(
        0.0,
        first["end"]
        - first_steps * step
        - first_val_steps * val_step
        - (first_steps + first_val_steps) * decode_per_batch,
    )
    steps, val_steps_per_epoch = workload.steps_per_epoch, workload.val_steps_per_epoch
    projected_first = (
        first_fixed + (steps + val_steps_per_epoch) * decode_per_batch + steps * step + val_steps_per_epoch * val_step
    )
    return setup, projected_first


def run_description(workload: Workload, raw: dict[str, Any], mode: str, overrides: dict[str, Any]) -> dict[str, Any]:
    """What was run: the workload, the device, the tutorial's plan against what really ran, the model."""
    first = raw["epochs"][0]
    return {
        "id": workload.id,
        "tutorial": workload.tutorial,
        "title": workload.title,
        "device": raw["device"],
        "device_kind": device_kind(raw["device"]),
        "mode": mode,
        "as_tutorial": mode == "full" and not overrides,
        "overrides": overrides,
        "tutorial_plan": {
            "epochs": workload.epochs,
            "steps_per_epoch": workload.steps_per_epoch,
            "validation_steps": workload.val_steps_per_epoch,
            "batch_size": workload.batch_size,
        },
        "run": {
            "epochs": raw["epochs_run"],
            "steps_per_epoch": raw["steps_per_epoch"] or len(first["train_step_seconds"]),
            "validation_steps": raw["validation_steps"] or len(first["val_step_seconds"]),
        },
        "data": raw["data"],
        "parameters": raw["parameters"],
        "jit_compile": raw["jit_compile"],
        "precision": raw["precision"],
        "substitutions": raw["substitutions"],
    }
