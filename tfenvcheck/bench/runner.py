"""Run the workloads payload in the target, once per device, and turn its events into summaries.

TensorFlow trains on the GPU by itself when it sees one; the CPU run hides the GPUs from it
(CUDA_VISIBLE_DEVICES=-1), so on a machine with both each is timed on its own.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

from tfenvcheck.bench.machine_load import MachineLoad
from tfenvcheck.bench.measurement import summarise
from tfenvcheck.bench.sampling import DEFAULT_BUDGET_SECONDS, AdaptiveSampling, fixed_sampling
from tfenvcheck.bench.streaming_runner import stream_payload
from tfenvcheck.bench.workloads import QUICK_STEADY_STEPS, QUICK_STEPS_PER_EPOCH, QUICK_VAL_STEPS, Workload
from tfenvcheck.errors import CouldNotCheck, UsageError

PAYLOAD = Path(__file__).with_name("workloads_payload.py")
SEED = 123
PROGRESS_INTERVAL = 0.25
DEVICES = ("auto", "cpu", "gpu")


class ProgressListener(Protocol):
    def started(self, device: str, environment: dict[str, Any]) -> None: ...
    def workload(self, workload_id: str, device: str, planned_steps: int | None) -> None: ...
    def phase(self, workload_id: str, device: str, phase: str) -> None: ...
    def advance(self, workload_id: str, device: str, done: int) -> None: ...
    def finished(self, workload_id: str, device: str, ok: bool) -> None: ...


@dataclass
class BenchSettings:
    mode: str = "quick"  # or "full"
    image_dir: Path | None = None
    text_dir: Path | None = None
    device: str = "auto"  # auto: the GPU and the CPU where TensorFlow sees a GPU, else the CPU
    timeout: float | None = None
    budget: float | None = None  # --quick: seconds for the whole bench on each device (sampling.py)
    # For tests and smoke runs only; any of them makes the run differ from the tutorial.
    epochs: int | None = None
    samples: int | None = None
    steps: int | None = None
    max_words: int | None = None

    def overrides(self) -> dict[str, Any]:
        names = ("epochs", "samples", "steps", "max_words")
        return {name: getattr(self, name) for name in names if getattr(self, name)}


@dataclass
class BenchRun:
    environment: dict[str, Any] = field(default_factory=dict)
    workloads: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def payload_config(
    workloads: list[Workload], settings: BenchSettings, hide_gpus: bool, sampling: AdaptiveSampling | None = None
) -> dict[str, Any]:
    return {
        "workloads": [w.payload_spec(train_samples=settings.samples, max_words=settings.max_words) for w in workloads],
        "mode": settings.mode,
        "epochs": settings.epochs,
        "quick": {
            "steps_per_epoch": QUICK_STEPS_PER_EPOCH,
            "steady_steps": settings.steps or QUICK_STEADY_STEPS,
            "val_steps": QUICK_VAL_STEPS,
            **(sampling.payload_settings() if sampling else {}),
        },
        "image_dir": str(settings.image_dir) if settings.image_dir else None,
        "text_dir": str(settings.text_dir) if settings.text_dir else None,
        "seed": SEED,
        "progress_interval": PROGRESS_INTERVAL,
        "hide_gpus": hide_gpus,
    }


def run_bench(python: str, workloads: list[Workload], settings: BenchSettings, listener: ProgressListener) -> BenchRun:
    if settings.device not in DEVICES:
        raise UsageError("unknown device {!r} (choose from {})".format(settings.device, ", ".join(DEVICES)))
    run = BenchRun()
    hide_first = settings.device == "cpu"
    _run_on_device(python, workloads, settings, hide_first, listener, run)
    sees_gpu = bool(run.environment.get("gpus"))
    if settings.device == "gpu" and not sees_gpu:
        raise CouldNotCheck("TensorFlow in {} sees no GPU, so nothing was timed on one".format(python))
    if settings.device == "auto" and sees_gpu:
        _run_on_device(python, workloads, settings, True, listener, run)
    return run


def _run_on_device(
    python: str,
    workloads: list[Workload],
    settings: BenchSettings,
    hide_gpus: bool,
    listener: ProgressListener,
    run: BenchRun,
) -> None:
    by_id = {w.id: w for w in workloads}
    env = dict(os.environ)
    if hide_gpus:
        env["CUDA_VISIBLE_DEVICES"] = "-1"
    with tempfile.TemporaryDirectory(prefix="tfenvcheck-bench-") as stop_folder:
        adaptive = settings.mode == "quick" and not settings.steps
        sampling = (
            AdaptiveSampling(settings.budget or DEFAULT_BUDGET_SECONDS, len(workloads), Path(stop_folder))
            if adaptive
            else None
        )
        load = MachineLoad()
        load.start()
        try:
            _stream(python, by_id, settings, hide_gpus, env, listener, run, sampling, load)
        finally:
            load.stop()


def _stream(
    python: str,
    by_id: dict[str, Workload],
    settings: BenchSettings,
    hide_gpus: bool,
    env: dict[str, str],
    listener: ProgressListener,
    run: BenchRun,
    sampling: AdaptiveSampling | None,
    load: MachineLoad,
) -> None:
    label = "cpu"  # until the payload says whether TensorFlow sees a GPU
    fatal: list[dict[str, Any]] = []
    training_since: dict[str, float] = {}

    def on_event(event: dict[str, Any]) -> None:
        # Every event but "environment", "fatal" and "done" names its workload.
        kind, workload_id = event["event"], cast(str, event.get("id"))
        nonlocal label
        if kind == "environment":
            if not hide_gpus or not run.environment:
                run.environment = event
            label = "gpu" if event.get("gpus") and not hide_gpus else "cpu"
            listener.started(label, event)
        elif kind == "workload":
            training_since[workload_id] = time.monotonic()
            if sampling:
                sampling.started(by_id[workload_id], event)
            listener.workload(workload_id, label, event["planned_steps"])
        elif kind == "epoch" and sampling:
            sampling.epoch(workload_id, event["epoch"])
        elif kind == "phase":
            listener.phase(workload_id, label, event["phase"])
        elif kind == "progress":
            listener.advance(workload_id, label, event["done"])
        elif kind == "result":
            summary = summarise(by_id[workload_id], event, settings.mode, settings.overrides())
            fixed = fixed_sampling(settings.steps, settings.mode)
            summary["sampling"] = sampling.record(workload_id) if sampling else fixed
            summary["machine_load"] = load.summary(since=training_since.get(workload_id, 0.0))
            run.workloads.append(summary)
            listener.finished(workload_id, label, True)
        elif kind == "error":
            run.errors.append({"id": workload_id, "device_kind": label, "error": event["error"]})
            listener.finished(workload_id, label, False)
        elif kind == "fatal":
            fatal.append(event["error"])

    config = json.dumps(payload_config(list(by_id.values()), settings, hide_gpus, sampling))
    result = stream_payload(python, PAYLOAD, [config], on_event, timeout=settings.timeout, env=env)
    if fatal:
        error = fatal[0]
        raise CouldNotCheck(
            "TensorFlow does not import in {}: {}: {}".format(python, error["type"], error["first_line"])
        )
    if result.failure is not None:
        detail = "; ".join(result.failure.stderr_tail[-2:])
        raise CouldNotCheck(
            "cannot benchmark in {}: {}{}".format(
                python, result.failure.message, " ({})".format(detail) if detail else ""
            )
        )
