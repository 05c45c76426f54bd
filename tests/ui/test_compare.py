"""Compare mode: the blocking lesson pinned above its ``to_thread`` fix, on one time axis."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage

from loopviz import record
from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording
from loopviz.ui.gantt import GanttView
from loopviz.ui.main_window import MainWindow
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

REPO = Path(__file__).resolve().parents[2]


@cache
def blocking() -> Recording:
    return record(REPO / "scenarios/04_blocking_requests.py")


@cache
def fixed() -> Recording:
    return record(REPO / "scenarios/05_to_thread_fix.py")


def pinned_pair(qtbot, window: MainWindow) -> tuple[GanttView, GanttView]:
    """Show the blocking run, pin it, then show the fix: (pinned chart, current chart)."""
    window.resize(1400, 900)
    window.live.show_recording(blocking(), "04_blocking_requests.lvz")
    window.timeline_menu.pin.trigger()
    window.live.show_recording(fixed(), "05_to_thread_fix.lvz")
    pinned = window.timeline_menu.compare.pinned
    assert pinned is not None
    qtbot.waitUntil(lambda: pinned.chart.isVisible() and pinned.chart.height() > 80)
    window.gantt.chart.fit_all()
    return pinned.chart, window.gantt.chart


def in_pane(window: MainWindow, chart: GanttView, t: float, row: float) -> QPoint:
    """Where view x ``t`` on ``row`` of ``chart`` appears in the timeline pane's grab()."""
    return chart.mapTo(window.gantt, chart.data_to_pixel(t, row))


def cursor_columns(image: QImage, y: int, color: QColor) -> list[int]:
    """x of the pixels on row ``y`` that are the cursor's colour."""
    out = []
    for x in range(image.width()):
        c = image.pixelColor(x, y)
        if abs(c.red() - color.red()) + abs(c.green() - color.green()) < 40 and (
            abs(c.blue() - color.blue()) < 40
        ):
            out.append(x)
    return out


def test_the_pinned_run_is_above_the_current_one_and_titled_with_its_scenario(qtbot, window):
    pinned, current = pinned_pair(qtbot, window)
    assert pinned.mapTo(window, QPoint(0, 0)).y() < current.mapTo(window, QPoint(0, 0)).y()
    holder = window.timeline_menu.compare.pinned
    assert "04_blocking_requests.py" in holder.title.text()
    assert "05_to_thread_fix.py" in window.gantt.current_header.title.text()
    assert window.gantt.current_header.isVisible()
    assert pinned.lane_labels() != [] and current.lane_labels() != []
    assert window.timeline_menu.pin.text().replace("&", "").startswith("Unpin")


def test_a_slice_at_t_is_at_the_same_x_in_both_charts(qtbot, window):
    pinned, current = pinned_pair(qtbot, window)
    current.setXRange(-0.05, 1.3, padding=0)
    qtbot.waitUntil(lambda: abs(pinned.x_range()[0] - current.x_range()[0]) < 1e-3)
    # The first slice of the pinned recording's main task, and the same instant below.
    rows = pinned.data.layout.rows
    main_lane = rows[1].lane
    hit = pinned.slice_at(0.5, 1)
    assert hit is not None and hit.lane == main_lane
    for t in (hit.start, hit.end, 0.25, 1.0):
        a = in_pane(window, pinned, t, 1).x()
        b = in_pane(window, current, t, 1).x()
        assert abs(a - b) <= 1, (t, a, b)


def test_the_cursor_is_drawn_in_both_at_the_same_x(qtbot, window, tmp_path):
    pinned, current = pinned_pair(qtbot, window)
    current.setXRange(-0.05, 1.3, padding=0)
    window.time_cursor.set(0.6)
    qtbot.waitUntil(lambda: pinned.cursor == pytest.approx(0.6) and current.cursor_line.isVisible())
    image = window.gantt.grab().toImage()
    image.save(str(tmp_path / "compare.png"))
    color = QColor(current.gantt_palette.cursor)
    y_top = in_pane(window, pinned, 0.6, 1).y()  # across main's bar, below the time label
    y_bottom = in_pane(window, current, 0.6, 1).y()
    top = cursor_columns(image, y_top, color)
    bottom = cursor_columns(image, y_bottom, color)
    assert top and bottom
    assert abs(min(top) - min(bottom)) <= 1 and abs(max(top) - max(bottom)) <= 1
    assert abs(min(top) - in_pane(window, current, 0.6, 1).x()) <= 2


