"""The bench's interval maths against textbook values, the projection's interval and its parts, the
exam verdict of an interval, and how the results say so."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tfenvcheck.bench import exam
from tfenvcheck.bench.intervals import Stratum, agresti_coull, predict_count, predict_sum, root_sum_square, t_975
from tfenvcheck.bench.projection import drift_beyond_noise, project, projection_parts, strata_of
from tfenvcheck.bench.sampling import MIN_SHARE_SECONDS, AdaptiveSampling
from tfenvcheck.bench.workloads import WORKLOADS
from tfenvcheck.render.bench_text import exam_line, half_width_text, interval_text, machine_notes, sampling_note
from tfenvcheck.report.charts import ExamTime, TutorialTime, exam_chart, tutorial_chart


@pytest.mark.parametrize(
    "df, quantile",
    # Printed t tables (two-sided 95%), and for df 35, 50, 200, 1000 the exact quantiles to 4 places.
    [(1, 12.706), (2, 4.303), (9, 2.262), (30, 2.042), (120, 1.980), (35, 2.0301), (50, 2.0086), (200, 1.9719)],
)
def test_t_quantile(df, quantile):
    assert t_975(df) == pytest.approx(quantile, abs=0.001)


def test_t_quantile_tends_to_the_normal_one():
    assert t_975(1000) == pytest.approx(1.9623, abs=0.001)
    assert t_975(10**9) == pytest.approx(1.95996, abs=1e-4)
    with pytest.raises(ValueError):
        t_975(0)


def test_prediction_interval_of_one_future_step():
    # 1, 2, 3, 4, 5: mean 3, s = 1.5811; one future value: 3 +- 2.776 x 1.5811 x sqrt(1 + 1/5) = 3 +- 4.808.
    stratum = Stratum.of([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (stratum.count, stratum.mean, stratum.sd) == (5, 3.0, pytest.approx(1.58114, abs=1e-5))
    one = predict_sum([stratum], 1)
    assert one.value == 3.0 and one.half_width == pytest.approx(4.808, abs=0.001)
    assert (one.low, one.high) == (pytest.approx(-1.808, abs=0.001), pytest.approx(7.808, abs=0.001))


def test_prediction_of_a_sum_of_future_steps():
    # Ten future steps: 30 +- 2.776 x 1.5811 x sqrt(10 + 100/5) = 30 +- 24.04.
    ten = predict_sum([Stratum.of([1.0, 2.0, 3.0, 4.0, 5.0])], 10)
    assert ten.value == 30.0 and ten.half_width == pytest.approx(24.04, abs=0.01)


def test_stratified_prediction():
    # Strata {1.0, 1.2, 1.4} and {3.0, 3.2, 3.4}: means 1.2 and 3.2, mean 2.2; within variance 0.04, between
    # (1.0^2 + 1.0^2) / 2 = 1.0; the mean's variance (0.04/3 + 0.04/3) / 4 = 0.006667; df 4 (t 2.776). 100 future
    # steps: 220 +- 2.776 x sqrt(100 x 1.04 + 10000 x 0.006667) = 220 +- 2.776 x 13.064 = 220 +- 36.27.
    strata = [Stratum.of([1.0, 1.2, 1.4]), Stratum.of([3.0, 3.2, 3.4])]
    hundred = predict_sum(strata, 100)
    assert hundred.value == pytest.approx(220.0) and hundred.half_width == pytest.approx(36.27, abs=0.01)


def test_too_few_steps_leave_the_interval_unknown():
    assert predict_sum([Stratum.of([1.0])], 10).half_width is None
    assert predict_sum([], 10).value == 0.0
    assert root_sum_square([3.0, 4.0]) == 5.0 and root_sum_square([3.0, None]) is None


def test_agresti_coull_interval():
    # 0 successes of 10: the textbook Agresti-Coull interval is [0, 0.321] (its lower end -0.043, clipped).
    none = agresti_coull(0, 10)
    assert none.high == pytest.approx(0.321, abs=0.001) and none.low == pytest.approx(-0.043, abs=0.001)
    # 6 of 9: (6 + 1.92) / 12.84 = 0.617 +- 1.96 x sqrt(0.617 x 0.383 / 12.84) = 0.617 +- 0.266.
    six = agresti_coull(6, 9)
    assert six.value == pytest.approx(0.617, abs=0.001) and six.half_width == pytest.approx(0.266, abs=0.001)


def test_future_count_of_missed_epoch_starts():
    # 6 of 9 seen, 9 to come: 6 expected; variance 9 p q + 81 p q / 12.84 at p = 0.617: 2.125 + 1.490.
    misses = predict_count(6, 9, 9)
    assert misses.value == 6.0 and misses.half_width == pytest.approx(1.96 * 3.615**0.5, abs=0.01)
    assert predict_count(0, 5, 9).half_width > 0  # none seen is not none to come


def test_steps_group_by_their_position_when_every_epoch_ran_each_stratum_once():
    strata = strata_of([[1.0, 3.0], [1.2, 3.2], [1.4, 3.4]], 2)
    assert [(s.count, round(s.mean, 3)) for s in strata] == [(3, 1.2), (3, 3.2)]
    pooled = strata_of([[1.0, 3.0], [1.2]], 2)  # an epoch cut short: one pool
    assert [s.count for s in pooled] == [3]


def parts(wait=None):
    """A0's plan (92 + 23 steps an epoch): steps 1, 2, 3, 4, 5 s... scaled to 0.1 s, validation 0.04 s exactly."""
    steps = Stratum.of([0.08, 0.09, 0.10, 0.11, 0.12])
    return projection_parts(
        20.0,
        92,
        23,
        [steps],
        [Stratum(4, 0.04, 0.0)],
        Stratum(4, 0.5, 0.0),
        wait or {"sampled": False, "epoch_starts": 4, "expected_seconds": 0.0},
    )


