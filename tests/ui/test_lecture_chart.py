"""The timeline and the scrubber move the same time cursor as the keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from loopviz.ui.main_window import MainWindow
from tests.ui.test_lecture_support import lesson, settle, show, steps_of

pytestmark = pytest.mark.slow


def test_a_click_on_the_timeline_puts_the_cursor_there(window: MainWindow, qtbot) -> None:
    rec = lesson("blocking")
    show(window, rec)
    chart = window.gantt.chart
    chart.fit_all()
    settle(window)
    point = chart.data_to_pixel(0.5, 1.0)
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=point)
    settle(window)
    per_pixel = (chart.x_range()[1] - chart.x_range()[0]) / chart.viewport().width()
    assert window.time_cursor.t == pytest.approx(0.5, abs=3 * per_pixel)
    assert window.stall_banner.is_showing, "0.5 s is inside the blocking call"


def test_the_slider_runs_over_wall_time_or_one_notch_per_handle_run(window: MainWindow) -> None:
    rec = lesson("create_task")
    show(window, rec)
    slider = window.scrubber.slider
    assert window.scrubber.axis == "wall"
    slider.setValue(slider.maximum() // 2)
    settle(window)
    assert window.time_cursor.t == pytest.approx(rec.duration / 2, rel=1e-3)
    window.gantt.chart.set_time_axis("steps")
    settle(window)
    runs = steps_of(rec)
    assert window.scrubber.axis == "steps"
    assert slider.maximum() == len(runs) - 1
    slider.setValue(3)
    settle(window)
    assert window.time_cursor.t == runs[3]
    window.app_actions.next_step.trigger()
    settle(window)
    assert slider.value() == 4, "the knob follows the cursor without feeding back"
    assert window.time_cursor.t == runs[4]
