"""The rehearsal without TensorFlow: its synthetic data, its thresholds, its document and schema, its
terminal view, the exam budget it feeds, and the bad inputs of `tfenvcheck rehearse`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rich.console import Console

from tests.helpers import require_python, run_child, run_cli
from tfenvcheck.bench.exam import rehearsal_budget
from tfenvcheck.errors import UsageError
from tfenvcheck.rehearse import data
from tfenvcheck.rehearse.questions import QUESTIONS
from tfenvcheck.rehearse.result import legacy_keras_note, load_rehearsal, rehearsal_document, save_rehearsal
from tfenvcheck.render.rehearse_text import render_rehearsal
from tfenvcheck.report.provenance import Provenance
from tfenvcheck.report.rehearsal_view import rehearsal_views


def outcome(number: int, passed: bool = True, score: float | None = 0.97, **changes: object) -> dict:
    question = QUESTIONS[number]
    value = {
        "number": number,
        "id": question.id,
        "title": question.title,
        "metric": question.metric,
        "threshold": question.threshold,
        "judged": True,
        "passed": passed,
        "score": score,
        "reloaded": passed,
        "phases": {
            "training": {"import": 4.0, "data": 1.0, "train": 30.0, "save": 0.5},
            "grading": {"import": 4.0, "load": 0.5, "score": 1.0},
        },
        "seconds": 45.0,
        "peak_rss": {"training": 600_000_000, "grading": 500_000_000},
        "environment": {"python": "3.8.18", "tensorflow": "2.9.0", "keras": "2.9.0", "code": "keras2"},
        "failed_phase": None,
        "error": None,
        "diagnoses": [],
    }
    value.update(changes)
    return value


PROTOBUF_FAILURE = {
    "failed_phase": "import",
    "error": {"type": "TypeError", "first_line": "Descriptors cannot not be created directly.", "message": "..."},
    "diagnoses": [
        {
            "id": "protobuf4-descriptors",
            "title": "protobuf 4 breaks TensorFlow releases built with older generated code",
            "applies_to_target": True,
            "fix": {"command": "tfenvcheck fix protobuf4-descriptors", "hint": "pin protobuf", "actions": []},
        }
    ],
}


def document(questions: list[dict], quick: bool = False) -> dict:
    return rehearsal_document(
        questions,
        quick=quick,
        seed=1,
        profile={"name": "exam-2022-07", "kind": "exam"},
        code="keras2",
        python="/venvs/exam/bin/python",
        reason="given with --python",
    )


def test_sentences_alternate_labels_and_draw_most_words_from_their_labels_vocabulary():
    records = data.sentences(4, seed=1)
    assert [r["is_sarcastic"] for r in records] == [0, 1, 0, 1]
    for record in records:
        words = record["headline"].split()
        assert len(words) == 7
        assert sum(w in data._LABEL_WORDS[record["is_sarcastic"]] for w in words) == 4
    assert data.sentences(4, seed=1) == records and data.sentences(4, seed=2) != records


def test_the_series_has_its_season_and_trend_and_is_written_as_the_exams_csv(tmp_path):
    values = data.series_values(1000, seed=1)
    assert len(values) == 1000 and all(-0.5 < v < 1.5 for v in values)
    # A season later the signal is back where it was, plus the trend and the noise.
    same_phase = [values[t + data.SEASON_PERIOD] - values[t] for t in range(0, 900)]
    assert abs(sum(same_phase) / len(same_phase) - 0.3 * data.SEASON_PERIOD / 1000) < 0.01
    data.write_data(tmp_path, sentence_count=10, series_length=30, seed=1)
    with open(tmp_path / "series.csv", newline="") as source:
        rows = list(csv.reader(source))
    assert rows[0] == ["time", "value"] and len(rows) == 31 and rows[1][0] == "0"
    assert len(json.loads((tmp_path / "sentences.json").read_text())) == 10


def test_accuracy_passes_at_or_above_its_threshold_and_mae_at_or_below():
    accuracy, mae = QUESTIONS[2], QUESTIONS[5]
    assert accuracy.passes(0.9) and accuracy.passes(1.0) and not accuracy.passes(0.89)
    assert mae.passes(0.1) and mae.passes(0.01) and not mae.passes(0.11)


def test_the_budget_takes_the_bench_projection_for_images_and_text_and_the_rehearsal_for_the_rest():
    questions = [outcome(n) for n in (1, 2, 3, 4)] + [outcome(5, passed=False, score=None)]
    bench = [
        {"id": "A0", "device_kind": "cpu", "projected_tutorial_seconds": 600.0},
        {"id": "A1", "device_kind": "cpu", "projected_tutorial_seconds": 900.0},
        {"id": "B1", "device_kind": "gpu", "projected_tutorial_seconds": 50.0},
    ]
    budget = rehearsal_budget(questions, bench)
    assert budget["questions"] == [
        {"number": 1, "seconds": 45.0, "source": "rehearsal"},
        {"number": 2, "seconds": 45.0, "source": "rehearsal"},
        {"number": 3, "seconds": 900.0, "source": "bench A1"},
        {"number": 4, "seconds": 45.0, "source": "rehearsal"},
    ]
    assert budget["missing"] == [5]
    assert budget["training_hours"] == 0.575 and budget["left_hours"] == 4.425
    assert budget["verdict"] == "comfortable"


def test_legacy_keras_is_noted_only_where_the_exams_keras_2_code_ran_on_keras_3():
    keras3 = {"python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1", "code": "keras2"}
    questions = [outcome(1, passed=False, environment=keras3), outcome(2, environment=keras3)]
    note = legacy_keras_note(questions, "keras2")
    assert note is not None
    assert (note["keras"], note["fix"], note["failed"]) == ("3.15.1", "tfenvcheck fix keras3-legacy-code", [1])
    assert legacy_keras_note(questions, "target") is None
    assert legacy_keras_note([outcome(1)], "keras2") is None


def test_a_saved_rehearsal_reads_back_and_a_wrong_one_is_refused_in_one_line(tmp_path):
    saved = tmp_path / "rehearsal.json"
    written = document([outcome(1), outcome(3, passed=False, score=None, **PROTOBUF_FAILURE)])
    save_rehearsal(written, saved)
    assert load_rehearsal(saved) == json.loads(saved.read_text())
    broken = dict(written, questions=[dict(outcome(1), score="high")])
    saved.write_text(json.dumps(broken))
    with pytest.raises(UsageError, match=r"not a valid rehearsal: at \$\.questions\[0\]\.score: 'high' is not of type"):
        load_rehearsal(saved)


def test_the_terminal_view_shows_each_score_against_its_threshold_and_each_failures_fix():
    console = Console(record=True, width=160, color_system=None)
    render_rehearsal(document([outcome(2), outcome(3, passed=False, score=None, **PROTOBUF_FAILURE)]), console)
    text = console.export_text()
    assert "accuracy 0.97 >= 0.9" in text
    assert "Question 3 failed at import: TypeError: Descriptors cannot not be created directly." in text
    assert "fix: tfenvcheck fix protobuf4-descriptors" in text
    assert "Not counted (they failed): question 3." in text
    assert "1 of 2 questions passed." in text


def test_a_quick_rehearsal_does_not_judge_its_scores():
    console = Console(record=True, width=160, color_system=None)
    quick = document([outcome(5, score=0.3, judged=False)], quick=True)
    render_rehearsal(quick, console)
    assert "MAE 0.3 (not judged)" in console.export_text()
    assert quick["exam"] is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--question", "9"], "argument --question: invalid choice: 9 (choose from 1, 2, 3, 4, 5)"),
        (["--question", "1", "9"], "argument --question: invalid choice: 9 (choose from 1, 2, 3, 4, 5)"),
        (["--question"], "argument --question: expected at least one argument"),
        (["--question", "two"], "argument --question: invalid int value: 'two'"),
        (["--timeout", "-5"], "argument --timeout: must be a number of seconds above 0: '-5'"),
        (["--profile", "no-such-profile"], "unknown profile 'no-such-profile'"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(options, message):
    done = run_cli("rehearse", *options)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr


def test_a_target_that_does_not_exist_is_one_line_and_exit_3(tmp_path):
    done = run_cli("rehearse", "--python", str(tmp_path / "no-python"), "--json")
    assert done.returncode == 3 and done.stdout == ""
    assert done.stderr.strip().splitlines()[-1].startswith("tfenvcheck: error:")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("version", ["2.7", "3.6"])
def test_the_payload_parses_on_the_oldest_pythons_and_imports_nothing_of_tfenvcheck(version):
    payload = Path(data.__file__).parent / "questions_payload.py"
    check = "import sys; compile(open(sys.argv[1]).read(), 'payload', 'exec')"
    done = run_child([require_python(version), "-c", check, payload], timeout=60)
    assert done.returncode == 0, done.stderr
    assert "tfenvcheck" not in "".join(line for line in payload.read_text().splitlines() if "import" in line)


def test_the_reports_budget_puts_the_bench_projection_beside_the_rehearsals_times():
    bench = [{"workloads": [{"id": "B1", "device_kind": "cpu", "projected_tutorial_seconds": 3000.0}]}]
    rehearsal = document([outcome(n) for n in (1, 2, 3, 4, 5)])
    source = Provenance("rehearsal", None, rehearsal["created"], "0.1.0", None, None, None, elsewhere=False)
    [view] = rehearsal_views([rehearsal], bench, [source])
    assert view.budget == (
        # 2 x (4 x 45 s + 3000 s) = 6360 s = 1.767 h; 5 h - 1.767 h = 3.233 h (3 h 13 min 59 s).
        "1h46m of training for the exam (2 runs of each question: Q1 45 s, Q2 45 s, Q3 45 s, "
        "Q4 50m00s (bench B1), Q5 45 s), 3h13m left to read, write and debug: tight"
    )
    assert [row.result for row in view.rows] == ["passed, reloaded from .h5"] * 5
