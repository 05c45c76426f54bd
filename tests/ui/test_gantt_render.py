"""What the Gantt chart shows, read back from the pixels of the grabbed widget."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QRegion
from PySide6.QtSvg import QSvgGenerator

from loopviz.ui.gantt import DARK_PALETTE, LIGHT_PALETTE, GanttView, SliceState
from loopviz.ui.gantt.palette import GanttPalette

S = SliceState
LANES = [(0, "event loop", 0), (1, "main", 0), (2, "Task-2", 1), (3, "Task-3", 1)]
# lane, start, end, state: each lane has a gap somewhere so the background shows.
SLICES = [
    (0, 0.0, 1.0, S.CALLBACK),
    (0, 1.0, 3.0, S.IDLE),
    (1, 0.0, 1.0, S.RUNNING),
    (1, 1.0, 3.0, S.WAITING),
    (2, 0.5, 1.5, S.READY),
    (2, 2.0, 3.0, S.BLOCKING),
    (3, 0.2, 0.8, S.RUNNING),
]


def make_view(qtbot, palette: GanttPalette = LIGHT_PALETTE, size=(900, 500)) -> GanttView:
    view = GanttView(palette=palette)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_following(False)
    return view


def feed(view: GanttView, slices=SLICES, lanes=LANES) -> None:
    view.set_lanes(lanes)
    lane, start, end, state = (np.array(c) for c in zip(*slices, strict=True))
    view.add_slices(lane, start, end, state, np.arange(len(lane)))
    view.setXRange(-0.1, 4.0, padding=0)


def grab(view: GanttView) -> QImage:
    return view.grab().toImage()


def color_at(image: QImage, p: QPoint) -> str:
    return image.pixelColor(p).name()


def is_reddish(c: QColor) -> bool:
    return c.red() > c.green() + 30 and c.red() > c.blue() + 30


@pytest.mark.parametrize("palette", [LIGHT_PALETTE, DARK_PALETTE], ids=["light", "dark"])
def test_bars_have_their_state_colour_at_their_time_and_background_between(qtbot, palette):
    view = make_view(qtbot, palette)
    feed(view)
    image = grab(view)
    for lane, start, end, state in SLICES:
        p = view.data_to_pixel((start + end) / 2, lane)
        assert color_at(image, p) == palette.state(state), (lane, start, state)
    # In the gap of Task-2 (1.5..2.0 s) and after everything (3.5 s): the row's background.
    assert color_at(image, view.data_to_pixel(1.75, 2)) == palette.background
    assert color_at(image, view.data_to_pixel(3.5, 2)) == palette.background
    assert color_at(image, view.data_to_pixel(3.5, 1)) == palette.row_alt  # odd rows shaded
    # Between two lanes: not a bar.
    between = view.data_to_pixel(0.5, 1.5)
    assert color_at(image, between) not in palette.states


def test_bars_start_and_end_at_their_times(qtbot):
    view = make_view(qtbot)
    feed(view)
    image = grab(view)
    y = view.data_to_pixel(0, 2).y()
    row = [image.pixelColor(x, y).name() for x in range(image.width())]
    ready = [x for x, c in enumerate(row) if c == LIGHT_PALETTE.state(S.READY)]
    assert abs(ready[0] - view.data_to_pixel(0.5, 2).x()) <= 1
    assert abs(ready[-1] - view.data_to_pixel(1.5, 2).x()) <= 1


def test_lane_names_are_listed_and_drawn_with_children_indented(qtbot):
    view = make_view(qtbot)
    feed(view)
    assert view.lane_labels() == ["event loop", "main", "Task-2", "Task-3"]
    image = grab(view)
    axis_right = view.data_to_pixel(-0.1, 0).x() - 2

    def first_text_pixel(row: int) -> int | None:
        y = view.data_to_pixel(0, row).y()
        for x in range(axis_right):
            for dy in range(-6, 7):
                if image.pixelColor(x, y + dy).lightness() < 80:  # glyph ink, not tree lines
                    return x
        return None

    xs = [first_text_pixel(r) for r in range(4)]
    assert None not in xs, xs
    assert xs[2] > xs[1] + 8 and xs[3] > xs[1] + 8, xs  # Task-2/3 indented under main
    assert first_text_pixel(5) is None  # no name where there is no lane


def test_zoomed_out_merging_leaves_no_gap_where_there_were_bars(qtbot):
    """300,000 slices of 10 µs every 30 µs: far below a pixel each, yet a solid bar."""
    view = make_view(qtbot)
    view.set_lanes(LANES[:2])
    n = 300_000
    start = np.arange(n) * 30e-6
    view.add_slices(np.ones(n, np.int32), start, start + 10e-6, np.zeros(n, np.uint8))
    view.setXRange(-0.5, 10.5, padding=0)
    image = grab(view)
    assert S.RUNNING in view.item.stats.merged_states
    assert view.item.stats.rects < 50
    y = view.data_to_pixel(0, 1).y()
    x0, x1 = view.data_to_pixel(0.0, 1).x(), view.data_to_pixel(start[-1], 1).x()
    colors = {image.pixelColor(x, y).name() for x in range(x0 + 1, x1)}
    assert colors == {LIGHT_PALETTE.state(S.RUNNING)}
    assert image.pixelColor(view.data_to_pixel(10.2, 1)).name() != LIGHT_PALETTE.state(S.RUNNING)


def test_a_live_stall_is_a_red_band_across_all_lanes_up_to_now(qtbot):
    view = make_view(qtbot)
    feed(view)
    view.set_stalls([(3.2, None)])
    view.set_now(3.6)
    image = grab(view)
    for row in range(4):
        assert is_reddish(image.pixelColor(view.data_to_pixel(3.4, row))), row
        assert not is_reddish(image.pixelColor(view.data_to_pixel(3.8, row))), row
    view.set_now(3.9)
    image = grab(view)
    assert is_reddish(image.pixelColor(view.data_to_pixel(3.8, 1)))
    view.set_stalls([(3.2, 3.5)])  # the stall ended
    image = grab(view)
    assert not is_reddish(image.pixelColor(view.data_to_pixel(3.7, 1)))


def test_open_slices_grow_with_now(qtbot):
    view = make_view(qtbot)
    feed(view)
    view.set_open_slices(np.array([3]), np.array([1.0]), np.array([S.RUNNING]))
    view.set_now(2.0)
    running = LIGHT_PALETTE.state(S.RUNNING)
    assert color_at(grab(view), view.data_to_pixel(1.5, 3)) == running
    assert color_at(grab(view), view.data_to_pixel(2.5, 3)) != running
    view.set_now(3.0)
    assert color_at(grab(view), view.data_to_pixel(2.5, 3)) == running


def test_end_markers_are_drawn_at_the_end_of_the_lane(qtbot):
    view = make_view(qtbot)
    feed(view)
    view.set_markers([(3, 0.8, "done"), (2, 3.0, "failed")])
    image = grab(view)
    above = QPoint(0, -6)  # on the disc, off the tick / cross drawn in its middle
    assert color_at(image, view.data_to_pixel(0.8, 3) + above) == LIGHT_PALETTE.done
    assert color_at(image, view.data_to_pixel(3.0, 2) + above) == LIGHT_PALETTE.failed


def test_clear_empties_the_chart(qtbot):
    view = make_view(qtbot)
    feed(view)
    view.set_stalls([(1.0, 2.0)])
    view.set_markers([(3, 0.8, "done")])
    view.clear()
    assert len(view.data) == 0 and view.lane_labels() == []
    image = grab(view)
    for lane, start, end, _state in SLICES:
        c = image.pixelColor(view.data_to_pixel((start + end) / 2, lane))
        assert c.name() not in LIGHT_PALETTE.states and not is_reddish(c)


def test_the_cached_raster_paints_the_same_pixels(qtbot):
    view = make_view(qtbot)
    feed(view)
    view.item.raster_enabled = False
    direct = grab(view)
    view.item.raster_enabled = True
    view.item.raster_threshold = 0
    cached = grab(view)
    misses = view.item.raster_misses
    again = grab(view)
    assert view.item.raster_misses == misses  # the second frame reused the raster
    assert cached == direct and again == direct


def test_a_repainted_strip_matches_the_full_picture(qtbot):
    """Qt repaints only around a moving line; the strip must not show seams or shifts."""
    view = make_view(qtbot)
    view.set_lanes(LANES)
    n = 100_000  # dense enough to be drawn as merged pixel runs
    rng = np.random.default_rng(2)
    start = np.sort(rng.uniform(0, 3.5, n))
    view.add_slices(rng.integers(0, 4, n), start, start + 2e-5, np.zeros(n, np.uint8))
    view.set_describe(lambda state, detail: f"await something long enough #{detail}")
    feed(view)
    viewport = view.viewport()
    full = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)
    full.fill(0)
    viewport.render(full)
    for x in (301, 480, 517):
        strip_rect = QRect(x, 0, 37, viewport.height())
        strip = QImage(viewport.size(), QImage.Format.Format_ARGB32_Premultiplied)
        strip.fill(0)
        viewport.render(strip, strip_rect.topLeft(), QRegion(strip_rect))
        assert not view.item.stats.merged_states or view.item.stats.rects
        assert full.copy(strip_rect) == strip.copy(strip_rect), x


def test_render_to_image_scales_the_chart(qtbot):
    view = make_view(qtbot, size=(800, 450))
    feed(view)
    image = view.render_to_image(1600, 900)
    assert image.size() == QSize(1600, 900)
    origin = view.viewport().pos()
    for lane, start, end, state in SLICES:
        p = view.data_to_pixel((start + end) / 2, lane) - origin
        assert image.pixelColor(p * 2).name() == LIGHT_PALETTE.state(state)


def test_svg_export_draws_vectors(qtbot):
    view = make_view(qtbot)
    feed(view)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(QSize(900, 500))
    gen.setViewBox(QRect(0, 0, 900, 500))
    gen.setResolution(96)
    p = QPainter(gen)
    view.paint_to(p, QRectF(0, 0, 900, 500))
    p.end()
    svg = bytes(data).decode()
    assert svg.count("<rect") + svg.count("<path") > len(SLICES)
    assert LIGHT_PALETTE.state(S.BLOCKING) in svg