def test_projection_of_a_run_and_of_a_shorter_one_by_the_same_formula():
    ten = project(parts(), 10)
    # 20 + 10 x (92 x 0.1 + 23 x 0.04) + 9 x 0.5 = 125.7; steps: 2.776 x 0.015811 x sqrt(920 + 920^2 / 5)
    assert ten["seconds"] == pytest.approx(125.7)
    assert ten["high_seconds"] - ten["seconds"] == pytest.approx(
        2.776 * 0.0158114 * (920 + 920**2 / 5) ** 0.5, rel=1e-4
    )
    two = project(parts(), 2)
    assert two["seconds"] == pytest.approx(20 + 2 * 10.12 + 0.5)
    assert two["half_width_percent"] < ten["half_width_percent"]


def test_missed_teardowns_widen_the_projection():
    """10 epochs tear an iterator down 10 times: at the 9 later epochs' starts and as fit returns."""
    wait = {"sampled": True, "epoch_starts": 9, "missed": 6, "seconds_if_missed": 2.0, "expected_seconds": 4 / 3}
    plain, waiting = project(parts(), 10), project(parts(wait), 10)
    assert waiting["seconds"] == pytest.approx(plain["seconds"] + 10 * 4 / 3)
    steps = plain["high_seconds"] - plain["seconds"]
    expected = (steps**2 + (2.0 * predict_count(6, 9, 10).half_width) ** 2) ** 0.5
    assert waiting["high_seconds"] - waiting["seconds"] == pytest.approx(expected)


def test_a_machine_that_changed_speed_widens_the_interval():
    steady, slowed = project(parts(), 10, drift=0.04), project(parts(), 10, drift=0.30)
    assert not steady["widened_for_drift"] and steady["high_seconds"] == project(parts(), 10)["high_seconds"]
    width = project(parts(), 10)["high_seconds"] - 125.7
    assert slowed["widened_for_drift"]
    assert slowed["high_seconds"] - 125.7 == pytest.approx((width**2 + (0.30 * 125.7) ** 2) ** 0.5)


def calibration(before: list[float], after: list[float]) -> dict:
    return {"before_seconds": before[2], "after_seconds": after[2], "before_windows": before, "after_windows": after}


