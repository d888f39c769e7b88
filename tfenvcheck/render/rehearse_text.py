"""The terminal views of `tfenvcheck rehearse`: a line per question as it runs, then the results."""

from __future__ import annotations

import time
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tfenvcheck.rehearse.questions import Question
from tfenvcheck.render.bench_text import VERDICT_STYLES, duration

METRIC_NAMES = {"accuracy": "accuracy", "mae": "MAE"}


def score_text(question: dict[str, Any]) -> str:
    """ "accuracy 0.97 >= 0.85", "MAE 0.04 <= 0.5", "MAE 0.9 (not judged)", "-"."""
    score = question["score"]
    if score is None:
        return "-"
    name = METRIC_NAMES[question["metric"]]
    if not question["judged"]:
        return "{} {:.3g} (not judged)".format(name, score)
    above = score >= question["threshold"]
    sign = ">=" if above else "<"
    if question["metric"] == "mae":
        sign = "<=" if score <= question["threshold"] else ">"
    return "{} {:.3g} {} {:.3g}".format(name, score, sign, question["threshold"])


# A phase's name in words: "data" also builds the model, so a layer that cannot be built fails there.
PHASE_WORDS = {"data": "data and model", "train": "training", "save": "saving", "load": "reload", "score": "scoring"}


def phase_text(phase: str | None) -> str:
    """Where a question failed, in words: "start" when it failed before its first phase."""
    return PHASE_WORDS.get(phase, phase) if phase else "start"


def _memory(peak: int | None) -> str:
    return "?" if peak is None else "{:.0f} MB".format(peak / 1e6)


def _result(question: dict[str, Any]) -> str:
    if question["passed"]:
        return "[green]passed[/green]"
    if question["error"] is None:
        return "[red]failed: below the threshold[/red]"
    return "[red]failed at {}[/red]".format(escape(phase_text(question["failed_phase"])))


class RehearsalProgress:
    """On stderr: each question's phase (and epoch) while it runs, a result line when it ends."""

    def __init__(self, console: Console, total: int) -> None:
        self.console, self.total, self.done = console, total, 0
        self.status = console.status("", spinner="dots") if console.is_terminal else None
        self.started = 0.0

    def __enter__(self) -> RehearsalProgress:
        if self.status is not None:
            self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.stop()

    def _show(self, question: Question, text: str) -> None:
        line = "Question {} ({}/{}): {}: {}".format(question.number, self.done + 1, self.total, question.id, text)
        if self.status is not None:
            self.status.update(escape(line))

    def question(self, question: Question) -> None:
        self.started = time.monotonic()
        self._show(question, "starting")

    def phase(self, question: Question, phase: str) -> None:
        self._show(question, phase)

    def epoch(self, question: Question, epoch: int, epochs: int) -> None:
        self._show(question, "train, epoch {}/{}".format(epoch, epochs))

    def finished(self, question: Question, outcome: dict[str, Any]) -> None:
        self.done += 1
        self.console.print(
            "Question {}: {} {} ({}, {})".format(
                question.number,
                escape(question.id),
                _result(outcome),
                escape(score_text(outcome)),
                duration(time.monotonic() - self.started),
            )
        )


def render_rehearsal(document: dict[str, Any], console: Console, verbose: bool = False) -> None:
    console.soft_wrap = True
    target = document["fingerprint"]["target"]
    console.print(
        "[bold]Rehearsal[/bold] of the exam's five kinds of question in {} (TensorFlow {}, Keras {}; {} code, "
        "{} size)".format(
            escape(str(target["python"])),
            target["tensorflow"] or "?",
            target["keras"] or "?",
            "the exam's Keras 2" if document["code"] == "keras2" else "tf.keras's own",
            document["mode"],
        )
    )
    table = Table(show_edge=False)
    for column in ("#", "question", "result", "score", "train", "reload + score", "peak memory"):
        table.add_column(column)
    for q in document["questions"]:
        training, grading = q["phases"]["training"], q["phases"]["grading"]
        table.add_row(
            str(q["number"]),
            escape(q["id"]),
            _result(q),
            escape(score_text(q)),
            duration(sum(training.values())) if training else "-",
            duration(sum(grading.values())) if grading else "-",
            _memory(max((p for p in q["peak_rss"].values() if p is not None), default=None)),
        )
    console.print(table)
    for q in document["questions"]:
        if q["error"] is None:
            continue
        console.print(
            "\n[bold]Question {}[/bold] failed at {}: {}: {}".format(
                q["number"],
                escape(phase_text(q["failed_phase"])),
                escape(q["error"]["type"]),
                escape(q["error"]["first_line"]),
            )
        )
        if verbose and q["error"].get("message"):
            console.print("[dim]{}[/dim]".format(escape(q["error"]["message"])))
        if not q["diagnoses"]:
            console.print("  No known breakage shows in its error; `tfenvcheck explain` reads the whole text.")
        for diagnosis in q["diagnoses"]:
            fix = diagnosis["fix"]
            console.print(
                "  known breakage [bold]{}[/bold]: {}".format(escape(diagnosis["id"]), escape(diagnosis["title"]))
            )
            console.print("  fix: {}".format(escape(fix["command"] or fix["hint"])))
    legacy = document["legacy_keras"]
    if legacy:
        console.print("\n[yellow]{}[/yellow] ({})".format(escape(legacy["note"]), escape(legacy["fix"])))
    render_budget(document["exam"], console)
    passed = sum(q["passed"] for q in document["questions"])
    console.print("\n{} of {} questions passed.".format(passed, len(document["questions"])))


def render_budget(exam: dict[str, Any] | None, console: Console) -> None:
    if not exam or not exam["questions"]:
        return
    spent = ", ".join(
        "Q{} {}{}".format(
            item["number"],
            duration(item["seconds"]),
            "" if item["source"] == "rehearsal" else " (" + item["source"] + ")",
        )
        for item in exam["questions"]
    )
    console.print(
        "\nThe five-hour exam: training takes {} ({} runs per question: {}), leaving {} to read, write and debug: "
        "[{}]{}[/{}]".format(
            duration(exam["training_hours"] * 3600),
            exam["training_runs_per_question"],
            spent,
            duration(exam["left_hours"] * 3600),
            VERDICT_STYLES[exam["verdict"]],
            exam["verdict"],
            VERDICT_STYLES[exam["verdict"]],
        )
    )
    if exam["missing"]:
        console.print("Not counted (they failed): question {}.".format(", ".join(map(str, exam["missing"]))))
