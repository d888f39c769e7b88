"""bench for real: the tutorials' models trained in real TensorFlow stacks, from 2.0 (Keras 2, missing
layers substituted) through 2.5 (experimental preprocessing layers) to 2.21 (Keras 3), on synthetic
data and on small real JPEG and review folders. Sizes are shrunk with the test settings (--samples,
--steps, --epochs, --max-words) so each run takes seconds, not the tutorial's minutes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tfenvcheck.bench.result_file import load_bench_result
from tfenvcheck.bench.runner import BenchSettings, run_bench
from tfenvcheck.bench.sample_data import write_flower_folder, write_review_folder
from tfenvcheck.bench.workloads import WORKLOADS
from tfenvcheck.render.bench_text import machine_notes

pytestmark = pytest.mark.slow

TUTORIAL_PARAMETERS = {"A0": 3989285, "A1": 3989285, "B0": 138369, "B1": 175489}
SMALL_QUICK = ["--quick", "--samples", "64", "--steps", "2", "--max-words", "60"]


def bench_json(python: Path, *args: str, timeout: float = 600) -> dict:
    done = run_cli("bench", "--python", str(python), "--json", *args, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def assert_sound(workload: dict) -> None:
    """What every measured workload must hold, whatever the stack."""
    steady = workload["steady"]
    assert workload["device_kind"] == "cpu" and ":CPU:" in workload["device"]
    assert 0 < steady["p10_step_seconds"] <= steady["median_step_seconds"] <= steady["p90_step_seconds"]
    assert steady["steps"] >= 2 and steady["from_later_epochs"]
    assert workload["samples_per_second"] == pytest.approx(
        workload["tutorial_plan"]["batch_size"] / steady["mean_step_seconds"]
    )
    assert workload["flops_per_second"] > 1e8
    # The tutorial as written takes at least its steady steps; the first epoch at least one epoch's steps.
    plan = workload["tutorial_plan"]
    assert (
        workload["projected_tutorial_seconds"] > plan["epochs"] * plan["steps_per_epoch"] * steady["mean_step_seconds"]
    )
    assert workload["first_epoch_seconds"] > plan["steps_per_epoch"] * steady["mean_step_seconds"]
    # Every epoch start after the first was timed; its wait is part of the steady epoch.
    wait = steady["epoch_start_wait"]
    assert wait["epoch_starts"] >= 1 and wait["expected_seconds"] >= 0
    assert steady["epoch_seconds"] >= wait["expected_seconds"] + steady["epoch_remainder_seconds"]


@pytest.fixture(scope="module")
def small_folders(tmp_path_factory, tf_current_python) -> Path:
    """flower_photos with 5 x 8 JPEGs (32 training, 8 validation images) and aclImdb with 40+40 / 20+20 reviews."""
    where = tmp_path_factory.mktemp("bench-data")
    write_flower_folder(
        str(tf_current_python), where, dict.fromkeys(("daisy", "dandelion", "roses", "sunflowers", "tulips"), 8)
    )
    write_review_folder(where, train_per_label=40, test_per_label=20)
    return where


def test_current_tensorflow_all_workloads(tf_current_python, tmp_path):
    output = tmp_path / "bench.json"
    result = bench_json(tf_current_python, "all", *SMALL_QUICK, "--output", str(output))
    assert load_bench_result(output) == result
    assert result["fingerprint"]["target"]["tensorflow"] == "2.21.0"
    assert result["fingerprint"]["target"]["keras"].startswith("3.")
    assert result["fingerprint"]["host"]["physical_cores"] >= 1
    assert not result["errors"]
    assert {w["id"]: w["parameters"] for w in result["workloads"]} == TUTORIAL_PARAMETERS
    for workload in result["workloads"]:
        assert_sound(workload)
        assert workload["substitutions"] == [] and workload["mode"] == "quick" and not workload["as_tutorial"]
        assert workload["overrides"] == {"samples": 64, "steps": 2, "max_words": 60}
        assert workload["run"]["epochs"] >= 2
    text = next(w for w in result["workloads"] if w["id"] == "B0")
    assert text["data"]["max_words"] <= 60 and text["data"]["padded_words_per_batch"] <= 60
    assert set(result["exam"]) == {"cpu"}
    # The exam's image and text questions stand for the slower tutorial of each kind, trained twice.
    projected = {w["id"]: w["projected_tutorial_seconds"] for w in result["workloads"]}
    slower_image = max(("A0", "A1"), key=projected.__getitem__)
    slower_text = max(("B0", "B1"), key=projected.__getitem__)
    exam = result["exam"]["cpu"]
    assert exam["basis"] == {"image": slower_image, "text": slower_text} and exam["missing"] == []
    hours = 2 * (projected[slower_image] + projected[slower_text]) / 3600
    assert exam["projected_exam_hours"] == pytest.approx(hours, abs=0.001)
    # The verdict of each end of the interval; "borderline" when a threshold (1 h, 2.5 h) lies between them.
    low, high = exam["projected_exam_hours_low"], exam["projected_exam_hours_high"]
    assert low <= exam["projected_exam_hours"] <= high
    ends = ["comfortable" if h <= 1 else "tight" if h <= 2.5 else "train elsewhere" for h in (low, high)]
    assert exam["verdict"] == (ends[0] if ends[0] == ends[1] else "borderline")


def test_full_mode_measures_every_epoch(tf_current_python):
    result = bench_json(tf_current_python, "--workload", "A0", "--full", "--epochs", "2", "--samples", "96")
    (workload,) = result["workloads"]
    assert workload["run"] == {"epochs": 2, "steps_per_epoch": 3, "validation_steps": 1}
    assert not workload["first_epoch_measured"]  # shortened: the tutorial's first epoch is projected
    assert 0 < workload["measured_seconds"] < workload["projected_tutorial_seconds"]
    assert workload["steady"]["steps"] == 2  # the second epoch's 3 steps but its first (the epoch's start)
    assert_sound(workload)


def test_real_folders_through_the_tutorials_loaders(tf_current_python, small_folders):
    result = bench_json(
        tf_current_python,
        "--workload",
        "A0",
        "--workload",
        "B0",
        "--quick",
        "--steps",
        "2",
        "--data-dir",
        str(small_folders),
    )
    image, text = result["workloads"]
    assert image["data"]["source"] == text["data"]["source"] == "real"
    assert (image["data"]["train_samples"], image["data"]["val_samples"]) == (32, 8)
    assert (text["data"]["train_samples"], text["data"]["val_samples"]) == (80, 40)  # train/unsup/ left out
    assert image["parameters"] == TUTORIAL_PARAMETERS["A0"]
    assert image["substitutions"] == text["substitutions"] == []
    for workload in result["workloads"]:
        assert_sound(workload)


def test_human_output_and_progress(tf_current_python):
    env = dict(os.environ, COLUMNS="200", FORCE_COLOR="1")  # a terminal, as rich sees it: the live display runs
    done = run_cli("bench", "--python", str(tf_current_python), "--workload", "A0", *SMALL_QUICK, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Exam on CPU: training projects to" in done.stdout and "(text not measured)" in done.stdout
    assert "A0: test settings samples=64, steps=2, max_words=60" in done.stdout
    assert "A0 on cpu: done" in done.stderr and "ETA" in done.stderr


def test_tensorflow_2_0_with_its_breakages_pinned_away(tf_2_0_pinned_python):
    result = bench_json(tf_2_0_pinned_python, "all", *SMALL_QUICK)
    assert result["fingerprint"]["target"]["tensorflow"] == "2.0.0"
    assert not result["errors"]
    assert {w["id"]: w["parameters"] for w in result["workloads"]} == TUTORIAL_PARAMETERS
    by_id = {w["id"]: w for w in result["workloads"]}
    assert any("Rescaling: a Lambda layer" in s for s in by_id["A0"]["substitutions"])
    assert any("RandomFlip/RandomRotation/RandomZoom" in s for s in by_id["A1"]["substitutions"])
    assert any("TextVectorization" in s for s in by_id["B1"]["substitutions"])
    for workload in result["workloads"]:
        assert_sound(workload)


def test_tensorflow_2_0_real_folders(tf_2_0_pinned_python, small_folders):
    result = bench_json(
        tf_2_0_pinned_python,
        "--workload",
        "A0",
        "--workload",
        "B0",
        "--quick",
        "--steps",
        "2",
        "--data-dir",
        str(small_folders),
    )
    image, text = result["workloads"]
    assert (image["data"]["train_samples"], text["data"]["train_samples"]) == (32, 80)
    assert any("image_dataset_from_directory" in s for s in image["substitutions"])
    assert any("text_dataset_from_directory" in s for s in text["substitutions"])


def test_tensorflow_2_5_uses_its_experimental_layers(tf_2_5_python, small_folders):
    result = bench_json(
        tf_2_5_python,
        "--workload",
        "A1",
        "--workload",
        "B0",
        "--quick",
        "--steps",
        "2",
        "--data-dir",
        str(small_folders),
    )
    image, text = result["workloads"]
    assert image["substitutions"] == []  # Rescaling and Random* from layers.experimental.preprocessing
    assert text["substitutions"] == [
        "text_dataset_from_directory: reviews read with open() (this TensorFlow's "
        "loader refuses to leave train/unsup/ out)"
    ]
    assert image["parameters"] == TUTORIAL_PARAMETERS["A1"]


class BusyHalfway:
    """A listener that starts CPU-bound processes (real ones) once training is under way: two per core,
    so that they slow TensorFlow's threads well beyond the calibration's noise even on a machine that
    other work already keeps busy. Each in a session of its own, as programs started elsewhere are:
    Linux's autogroup scheduling shares the CPUs between sessions, and the bench's target has its
    own, so busy processes in one session beside it slowed its calibration by a third at most."""

    def __init__(self) -> None:
        self.busy: list[subprocess.Popen] = []
        self.training = False

    def started(self, device, environment) -> None: ...
    def workload(self, workload_id, device, planned_steps) -> None: ...
    def finished(self, workload_id, device, ok) -> None: ...

    def phase(self, workload_id, device, phase) -> None:
        self.training = phase == "train"

    def advance(self, workload_id, device, done) -> None:
        if self.training and not self.busy and done >= 2:
            count = 2 * (os.cpu_count() or 1)
            spin = [sys.executable, "-c", "while True: pass"]
            self.busy = [subprocess.Popen(spin, start_new_session=True) for _ in range(count)]


def test_a_machine_that_gets_busy_halfway_is_noticed(tf_current_python):
    listener = BusyHalfway()
    settings = BenchSettings(mode="quick", samples=256, budget=10)
    try:
        run = run_bench(str(tf_current_python), [WORKLOADS["A0"]], settings, listener)
    finally:
        for process in listener.busy:
            process.kill()
            process.wait()
    assert listener.busy, "training never reported progress"
    (workload,) = run.workloads
    sampling = workload["sampling"]
    assert sampling["adaptive"] and sampling["stopped"] in ("precision reached", "budget spent")
    assert workload["run"]["epochs"] >= 4 and workload["steady"]["steps"] >= 21
    drift = workload["drift"]
    assert drift["warning"] and drift["slowdown_percent"] >= 10, drift
    assert workload["projection"]["widened_for_drift"]
    assert workload["projection"]["low_seconds"] < workload["projected_tutorial_seconds"]
    assert workload["machine_load"]["samples"] >= 1
    assert any("this machine slowed down by" in note for note in machine_notes(workload))