def test_a_drift_is_told_only_past_the_threshold_and_beyond_the_windows_scatter():
    quiet = [1.00, 1.02, 1.05, 1.10, 1.30]
    assert drift_beyond_noise(calibration(quiet, [1.35, 1.36, 1.40, 1.41, 1.50])) == pytest.approx(1.40 / 1.05 - 1)
    assert drift_beyond_noise(calibration(quiet, [1.20, 1.36, 1.40, 1.41, 1.50])) is None  # one window overlaps
    assert drift_beyond_noise(calibration(quiet, [1.31, 1.31, 1.31, 1.32, 1.33])) is None  # apart, but under 25%
    assert drift_beyond_noise(calibration(quiet, [0.50, 0.60, 0.70, 0.75, 0.80])) == pytest.approx(0.70 / 1.05 - 1)
    # A result saved before the windows were: the threshold alone.
    assert drift_beyond_noise({"before_seconds": 1.0, "after_seconds": 1.3}) == pytest.approx(0.3)
    assert drift_beyond_noise({"before_seconds": 1.0, "after_seconds": 1.2}) is None


@pytest.mark.parametrize(
    "low, high, verdict, between",
    [
        (1.9, 2.4, "tight", ["tight"]),
        (1.9, 2.6, "borderline", ["tight", "train elsewhere"]),
        (0.5, 0.9, "comfortable", ["comfortable"]),
        (0.8, 1.2, "borderline", ["comfortable", "tight"]),
        (0.8, 2.7, "borderline", ["comfortable", "train elsewhere"]),
    ],
)
def test_verdict_of_an_interval(low, high, verdict, between):
    assert exam.interval_verdict(low, high, (low + high) / 2) == (verdict, between)
    assert exam.interval_verdict(None, None, 2.0) == ("tight", ["tight"])


def workload(wid, seconds, low, high):
    return {
        "id": wid,
        "device_kind": "cpu",
        "projected_tutorial_seconds": seconds,
        "projection": {"low_seconds": low, "high_seconds": high},
    }


def test_exam_outlook_adds_the_intervals_of_its_workloads():
    outlook = exam.exam_outlook([workload("A0", 600, 540, 660), workload("B0", 3600, 3240, 4140)])["cpu"]
    # 2 x (600 + 3600) s = 2.333 h; 2 x (540 + 3240) s = 2.1 h; 2 x (660 + 4140) s = 2.667 h.
    assert outlook["projected_exam_hours"] == pytest.approx(2.333)
    assert (outlook["projected_exam_hours_low"], outlook["projected_exam_hours_high"]) == (2.1, 2.667)
    assert outlook["verdict"] == "borderline" and outlook["verdict_between"] == ["tight", "train elsewhere"]
    line = exam_line("cpu", outlook)
    assert "[bold yellow]borderline: tight or train elsewhere[/] (2.1-2.7 h)" in line


def test_the_result_says_how_the_machine_behaved():
    entry = {
        "id": "A0",
        "drift": {
            "calibration_before_seconds": 0.2,
            "calibration_after_seconds": 0.236,
            "slowdown_percent": 18.0,
            "warning": True,
        },
        "machine_load": {"others_cpu_share_mean": 0.41, "others_cpu_share_max": 0.97, "cpus": 2, "warning": True},
    }
    drift, load = machine_notes(entry)
    assert drift.startswith("A0: this machine slowed down by 18% during the bench")
    assert "something else is using the CPU" in drift
    assert load.startswith("A0: other processes used 41% of the 2 CPUs while it trained (up to 97%)")
    assert machine_notes({"id": "A0"}) == []


def test_interval_in_the_table_and_the_notes():
    projection = {"seconds": 100.0, "low_seconds": 94.0, "high_seconds": 106.0, "half_width_percent": 6.0}
    assert (half_width_text(projection), interval_text(projection)) == ("+-6%", "1m34s-1m46s")
    assert half_width_text(None) == interval_text(None) == "?"
    assert half_width_text({"half_width_percent": 0.0}) == "="
    sampling = {
        "adaptive": True,
        "sampled_seconds": 41.0,
        "budget_seconds": 60.0,
        "stopped": "precision reached",
        "half_width_percent_at_stop": 4.2,
        "target_half_width_percent": 5.0,
    }
    console = Console(file=io.StringIO(), width=300)
    console.print(sampling_note({"id": "A0", "projection": projection, "sampling": sampling}))
    assert console.file.getvalue().strip() == (
        "A0: one run of the tutorial: 1m40s, 95% interval 1m34s-1m46s; sampled 41 s of a 1m00s budget, "
        "stopped: precision reached (+-4.2%; target +-5%)"
    )


