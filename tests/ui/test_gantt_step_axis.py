"""The loop-steps axis in the chart: microsecond moments made readable, wall time kept."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from loopviz import record
from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import Recording
from loopviz.model.step_axis import step_times
from loopviz.ui.gantt import GanttView, SliceState
from loopviz.ui.timeline_feed import TimelineFeed
from tests.ui.live import qloop, run, until  # noqa: F401 - qloop is a fixture

REPO = Path(__file__).resolve().parents[2]


@cache
def create_task_lesson() -> Recording:
    """The create_task lesson as it ships (2 s), recorded by the real runner."""
    return record(REPO / "scenarios/03_create_task.py")


def show(qtbot, rec: Recording, steps: bool = True) -> GanttView:
    view = GanttView()
    qtbot.addWidget(view)
    view.resize(1200, 520)
    view.show()
    qtbot.waitExposed(view)
    feed = TimelineFeed(view)
    feed.reset(rec)
    feed.update(rec.duration)
    view._feed = feed  # keep it alive with the view
    if steps:
        view.set_step_times(*step_times(rec))
    view.fit_all()
    return view


def first_steps(rec: Recording) -> list[tuple[int, float, float]]:
    """(lane, begin, end) of the first handle run of each of the five requests."""
    runs = rec.handle_runs()
    tasks = {t.name: t for t in rec.tasks()}
    out = []
    for i in range(2, 7):
        lane = tasks[f"Task-{i}"].lane
        run = runs[runs["lane"] == lane][0]
        out.append((lane, float(run["begin"]), float(run["end"])))
    return out


def row_of(view: GanttView, lane: int) -> int:
    return view.data.layout.row_of(lane)


def pixel_extent(view: GanttView, lane: int, begin: float, end: float) -> tuple[int, int]:
    row = row_of(view, lane)
    return (
        view.data_to_pixel(view.to_view(begin), row).x(),
        view.data_to_pixel(view.to_view(end), row).x(),
    )


def test_the_five_create_task_starts_are_sub_pixel_in_wall_time_and_columns_in_steps(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec)
    starts = first_steps(rec)
    wall = [view.data_to_pixel(e, 0).x() - view.data_to_pixel(b, 0).x() for _, b, e in starts]
    wall_px = [
        (e - b) / abs(view.getPlotItem().getViewBox().viewPixelSize()[0]) for _, b, e in starts
    ]
    assert max(wall_px) < 1.0 and max(wall) <= 1  # in wall time: sub-pixel slivers

    view.set_time_axis("steps")
    view.fit_all()
    extents = [pixel_extent(view, lane, b, e) for lane, b, e in starts]
    widths = [x1 - x0 for x0, x1 in extents]
    assert min(widths) >= 12, widths
    assert all(a[1] <= b[0] for a, b in pairwise(extents))  # one after another
    image = view.grab().toImage()
    running = QColor(view.gantt_palette.state(SliceState.RUNNING))
    for (lane, _b, _e), (x0, x1) in zip(starts, extents, strict=True):
        y = view.data_to_pixel(0, row_of(view, lane)).y()
        c = image.pixelColor((x0 + x1) // 2, y)
        assert abs(c.red() - running.red()) + abs(c.green() - running.green()) < 40, c.name()


def test_switching_axes_keeps_the_cursor_at_the_same_instant_and_in_view(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec)
    _lane, b, e = first_steps(rec)[2]
    t = (b + e) / 2
    view.set_cursor(t)
    changed: list[str] = []
    view.timeAxisChanged.connect(changed.append)
    view.set_time_axis("steps")
    assert changed == ["steps"] and view.time_axis() == "steps"
    assert view.cursor == t
    x = view.cursor_line.value()
    assert x == pytest.approx(view.to_view(t))
    x0, x1 = view.x_range()
    assert x0 <= x <= x1
    assert view.to_wall(x) == pytest.approx(t, abs=1e-9)
    view.set_time_axis("wall")
    assert view.cursor_line.value() == pytest.approx(t)
    x0, x1 = view.x_range()
    assert x0 <= t <= x1


def test_steps_axis_ticks_name_steps_and_lanes_stay_where_they_were(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec)
    labels = view.lane_labels()
    ys = [view.data_to_pixel(0, r).y() for r in range(len(labels))]
    view.set_time_axis("steps")
    assert view.lane_labels() == labels
    assert [view.data_to_pixel(0, r).y() for r in range(len(labels))] == ys
    axis = view.bottom_axis
    x0, x1 = view.x_range()
    levels = axis.tickValues(x0, x1, 1000)
    values = [v for _spacing, vs in levels for v in vs]
    strings = axis.tickStrings(values, 1.0, 1.0)
    assert strings and all(s.startswith("step ") for s in strings)
    assert "loop steps" in axis.labelText


def test_clicking_on_the_steps_axis_asks_for_wall_seconds_inside_that_run(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec)
    view.set_time_axis("steps")
    lane, b, e = first_steps(rec)[3]
    x0, x1 = pixel_extent(view, lane, b, e)
    pos = view.data_to_pixel(0, row_of(view, lane)) - view.viewport().pos()
    pos.setX((x0 + x1) // 2 - view.viewport().pos().x())
    asked: list[float] = []
    view.cursorRequested.connect(asked.append)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert asked and b <= asked[-1] <= e
    assert view.selected_lane == lane
    hit = view.slice_at(asked[-1], row_of(view, lane))
    assert hit is not None and hit.start <= asked[-1] <= hit.end  # wall times back
    assert hit.end - hit.start < 0.01


def test_without_step_times_the_steps_axis_draws_wall_time(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec, steps=False)
    assert not view.steps_available
    before = view.x_range()
    view.set_time_axis("steps")
    assert view.time_axis() == "steps"  # remembered for when step times arrive
    assert view.x_range() == before and view.to_view(0.25) == 0.25
    assert view.bottom_axis.labelText == "time"
    available: list[bool] = []
    view.stepsAvailableChanged.connect(available.append)
    view.set_step_times(*step_times(rec))
    assert available == [True] and view.to_view(0.25) != 0.25
    view.clear()
    assert available == [True, False] and view.to_view(0.25) == 0.25


def test_a_live_run_keeps_growing_on_the_steps_axis(qtbot):
    rec = create_task_lesson()
    view = GanttView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    view.set_time_axis("steps")
    feed = TimelineFeed(view)
    feed.reset(rec)
    begins, ends = step_times(rec)
    half = rec.duration / 2
    known = begins <= half
    view.set_step_times(begins[known], ends[known])
    feed.update(half)
    n_half = len(view.shown_data)
    view.set_step_times(begins, ends)
    feed.update(rec.duration)
    assert len(view.shown_data) == len(view.data) >= n_half
    ext = view.shown_data.extent()
    assert ext is not None and ext[1] == pytest.approx(view.step_axis.total_steps, abs=1.0)
    assert np.isfinite(view.x_range()).all()


@pytest.mark.slow
def test_a_live_run_in_the_window_is_drawn_in_loop_steps_and_ends_whole(
    window,
    qloop,  # noqa: F811
) -> None:
    """Run the lesson and switch to loop steps while it runs (Ctrl+T)."""
    window.select_scenario(bundled_scenarios_dir() / "03_create_task.py")
    chart = window.gantt.chart
    menu = window.timeline_menu

    async def scenario() -> None:
        window.app_actions.run.trigger()
        await until(lambda: menu.steps_axis.isEnabled(), timeout=20)
        menu.steps_axis.trigger()  # Ctrl+T while the run goes on
        await until(lambda: chart.bottom_axis.mode == "steps", timeout=5)
        await until(lambda: not window.live.run.running, timeout=20)
        await until(lambda: not chart.animating, timeout=5)

    run(qloop, scenario())
    rec = window.live.recording
    assert chart.time_axis() == "steps" and chart.steps_available
    assert len(chart.step_axis) == len(step_times(rec)[0])  # the final steps, not a stale set
    assert len(chart.shown_data) == len(chart.data) > 0
    x0, x1 = chart.x_range()
    assert x0 <= 0.5 and x1 >= chart.step_axis.total_steps - 0.5  # the whole run in view
    assert "loop steps" in window.gantt.header.subtitle.text()


def test_the_wall_range_of_the_view_is_seconds_on_either_axis(qtbot):
    rec = create_task_lesson()
    view = show(qtbot, rec)
    before = view.wall_range()
    assert before == view.x_range()
    view.set_time_axis("steps")
    lo, hi = view.wall_range()
    assert lo <= 0.01 and hi == pytest.approx(view.step_axis.ends.max(), abs=1e-6)