def test_clicking_the_pinned_chart_moves_the_one_cursor(qtbot, window):
    pinned, current = pinned_pair(qtbot, window)
    current.setXRange(-0.05, 1.3, padding=0)
    qtbot.waitUntil(lambda: abs(pinned.x_range()[0] - current.x_range()[0]) < 1e-3)
    at = pinned.data_to_pixel(0.4, 1) - pinned.viewport().pos()
    qtbot.mouseClick(pinned.viewport(), Qt.MouseButton.LeftButton, pos=at)
    qtbot.waitUntil(lambda: current.cursor is not None)
    assert window.time_cursor.t == pytest.approx(0.4, abs=0.01)
    assert current.cursor == pytest.approx(pinned.cursor)


def test_the_steps_axis_applies_to_both_and_unpin_closes_the_pinned_run(qtbot, window):
    pinned, current = pinned_pair(qtbot, window)
    menu = window.timeline_menu
    qtbot.waitUntil(lambda: menu.steps_axis.isEnabled())
    menu.steps_axis.trigger()
    assert current.time_axis() == "steps" and pinned.time_axis() == "steps"
    assert pinned.steps_available and pinned.bottom_axis.mode == "steps"
    menu.steps_axis.trigger()
    assert pinned.time_axis() == "wall"
    menu.pin.trigger()  # now "Unpin"
    assert menu.compare.pinned is None and window.gantt.pinned is None
    assert not window.gantt.current_header.isVisible()
    assert menu.pin.text().replace("&", "").startswith("Pin")


def test_view_timeline_menu_has_the_axis_toggle_and_pin_with_their_keys(qtbot, window):
    from loopviz.ui.shortcuts import shortcut_rows

    rows = {(r.where, r.command): r.keys for r in shortcut_rows(window.menuBar(), window)}
    assert rows[("View › Timeline", "Loop-steps axis")] == "Ctrl+T"
    assert rows[("View › Timeline", "Pin recording for comparison")] == "Ctrl+P"
    menu = window.timeline_menu
    # Nothing shown yet: nothing to pin, no steps to draw; the tooltips say why.
    assert not menu.pin.isEnabled() and "first" in menu.pin.toolTip()
    assert not menu.steps_axis.isEnabled() and "first" in menu.steps_axis.toolTip()
    window.live.show_recording(fixed(), "05_to_thread_fix.lvz")
    assert menu.pin.isEnabled()
    qtbot.waitUntil(menu.steps_axis.isEnabled)  # once the window has indexed the steps
    assert window.gantt.header.subtitle.text().startswith("time in seconds")
    menu.steps_axis.trigger()
    assert window.gantt.header.subtitle.text().startswith("loop steps")


@pytest.mark.slow
def test_a_run_started_after_pinning_shows_below_the_pinned_one(
    window,
    qloop,  # noqa: F811
) -> None:
    window.select_scenario(bundled_scenarios_dir() / "04_blocking_requests.py")

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running, timeout=30)
        window.timeline_menu.pin.trigger()
        window.select_scenario(bundled_scenarios_dir() / "05_to_thread_fix.py")
        window.app_actions.run.trigger()
        await until(lambda: not window.live.run.running, timeout=30)

    run(qloop, scenario())
    holder = window.timeline_menu.compare.pinned
    assert holder is not None and "04_blocking_requests.py" in holder.title.text()
    assert "05_to_thread_fix.py" in window.gantt.current_header.title.text()
    assert holder.recording is not window.live.recording
    assert holder.chart.data.stall_start.size >= 1  # the blocking run's stall, still there
    assert window.gantt.chart.data.stall_start.size == 0  # the fix does not stall
    assert holder.chart.x_range() == pytest.approx(window.gantt.chart.x_range())


def test_the_pinned_chart_follows_the_window_theme(qtbot, window):
    pinned, current = pinned_pair(qtbot, window)
    window.app_actions.theme_dark.trigger()
    qtbot.waitUntil(lambda: pinned.gantt_palette == current.gantt_palette)
    assert QColor(pinned.gantt_palette.background).lightness() < 100
    assert pinned.cursor_line.pen.widthF() == current.cursor_line.pen.widthF()
