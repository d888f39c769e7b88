"""The terminal views of `tfenvcheck bench`: a live progress display, the results, a comparison."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

NOT_MEASURED = "not measured"  # a figure a result lacks, or that cannot be computed from two of them
VERDICT_STYLES = {"comfortable": "green", "tight": "yellow", "train elsewhere": "red", "borderline": "yellow"}


def milliseconds(seconds: float | None) -> str:
    return "?" if seconds is None else "{:.3g} ms".format(1000 * seconds)


def duration(seconds: float | None) -> str:
    """0.412 s, 47 s, 6m12s, 1h40m."""
    if seconds is None:
        return "?"
    if seconds < 10:
        return "{:.3g} s".format(seconds)
    if seconds < 60:
        return "{:.0f} s".format(seconds)
    if seconds < 3600:
        return "{}m{:02d}s".format(*divmod(round(seconds), 60))
    hours, rest = divmod(round(seconds), 3600)
    return "{}h{:02d}m".format(hours, rest // 60)


def _count(value: float | None) -> str:
    return NOT_MEASURED if value is None else "{:.0f}".format(value)


def _measured(seconds: float | None) -> str:
    return NOT_MEASURED if seconds is None else duration(seconds)


def _rate(flops_per_second: float | None) -> str:
    return "?" if flops_per_second is None else "{:.1f}".format(flops_per_second / 1e9)


class BenchProgress:
    """One progress bar per workload and device, with an ETA, fed by the payload's events."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("steps"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not console.is_terminal,
            transient=False,
        )
        self.tasks: dict[tuple[str, str], Any] = {}

    def __enter__(self) -> BenchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.progress.stop()

    def _task(self, workload_id: str, device: str) -> Any:
        key = (workload_id, device)
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task("{} on {}: preparing data".format(workload_id, device), total=None)
        return self.tasks[key]

    def started(self, device: str, environment: dict[str, Any]) -> None:
        gpus = environment.get("gpus") or []
        if not self.console.is_terminal:
            return
        self.console.print(
            "TensorFlow {} (Keras {}), Python {}, on {}{}".format(
                environment.get("tensorflow"),
                environment.get("keras"),
                environment.get("python"),
                device,
                " (" + ", ".join(gpus) + ")" if gpus and device == "gpu" else "",
            ),
            style="dim",
        )

    def workload(self, workload_id: str, device: str, planned_steps: int | None) -> None:
        self.progress.update(self._task(workload_id, device), total=planned_steps, completed=0)

    def phase(self, workload_id: str, device: str, phase: str) -> None:
        label = {"data": "preparing data", "train": "training"}.get(phase, phase)
        self.progress.update(
            self._task(workload_id, device), description="{} on {}: {}".format(workload_id, device, label)
        )

    def advance(self, workload_id: str, device: str, done: int) -> None:
        self.progress.update(self._task(workload_id, device), completed=done)

    def finished(self, workload_id: str, device: str, ok: bool) -> None:
        task = self._task(workload_id, device)
        total = next(t.total for t in self.progress.tasks if t.id == task)
        self.progress.update(
            task,
            description="{} on {}: {}".format(workload_id, device, "done" if ok else "failed"),
            completed=total or 0,
        )


def render_bench(result: dict[str, Any], console: Console, verbose: bool = False) -> None:
    """The stack in one line, a table of the workloads, what to know about each, and the exam verdicts."""
    target = result["fingerprint"]["target"]
    host = result["fingerprint"]["host"]
    console.print(
        "[bold]tfenvcheck bench[/] ({}): {} on {} ({} cores); TensorFlow {}, Keras {}, Python {}".format(
            result["mode"],
            escape(str(target["python"])),
            escape(str(host["cpu"])),
            host["physical_cores"],
            target["tensorflow"],
            target["keras"],
            target["python_version"],
        )
    )
    console.print(workload_table(result["workloads"]))
    titles = {w["id"]: w["title"] for w in result["workloads"]}
    console.print(
        "; ".join("{} {}".format(i, t) for i, t in titles.items())
        + ". Step: median of the steady state; * projected from the steps measured; 95%: where one run "
        "of the tutorial will fall, 19 times in 20.",
        style="dim",
    )
    for w in result["workloads"]:
        render_workload_notes(w, console, verbose)
    for error in result.get("errors", []):
        console.print(
            "[red]{} on {} failed:[/] {}: {}".format(
                error["id"], error["device_kind"].upper(), error["error"]["type"], escape(error["error"]["first_line"])
            )
        )
    for kind, exam in result["exam"].items():
        console.print(exam_line(kind, exam))


