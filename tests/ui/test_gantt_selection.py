"""Selecting a time range on the chart with Ctrl+drag, to export it (issue #7)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest

from loopviz.export import TimelineOptions, TimelinePicture, timeline_image
from loopviz.model import Recording
from loopviz.ui.gantt import LIGHT_PALETTE, GanttView, SliceState
from loopviz.ui.main_window import MainWindow
from tests.export.conftest import blocking_recording  # noqa: F401 - a fixture

from .test_gantt_interaction import at, make_chart, mouse

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot) -> GanttView:
    """The interaction tests' chart: three lanes, three slices, 0–4 s shown."""
    return make_chart(qtbot)


def px_seconds(chart: GanttView) -> float:
    """How many seconds (or steps) one pixel of the plot is."""
    return abs(chart.getPlotItem().getViewBox().viewPixelSize()[0])


def drag(view: GanttView, start: QPoint, stop: QPoint, mods=Qt.KeyboardModifier.NoModifier):
    """A left drag at a hand's pace (pyqtgraph drops moves closer than a frame apart)."""
    QTest.qWait(40)
    mouse(view, QEvent.Type.MouseButtonPress, start, LEFT, mods)
    for k in range(1, 6):
        QTest.qWait(20)
        mouse(view, QEvent.Type.MouseMove, start + (stop - start) * (k / 5), LEFT, mods)
    mouse(view, QEvent.Type.MouseButtonRelease, stop, Qt.MouseButton.NoButton, mods)


def band_span(chart: GanttView) -> tuple[float, float] | None:
    band = chart.selection_band
    return tuple(band.region.getRegion()) if band.region.isVisible() else None


def test_ctrl_drag_selects_the_seconds_dragged_over_without_moving_cursor_or_view(view, qtbot):
    seen: list[object] = []
    asked: list[float] = []
    view.selectionChanged.connect(seen.append)
    view.cursorRequested.connect(asked.append)
    before = view.x_range()
    drag(view, at(view, 0.5, 1), at(view, 2.5, 2), mods=CTRL)
    sel = view.selection()
    assert sel == pytest.approx((0.5, 2.5), abs=2 * px_seconds(view))
    assert seen and seen[-1] == sel
    assert asked == [] and view.cursor is None  # Ctrl+drag is not the cursor's drag
    assert view.x_range() == before  # nor a pan
    assert band_span(view) == pytest.approx(sel)
    assert view.selection_band.label.isVisible()
    assert view.selection_band.label.toPlainText() == f"{sel[1] - sel[0]:.3f} s selected"


def test_dragging_leftwards_selects_the_same_range_and_a_slip_selects_nothing(view):
    drag(view, at(view, 3.0, 1), at(view, 1.0, 1), mods=CTRL)
    assert view.selection() == pytest.approx((1.0, 3.0), abs=2 * px_seconds(view))
    start = at(view, 2.0, 1)
    drag(view, start, start + QPoint(1, 0), mods=CTRL)  # a Ctrl+click, barely moved
    assert view.selection() is None and band_span(view) is None


def test_plain_and_shift_drags_still_move_the_cursor_and_pan(view):
    asked: list[float] = []
    view.cursorRequested.connect(asked.append)
    drag(view, at(view, 0.5, 1), at(view, 2.5, 1))
    assert asked and view.selection() is None
    before = view.x_range()
    drag(view, at(view, 2.5, 1), at(view, 1.5, 1), mods=Qt.KeyboardModifier.ShiftModifier)
    assert view.x_range()[0] == pytest.approx(before[0] + 1.0, abs=0.05)
    assert view.selection() is None


def test_esc_clears_the_selected_range_first_then_the_selected_lane(view, qtbot):
    view.select_lane(2)
    view.set_selection((1.5, 0.5))
    assert view.selection() == (0.5, 1.5)  # either order
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selection() is None and band_span(view) is None
    assert view.selected_lane == 2
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_lane is None


def test_a_new_run_forgets_the_selection(view):
    seen: list[object] = []
    view.set_selection((0.2, 0.4))
    view.selectionChanged.connect(seen.append)
    view.clear()
    assert view.selection() is None and seen == [None] and band_span(view) is None


def test_on_the_steps_axis_the_selection_is_kept_in_wall_seconds(view):
    begins = np.array([0.0, 0.5, 1.0, 1.5])
    view.set_step_times(begins, begins + 0.1)
    view.set_time_axis("steps")
    view.setXRange(*view.whole_run_range(), padding=0)
    x0, x1 = view.x_range()
    a, b = x0 + 0.3 * (x1 - x0), x0 + 0.7 * (x1 - x0)
    drag(view, at(view, a, 1), at(view, b, 1), mods=CTRL)
    wall = (view.to_wall(a), view.to_wall(b))
    assert wall[0] != pytest.approx(a, abs=0.05)  # steps are not seconds here
    sel = view.selection()
    assert sel is not None
    tol = 3 * px_seconds(view) * max(1.0, (wall[1] - wall[0]) / (b - a))
    assert sel == pytest.approx(wall, abs=tol)
    assert band_span(view) == pytest.approx((view.to_view(sel[0]), view.to_view(sel[1])))
    view.set_time_axis("wall")  # the same seconds, drawn on the wall axis
    assert view.selection() == sel and band_span(view) == pytest.approx(sel)


