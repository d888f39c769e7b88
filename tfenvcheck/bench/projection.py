"""The projected tutorial run as a value with a 95% prediction interval, for any number of epochs.

    run = fixed + epochs x (S train steps + V validation steps) + (epochs - 1) x remainder
          + epochs x teardown wait

The teardown wait is epoch_waits.py's: the last epoch's iterator is torn down at each epoch start
after the first and once more as `fit` returns, each time perhaps waiting for its autotuning
thread's next wake (a 2-epoch run of A0 on 2.9 that took 38.4 s spent 5.7 s of it after its last
epoch ended, the wait of an iterator 14.8 s old; one that did not wait took 32.7 s).

`fixed` (setup, the first epoch's tracing and decoding) is measured once and counted as exact; the
steps, the per-epoch remainders and the missed epoch-start joins are predicted with their spread
(intervals.py), and the independent parts' half-widths add in quadrature. A run whose calibration
(a matrix product timed in short windows before and after training) moved by DRIFT_WARNING or more,
beyond the windows' own scatter, is widened by that share of the projection too: its steps were
measured on a machine whose speed changed.
The parts are saved with the result, so a run of other length (`--full --epochs 2`) is predicted
by the same formula (project()).
"""

from __future__ import annotations

import math
from typing import Any

from tfenvcheck.bench.intervals import Prediction, Stratum, predict_count, predict_sum, root_sum_square

# On a quiet 2-core machine the calibration moved by up to 22% between two moments, its windows
# apart (benchmarks/calibration_noise.py, docs/performance.md); another CPU-bound process on such a
# machine slows it by half or more.
DRIFT_WARNING = 0.25


def strata_of(epoch_steps: list[list[float]], strata: int) -> list[Stratum]:
    """The steady steps by stratum: position k of every epoch when each epoch ran one batch of each of
    `strata` strata (the text quick mode's fixed order), else all steps as one stratum."""
    if strata > 1 and epoch_steps and all(len(steps) == strata for steps in epoch_steps):
        return [Stratum.of([steps[k] for steps in epoch_steps]) for k in range(strata)]
    pooled = [s for steps in epoch_steps for s in steps]
    return [Stratum.of(pooled)] if pooled else []


def stratified_mean(strata: list[Stratum]) -> float:
    return sum(s.mean for s in strata) / len(strata) if strata else 0.0


def _encode(strata: list[Stratum]) -> list[list[float]]:
    return [[s.count, s.mean, s.sd] for s in strata]


def _decode(rows: list[list[float]]) -> list[Stratum]:
    return [Stratum(int(n), mean, sd) for n, mean, sd in rows]


def projection_parts(
    fixed_seconds: float,
    train_steps_per_epoch: int,
    val_steps_per_epoch: int,
    train: list[Stratum],
    val: list[Stratum],
    remainder: Stratum | None,
    start_wait: dict[str, Any],
) -> dict[str, Any]:
    return {
        "fixed_seconds": fixed_seconds,
        "train_steps_per_epoch": train_steps_per_epoch,
        "val_steps_per_epoch": val_steps_per_epoch,
        "train_strata": _encode(train),
        "val_strata": _encode(val),
        "remainder_strata": _encode([remainder] if remainder else []),
        "epoch_start_wait": start_wait,
    }


def drift_of(calibration: dict[str, Any] | None) -> float | None:
    """How much slower (positive) or faster the machine ran at the end than at the start."""
    if not calibration or not calibration.get("before_seconds") or calibration.get("after_seconds") is None:
        return None
    return calibration["after_seconds"] / calibration["before_seconds"] - 1


def drift_beyond_noise(calibration: dict[str, Any] | None) -> float | None:
    """The drift when the machine's speed really moved: by DRIFT_WARNING or more, and every window
    after training beyond every window before in that direction (with 5 windows each, 2 chances in
    252 when nothing moved); None otherwise. A result saved without its windows is judged on the
    threshold alone."""
    drift = drift_of(calibration)
    if drift is None or abs(drift) < DRIFT_WARNING:
        return None
    before, after = (calibration or {}).get("before_windows"), (calibration or {}).get("after_windows")
    if not before or not after:
        return drift
    apart = min(after) > max(before) if drift > 0 else max(after) < min(before)
    return drift if apart else None


def project(parts: dict[str, Any], epochs: int, drift: float | None = None) -> dict[str, Any]:
    """The run of `epochs` epochs: seconds, low_seconds, high_seconds, half_width_percent."""
    later = max(0, epochs - 1)
    wait = parts["epoch_start_wait"]
    # Sampled waits are teardowns of an epoch's iterator: at every later epoch's start and at the end.
    teardowns = later + 1 if wait["sampled"] else later
    if wait["sampled"] and wait["epoch_starts"]:
        misses = predict_count(wait["missed"], wait["epoch_starts"], teardowns)
        wait_width = None if misses.half_width is None else misses.half_width * wait["seconds_if_missed"]
    else:
        wait_width = 0.0
    pieces = [
        Prediction(parts["fixed_seconds"], 0.0),
        predict_sum(_decode(parts["train_strata"]), epochs * parts["train_steps_per_epoch"]),
        predict_sum(_decode(parts["val_strata"]), epochs * parts["val_steps_per_epoch"]),
        predict_sum(_decode(parts["remainder_strata"]), later),
        Prediction(teardowns * wait["expected_seconds"], wait_width),
    ]
    seconds = sum(p.value for p in pieces)
    half_width = root_sum_square([p.half_width for p in pieces])
    widened = drift is not None and abs(drift) >= DRIFT_WARNING
    if half_width is not None and widened and drift is not None:
        half_width = math.hypot(half_width, drift * seconds)
    return {
        "epochs": epochs,
        "seconds": seconds,
        "low_seconds": None if half_width is None else max(0.0, seconds - half_width),
        "high_seconds": None if half_width is None else seconds + half_width,
        "half_width_percent": None if half_width is None or not seconds else 100 * half_width / seconds,
        "widened_for_drift": widened,
    }


def exact(seconds: float, epochs: int) -> dict[str, Any]:
    """A run that was measured, not projected."""
    return {
        "epochs": epochs,
        "seconds": seconds,
        "low_seconds": seconds,
        "high_seconds": seconds,
        "half_width_percent": 0.0,
        "widened_for_drift": False,
    }
