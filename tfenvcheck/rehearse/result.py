"""The rehearsal document: what `tfenvcheck rehearse --json` prints and `--output FILE` saves.

kind "tfenvcheck-rehearsal", schema_version 1, tool, created (the envelope)
mode            "quick" (a smoke size: scores not judged) | "full"
seed            the seed of the data and of TensorFlow
profile         {name, kind ("exam" | "course")}
code            "keras2" (the exam's code, whatever tf.keras is) | "target" (tf.keras's own)
fingerprint     host (as the bench's) and target {python, reason, python_version, tensorflow, keras}
questions       one per question run: number, id, title, metric ("accuracy" | "mae"), threshold,
                judged, passed, score, reloaded (from .h5 in a fresh process), phases {training:
                {import, data, train, save}, grading: {import, load, score}} in seconds, seconds
                (both processes, start to end), peak_rss {training, grading} in bytes, environment
                {python, tensorflow, keras, code ("keras2" | "keras3")}, failed_phase, error
                {type, first_line, message, ...}, diagnoses [{id, title, applies_to_target, fix}]
legacy_keras    on Keras 3 running the exam's Keras 2 code: {keras, fix, note}; else null
exam            how the five hours are spent (bench.exam.rehearsal_budget) in full mode; else null
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tfenvcheck import documents
from tfenvcheck.bench.exam import rehearsal_budget
from tfenvcheck.bench.result_file import host_fingerprint
from tfenvcheck.errors import UsageError

LEGACY_KERAS_FIX = "keras3-legacy-code"


def legacy_keras_note(questions: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    """What tf-keras would change, where the exam's Keras 2 code ran on Keras 3."""
    keras = next((q["environment"].get("keras") for q in questions if q["environment"].get("keras")), None)
    if code != "keras2" or not keras or not str(keras).startswith("3"):
        return None
    failed = [q["number"] for q in questions if not q["passed"]]
    return {
        "keras": keras,
        "fix": "tfenvcheck fix {}".format(LEGACY_KERAS_FIX),
        "failed": failed,
        "note": "tf.keras here is Keras {}, and the exam's code is Keras 2. With tf-keras installed and "
        "TF_USE_LEGACY_KERAS=1, tf.keras is Keras 2 again and runs this code as the exam's stack "
        "does{}.".format(
            keras,
            ": question {} would run the code it was written for".format(", ".join(map(str, failed))) if failed else "",
        ),
    }


def rehearsal_document(
    questions: list[dict[str, Any]],
    quick: bool,
    seed: int,
    profile: dict[str, str],
    code: str,
    python: str,
    reason: str,
) -> dict[str, Any]:
    environment: dict[str, Any] = next((q["environment"] for q in questions if q["environment"]), {})
    return documents.envelope(
        documents.REHEARSAL,
        mode="quick" if quick else "full",
        seed=seed,
        profile=profile,
        code=code,
        fingerprint={
            "host": host_fingerprint(),
            "target": {
                "python": python,
                "reason": reason,
                "python_version": environment.get("python"),
                "tensorflow": environment.get("tensorflow"),
                "keras": environment.get("keras"),
            },
        },
        questions=questions,
        legacy_keras=legacy_keras_note(questions, code),
        exam=None if quick else rehearsal_budget(questions),
    )


def save_rehearsal(document: dict[str, Any], path: Path) -> None:
    try:
        path.write_text(documents.dumps(document), encoding="utf-8")
    except OSError as exc:
        raise UsageError("cannot write {}: {}".format(path, exc.strerror or exc)) from None


def load_rehearsal(path: Path) -> dict[str, Any]:
    """A saved rehearsal (checked against schemas/rehearsal.schema.json), or a one-line UsageError."""
    _, document = documents.read_document(path, documents.REHEARSAL)
    return document
