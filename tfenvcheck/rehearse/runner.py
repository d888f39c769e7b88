"""Each question run twice in the target: once to train and save its `.h5`, once more in a fresh
process to reload and score it, as the grader does; a failure comes with the registry's diagnosis."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from tfenvcheck.bench.streaming_runner import stream_payload
from tfenvcheck.errors import CouldNotCheck
from tfenvcheck.explain.diagnose import FactsFor, explain_lines
from tfenvcheck.explain.document import fix_of
from tfenvcheck.facts.model import Facts
from tfenvcheck.registry.entry import Breakage
from tfenvcheck.rehearse.data import write_data
from tfenvcheck.rehearse.questions import FULL, QUICK, Question

PAYLOAD = Path(__file__).with_name("questions_payload.py")
DEFAULT_TIMEOUT = 900.0  # seconds per run of a question (training, or reloading and scoring)
STDERR_LINES_EXPLAINED = 60


class RehearsalListener(Protocol):
    def question(self, question: Question) -> None: ...
    def phase(self, question: Question, phase: str) -> None: ...
    def epoch(self, question: Question, epoch: int, epochs: int) -> None: ...
    def finished(self, question: Question, outcome: dict[str, Any]) -> None: ...


@dataclass
class RehearsalSettings:
    quick: bool = False
    seed: int = 1
    code: str = "target"  # or "keras2": the exam's Keras 2 code whatever tf.keras is
    timeout: float = DEFAULT_TIMEOUT
    env: dict[str, str] | None = None


@dataclass
class _Run:
    """What one payload run said: its environment, each phase's seconds, its score or its failure."""

    environment: dict[str, Any] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    peak_rss: int | None = None
    seconds: float = 0.0  # the process's wall time, start to end
    score: float | None = None
    failed_phase: str | None = None
    error: dict[str, Any] | None = None
    lines: list[str] = field(default_factory=list)  # the text to diagnose


def run_rehearsal(
    python: str,
    questions: Sequence[Question],
    settings: RehearsalSettings,
    breakages: Sequence[Breakage],
    listener: RehearsalListener,
    facts_for: FactsFor | None = None,
) -> list[dict[str, Any]]:
    """Every question's outcome, in the order given; the data lives in a temporary folder meanwhile."""
    facts = _OnceFacts(facts_for)
    sizes = QUICK if settings.quick else FULL
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-rehearse-") as work:
        write_data(Path(work), sizes.sentences, sizes.series_length, settings.seed)
        outcomes = []
        for question in questions:
            listener.question(question)
            outcome = _rehearse_one(python, question, Path(work), settings, breakages, listener, facts)
            listener.finished(question, outcome)
            outcomes.append(outcome)
    return outcomes


def _rehearse_one(
    python: str,
    question: Question,
    work: Path,
    settings: RehearsalSettings,
    breakages: Sequence[Breakage],
    listener: RehearsalListener,
    facts: _OnceFacts,
) -> dict[str, Any]:
    folder = work / "q{}".format(question.number)
    folder.mkdir()
    trained = _run_phase(python, "train", question, folder, work, settings, listener)
    scored = _run_phase(python, "score", question, folder, work, settings, listener) if trained.error is None else None
    failed = trained if trained.error is not None else scored if scored and scored.error is not None else None
    score = scored.score if scored else None
    judged = not settings.quick
    passed = failed is None and score is not None and (not judged or question.passes(score))
    return {
        "number": question.number,
        "id": question.id,
        "title": question.title,
        "metric": question.metric,
        "threshold": question.threshold,
        "judged": judged,
        "passed": passed,
        "score": score,
        "reloaded": scored is not None and scored.error is None,
        # Each process's phases: training (import, data, train, save), grading (import, load, score).
        "phases": {"training": trained.phases, "grading": scored.phases if scored else {}},
        "seconds": round(trained.seconds + (scored.seconds if scored else 0.0), 3),
        "peak_rss": {"training": trained.peak_rss, "grading": scored.peak_rss if scored else None},
        "environment": trained.environment,
        "failed_phase": failed.failed_phase if failed else None,
        "error": failed.error if failed else None,
        "diagnoses": _diagnoses(failed.lines, breakages, facts) if failed else [],
    }


def _run_phase(
    python: str,
    phase: str,
    question: Question,
    folder: Path,
    work: Path,
    settings: RehearsalSettings,
    listener: RehearsalListener,
) -> _Run:
    sizes = QUICK if settings.quick else FULL
    config = {
        "phase": phase,
        "question": question.number,
        "folder": str(folder),
        "data": str(work),
        "seed": settings.seed,
        "code": settings.code,
        "sizes": asdict(sizes),
    }
    run = _Run()

    def on_event(event: dict[str, Any]) -> None:
        kind = event["event"]
        if kind == "environment":
            run.environment = {k: v for k, v in event.items() if k != "event"}
        elif kind == "phase":
            listener.phase(question, event["phase"])
        elif kind == "epoch":
            listener.epoch(question, event["epoch"], event["epochs"])
        elif kind == "result":
            run.score = event.get("score")
        elif kind == "error":
            run.failed_phase, run.error = event.get("phase"), event["error"]
            run.lines = [*event["error"]["message"].splitlines(), *event.get("traceback", [])]
        elif kind == "done":
            run.phases, run.peak_rss = event["phases"], event.get("peak_rss")

    result = stream_payload(python, PAYLOAD, [json.dumps(config)], on_event, timeout=settings.timeout, env=settings.env)
    run.seconds = result.seconds
    if result.failure is not None and result.failure.kind in ("not-found", "not-executable"):
        raise CouldNotCheck("cannot rehearse in {}: {}".format(python, result.failure.message))
    if result.failure is not None and run.error is None:
        # A crash, a timeout, or an end without "done": how it ended is the error.
        run.failed_phase = run.failed_phase or _last_phase(result.events)
        run.error = {
            "type": result.failure.kind,
            "first_line": result.failure.message,
            "message": result.failure.message,
        }
        run.lines = [result.failure.message]
    if run.error is not None:
        run.lines += result.stderr.splitlines()[-STDERR_LINES_EXPLAINED:]
    return run


def _last_phase(events: list[dict[str, Any]]) -> str | None:
    phases = [event["phase"] for event in events if event["event"] == "phase"]
    return phases[-1] if phases else None


class _OnceFacts:
    """The target's facts, gathered the first time a failure needs them and kept for the others."""

    def __init__(self, facts_for: FactsFor | None) -> None:
        self.facts_for, self.asked = facts_for, False
        self.facts: Facts | None = None

    def __call__(self, entries: Sequence[Breakage]) -> Facts | None:
        if not self.asked and self.facts_for is not None:
            self.asked, self.facts = True, self.facts_for(entries)
        return self.facts


def _diagnoses(lines: list[str], breakages: Sequence[Breakage], facts: _OnceFacts) -> list[dict[str, Any]]:
    """The best match of each diagnosis of the failure's text, with its fix."""
    explanation = explain_lines(lines, breakages, facts)
    return [
        {
            "id": diagnosis.best.breakage.id,
            "title": diagnosis.best.breakage.title,
            "applies_to_target": diagnosis.best.applies,
            "fix": fix_of(diagnosis.best, explanation.facts),
        }
        for diagnosis in explanation.diagnoses
    ]
