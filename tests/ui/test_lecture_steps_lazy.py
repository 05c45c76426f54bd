"""The loop-steps axis costs nothing while the chart shows wall time, and a big recording's
step index is taken in a bounded batch per frame until it has every run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from loopviz import record
from loopviz.model.steps import StepIndex
from loopviz.ui.lecture import controller
from loopviz.ui.main_window import MainWindow
from tests.ui.test_lecture_support import lesson, settle, show

FLOOD = Path(__file__).resolve().parents[1] / "hostile" / "event_flood.py"


def test_the_steps_axis_is_built_only_when_it_is_switched_on(window: MainWindow, qtbot) -> None:
    rec = lesson("create_task")
    show(window, rec)
    chart = window.gantt.chart
    assert chart.time_axis() == "wall" and chart.steps_available
    assert window.timeline_menu.steps_axis.isEnabled()
    assert chart.step_axis._knots is None, "in wall time the run times are only kept"
    window.timeline_menu.steps_axis.trigger()  # Ctrl+T
    settle(window)
    assert chart.time_axis() == "steps" and chart.step_axis._knots is not None
    runs = StepIndex(rec)
    assert len(chart.step_axis) == len(runs)
    # Each handle run one column: the lesson's runs end where the chart's last column does.
    assert chart.step_axis.total_steps >= len(runs)
    xs = chart.step_axis.to_steps(runs.begins)
    assert np.all(np.diff(xs) >= 1.0 - 1e-9)
    window.timeline_menu.steps_axis.trigger()
    settle(window)
    assert chart.time_axis() == "wall"


def test_a_recording_s_steps_are_taken_in_a_budget_at_a_time(
    window: MainWindow, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(controller, "STEPS_BUDGET", 500)
    monkeypatch.setenv("LOOPVIZ_EVENTS", "30000")
    rec = record(FLOOD)  # 40 tasks yielding with sleep(0): 10,000 handle runs
    every = len(StepIndex(rec))
    assert every > 5000
    show(window, rec)
    assert len(window.lecture._steps) < every, "a frame took in a few hundred runs, not all"
    # The catch-up timer takes the rest, a budget at a time, and the chart follows.
    qtbot.waitUntil(lambda: len(window.lecture.steps()) == every, timeout=10_000)
    assert window.lecture.steps().complete
    assert len(window.gantt.chart.step_axis) == every
    # A stepping key takes everything at once, wherever the catch-up is.
    window.lecture.go_to_start()
    assert window.lecture.step("run", True) == window.lecture.steps().begins[0]
