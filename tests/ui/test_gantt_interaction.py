"""Using the Gantt chart: hovering, clicking, following "now", zooming and panning."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from loopviz.ui.gantt import GanttView, SliceHit, SliceState
from loopviz.ui.gantt.widget import AUTO_MAX_SPAN, auto_range

S = SliceState
LANES = [(0, "event loop", 0), (1, "main", 0), (2, "Task-2", 1)]


def describe(state: int, detail: int) -> str:
    return f"await asyncio.sleep(1)\nscenario.py:{detail}"


def make_chart(qtbot) -> GanttView:
    """The interaction tests' chart: three lanes, three slices, 0–4 s shown."""
    view = GanttView(describe=describe)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_lanes(LANES)
    view.add_slices(
        np.array([1, 1, 2]),
        np.array([0.0, 1.0, 0.5]),
        np.array([1.0, 2.0, 1.5]),
        np.array([S.RUNNING, S.WAITING, S.READY]),
        np.array([7, 12, 3]),
    )
    view.set_following(False)
    view.setXRange(-0.1, 4.0, padding=0)
    return view


@pytest.fixture
def view(qtbot) -> GanttView:
    return make_chart(qtbot)


def at(view: GanttView, t: float, row: float) -> QPoint:
    """Viewport coordinates of time ``t`` on ``row``."""
    return view.data_to_pixel(t, row) - view.viewport().pos()


def mouse(
    view: GanttView,
    kind: QEvent.Type,
    pos: QPoint,
    buttons=Qt.MouseButton.NoButton,
    mods=Qt.KeyboardModifier.NoModifier,
):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    global_pos = QPointF(view.viewport().mapToGlobal(pos))
    ev = QMouseEvent(kind, QPointF(pos), global_pos, button, buttons, mods)
    QApplication.sendEvent(view.viewport(), ev)


def drag(view: GanttView, start: QPoint, stop: QPoint, mods=Qt.KeyboardModifier.NoModifier):
    """A left-button drag; with Shift it pans, without it moves the time cursor."""
    held = Qt.MouseButton.LeftButton
    mouse(view, QEvent.Type.MouseButtonPress, start, held, mods)
    for k in range(1, 6):
        mouse(view, QEvent.Type.MouseMove, start + (stop - start) * (k / 5), held, mods)
    mouse(view, QEvent.Type.MouseButtonRelease, stop, Qt.MouseButton.NoButton, mods)


def wheel(view: GanttView, pos: QPoint, steps: int) -> None:
    ev = QWheelEvent(
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)


def test_hover_text_names_the_task_kind_times_and_what_it_awaited(view):
    text = view.hover_text_at(1.5, 1)
    assert text.splitlines()[0].startswith("main — waiting")
    assert "start 1.000 s" in text and "duration 1.00 s" in text  # units.format_duration
    assert "await asyncio.sleep(1)" in text and "scenario.py:12" in text
    assert view.hover_text_at(3.0, 1) is None  # nothing there
    assert "Task-2 — ready" in view.hover_text_at(1.0, 2)


def test_moving_the_mouse_over_a_slice_shows_its_tooltip(view, qtbot):
    hits: list[SliceHit | None] = []
    view.sliceHovered.connect(hits.append)
    mouse(view, QEvent.Type.MouseMove, at(view, 0.5, 1))
    assert hits and hits[-1].state is S.RUNNING and hits[-1].detail == 7
    assert view.item.hovered == hits[-1]
    assert "main — running" in QToolTip.text()
    mouse(view, QEvent.Type.MouseMove, at(view, 3.5, 2))
    assert hits[-1] is None and view.item.hovered is None


def test_clicking_a_lane_selects_the_task(view, qtbot):
    with qtbot.waitSignal(view.taskClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 1.2, 2))
    assert blocker.args == [2]
    assert view.selected_lane == 2


def test_clicking_a_lane_name_selects_the_task(view, qtbot):
    name = at(view, 0, 1)
    name.setX(30)
    with qtbot.waitSignal(view.taskClicked, timeout=1000) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=name)
    assert blocker.args == [1]


def test_the_view_follows_now_when_following(view):
    view.set_following(True)
    view.set_now(10.0)
    a, b = view.x_range()
    assert a < 0.0 < 10.0 < b, "the whole run so far, from 0 s"
    assert b == pytest.approx(1.3 * 10.0), "now at about three quarters of the width"
    assert view.now_line.value() == 10.0


def test_following_grows_the_range_with_the_run_smoothly(view):
    view.set_following(True)
    view.set_now(0.3)
    assert view.x_range() == pytest.approx(auto_range(0.3))
    a, b = view.x_range()
    assert a < 0.0 and b == pytest.approx(2.0), "a short run sees 2 s, not 5 s"
    rights = []
    for t in np.arange(0.0, 12.0, 1 / 30):  # 30 frames a second
        view.set_now(float(t))
        x0, x1 = view.x_range()
        assert x0 < t < x1
        assert (t - x0) / (x1 - x0) <= 0.9, "now never hugs the right edge"
        if t > 1.6:
            assert 0.70 <= (t - x0) / (x1 - x0) <= 0.80, "the bars fill ~3/4 of the width"
        rights.append(x1)
    steps = np.diff(rights)
    assert (steps >= 0).all(), "the range only grows"
    assert steps.max() <= 1.3 / 30 + 1e-9, "no jump: at most 1.3 x the time between frames"


