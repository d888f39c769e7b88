"""Charts of bench results as inline SVG, drawn by matplotlib (a dependency of tfenvcheck).

Where matplotlib does not import (a broken or partial install) the report shows the same numbers as
tables and says how to get the charts back.
The SVG is made deterministic (fixed ids, no date) so that a report re-rendered from its saved
JSON is byte for byte the one the live run wrote.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

INSTALL_HINT = "matplotlib, which draws them, does not import here: reinstall tfenvcheck with its dependencies"
# Colours that stay apart for colour-blind readers (Okabe-Ito).
DEVICE_COLOURS = {"CPU": "#0072B2", "GPU": "#E69F00"}
VERDICT_COLOURS = {"comfortable": "#009E73", "tight": "#E69F00", "train elsewhere": "#D55E00", "borderline": "#CC79A7"}
OTHER_COLOUR = "#999999"


@dataclass(frozen=True)
class TutorialTime:
    """The projected time of one reference tutorial, run as written, on one device."""

    workload: str  # A0, A1, B0, B1
    title: str
    device: str  # CPU or GPU
    seconds: float
    low_seconds: float | None = None  # the 95% prediction interval, where the result has one
    high_seconds: float | None = None


@dataclass(frozen=True)
class ExamTime:
    """The projected training time of a 5-model exam on one machine (one bench result)."""

    label: str
    hours: float
    verdict: str
    low_hours: float | None = None
    high_hours: float | None = None


def charts_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _figure(height_rows: int) -> Any:
    from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

    return Figure(figsize=(8, 1.2 + 0.45 * height_rows), layout="constrained")


def _svg(figure: Any) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "tfenvcheck", "svg.fonttype": "none", "font.size": 10}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline: no XML prolog or doctype


def _error_bars(values: list[float], lows: list[float | None], highs: list[float | None]) -> Any:
    """matplotlib's xerr (distances below and above each bar), or None when no bar has an interval."""
    if all(low is None for low in lows):
        return None
    below = [value - low if low is not None else 0.0 for value, low in zip(values, lows)]
    above = [high - value if high is not None else 0.0 for value, high in zip(values, highs)]
    return [below, above]


def minutes_text(seconds: float) -> str:
    if seconds >= 3600:
        return "{:.1f} h".format(seconds / 3600)
    if seconds >= 60:
        return "{:.0f} min".format(seconds / 60)
    return "{:.0f} s".format(seconds)


def tutorial_chart(rows: list[TutorialTime]) -> str:
    """Horizontal bars: minutes to train each tutorial as written, one bar per device."""
    figure = _figure(len(rows))
    axes = figure.add_subplot()
    labels = ["{} {} ({})".format(row.workload, row.title, row.device) for row in rows]
    minutes = [row.seconds / 60 for row in rows]
    errors = _error_bars(
        minutes,
        [None if row.low_seconds is None else row.low_seconds / 60 for row in rows],
        [None if row.high_seconds is None else row.high_seconds / 60 for row in rows],
    )
    bars = axes.barh(
        labels,
        minutes,
        color=[DEVICE_COLOURS.get(row.device, OTHER_COLOUR) for row in rows],
        xerr=errors,
        capsize=4,
        error_kw={"ecolor": "#333333", "elinewidth": 1},
    )
    axes.bar_label(bars, labels=[minutes_text(row.seconds) for row in rows], padding=3)
    axes.invert_yaxis()  # first workload on top
    axes.set_xlabel(
        "projected minutes to train the tutorial as written" + (" (whiskers: 95% interval)" if errors else "")
    )
    tops = [row.high_seconds / 60 if row.high_seconds is not None else m for row, m in zip(rows, minutes)]
    axes.set_xlim(0, max(minutes + tops) * 1.2)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def exam_chart(runs: list[ExamTime], budget_hours: float) -> str:
    """Horizontal bars: the exam's projected training hours per machine, against the budget line."""
    figure = _figure(len(runs))
    axes = figure.add_subplot()
    hours = [run.hours for run in runs]
    bars = axes.barh(
        [run.label for run in runs],
        hours,
        color=[VERDICT_COLOURS.get(run.verdict, OTHER_COLOUR) for run in runs],
        xerr=_error_bars(hours, [run.low_hours for run in runs], [run.high_hours for run in runs]),
        capsize=4,
        error_kw={"ecolor": "#333333", "elinewidth": 1},
    )
    axes.bar_label(bars, labels=["{:.2f} h: {}".format(run.hours, run.verdict) for run in runs], padding=3)
    axes.axvline(budget_hours, color="#D55E00", linestyle="--", linewidth=1.5)
    axes.annotate(
        "{:g}-hour exam".format(budget_hours),
        (budget_hours, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -12),
        textcoords="offset points",
        color="#D55E00",
    )
    axes.invert_yaxis()
    axes.set_xlabel("projected hours of training for the exam's models")
    tops = [run.high_hours if run.high_hours is not None else run.hours for run in runs]
    axes.set_xlim(0, max([budget_hours, *tops]) * 1.35)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
