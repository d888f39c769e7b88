"""The rehearsal on real stacks, at its smoke size (--quick: the same APIs and the same .h5 round trip
in a fresh process, on little data): TensorFlow 2.5 passes all five questions (the exam-2022-07 stack
as create-env builds it is rehearsed in tests/test_create_env_real.py); TensorFlow 2.0 as pip builds it
today fails at import with the protobuf diagnosis, then, with protobuf alone pinned, at the .h5
reload, the LSTM layers and the image loader, and passes once `fix --yes` has run on a copy;
TensorFlow 2.21 (Keras 3) fails the exam's Keras 2 code with a Keras 3 diagnosis and passes after the
Keras 3 fix. The shared cached venvs are never changed: the fixes run on copies."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import COMPLETE_MARKER, run_child, run_cli
from tests.helpers.fix_targets import fix_env

pytestmark = pytest.mark.slow

ALL_FIVE = [1, 2, 3, 4, 5]


def rehearse(python: Path, *options: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    done = run_cli("rehearse", "--python", str(python), "--quick", "--json", *options, env=env, timeout=900)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def copied_venv(python: Path, where: Path) -> Path:
    """A copy of a cached venv that a test may change (its python finds the copy's prefix from pyvenv.cfg)."""
    shutil.copytree(python.parent.parent, where, symlinks=True)
    (where / COMPLETE_MARKER).unlink()
    return where / "bin" / "python"


def passed(document: dict) -> list[int]:
    return [q["number"] for q in document["questions"] if q["passed"] and q["reloaded"]]


# The exam-2022-07 stack as create-env builds it is rehearsed in tests/test_create_env_real.py.
@pytest.mark.parametrize("stack", ["tf_2_5_python"])
def test_the_exam_stacks_pass_all_five_questions_and_reload_them_from_h5(stack, request, tmp_path):
    python = request.getfixturevalue(stack)
    saved = tmp_path / "rehearsal.json"
    status, document = rehearse(python, "--profile", "exam-2022-07", "--output", str(saved))
    assert status == 0
    assert passed(document) == ALL_FIVE
    assert document["code"] == "keras2" and document["mode"] == "quick"
    assert {q["environment"]["code"] for q in document["questions"]} == {"keras2"}
    for question in document["questions"]:
        assert set(question["phases"]["training"]) == {"import", "data", "train", "save"}
        assert set(question["phases"]["grading"]) == {"import", "load", "score"}
        assert question["peak_rss"]["training"] > 100_000_000
    assert json.loads(saved.read_text())["questions"] == document["questions"]


def test_tf_2_0_as_pip_builds_it_fails_at_import_with_protobuf_then_passes_after_fix(tf_2_0_broken_python, tmp_path):
    status, document = rehearse(tf_2_0_broken_python, "--profile", "exam-2020-07")
    assert status == 1
    assert [(q["failed_phase"], [d["id"] for d in q["diagnoses"]]) for q in document["questions"]] == [
        ("import", ["protobuf4-descriptors"])
    ] * 5

    # With protobuf alone pinned, TensorFlow imports, and the rest of what pip installs today breaks the
    # questions one by one: h5py 3 the .h5 reload, numpy 1.21 the LSTM layers, no Pillow the image loader.
    copy = copied_venv(tf_2_0_broken_python, tmp_path / "tf20")
    pinned = run_child([copy, "-m", "pip", "install", "-q", "protobuf==3.20.3"], timeout=600)
    assert pinned.returncode == 0, pinned.stderr[-3000:]
    status, document = rehearse(copy, "--profile", "exam-2020-07")
    assert status == 1
    assert [(q["failed_phase"], [d["id"] for d in q["diagnoses"]]) for q in document["questions"]] == [
        ("load", ["h5py3-str-decode"]),
        ("load", ["h5py3-str-decode"]),
        ("train", ["pil-scipy-missing"]),
        ("data", ["numpy120-symbolic-lstm"]),
        ("data", ["numpy120-symbolic-lstm"]),
    ]

    env = fix_env(tmp_path / "state")
    # The known breakages only (with --profile, its pins would add tensorflow-datasets, which pip builds
    # from source here and which none of the five questions uses).
    fixed = run_cli("fix", "--python", str(copy), "--yes", env=env, timeout=900)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    status, document = rehearse(copy, "--profile", "exam-2020-07", env=env)
    assert passed(document) == ALL_FIVE, [q["error"] for q in document["questions"]]
    assert status == 0


def test_keras_3_fails_the_exams_keras_2_code_with_a_keras_3_diagnosis_and_passes_after_the_fix(
    tf_current_python, tf_keras_python, tmp_path
):
    env = {k: v for k, v in fix_env(tmp_path / "state").items() if k != "TF_USE_LEGACY_KERAS"}
    status, document = rehearse(tf_current_python, "--profile", "exam-2024", "--question", "1", env=env)
    assert status == 1
    [question] = document["questions"]
    assert (question["failed_phase"], [d["id"] for d in question["diagnoses"]]) == ("load", ["compiled-h5-in-keras3"])
    assert document["legacy_keras"]["fix"] == "tfenvcheck fix keras3-legacy-code"

    copy = copied_venv(tf_keras_python, tmp_path / "tf-keras")
    fixed = run_cli("fix", "keras3-legacy-code", "--python", str(copy), "--yes", env=env, timeout=900)
    assert fixed.returncode == 0, fixed.stderr[-3000:]
    status, document = rehearse(copy, "--profile", "exam-2024", "--question", "1", env=env)
    assert passed(document) == [1], document["questions"][0]["error"]
    assert document["questions"][0]["environment"]["keras"].startswith("2.")
    assert document["legacy_keras"] is None