def workload_table(workloads: list[dict[str, Any]]) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    for column in ("", "on", "data", "epoch 1", "step s", "p10-p90", "samples/s", "GFLOP/s", "tutorial", "95%"):
        table.add_column(column, justify="left" if column in ("", "on", "data") else "right")
    for w in workloads:
        steady = w["steady"]
        table.add_row(
            w["id"],
            w["device_kind"].upper(),
            {"synthetic": "synth"}.get(w["data"]["source"], w["data"]["source"]),
            duration(w["first_epoch_seconds"]) + ("" if w["first_epoch_measured"] else "*"),
            "{:.3g}".format(steady["median_step_seconds"]),
            "{:.2g}-{:.2g}".format(steady["p10_step_seconds"], steady["p90_step_seconds"]),
            "{:.0f}".format(w["samples_per_second"]) if w["samples_per_second"] else "?",
            _rate(w["flops_per_second"]),
            duration(w["projected_tutorial_seconds"]) + ("" if w["as_tutorial"] else "*"),
            half_width_text(w.get("projection")),
        )
    return table


def half_width_text(projection: dict[str, Any] | None) -> str:
    """'+-6%' (a measured run: '='); '?' for results without an interval."""
    if not projection or projection.get("half_width_percent") is None:
        return "?"
    return "=" if projection["half_width_percent"] == 0 else "+-{:.0f}%".format(projection["half_width_percent"])


def interval_text(projection: dict[str, Any] | None) -> str:
    """'1m34s-1m46s'; '?' for results without an interval."""
    if not projection or projection.get("low_seconds") is None:
        return "?"
    return "{}-{}".format(duration(projection["low_seconds"]), duration(projection["high_seconds"]))


def sampling_note(w: dict[str, Any]) -> str | None:
    """The projection's interval, and why sampling stopped."""
    projection = w.get("projection")
    if not projection:
        return None
    interval = "{}: one run of the tutorial: {}, 95% interval {}".format(
        w["id"], duration(projection["seconds"]), interval_text(projection)
    )
    sampling = w.get("sampling")
    if not sampling or not sampling["adaptive"]:
        return interval
    reached = sampling["half_width_percent_at_stop"]
    return "{}; sampled {} of a {} budget, stopped: {} ({}; target +-{:g}%)".format(
        interval,
        duration(sampling["sampled_seconds"]),
        duration(sampling["budget_seconds"]),
        sampling["stopped"],
        "+-{:.1f}%".format(reached) if reached is not None else "interval not known yet",
        sampling["target_half_width_percent"],
    )


def machine_notes(w: dict[str, Any]) -> list[str]:
    """The warnings that the machine changed speed or was busy with other work while this ran."""
    notes = []
    drift = w.get("drift")
    if drift and drift["warning"]:
        change = drift["slowdown_percent"]
        notes.append(
            "{}: this machine {} by {:.0f}% during the bench (a matrix product took {} before training, "
            "{} after){}; the interval is widened by it".format(
                w["id"],
                "slowed down" if change > 0 else "sped up",
                # The calibration's time grew by `change`%; a speed-up is told as the speed's gain.
                change if change > 0 else 100 * -change / (100 + change),
                milliseconds(drift["calibration_before_seconds"]),
                milliseconds(drift["calibration_after_seconds"]),
                ": something else is using the CPU" if change > 0 else "",
            )
        )
    load = w.get("machine_load")
    if load and load["warning"]:
        notes.append(
            "{}: other processes used {:.0f}% of the {} CPUs while it trained (up to {:.0f}%): "
            "its figures are likely slower than this machine can do".format(
                w["id"], 100 * load["others_cpu_share_mean"], load["cpus"], 100 * load["others_cpu_share_max"]
            )
        )
    return notes


