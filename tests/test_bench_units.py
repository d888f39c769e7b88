"""bench without TensorFlow: the tutorials' numbers, FLOPs, statistics, projections, the exam verdict,
the result file, comparisons, the streaming runner and the command line's refusals."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import time
import types
from pathlib import Path

import pytest

from tests.helpers import require_python, run_cli, stand_in_python
from tfenvcheck import documents
from tfenvcheck.bench import exam
from tfenvcheck.bench.compare import compare_results
from tfenvcheck.bench.epoch_waits import mean_wait_if_missed, next_autotune_wake, wait_if_missed
from tfenvcheck.bench.flops import image_forward_macs, image_training_flops_per_step, text_forward_macs_per_token
from tfenvcheck.bench.measurement import device_kind, step_statistics, summarise
from tfenvcheck.bench.result_file import bench_result, load_bench_result, save_bench_result
from tfenvcheck.bench.runner import PAYLOAD, BenchSettings, run_bench
from tfenvcheck.bench.streaming_runner import stream_payload
from tfenvcheck.bench.workloads import WORKLOADS
from tfenvcheck.errors import CouldNotCheck, UsageError
from tfenvcheck.probes.payload_runner import payload_source


def test_tutorial_sizes():
    a0, b0 = WORKLOADS["A0"], WORKLOADS["B0"]
    assert (a0.steps_per_epoch, a0.val_steps_per_epoch, a0.epochs, a0.batch_size) == (92, 23, 10, 32)
    assert WORKLOADS["A1"].epochs == 15
    assert (b0.steps_per_epoch, b0.val_steps_per_epoch, b0.epochs, b0.batch_size) == (391, 30, 10, 64)


def test_shrunk_spec_keeps_the_validation_ratio():
    spec = WORKLOADS["A0"].payload_spec(train_samples=64)
    assert (spec["train_samples"], spec["val_samples"], spec["image_size"], spec["augment"]) == (64, 16, 180, False)
    text = WORKLOADS["B1"].payload_spec(train_samples=250, max_words=100)
    assert (text["max_words"], text["stacked"], text["max_tokens"]) == (100, True, 1000)


def test_image_flops_match_the_reference_figures():
    forward, _ = image_forward_macs()
    assert 2 * forward == pytest.approx(185e6, rel=0.01)  # about 185 MFLOP forward per image
    assert image_training_flops_per_step(32) == pytest.approx(16.9e9, rel=0.01)  # about 16.9 GFLOP per step


def test_lstm_multiply_adds_per_token():
    assert text_forward_macs_per_token(stacked=False) == 65536
    assert text_forward_macs_per_token(stacked=True) == 65536 + 2 * 4 * (128 + 32) * 32


def test_step_statistics():
    stats = step_statistics([0.1 * i for i in range(1, 11)])
    assert stats["steps"] == 10
    assert stats["median_step_seconds"] == pytest.approx(0.55)
    assert stats["p10_step_seconds"] == pytest.approx(0.19)
    assert stats["p90_step_seconds"] == pytest.approx(0.91)
    assert step_statistics([0.5])["p90_step_seconds"] == 0.5
    assert step_statistics([])["median_step_seconds"] is None


def test_device_kind():
    assert device_kind("/job:localhost/replica:0/task:0/device:GPU:0") == "gpu"
    assert device_kind("/job:localhost/replica:0/task:0/device:CPU:0") == "cpu"
    assert device_kind(None) == "cpu"


def raw_run(
    first_end, steps, val_steps, epochs, remainder=0.05, first_pass=None, setup=1.0, waits=None, steps_per_epoch=None
):
    """Payload timings: a first epoch ending at first_end, then `epochs - 1` steady epochs, each
    starting its first batch `waits[i]` seconds after the last epoch ended."""
    records = [
        {
            "start": 0.0,
            "first_batch_start": 0.0,
            "end": first_end,
            "train_step_seconds": [2.0] + [steps[0]] * (len(steps) - 1),
            "val_step_seconds": list(val_steps),
        }
    ]
    clock = first_end
    for wait in waits or [0.0] * (epochs - 1):
        length = sum(steps) + sum(val_steps) + remainder
        records.append(
            {
                "start": clock,
                "first_batch_start": clock + wait,
                "end": clock + wait + length,
                "train_step_seconds": [steps[0] + wait, *list(steps[1:])],
                "val_step_seconds": list(val_steps),
            }
        )
        clock += wait + length
    return {
        "device": "/device:CPU:0",
        "parameters": 1,
        "jit_compile": False,
        "precision": "float32",
        "substitutions": [],
        "data": {"source": "synthetic", "path": None},
        "setup_seconds": setup,
        "first_pass": first_pass,
        "fit_seconds": clock,
        "epochs_run": epochs,
        "steps_per_epoch": steps_per_epoch,
        "validation_steps": len(val_steps),
        "epochs": records,
        "final_metrics": {},
    }


def test_quick_projection_scales_to_the_tutorial():
    # 10 steps of 0.1 s and 5 validation steps of 0.04 s per short epoch; decoding costs 0.02 s a batch.
    raw = raw_run(
        first_end=4.0,
        steps=[0.1] * 10,
        val_steps=[0.04] * 5,
        epochs=4,
        first_pass={"batches": 15, "seconds": 0.3},
        setup=1.3,
    )
    summary = summarise(WORKLOADS["A0"], raw, "quick", {})
    first_fixed = 4.0 - 10 * 0.1 - 5 * 0.04 - 15 * 0.02
    first = first_fixed + (92 + 23) * 0.02 + 92 * 0.1 + 23 * 0.04
    steady_epoch = 92 * 0.1 + 23 * 0.04 + 0.05
    assert summary["setup_seconds"] == pytest.approx(1.0)
    assert summary["first_epoch_seconds"] == pytest.approx(first)
    assert summary["steady"]["epoch_seconds"] == pytest.approx(steady_epoch)
    assert summary["projected_tutorial_seconds"] == pytest.approx(1.0 + first + 9 * steady_epoch)
    assert summary["samples_per_second"] == pytest.approx(320)
    assert summary["flops_per_second"] == pytest.approx(image_training_flops_per_step(32) / 0.1)
    assert not summary["first_epoch_measured"] and summary["measured_seconds"] is None


def test_autotune_wakes_on_a_doubling_schedule_capped_at_a_minute():
    assert next_autotune_wake(0.5) == pytest.approx(0.63)  # 10+20+40+80+160+320 ms
    assert next_autotune_wake(8.0) == pytest.approx(10.23)
    assert next_autotune_wake(100.0) == pytest.approx(81.91 + 60.0)
    # Measured (TF 2.21, A0): an iterator that lived 8.07 s held the next epoch for 2.159 s.
    assert wait_if_missed(8.07) == pytest.approx(2.16)


def test_epoch_start_waits_seen_in_short_epochs_scale_to_the_tutorials_epoch():
    # Short epochs of 1.07 s (10 x 0.09 + 5 x 0.03 + 0.02): a missed join waits until the 1.27 s wake.
    missed_wait = wait_if_missed(1.07)
    raw = raw_run(
        first_end=4.0,
        steps=[0.09] * 10,
        val_steps=[0.03] * 5,
        epochs=6,
        remainder=0.02,
        waits=[0.001, missed_wait, 0.001, missed_wait, 0.003],
    )
    summary = summarise(WORKLOADS["A0"], raw, "quick", {})
    steady = summary["steady"]
    assert steady["mean_step_seconds"] == pytest.approx(0.09)
    assert steady["epoch_remainder_seconds"] == pytest.approx(0.02)
    waits = steady["epoch_start_wait"]
    assert waits["sampled"] and (waits["missed"], waits["epoch_starts"]) == (2, 5)
    full_epoch = 92 * 0.09 + 23 * 0.03 + 0.02  # 8.99 s: a missed join waits until the 10.23 s wake
    assert waits["seconds_if_missed"] == pytest.approx(10.23 - full_epoch)
    assert waits["expected_seconds"] == pytest.approx(0.4 * (10.23 - full_epoch) + 0.6 * (0.001 + 0.001 + 0.003) / 3)
    assert steady["epoch_seconds"] == pytest.approx(full_epoch + waits["expected_seconds"])


def test_a_long_epochs_wait_is_averaged_over_the_projections_spread():
    # At 140 s the next wake is 141.91 s, but 5% either way spans it: 1.9 s or up to a minute.
    assert wait_if_missed(140.0) == pytest.approx(1.91)
    # The 41 ages 133, 133.35, ..., 147 s: the 26 up to 141.91 s wait for that wake, the 15 after it
    # for the next one, 60 s later: (26 x 8.91 - 0.35 x 325 + 15 x 68.91 - 0.35 x 495) / 41 s.
    assert mean_wait_if_missed(140.0) == pytest.approx(978.31 / 41)
    # Within one period (8.55 to 9.45 s, all before the 10.23 s wake), the wait at the mean age.
    assert mean_wait_if_missed(9.0) == pytest.approx(10.23 - 9.0)


def test_an_epoch_start_just_before_a_wake_is_not_sampled():
    # Epochs of 1.26 s end 10 ms before the 1.27 s wake: a missed join would not show.
    raw = raw_run(
        first_end=1.26, steps=[0.1] * 10, val_steps=[0.03] * 5, epochs=4, remainder=0.11, waits=[0.001, 0.001, 0.001]
    )
    waits = summarise(WORKLOADS["A0"], raw, "quick", {})["steady"]["epoch_start_wait"]
    assert not waits["sampled"] and waits["expected_seconds"] == pytest.approx(0.001)


def test_without_fresh_iterators_the_mean_wait_stands():
    raw = raw_run(
        first_end=4.0, steps=[0.1] * 10, val_steps=[0.03] * 5, epochs=4, waits=[0.2, 0.2, 0.2], steps_per_epoch=10
    )
    waits = summarise(WORKLOADS["A0"], raw, "quick", {})["steady"]["epoch_start_wait"]
    assert not waits["sampled"] and waits["expected_seconds"] == pytest.approx(0.2)


def test_full_run_as_written_reports_what_was_measured():
    raw = raw_run(first_end=30.0, steps=[0.1] * 92, val_steps=[0.04] * 23, epochs=10)
    summary = summarise(WORKLOADS["A0"], raw, "full", {})
    assert summary["as_tutorial"] and summary["first_epoch_measured"]
    assert summary["first_epoch_seconds"] == 30.0
    assert (
        summary["projected_tutorial_seconds"] == summary["measured_seconds"] == pytest.approx(1.0 + raw["fit_seconds"])
    )
    shortened = summarise(WORKLOADS["A0"], raw_run(30.0, [0.1] * 4, [0.04], 2), "full", {"epochs": 2})
    assert not shortened["as_tutorial"] and shortened["projected_tutorial_seconds"] > shortened["measured_seconds"]


def test_single_epoch_uses_its_later_steps_as_steady():
    summary = summarise(WORKLOADS["A0"], raw_run(5.0, [0.1] * 3, [0.04] * 2, 1), "full", {"epochs": 1})
    assert summary["steady"]["from_later_epochs"] is False
    assert summary["steady"]["steps"] == 2 and summary["steady"]["median_step_seconds"] == pytest.approx(0.1)


@pytest.mark.parametrize(
    "hours, verdict",
    [(0.5, "comfortable"), (1.0, "comfortable"), (2.0, "tight"), (2.5, "tight"), (2.6, "train elsewhere")],
)
def test_verdict_thresholds(hours, verdict):
    assert exam.verdict_for(hours) == verdict


def workload(wid, kind, seconds, step=0.1):
    """A workload as bench writes it, with every field its readers need (bench-result.schema.json)."""
    return {
        "id": wid,
        "title": wid,
        "device": "/job:localhost/replica:0/task:0/device:{}:0".format(kind.upper()),
        "device_kind": kind,
        "mode": "quick",
        "as_tutorial": False,
        "overrides": {},
        "data": {"source": "synthetic", "path": None},
        "parameters": 1000,
        "jit_compile": False,
        "precision": "float32",
        "substitutions": [],
        "setup_seconds": 0.5,
        "first_epoch_seconds": 10 * step,
        "first_epoch_measured": False,
        "steady": {
            "mean_step_seconds": step,
            "median_step_seconds": step,
            "p10_step_seconds": step,
            "p90_step_seconds": step,
        },
        "samples_per_second": 32 / step,
        "flops_per_second": None,
        "projected_tutorial_seconds": seconds,
    }


def test_exam_outlook_per_device_uses_the_slower_workload_of_each_kind():
    outlook = exam.exam_outlook(
        [workload("A0", "cpu", 600), workload("A1", "cpu", 900), workload("B0", "cpu", 1800), workload("A0", "gpu", 60)]
    )
    cpu, gpu = outlook["cpu"], outlook["gpu"]
    assert cpu["basis"] == {"image": "A1", "text": "B0"} and cpu["missing"] == []
    assert cpu["projected_exam_hours"] == pytest.approx(exam.TRAINING_RUNS_PER_QUESTION * 2700 / 3600)
    assert cpu["verdict"] == "tight"
    assert gpu["missing"] == ["text"] and gpu["verdict"] == "comfortable"


def sample_result(workloads, tensorflow="2.21.0"):
    host = {"cpu": "AMD EPYC", "physical_cores": 2, "logical_cores": 2, "cpu_flags": ["avx", "avx2"], "gpus": []}
    target = {"python": "/venv/bin/python", "python_version": "3.11.7", "tensorflow": tensorflow, "keras": "3"}
    return bench_result("quick", host, target, workloads, [])


def test_result_file_round_trip(tmp_path):
    result = sample_result([workload("A0", "cpu", 400)])
    assert (result["kind"], result["schema_version"]) == (documents.BENCH.name, documents.BENCH.schema_version)
    assert result["exam"]["cpu"]["basis"] == {"image": "A0"}
    save_bench_result(result, tmp_path / "a.json")
    assert load_bench_result(tmp_path / "a.json") == result


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("{not json", "not valid JSON (line 1"),
        (
            '{"kind": "tfenvcheck-check", "schema_version": 1}',
            "not a tfenvcheck bench result (kind 'tfenvcheck-check')",
        ),
        ("[1, 2]", "not a tfenvcheck bench result (a JSON list, not an object)"),
        (
            '{"kind": "tfenvcheck-bench", "schema_version": 2, "workloads": [], "fingerprint": {}}',
            "schema version 2, newer than this tfenvcheck reads (1)",
        ),
        (
            '{"kind": "tfenvcheck-bench", "schema_version": 0, "workloads": [], "fingerprint": {}}',
            "schema version 0, which this tfenvcheck no longer reads (it reads 1)",
        ),
        ('{"kind": "tfenvcheck-bench", "schema_version": 1}', "not a valid bench result: at $: "),
    ],
)
def test_load_refuses_what_is_not_a_result(tmp_path, content, message):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError) as error:
        load_bench_result(path)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_compare_matches_workloads_by_id_and_device():
    first = sample_result([workload("A0", "cpu", 400, step=0.4), workload("B0", "cpu", 4000, step=1.0)])
    second = sample_result(
        [workload("A0", "cpu", 100, step=0.1), workload("A0", "gpu", 10, step=0.01)], tensorflow="2.5.0"
    )
    comparison = compare_results(first, second)
    assert [(row["id"], row["device_kind"]) for row in comparison["workloads"]] == [("A0", "cpu")]
    assert comparison["workloads"][0]["speedup"] == pytest.approx(4.0)
    assert sorted(map(tuple, comparison["unmatched"])) == [("A0", "gpu"), ("B0", "cpu")]
    tensorflow = next(row for row in comparison["fingerprint"] if row["field"] == "TensorFlow")
    assert (tensorflow["first"], tensorflow["second"]) == ("2.21.0", "2.5.0")


def test_compare_command(tmp_path):
    save_bench_result(sample_result([workload("A0", "cpu", 400, step=0.4)]), tmp_path / "a.json")
    save_bench_result(sample_result([workload("A0", "cpu", 100, step=0.1)], tensorflow="2.5.0"), tmp_path / "b.json")
    done = run_cli("bench", "--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), env=_wide_env())
    assert done.returncode == 0, done.stderr
    assert "4.00x faster" in done.stdout and "2.5.0" in done.stdout
    as_json = run_cli("bench", "--compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json")
    assert json.loads(as_json.stdout)["workloads"][0]["speedup"] == pytest.approx(4.0)


def test_compare_with_a_broken_file_is_one_line(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    done = run_cli("bench", "--compare", str(tmp_path / "bad.json"), str(tmp_path / "missing.json"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "not valid JSON" in done.stderr


def _wide_env():
    import os

    return dict(os.environ, COLUMNS="200")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--data-dir", "/nonexistent/flowers"], "no such directory"),
        (["--quick", "--epochs", "2"], "--epochs goes with --full"),
        (["--full", "--steps", "2"], "--steps goes with --quick"),
        (["--full", "--budget", "60"], "--budget goes with --quick"),
        (["--quick", "--steps", "2", "--budget", "60"], "--budget goes with --quick"),
    ],
)
def test_usage_errors_before_anything_runs(args, message):
    done = run_cli("bench", "--python", "/nonexistent/python", *args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_data_dir_without_the_tutorial_folder(tmp_path):
    done = run_cli("bench", "text", "--python", "/nonexistent/python", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "no aclImdb/ (train/ and test/, each with pos/ and neg/)" in done.stderr


def test_a_missing_interpreter_could_not_be_checked(tmp_path):
    done = run_cli("bench", "--python", str(tmp_path / "nope" / "python"))
    assert done.returncode == 3
    assert done.stderr.strip().splitlines()[-1] == "tfenvcheck: error: cannot benchmark in {}: no such file".format(
        tmp_path / "nope" / "python"
    )
    assert "Traceback" not in done.stderr


# The streaming runner, with stand-in interpreters (shell scripts) that misbehave on purpose.


def fake_python(tmp_path: Path, body: str) -> str:
    """A 'python' that is a shell script doing `body`, where `answer TEXT` prints TEXT as an answer line."""
    answer = 'answer() { printf \'%s%s\\n\' "$TFENVCHECK_ANSWER_MARKER" "$1"; }\n'
    return stand_in_python(tmp_path, "cat >/dev/null\n" + answer + body)  # reads the payload from stdin first


def test_events_arrive_while_the_payload_runs(tmp_path):
    python = fake_python(
        tmp_path,
        'answer \'{"event": "progress", "done": 1}\'; echo "chatter"; echo \'{"event": "progress"}\'; sleep 1; '
        'answer \'{"event": "done"}\'',
    )
    arrivals = []
    start = time.monotonic()
    result = stream_payload(
        python, PAYLOAD, [], lambda event: arrivals.append((event["event"], time.monotonic() - start))
    )
    assert result.failure is None
    assert [name for name, _ in arrivals] == ["progress", "done"]
    assert arrivals[0][1] < 0.8 <= arrivals[1][1]  # the first came before the payload finished


def test_a_flood_on_stderr_does_not_stall_the_payload(tmp_path):
    python = fake_python(tmp_path, 'head -c 3000000 /dev/zero | tr "\\0" x >&2; answer \'{"event": "done"}\'')
    result = stream_payload(python, PAYLOAD, [], lambda event: None, timeout=20)
    assert result.failure is None and len(result.stderr) <= 256 * 1024


def test_a_daemon_the_payload_left_holding_its_pipes_does_not_hold_up_the_run(tmp_path):
    """The target says it is done and exits; a daemon in a session of its own keeps its stdout and
    stderr open for 60 s: the run ends at once, with what the target wrote on stderr."""
    pid_file = tmp_path / "daemon.pid"
    python = fake_python(
        tmp_path,
        "echo warming up >&2; setsid sh -c 'echo $$ > {}; exec sleep 60' & answer '{{\"event\": \"done\"}}'".format(
            pid_file
        ),
    )
    start = time.monotonic()
    try:
        result = stream_payload(python, PAYLOAD, [], lambda event: None, timeout=30)
        assert result.failure is None and [event["event"] for event in result.events] == ["done"]
        assert result.stderr == "warming up\n"
        assert time.monotonic() - start < 10
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_timeout_kills_the_payload(tmp_path):
    python = fake_python(tmp_path, 'answer \'{"event": "progress"}\'; sleep 60')
    start = time.monotonic()
    result = stream_payload(python, PAYLOAD, [], lambda event: None, timeout=1)
    assert result.failure.kind == "timeout" and time.monotonic() - start < 10
    assert [event["event"] for event in result.events] == ["progress"]


def test_crash_and_silent_end(tmp_path):
    crashed = stream_payload(fake_python(tmp_path, "kill -ILL $$"), PAYLOAD, [], lambda event: None)
    assert crashed.failure.message == "crashed with signal 4 (SIGILL: illegal instruction)"
    silent = stream_payload(fake_python(tmp_path, "echo hello"), PAYLOAD, [], lambda event: None)
    assert silent.failure.kind == "garbage"
    missing = stream_payload(str(tmp_path / "none"), PAYLOAD, [], lambda event: None)
    assert missing.failure.kind == "not-found"


def test_payload_is_valid_in_old_pythons():
    """No f-strings or walrus (the payload must run in Python 3.6/3.7 targets), and 3.7 compiles it."""
    tree = ast.parse(PAYLOAD.read_text())
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.JoinedStr, ast.NamedExpr))]
    python37 = require_python("3.7")
    done = subprocess.run(  # as the target gets it: after the prelude
        [str(python37), "-c", "import sys; compile(sys.stdin.read(), 'p', 'exec')"],
        input=payload_source(PAYLOAD).decode(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# Device selection, with a stand-in target that "sees" a GPU unless CUDA_VISIBLE_DEVICES=-1 hides it.


class Listener:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


def gpu_machine_python(tmp_path: Path, with_gpu: bool = True) -> str:
    def lines(device: str, gpus: list[str]) -> str:
        environment = {
            "event": "environment",
            "python": "3.11.7",
            "tensorflow": "2.21.0",
            "keras": "3.15.1",
            "gpus": gpus,
        }
        raw = dict(raw_run(3.0, [0.01] * 4, [0.005] * 2, 2), device=device, event="result", id="A0")
        return "answer '{}'; answer '{}'".format(json.dumps(environment), json.dumps(raw))

    gpu = (
        lines("/job:localhost/replica:0/task:0/device:GPU:0", ["/physical_device:GPU:0"])
        if with_gpu
        else lines("/job:localhost/replica:0/task:0/device:CPU:0", [])
    )
    cpu = lines("/job:localhost/replica:0/task:0/device:CPU:0", [])
    return fake_python(
        tmp_path,
        'if [ "$CUDA_VISIBLE_DEVICES" = "-1" ]; then {}; else {}; fi; answer \'{{"event": "done"}}\''.format(cpu, gpu),
    )


def test_with_a_gpu_both_devices_are_timed(tmp_path):
    listener = Listener()
    run = run_bench(gpu_machine_python(tmp_path), [WORKLOADS["A0"]], BenchSettings(), listener)
    assert [w["device_kind"] for w in run.workloads] == ["gpu", "cpu"]
    assert run.environment["gpus"] == ["/physical_device:GPU:0"]  # the GPU run's view is kept
    assert [call[1] for call in listener.calls if call[0] == "started"] == ["gpu", "cpu"]
    assert set(exam.exam_outlook(run.workloads)) == {"cpu", "gpu"}


def test_device_choice(tmp_path):
    only_cpu = run_bench(gpu_machine_python(tmp_path), [WORKLOADS["A0"]], BenchSettings(device="cpu"), Listener())
    assert [w["device_kind"] for w in only_cpu.workloads] == ["cpu"]
    only_gpu = run_bench(gpu_machine_python(tmp_path), [WORKLOADS["A0"]], BenchSettings(device="gpu"), Listener())
    assert [w["device_kind"] for w in only_gpu.workloads] == ["gpu"]
    with pytest.raises(CouldNotCheck, match="sees no GPU"):
        run_bench(
            gpu_machine_python(tmp_path, with_gpu=False), [WORKLOADS["A0"]], BenchSettings(device="gpu"), Listener()
        )
    no_gpu = run_bench(gpu_machine_python(tmp_path, with_gpu=False), [WORKLOADS["A0"]], BenchSettings(), Listener())
    assert [w["device_kind"] for w in no_gpu.workloads] == ["cpu"]


def load_payload():
    """The workloads payload as a module, as the target gets it: after the prelude."""
    module = types.ModuleType("workloads_payload")
    exec(compile(payload_source(PAYLOAD), str(PAYLOAD), "exec"), module.__dict__)
    return module


def test_quick_text_batches_stand_for_all_batches():
    payload = load_payload()
    spec = WORKLOADS["B0"].payload_spec()
    _, _, lengths = payload.synthetic_reviews(spec["train_samples"], spec, 123)
    batches = payload.quantile_batches(lengths, 64, 8, seed=123)
    assert len(batches) == 8 and all(len(set(batch)) == 64 for batch in batches)
    longest = [max(lengths[i] for i in batch) for batch in batches]
    assert longest == sorted(longest) and longest[0] < longest[-1]
    everything = payload.length_facts(lengths, 64, seed=7)["padded_words_per_batch"]
    assert sum(longest) / 8 == pytest.approx(everything, rel=0.03)
