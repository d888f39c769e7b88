"""What the projected tutorial times mean for the exam: 5 hours, 5 models to train and submit.

All the thresholds live here, so the verdict can be argued with in one place.
"""

from __future__ import annotations

from typing import Any

EXAM_HOURS = 5.0
# Of the exam's five models, a CNN on real images and an NLP text classifier are the kinds the two
# tutorials time; the other three (a basic model, a learning dataset, a time series) train in minutes
# on any machine. The slower workload measured of each kind stands for its question: a candidate
# who needs augmentation or a stacked LSTM to pass should not be caught short.
QUESTION_WORKLOADS = {"image": ("A0", "A1"), "text": ("B0", "B1")}
# Few candidates get a model right the first time: each question is counted as two full trainings.
TRAINING_RUNS_PER_QUESTION = 2
# Comfortable: training takes at most a fifth of the exam, leaving four hours to read, write, debug
# and retrain. Tight: up to half, workable only if nothing goes wrong. Beyond that, train on a
# faster machine (a GPU, or Colab) and bring the model back, as the exam guides advise.
COMFORTABLE_HOURS = 1.0
TIGHT_HOURS = 2.5

COMFORTABLE, TIGHT, TRAIN_ELSEWHERE = "comfortable", "tight", "train elsewhere"
# When a threshold lies inside the projection's 95% interval, the verdict could go either way.
BORDERLINE = "borderline"


def verdict_for(hours: float) -> str:
    if hours <= COMFORTABLE_HOURS:
        return COMFORTABLE
    return TIGHT if hours <= TIGHT_HOURS else TRAIN_ELSEWHERE


def interval_verdict(low: float | None, high: float | None, hours: float) -> tuple[str, list[str]]:
    """The verdict of the whole interval, and the verdicts at its ends (the same one unless borderline)."""
    if low is None or high is None:
        return verdict_for(hours), [verdict_for(hours)]
    ends = [verdict_for(low), verdict_for(high)]
    return (ends[0] if ends[0] == ends[1] else BORDERLINE), list(dict.fromkeys(ends))


def _interval_hours(workloads: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """The exam's training hours at the low and high ends of its workloads' intervals, added up
    (not in quadrature: a machine that runs slow runs slow for both)."""
    lows = [(w.get("projection") or {}).get("low_seconds") for w in workloads]
    highs = [(w.get("projection") or {}).get("high_seconds") for w in workloads]
    if any(v is None for v in lows + highs):
        return None, None
    scale = TRAINING_RUNS_PER_QUESTION / 3600
    return round(scale * sum(lows), 3), round(scale * sum(highs), 3)  # type: ignore[arg-type]


def exam_outlook(workloads: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per device kind ("cpu", "gpu"): projected training hours of the exam and the verdict."""
    outlook = {}
    for kind in sorted({w["device_kind"] for w in workloads}):
        on_device = {w["id"]: w for w in workloads if w["device_kind"] == kind and w.get("projected_tutorial_seconds")}
        basis, seconds, chosen = {}, 0.0, []
        for question, ids in QUESTION_WORKLOADS.items():
            measured = [on_device[i] for i in ids if i in on_device]
            if measured:
                slowest = max(measured, key=lambda w: w["projected_tutorial_seconds"])
                basis[question] = slowest["id"]
                seconds += slowest["projected_tutorial_seconds"]
                chosen.append(slowest)
        if not basis:
            continue
        hours = TRAINING_RUNS_PER_QUESTION * seconds / 3600
        low, high = _interval_hours(chosen)
        verdict, between = interval_verdict(low, high, hours)
        outlook[kind] = {
            "projected_exam_hours": round(hours, 3),
            "projected_exam_hours_low": low,
            "projected_exam_hours_high": high,
            "verdict": verdict,
            "verdict_between": between,
            "basis": basis,
            "missing": [q for q in QUESTION_WORKLOADS if q not in basis],
            "training_runs_per_question": TRAINING_RUNS_PER_QUESTION,
            "exam_hours": EXAM_HOURS,
            "thresholds_hours": {COMFORTABLE: COMFORTABLE_HOURS, TIGHT: TIGHT_HOURS},
        }
    return outlook


# The rehearsal's questions whose training the bench's tutorials stand for, at the tutorials' sizes.
REHEARSAL_WORKLOADS = {3: QUESTION_WORKLOADS["image"], 4: QUESTION_WORKLOADS["text"]}


def rehearsal_budget(
    questions: list[dict[str, Any]], bench_workloads: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """How the five hours are spent: each question's training as the rehearsal measured it (both its
    processes, start to end: data, training, saving, reloading and scoring), or for the image and text
    questions the bench's tutorial projection on the CPU where one is given (the tutorials' data is the
    exam's size; the rehearsal's is smaller); counted TRAINING_RUNS_PER_QUESTION times, and what is left
    to read, write and debug.
    Questions that failed are `missing`: their time is not known."""
    projected = {
        w["id"]: w["projected_tutorial_seconds"]
        for w in bench_workloads or []
        if w.get("device_kind") == "cpu" and w.get("projected_tutorial_seconds")
    }
    spent, missing = [], [q["number"] for q in questions if not q["passed"]]
    for question in (q for q in questions if q["passed"]):
        ids = [i for i in REHEARSAL_WORKLOADS.get(question["number"], ()) if i in projected]
        if ids:
            slowest = max(ids, key=lambda i: projected[i])
            seconds, source = projected[slowest], "bench {}".format(slowest)
        else:
            seconds, source = question["seconds"], "rehearsal"
        spent.append({"number": question["number"], "seconds": round(seconds, 3), "source": source})
    hours = TRAINING_RUNS_PER_QUESTION * sum(item["seconds"] for item in spent) / 3600
    return {
        "questions": spent,
        "missing": missing,
        "training_hours": round(hours, 3),
        "left_hours": round(max(EXAM_HOURS - hours, 0.0), 3),
        "verdict": verdict_for(hours),
        "training_runs_per_question": TRAINING_RUNS_PER_QUESTION,
        "exam_hours": EXAM_HOURS,
    }
