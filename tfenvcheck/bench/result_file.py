"""The bench result file: what `tfenvcheck bench --output FILE` and `--json` write.

A JSON object, stable for other tools (the report reads it):

    kind            "tfenvcheck-bench"
    schema_version  1 (a reader refuses other versions)
    tool            {"name", "version"}
    created         ISO 8601 UTC time
    mode            "quick" | "full"
    fingerprint     host: {cpu, physical_cores, logical_cores, cpu_flags, memory_bytes, os, gpus (nvidia-smi)}
                    target: {python (path), reason, python_version, tensorflow, keras, keras_module,
                             tensorflow_gpus, tensorflow_cpus}
    workloads       one per workload and device, each with:
        id (A0, A1, B0, B1), tutorial, title, device (TensorFlow's name), device_kind ("cpu" | "gpu"),
        mode, as_tutorial (a full run with no test overrides), overrides,
        tutorial_plan {epochs, steps_per_epoch, validation_steps, batch_size},
        run {epochs, steps_per_epoch, validation_steps} (what was really run),
        data {source "synthetic" | "real", path, train_samples, val_samples, ...; for text mean_words,
              max_words, padded_words_per_batch},
        parameters, jit_compile, precision, substitutions (APIs this TensorFlow lacked, and what stood in),
        setup_seconds, first_epoch_seconds, first_epoch_measured (else projected from a short first epoch),
        steady {steps, median_step_seconds, p10_step_seconds, p90_step_seconds, mean_step_seconds,
                val_mean_step_seconds, epoch_remainder_seconds, epoch_start_wait {sampled, epoch_starts,
                missed, missed_share, seconds_if_missed, expected_seconds} (see epoch_waits.py; absent in
                files written before it), epoch_seconds, from_later_epochs},
        samples_per_second, flops_per_step, flops_per_second (estimated training FLOPs; null if unknown),
        projected_tutorial_seconds (measured for an as_tutorial full run), measured_seconds (full runs),
        projection {epochs, seconds, low_seconds, high_seconds (the 95% prediction interval of one run;
                    null when too few steps), half_width_percent, widened_for_drift, parts (what
                    projection.project needs to predict a run of other length)},
        sampling {adaptive, stopped (why sampling ended), target_half_width_percent, budget_seconds,
                  sampled_seconds, half_width_percent_at_stop},
        drift {calibration_before_seconds, calibration_after_seconds (medians of the windows),
               calibration_before_windows, calibration_after_windows, slowdown_percent, warning
               (the speed moved beyond the windows' scatter)},
        machine_load {others_cpu_share_mean, others_cpu_share_max, samples, cpus, warning}
        (the last four absent in files written before them),
        final_metrics
    errors          [{id, device_kind, error}] for workloads that failed
    exam            per device kind ("cpu", "gpu"): {projected_exam_hours, projected_exam_hours_low,
                    projected_exam_hours_high, verdict ("comfortable" | "tight" | "train elsewhere" |
                    "borderline": a threshold inside the interval), verdict_between, basis {question:
                    workload id}, missing [questions], training_runs_per_question, exam_hours, thresholds_hours}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tfenvcheck import documents
from tfenvcheck.bench.exam import exam_outlook
from tfenvcheck.errors import UsageError
from tfenvcheck.probes.host import cpu_facts, memory_facts, nvidia_facts, os_facts


def host_fingerprint() -> dict[str, Any]:
    cpu = cpu_facts()
    return {
        "cpu": cpu["brand"],
        "machine": cpu["machine"],
        "physical_cores": cpu["physical_cores"],
        "logical_cores": cpu["logical_cores"],
        "cpu_flags": sorted(flag for flag, present in cpu["important_flags"].items() if present),
        "memory_bytes": memory_facts()["total_bytes"],
        "os": os_facts(),
        "gpus": [gpu["name"] for gpu in nvidia_facts()["gpus"]],
    }


def target_fingerprint(executable: str, reason: str, environment: dict[str, Any]) -> dict[str, Any]:
    return {
        "python": executable,
        "reason": reason,
        "python_version": environment.get("python"),
        "tensorflow": environment.get("tensorflow"),
        "keras": environment.get("keras"),
        "keras_module": environment.get("keras_module"),
        "tensorflow_gpus": environment.get("gpus", []),
        "tensorflow_cpus": environment.get("cpus", []),
    }


def bench_result(
    mode: str,
    host: dict[str, Any],
    target: dict[str, Any],
    workloads: list[dict[str, Any]],
    errors: list[dict[str, Any]],
) -> dict[str, Any]:
    return documents.envelope(
        documents.BENCH,
        mode=mode,
        fingerprint={"host": host, "target": target},
        workloads=workloads,
        errors=errors,
        exam=exam_outlook(workloads),
    )


def save_bench_result(result: dict[str, Any], path: Path) -> None:
    try:
        path.write_text(documents.dumps(result), encoding="utf-8")
    except OSError as exc:
        raise UsageError("cannot write {}: {}".format(path, exc.strerror or exc)) from None


def load_bench_result(path: str | Path) -> dict[str, Any]:
    """A bench result file (checked against schemas/bench-result.schema.json), or a one-line UsageError
    saying why it is not one we can read."""
    _, result = documents.read_document(Path(path), documents.BENCH)
    return result
