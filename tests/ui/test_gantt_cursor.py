"""The time cursor on the chart: click or drag to place it; stepping keys go to the window."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loopviz.ui.gantt import GanttView
from loopviz.ui.gantt.widget import cursor_label

from .test_gantt_interaction import at, make_chart, mouse


@pytest.fixture
def view(qtbot) -> GanttView:
    """The interaction tests' chart: three lanes, three slices, 0–4 s shown."""
    return make_chart(qtbot)


def test_clicking_the_plot_asks_for_the_cursor_there_and_still_selects_the_lane(view, qtbot):
    asked: list[float] = []
    view.cursorRequested.connect(asked.append)
    with qtbot.waitSignal(view.taskClicked, timeout=1000):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at(view, 1.2, 2))
    assert view.selected_lane == 2
    px = abs(view.getPlotItem().getViewBox().viewPixelSize()[0])
    assert asked and asked[-1] == pytest.approx(1.2, abs=2 * px)


def slow_drag(view: GanttView, qtbot, start: QPoint, stop: QPoint) -> None:
    """A left drag at a hand's pace (pyqtgraph drops moves closer than a frame apart)."""
    held = Qt.MouseButton.LeftButton
    mouse(view, QEvent.Type.MouseButtonPress, start, held)
    for k in range(1, 6):
        qtbot.wait(30)
        mouse(view, QEvent.Type.MouseMove, start + (stop - start) * (k / 5), held)
    mouse(view, QEvent.Type.MouseButtonRelease, stop)


def test_dragging_moves_the_cursor_along_and_does_not_pan(view, qtbot):
    asked: list[float] = []
    view.cursorRequested.connect(asked.append)
    view.cursorRequested.connect(view.set_cursor)  # what the window's time cursor does
    before = view.x_range()
    slow_drag(view, qtbot, at(view, 0.5, 1), at(view, 2.5, 1))
    assert view.x_range() == before
    assert len(asked) >= 3 and asked == sorted(asked)
    assert asked[-1] == pytest.approx(2.5, abs=0.05)
    assert view.cursor == asked[-1] and view.cursor_line.isVisible()


def test_set_cursor_tells_followers_once_per_new_instant(view):
    seen: list[object] = []
    view.cursorChanged.connect(seen.append)
    view.set_cursor(0.75)
    view.set_cursor(0.75)
    view.set_cursor(None)
    assert seen == [0.75, None]


def test_the_cursor_line_is_a_solid_two_pixel_line_labelled_with_its_time(view, tmp_path):
    view.set_cursor(3.25)  # over empty background, right of the bars
    pen = view.cursor_line.pen
    assert pen.widthF() == 2 and pen.style() == Qt.PenStyle.SolidLine
    assert view.cursor_line.label.toPlainText() == "3.250 s"
    image = view.grab().toImage()
    image.save(str(tmp_path / "cursor.png"))
    x = view.data_to_pixel(3.25, 1).x()
    y = view.data_to_pixel(3.25, 1).y()
    want = QColor(view.gantt_palette.cursor)
    near = [QColor(image.pixel(x + dx, y)) for dx in (-1, 0, 1)]
    assert any(abs(c.red() - want.red()) + abs(c.blue() - want.blue()) < 60 for c in near)


def test_cursor_label_is_readable_for_microsecond_moments():
    assert cursor_label(1.2344) == "1.234 s"
    assert cursor_label(0.0012345) == "1.234 ms" or cursor_label(0.0012345) == "1.235 ms"


class KeyRecorder(QWidget):
    """The window around the chart: records the keys the chart leaves to it."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        self.keys.append(ev.key())


WINDOW_KEYS = [
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
    Qt.Key.Key_Space,
]


def test_stepping_and_playback_keys_reach_the_window_not_the_chart(qtbot):
    outer = KeyRecorder()
    qtbot.addWidget(outer)
    chart = GanttView(outer)
    QVBoxLayout(outer).addWidget(chart)
    outer.resize(700, 400)
    outer.show()
    qtbot.waitExposed(outer)
    chart.set_lanes([(0, "main", 0)])
    chart.set_following(False)
    chart.setXRange(0.0, 4.0, padding=0)
    before = chart.x_range()
    for key in WINDOW_KEYS:
        qtbot.keyClick(chart, key)
    assert outer.keys == [int(k) for k in WINDOW_KEYS] or outer.keys == WINDOW_KEYS
    assert chart.x_range() == before
    qtbot.keyClick(chart, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert chart.x_range()[0] > before[0]  # Alt+→ still pans the chart
    assert Qt.Key.Key_Right not in outer.keys[len(WINDOW_KEYS) :]


def test_hover_still_shows_the_tooltip_with_a_cursor_placed(view):
    from PySide6.QtWidgets import QToolTip

    view.set_cursor(0.5)
    mouse(view, QEvent.Type.MouseMove, at(view, 1.5, 1))
    assert "main — waiting" in QToolTip.text()
    assert np.isfinite(view.cursor)


def caption_columns(view: GanttView, y: int) -> list[int]:
    """Columns painted in the stall caption's red along row ``y`` of the chart."""
    image = view.grab().toImage()
    edge = QColor(view.gantt_palette.stall_edge)
    return [x for x in range(view.width()) if QColor(image.pixel(x, y)) == edge]


@pytest.mark.parametrize("t", [0.52, 0.6, 1.0, 2.0, 2.9])
def test_a_stall_caption_steps_aside_for_the_cursor_time(view, qtbot, t):
    """Near a stall's start, "stall 2.50 s" and the cursor's "0.600 s" both show whole."""
    view.set_stalls([(0.5, 3.0)])
    view.set_cursor(t)
    qtbot.wait(50)
    label = view.mapFromScene(view.cursor_line.label.sceneBoundingRect()).boundingRect()
    plot = view.mapFromScene(view.getPlotItem().getViewBox().sceneBoundingRect()).boundingRect()
    assert abs(label.top() - plot.top()) <= 4, "the time label is at the top of the plot"
    y = int(plot.top() + 3 + view.fontMetrics().height() / 2)  # through the caption
    red = caption_columns(view, y)
    assert len(red) >= 40, "the caption is painted"
    assert not [x for x in red if label.left() <= x <= label.right()], "nothing under the label"
    band = (view.data_to_pixel(0.5, 1).x(), view.data_to_pixel(3.0, 1).x())
    assert band[0] <= min(red) and max(red) <= band[1], "the caption stays in its stall"


def test_near_the_right_edge_the_cursor_time_goes_left_of_the_line(view, qtbot):
    view.set_cursor(3.9)
    qtbot.wait(50)
    label = view.mapFromScene(view.cursor_line.label.sceneBoundingRect()).boundingRect()
    assert label.right() <= view.data_to_pixel(3.9, 1).x() + 1
    view.set_cursor(None)
    assert view.item.cursor_label is None, "no cursor: the captions go back to their place"