def epoch_record(start, steps, val_steps):
    end = start + sum(steps) + sum(val_steps)
    return {
        "start": start,
        "first_batch_start": start,
        "end": end,
        "train_step_seconds": steps,
        "val_step_seconds": val_steps,
    }


def sample(sampling, workload_id, steps_of_epoch, epochs):
    clock = 0.0
    for number in range(epochs):
        record = epoch_record(clock, steps_of_epoch(number), [0.04] * 4)
        sampling.epoch(workload_id, record)
        clock = record["end"]


def test_sampling_stops_once_the_interval_is_narrow_enough(tmp_path):
    sampling = AdaptiveSampling(budget_seconds=600, workloads=1, stop_folder=tmp_path)
    sampling.started(WORKLOADS["A0"], {"setup_seconds": 2.0, "first_pass": None, "train_strata": 1})
    # Steps within 1%, and a tutorial epoch of 9.4 s, whose start would wait under a second if it missed
    # the autotuning thread's wake at 10.23 s: known to 5% once the fewest epochs are in.
    steady = [0.092 + 0.001 * (k % 3) for k in range(8)]
    sample(sampling, "A0", lambda n: steady, 3)
    assert not (tmp_path / "A0").exists()  # 2 steady epochs: too few to decide
    sample(sampling, "A0", lambda n: steady, 10)
    assert (tmp_path / "A0").exists()
    record = sampling.record("A0")
    assert record["stopped"] == "precision reached" and record["half_width_percent_at_stop"] <= 5.0
    assert sampling.runs["A0"].epochs_at_stop == 4


def test_an_epoch_near_a_wake_of_the_autotuning_thread_is_known_less_well(tmp_path):
    # A 10.1 s epoch: a missed join waits 0.1 s or a whole 10 s period, 5 s on average: after 13 epoch
    # starts without a wait, the tutorial's 9 may still see about three.
    sampling = AdaptiveSampling(budget_seconds=600, workloads=1, stop_folder=tmp_path)
    sampling.started(WORKLOADS["A0"], {"setup_seconds": 2.0, "first_pass": None, "train_strata": 1})
    sample(sampling, "A0", lambda n: [0.1 + 0.001 * (k % 3) for k in range(8)], 14)
    assert not (tmp_path / "A0").exists() and sampling.record("A0")["half_width_percent_at_stop"] > 5.0


def test_sampling_stops_when_its_share_of_the_budget_is_spent(tmp_path):
    sampling = AdaptiveSampling(budget_seconds=0, workloads=2, stop_folder=tmp_path)
    sampling.started(WORKLOADS["B0"], {"setup_seconds": 2.0, "first_pass": None, "train_strata": 8})
    record = sampling.record("B0")
    assert record["budget_seconds"] == MIN_SHARE_SECONDS
    wild = [[0.3 + (k + n) % 5 for k in range(9)] for n in range(6)]  # steps of 0.3 to 4.3 s
    sampling.runs["B0"].started -= MIN_SHARE_SECONDS  # as if its share had passed
    sample(sampling, "B0", lambda n: wild[n], 4)
    assert (tmp_path / "B0").exists() and sampling.record("B0")["stopped"] == "budget spent"


def test_the_report_charts_draw_the_intervals():
    pytest.importorskip("matplotlib")
    plain = [TutorialTime("A0", "CNN baseline", "CPU", 600.0)]
    with_interval = [TutorialTime("A0", "CNN baseline", "CPU", 600.0, 540.0, 690.0)]
    assert "95% interval" not in tutorial_chart(plain)
    assert "95% interval" in tutorial_chart(with_interval)
    exams = exam_chart([ExamTime("CPU", 2.2, "borderline", 1.9, 2.6)], 5.0)
    assert "2.20 h: borderline" in exams and exams != exam_chart([ExamTime("CPU", 2.2, "borderline")], 5.0)
