"""The wait at the start of an epoch, while the last epoch's tf.data iterator is torn down.

A dataset that ends every epoch gets a fresh iterator each epoch, and the old one is destroyed as
the next epoch starts (Keras 2: before on_epoch_begin; Keras 3: as its first batch is fetched).
Destroying it joins the iterator's autotuning thread, which wakes on a doubling schedule: after
10 ms, then 20, 40, ... with the period capped at 60 s (kOptimizationPeriodMinMs / MaxMs in
tensorflow/core/framework/model.h). When the join misses its cancellation it waits for that
thread's next wake, so the wait depends on how long the iterator lived: up to a whole epoch. With
TF 2.21 (Keras 3) and TF 2.9 (Keras 2) on 2 cores, epochs of 1 to 10 s, every such wait matched
`next wake - iterator age` within 10 ms, at 1 to 7 of every 9 epoch starts; with autotuning
disabled, none. The last epoch's iterator is torn down too, as `fit` returns, and may wait the
same way. Short --quick epochs see short waits, full-length epochs long ones, so the projection
scales the share of missed joins seen in --quick to the tutorial's epoch.
"""

from __future__ import annotations

import statistics
from typing import Any

FIRST_PERIOD_SECONDS = 0.010
MAX_PERIOD_SECONDS = 60.0
# A missed join shows as a wait of at least this; a join that is not missed took 1 to 6 ms (TF 2.9
# and 2.21). An epoch start where a missed join would wait less says nothing either way.
VISIBLE_SECONDS = 0.02
# How well --quick projects an epoch (within 5% in benchmarks/bench_quick_vs_full.py).
EPOCH_SPREAD = 0.05
SPREAD_POINTS = 41


def next_autotune_wake(age: float) -> float:
    """The first wake of the autotuning thread at or after `age` seconds of the iterator's life."""
    wake, period = 0.0, FIRST_PERIOD_SECONDS
    while wake < age:
        wake += period
        period = min(2 * period, MAX_PERIOD_SECONDS)
    return wake


def wait_if_missed(age: float) -> float:
    """How long destroying an iterator `age` seconds old waits when the join misses its cancellation."""
    return next_autotune_wake(age) - age


def mean_wait_if_missed(age: float) -> float:
    """wait_if_missed over the ages within EPOCH_SPREAD of `age`: a projected epoch is known to a few
    percent, and past a minute the wait can jump by a whole 60 s period within that."""
    ages = [age * (1 - EPOCH_SPREAD + 2 * EPOCH_SPREAD * i / (SPREAD_POINTS - 1)) for i in range(SPREAD_POINTS)]
    return statistics.fmean(wait_if_missed(a) for a in ages)


def boundary_waits(epochs: list[dict[str, Any]]) -> list[dict[str, float]]:
    """Per epoch after the first: the wait from the last epoch's end to this epoch's first batch, and
    the age of the iterator it replaced (from that epoch's first batch to its end)."""
    return [
        {"age": previous["end"] - previous["first_batch_start"], "wait": epoch["first_batch_start"] - previous["end"]}
        for previous, epoch in zip(epochs, epochs[1:])
    ]


def epoch_start_wait(epochs: list[dict[str, Any]], fresh_iterators: bool, epoch_age: float) -> dict[str, Any]:
    """The expected wait at a steady epoch's start, for epochs that last `epoch_age` seconds.

    Sampled when every epoch ran its datasets to the end, from the epoch starts where a missed join
    would show (a join that is not missed takes milliseconds); otherwise the mean wait at every epoch
    start stands, and `sampled` is false. The first epoch's iterator started during tracing, so its
    age is overstated, but a missed join still shows as a wait."""
    boundaries = boundary_waits(epochs)
    mean_wait = statistics.fmean(b["wait"] for b in boundaries) if boundaries else 0.0
    informative = [i for i, b in enumerate(boundaries) if wait_if_missed(b["age"]) >= VISIBLE_SECONDS]
    if not (fresh_iterators and informative):
        return {
            "sampled": False,
            "epoch_starts": len(boundaries),
            "missed": None,
            "missed_share": None,
            "seconds_if_missed": None,
            "expected_seconds": max(0.0, mean_wait),
        }
    missed = {i for i in informative if boundaries[i]["wait"] >= VISIBLE_SECONDS}
    others = [b["wait"] for i, b in enumerate(boundaries) if i not in missed]
    share = len(missed) / len(informative)
    if_missed = mean_wait_if_missed(epoch_age)
    otherwise = statistics.fmean(others) if others else 0.0
    return {
        "sampled": True,
        "epoch_starts": len(informative),
        "missed": len(missed),
        "missed_share": share,
        "seconds_if_missed": if_missed,
        "expected_seconds": max(0.0, share * if_missed + (1 - share) * otherwise),
    }
