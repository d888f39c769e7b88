"""Bench results for the report: a table per result file with where it came from, and the two charts
(the tutorials on the first result's machine; the exam against its budget, beside the others given)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tfenvcheck.bench.exam import EXAM_HOURS, TRAINING_RUNS_PER_QUESTION
from tfenvcheck.report.charts import (
    INSTALL_HINT,
    ExamTime,
    TutorialTime,
    charts_available,
    exam_chart,
    minutes_text,
    tutorial_chart,
)
from tfenvcheck.report.provenance import Provenance

NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class WorkloadRow:
    workload: str
    title: str
    device: str
    first_epoch: str
    step: str
    samples_per_second: str
    achieved: str
    projected: str


@dataclass(frozen=True)
class BenchRunView:
    label: str
    description: str
    rows: list[WorkloadRow]
    exams: list[ExamTime]
    provenance: Provenance


@dataclass(frozen=True)
class BenchView:
    runs: list[BenchRunView]
    headline: str | None
    where: str  # where the first result was measured: "this machine" or "another machine (its CPU)"
    caption: str
    tutorial_svg: str | None
    exam_svg: str | None
    charts_note: str | None


def run_label(result: dict[str, Any], number: int) -> str:
    host, target = result["fingerprint"]["host"], result["fingerprint"]["target"]
    return "{}. {}, TensorFlow {} ({})".format(
        number, host.get("cpu") or "unknown CPU", target.get("tensorflow") or "?", result["created"][:10]
    )


def run_description(result: dict[str, Any]) -> str:
    """What the run was (its provenance says where and for which interpreter)."""
    data = sorted({w["data"]["source"] for w in result["workloads"]}) or ["no"]
    keras = result["fingerprint"]["target"].get("keras") or "?"
    return "Keras {}; {} run on {} data.".format(keras, result["mode"], " and ".join(data))


def workload_row(workload: dict[str, Any]) -> WorkloadRow:
    steady = workload["steady"]
    flops = workload.get("flops_per_second")
    projected = workload.get("projected_tutorial_seconds")
    samples = workload.get("samples_per_second")
    how = "measured" if workload.get("measured_seconds") and workload.get("as_tutorial") else "projected"
    return WorkloadRow(
        workload=workload["id"],
        title=workload["title"],
        device=workload["device_kind"].upper(),
        first_epoch="{:.1f} s{}".format(
            workload["first_epoch_seconds"], "" if workload.get("first_epoch_measured") else " (projected)"
        ),
        step="{:.0f} ms ({:.0f}–{:.0f})".format(
            steady["median_step_seconds"] * 1000, steady["p10_step_seconds"] * 1000, steady["p90_step_seconds"] * 1000
        ),
        samples_per_second=NOT_MEASURED if samples is None else "{:.0f}".format(samples),
        achieved="{:.1f} GFLOP/s".format(flops / 1e9) if flops else "?",
        projected="{} ({})".format(minutes_text(projected), how) if projected else "?",
    )


def exam_times(result: dict[str, Any], label: str | None = None) -> list[ExamTime]:
    return [
        ExamTime(
            "{}: {}".format(label, kind.upper()) if label else kind.upper(),
            outlook["projected_exam_hours"],
            outlook["verdict"],
            outlook.get("projected_exam_hours_low"),
            outlook.get("projected_exam_hours_high"),
        )
        for kind, outlook in sorted(result["exam"].items())
    ]


def headline(result: dict[str, Any]) -> str | None:
    parts = [
        "{} on the {} ({:.2f} h of training projected)".format(
            outlook["verdict"], kind.upper(), outlook["projected_exam_hours"]
        )
        for kind, outlook in sorted(result["exam"].items())
    ]
    return "; ".join(parts) or None


def bench_view(results: list[dict[str, Any]], provenances: list[Provenance]) -> BenchView | None:
    """The bench section of `results`, each beside its provenance (in the same order)."""
    if not results:
        return None
    this_run = results[0]
    runs = [
        BenchRunView(
            run_label(result, number),
            run_description(result),
            [workload_row(w) for w in result["workloads"]],
            exam_times(result),
            source,
        )
        for number, (result, source) in enumerate(zip(results, provenances), start=1)
    ]
    tutorials = [
        TutorialTime(
            w["id"],
            w["title"],
            w["device_kind"].upper(),
            w["projected_tutorial_seconds"],
            (w.get("projection") or {}).get("low_seconds"),
            (w.get("projection") or {}).get("high_seconds"),
        )
        for w in this_run["workloads"]
        if w.get("projected_tutorial_seconds")
    ]
    exams = [
        exam
        for number, result in enumerate(results, start=1)
        for exam in exam_times(result, label="{}. {}".format(number, result["fingerprint"]["host"].get("cpu") or "?"))
    ]
    drawable = charts_available()
    return BenchView(
        runs=runs,
        headline=headline(this_run),
        where=provenances[0].where,
        caption="the exam's image and text models trained {} times each as the tutorials train them "
        "(the other three questions train in minutes), against the {:g}-hour budget".format(
            TRAINING_RUNS_PER_QUESTION, EXAM_HOURS
        ),
        tutorial_svg=tutorial_chart(tutorials) if drawable and tutorials else None,
        exam_svg=exam_chart(exams, EXAM_HOURS) if drawable and exams else None,
        charts_note=None if drawable else "No charts: " + INSTALL_HINT + ". The numbers are in the tables below.",
    )
