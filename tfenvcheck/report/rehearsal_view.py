"""The report's Rehearsal section: a table per saved rehearsal, a chart of time per question, and how
the exam's five hours are spent by the rehearsal's times beside the bench's tutorial projections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tfenvcheck.bench.exam import rehearsal_budget
from tfenvcheck.render.bench_text import duration
from tfenvcheck.render.rehearse_text import phase_text, score_text
from tfenvcheck.report import charts
from tfenvcheck.report.provenance import Provenance


@dataclass(frozen=True)
class QuestionRow:
    number: int
    id: str
    title: str
    status: str  # "ok" or "fail", as the findings' styles
    result: str
    score: str
    training: str
    grading: str
    memory: str
    diagnosis: str


@dataclass(frozen=True)
class RehearsalView:
    description: str
    rows: list[QuestionRow]
    passed: int
    legacy_keras: str | None
    budget: str | None
    chart_svg: str | None
    source: Provenance  # where it came from, and whether on another machine


def _result(question: dict[str, Any]) -> str:
    if question["passed"]:
        return "passed, reloaded from .h5"
    if question["error"] is None:
        return "failed: below the threshold"
    error = question["error"]
    return "failed at {}: {}: {}".format(phase_text(question["failed_phase"]), error["type"], error["first_line"])


def _row(question: dict[str, Any]) -> QuestionRow:
    training, grading = question["phases"]["training"], question["phases"]["grading"]
    peaks = [p for p in question["peak_rss"].values() if p is not None]
    return QuestionRow(
        number=question["number"],
        id=question["id"],
        title=question["title"],
        status="ok" if question["passed"] else "fail",
        result=_result(question),
        score=score_text(question),
        training=duration(sum(training.values())) if training else "-",
        grading=duration(sum(grading.values())) if grading else "-",
        memory="{:.0f} MB".format(max(peaks) / 1e6) if peaks else "?",
        diagnosis="; ".join(
            "{} ({}): {}".format(d["title"], d["id"], d["fix"]["command"] or d["fix"]["hint"])
            for d in question["diagnoses"]
        ),
    )


def budget_text(budget: dict[str, Any]) -> str | None:
    if not budget["questions"]:
        return None
    spent = ", ".join(
        "Q{} {}{}".format(
            i["number"], duration(i["seconds"]), "" if i["source"] == "rehearsal" else " (" + i["source"] + ")"
        )
        for i in budget["questions"]
    )
    text = "{} of training for the exam ({} runs of each question: {}), {} left to read, write and debug: {}".format(
        duration(budget["training_hours"] * 3600),
        budget["training_runs_per_question"],
        spent,
        duration(budget["left_hours"] * 3600),
        budget["verdict"],
    )
    if budget["missing"]:
        text += "; not counted (failed): question {}".format(", ".join(map(str, budget["missing"])))
    return text


def time_chart(questions: list[dict[str, Any]]) -> str:
    """Horizontal bars, one per question: seconds of training (with its data and saving) and of grading."""
    figure = charts._figure(len(questions))
    axes = figure.add_subplot()
    labels = ["Q{} {}".format(q["number"], q["id"]) for q in questions]
    training = [sum(q["phases"]["training"].values()) for q in questions]
    grading = [sum(q["phases"]["grading"].values()) for q in questions]
    axes.barh(labels, training, color=charts.DEVICE_COLOURS["CPU"], label="train and save")
    bars = axes.barh(labels, grading, left=training, color=charts.DEVICE_COLOURS["GPU"], label="reload and score")
    axes.bar_label(bars, labels=[charts.minutes_text(t + g) for t, g in zip(training, grading)], padding=3)
    axes.invert_yaxis()
    axes.set_xlabel("seconds, each phase in a process of its own")
    axes.set_xlim(0, max([1.0] + [t + g for t, g in zip(training, grading)]) * 1.2)
    axes.legend(loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return charts._svg(figure)


def rehearsal_views(
    rehearsals: list[dict[str, Any]], bench: list[dict[str, Any]], sources: list[Provenance]
) -> list[RehearsalView]:
    """Each saved rehearsal; the budget uses this machine's bench result (the first) where there is one."""
    bench_workloads = bench[0]["workloads"] if bench else None
    views = []
    for rehearsal, source in zip(rehearsals, sources):
        target, questions = rehearsal["fingerprint"]["target"], rehearsal["questions"]
        legacy = rehearsal["legacy_keras"]
        views.append(
            RehearsalView(
                description="{} (TensorFlow {}, Keras {}), {} code, {} size, made {}".format(
                    target["python"],
                    target["tensorflow"] or "?",
                    target["keras"] or "?",
                    "the exam's Keras 2" if rehearsal["code"] == "keras2" else "tf.keras's own",
                    rehearsal["mode"],
                    rehearsal["created"],
                ),
                rows=[_row(q) for q in questions],
                passed=sum(q["passed"] for q in questions),
                legacy_keras="{} ({})".format(legacy["note"], legacy["fix"]) if legacy else None,
                budget=None
                if rehearsal["mode"] == "quick"
                else budget_text(rehearsal_budget(questions, bench_workloads)),
                chart_svg=time_chart(questions) if questions and charts.charts_available() else None,
                source=source,
            )
        )
    return views