def test_a_long_run_scrolls_instead_of_shrinking_the_bars(view):
    view.set_following(True)
    for t in (29.0, 30.0, 60.0):
        view.set_now(t)
        a, b = view.x_range()
        assert a < t < b and b - a <= AUTO_MAX_SPAN * 1.05
    assert b - 60.0 == pytest.approx((1 - 1 / 1.3) * (b - a), rel=0.05)


def test_zooming_while_following_keeps_the_zoomed_width(view):
    view.set_following(True)
    view.set_now(3.0)
    wheel(view, at(view, 1.0, 1), 3)
    width = np.diff(view.x_range())[0]
    assert view.following and not view.auto_ranging
    view.set_now(6.0)
    a, b = view.x_range()
    assert a < 6.0 < b and b - a == pytest.approx(width)
    view.set_following(True)  # End: back to the growing range
    assert view.auto_ranging and view.x_range() == pytest.approx(auto_range(6.0))


def test_finishing_the_run_glides_to_the_whole_run(view, qtbot):
    view.set_following(True)
    view.set_now(2.0)
    before = view.x_range()
    view.finish_run()
    assert not view.following and view.animating
    qtbot.waitUntil(lambda: not view.animating, timeout=3000)
    a, b = view.x_range()
    assert a < 0.0 < 2.0 < b and b - a < 2.2, "the whole 2 s run, with a little room"
    assert (a, b) != before
    view.set_now(2.05)  # the last events arrive: the run stays whole
    assert view.x_range()[1] > 2.05


def test_finishing_a_run_the_user_looks_away_from_leaves_the_view(view):
    view.set_following(False)
    view.setXRange(0.2, 0.4, padding=0)
    view.finish_run()
    assert view.x_range() == pytest.approx((0.2, 0.4)) and not view.animating


def test_no_now_line_before_anything_ran(qtbot):
    fresh = GanttView()
    qtbot.addWidget(fresh)
    assert not fresh.now_line.isVisible()
    assert "now" not in fresh.legend.kinds
    fresh.set_now(0.1)
    assert fresh.now_line.isVisible()
    fresh.clear()
    assert not fresh.now_line.isVisible(), "a new run starts without a stale line at 0"


def test_the_view_stays_put_when_following_is_off(view):
    before = view.x_range()
    view.set_now(10.0)
    assert view.x_range() == before
    assert view.now_line.value() == 10.0


def test_shift_dragging_pans_and_stops_following(view, qtbot):
    view.set_following(True)
    view.set_now(2.0)
    before = view.x_range()
    with qtbot.waitSignal(view.followingChanged, timeout=1000) as blocker:
        drag(view, at(view, 2.0, 1), at(view, 3.0, 1), Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args == [False]
    after = view.x_range()
    assert after[0] == pytest.approx(before[0] - 1.0, abs=0.05)
    view.set_now(50.0)
    assert view.x_range() == after  # no longer following


def test_f_key_jumps_back_to_now_and_follows(view, qtbot):
    view.set_now(30.0)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.following
    a, b = view.x_range()
    assert a < 30.0 < b


def test_wheel_zooms_time_around_the_mouse(view):
    anchor = at(view, 1.0, 1)
    t_before = view.data_to_pixel(1.0, 1).x()
    width = np.diff(view.x_range())[0]
    wheel(view, anchor, 2)
    assert np.diff(view.x_range())[0] < 0.8 * width
    assert abs(view.data_to_pixel(1.0, 1).x() - t_before) <= 2


def test_zooming_while_following_keeps_now_in_place(view):
    view.set_following(True)
    view.set_now(3.0)
    x_now = view.data_to_pixel(3.0, 1).x()
    wheel(view, at(view, 0.5, 1), 3)  # the mouse is elsewhere; "now" is the anchor
    assert abs(view.data_to_pixel(3.0, 1).x() - x_now) <= 2
    assert view.following


def test_keyboard_zoom_pan_and_fit(view, qtbot):
    width = np.diff(view.x_range())[0]
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert np.diff(view.x_range())[0] == pytest.approx(width / 1.5)
    x0 = view.x_range()[0]
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.x_range()[0] > x0
    view.fit_all()  # a double click; Home belongs to the window's time cursor
    a, b = view.x_range()
    assert a <= 0.0 and b >= 2.0 and b - a < 2.5


def test_lanes_scroll_rather_than_shrink_when_there_are_many(view, qtbot):
    view.set_lanes([(i, f"Task-{i}", 0) for i in range(200)])
    top, bottom = sorted(view.getPlotItem().getViewBox().viewRange()[1])
    assert bottom - top < 40  # ~22 px per lane, not 200 lanes squeezed in
    for _ in range(8):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    top2, _ = sorted(view.getPlotItem().getViewBox().viewRange()[1])
    assert top2 > top + 5


def test_the_cursor_line_is_separate_from_now(view):
    view.set_now(1.0)
    view.set_cursor(0.5)
    assert view.cursor_line.isVisible() and view.cursor_line.value() == 0.5
    assert view.now_line.value() == 1.0
    view.set_cursor(None)
    assert not view.cursor_line.isVisible() and view.cursor is None