def render_workload_notes(w: dict[str, Any], console: Console, verbose: bool) -> None:
    """Test settings, data substitutions, missed epoch-start waits, and with -v the model's details."""
    if w["overrides"]:
        console.print(
            "{}: test settings {} (not the tutorial's run)".format(
                w["id"], ", ".join("{}={}".format(k, v) for k, v in w["overrides"].items())
            ),
            style="yellow",
        )
    for substitution in w["substitutions"]:
        console.print("{}: {}".format(w["id"], escape(substitution)), style="dim")
    for note in machine_notes(w):
        console.print(note, style="yellow")
    sampled = sampling_note(w)
    if sampled:
        console.print(sampled, style="dim")
    wait = w["steady"].get("epoch_start_wait")
    if wait and wait["sampled"] and wait["missed"]:
        console.print(
            "{}: {} of {} epoch starts waited for the last epoch's tf.data autotuning thread; "
            "at the tutorial's epoch length that is {} an epoch".format(
                w["id"], wait["missed"], wait["epoch_starts"], duration(wait["expected_seconds"])
            ),
            style="dim",
        )
    if verbose:
        console.print(
            "{}: {} parameters, jit_compile={}, precision {}, device {}, setup {}, data {}".format(
                w["id"],
                w["parameters"],
                w["jit_compile"],
                w["precision"],
                w["device"],
                duration(w["setup_seconds"]),
                escape(w["data"]["path"] or "synthetic"),
            ),
            style="dim",
        )


def exam_line(kind: str, exam: dict[str, Any]) -> str:
    basis = " + ".join("{} {}".format(question, wid) for question, wid in exam["basis"].items())
    missing = " ({} not measured)".format(", ".join(exam["missing"])) if exam["missing"] else ""
    style = VERDICT_STYLES[exam["verdict"]]
    low, high = exam.get("projected_exam_hours_low"), exam.get("projected_exam_hours_high")
    interval = " ({:.1f}-{:.1f} h)".format(low, high) if low is not None and high is not None else ""
    verdict = exam["verdict"]
    if verdict == "borderline":
        verdict = "borderline: {}".format(" or ".join(exam["verdict_between"]))
    return "Exam on {}: training projects to {:.1f} h of {:g} ({}, {} runs each){}: [bold {}]{}[/]{}".format(
        kind.upper(),
        exam["projected_exam_hours"],
        exam["exam_hours"],
        basis,
        exam["training_runs_per_question"],
        missing,
        style,
        verdict,
        interval,
    )


def render_compare(comparison: dict[str, Any], first_name: str, second_name: str, console: Console) -> None:
    differs = Table(show_edge=False, pad_edge=False, title="What differs")
    for column in ("", escape(first_name), escape(second_name)):
        differs.add_column(column)
    for row in comparison["fingerprint"]:
        if row["first"] != row["second"]:
            differs.add_row(row["field"], escape(str(row["first"])), escape(str(row["second"])))
    if differs.row_count:
        console.print(differs)
    else:
        console.print("Same machine and stack (CPU, cores, GPUs, Python, TensorFlow, Keras).", style="dim")
    table = Table(show_edge=False, pad_edge=False)
    for column in (
        "workload",
        "device",
        "step A",
        "step B",
        "samples/s A",
        "samples/s B",
        "tutorial A",
        "tutorial B",
        "B vs A",
    ):
        table.add_column(column, justify="left" if column in ("workload", "device") else "right")
    for row in comparison["workloads"]:
        a, b = row["first"], row["second"]
        table.add_row(
            row["id"],
            row["device_kind"].upper(),
            duration(a["median_step_seconds"]),
            duration(b["median_step_seconds"]),
            _count(a["samples_per_second"]),
            _count(b["samples_per_second"]),
            _measured(a["projected_tutorial_seconds"]),
            _measured(b["projected_tutorial_seconds"]),
            "{:.2f}x faster".format(row["speedup"])
            if row["speedup"] and row["speedup"] >= 1
            else "{:.2f}x slower".format(1 / row["speedup"])
            if row["speedup"]
            else NOT_MEASURED,
        )
    console.print(table)
    for key in comparison["unmatched"]:
        console.print("{} on {} is in only one of the two results".format(key[0], key[1].upper()), style="dim")
    for kind, pair in comparison["exam"].items():
        a, b = pair["first"], pair["second"]
        console.print(
            "Exam on {}: A {} -> B {}".format(
                kind.upper(),
                "{} ({:.1f} h)".format(a["verdict"], a["projected_exam_hours"]) if a else "not measured",
                "{} ({:.1f} h)".format(b["verdict"], b["projected_exam_hours"]) if b else "not measured",
            )
        )