# -- a real window over the recorded blocking lesson ---------------------------------------
def ctrl_drag(widget, qtbot, start: QPoint, stop: QPoint) -> None:
    """Ctrl+press, a few moves at a hand's pace, release: as QTest sends them."""
    QTest.mousePress(widget, LEFT, CTRL, start)
    for k in range(1, 6):
        qtbot.wait(30)
        QTest.mouseMove(widget, start + (stop - start) * (k / 5))
    QTest.mouseRelease(widget, LEFT, CTRL, stop)


def settled(chart: GanttView, qtbot) -> None:
    """Wait until the plot stops changing size (the window's layout settles after showing)."""
    box = chart.getPlotItem().getViewBox()
    last = None
    for _ in range(50):
        qtbot.wait(60)
        now = (box.sceneBoundingRect(), chart.x_range())
        if now == last and box.width() > 300:
            return
        last = now
    raise AssertionError(f"the chart never settled: {last}")


def bar_extent(image: QImage, y: int, colour: str) -> tuple[int, int]:
    """First and last x on line ``y`` of the picture painted in ``colour``."""
    xs = [x for x in range(image.width()) if image.pixelColor(x, y).name() == colour]
    assert xs, f"no {colour} on line {y}"
    return xs[0], xs[-1]


@pytest.mark.slow
def test_ctrl_drag_in_the_window_selects_and_the_export_shows_exactly_that_range(
    window: MainWindow,
    blocking_recording: Recording,  # noqa: F811
    qtbot,
    tmp_path: Path,
) -> None:
    rec = blocking_recording
    window.resize(1400, 900)
    window.live.show_recording(rec, "blocking.lvz")
    chart = window.gantt.chart
    settled(chart, qtbot)
    cursor_before = chart.cursor
    row = chart.data.layout.row_of(1)  # main: blocked in requests.get for about a second
    stall = rec.stalls()[0]
    # From a little before the blocking call to a little after it: both ends of its bar show.
    t0, t1 = stall.begin / 2, stall.end + min(0.02, (rec.duration - stall.end) / 2)
    ctrl_drag(chart.viewport(), qtbot, at(chart, t0, row), at(chart, t1, row))
    sel = chart.selection()
    assert sel == pytest.approx((t0, t1), abs=2 * px_seconds(chart))
    assert chart.cursor == cursor_before
    assert band_span(chart) == pytest.approx(sel)

    # File › Export timeline…: the selection is offered, and chosen.
    dialog = window.exports.open_dialog()
    assert dialog is not None
    assert dialog.range_chart.isEnabled() and dialog.range_chart.isChecked()
    assert dialog.range_chart.text() == f"the selection on the chart ({sel[0]:.3f}–{sel[1]:.3f} s)"
    options = dialog.options()
    assert (options.start, options.end) == pytest.approx(sel)
    written = dialog.export_to(tmp_path / "selection.png")
    assert written is not None
    image = QImage(str(written))

    # The bars sit where the selected range puts them: its start at the plot's left edge.
    with TimelinePicture(rec, options) as picture:
        view = picture.chart.view
        assert view.x_range() == pytest.approx(sel)
        scale = image.width() / picture.geometry.logical_width
        box = view.getPlotItem().getViewBox()
        rect = view.mapFromScene(box.sceneBoundingRect()).boundingRect()
        left = rect.left() + view.viewport().pos().x()

        def expected_x(t: float) -> float:
            return (left + (t - sel[0]) / (sel[1] - sel[0]) * box.width()) * scale

        y = round((view.data_to_pixel(0.5, row - 0.25).y() + picture.band) * scale)
    x_first, x_last = bar_extent(image, y, LIGHT_PALETTE.state(SliceState.BLOCKING))
    assert x_first == pytest.approx(expected_x(stall.begin), abs=3 * scale)
    assert x_last == pytest.approx(expected_x(stall.end), abs=3 * scale)

    # Copy timeline copies the selection too; Esc on the chart forgets it.
    assert window.exports.copy_timeline()
    copied = QGuiApplication.clipboard().image()
    dark = chart.gantt_palette.dark
    same = TimelineOptions(scale=2.0, start=sel[0], end=sel[1], at=chart.cursor, dark=dark)
    assert copied == timeline_image(rec, same).convertToFormat(copied.format())
    chart.setFocus()
    QTest.keyClick(chart, Qt.Key.Key_Escape)
    assert chart.selection() is None and band_span(chart) is None
    dialog = window.exports.open_dialog()
    assert not dialog.range_chart.isEnabled() and dialog.range_visible.isChecked()
    dialog.close()
