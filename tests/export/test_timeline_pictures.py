"""Timeline pictures as a user gets them: PNG pixels, SVG shapes, one PDF page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from loopviz.export import ExportError, TimelineOptions, TimelinePicture, export_timeline
from loopviz.export.picture import to_image
from loopviz.model import Recording
from loopviz.ui.gantt import LIGHT_PALETTE, SliceState

SVG = "{http://www.w3.org/2000/svg}"


def wide_slices(picture: TimelinePicture, min_px: float) -> list[tuple[int, float, float, int]]:
    """(row, start, end, state) of the slices at least ``min_px`` logical pixels wide."""
    view = picture.chart.view
    layout = view.data.layout
    x0, x1 = view.x_range()
    px_per_s = view.getPlotItem().getViewBox().width() / (x1 - x0)
    out = []
    batch = picture.chart.recording.slice_arrays()
    for state, cols in batch.columns.items():
        for lane, start, end in zip(cols.lane, cols.start, cols.end, strict=True):
            row = layout.row_of(int(lane))
            lo, hi = max(start, x0), min(end, x1)
            if row is not None and (hi - lo) * px_per_s >= min_px:
                out.append((row, float(lo), float(hi), int(state)))
    return out


def pixel(picture: TimelinePicture, image: QImage, t: float, row: float) -> str:
    """The colour of the exported picture where time ``t`` on ``row`` is drawn."""
    p = picture.chart.view.data_to_pixel(t, row)
    scale = image.width() / picture.geometry.logical_width
    x, y = round(p.x() * scale), round((p.y() + picture.band) * scale)
    return image.pixelColor(x, y).name()


@pytest.mark.parametrize("scale", [1, 2, 4])
def test_png_has_the_scaled_size_and_each_wide_bar_has_its_state_colour(
    qapp, blocking_recording: Recording, scale: int
) -> None:
    options = TimelineOptions(scale=scale, title="Blocking requests")
    with TimelinePicture(blocking_recording, options) as picture:
        image = to_image(picture.geometry, picture.paint)
        assert image.width() == 1280 * scale
        assert image.height() == round(picture.geometry.logical_height * scale)
        bars = wide_slices(picture, min_px=40)
        # main's blocking requests.get and the ticker waiting through it, at least
        states = {state for _row, _s, _e, state in bars}
        assert {int(SliceState.BLOCKING), int(SliceState.WAITING)} <= states
        for row, start, end, state in bars:
            t = start + 0.9 * (end - start)  # right of the bar's label
            colour = pixel(picture, image, t, row - 0.25)  # above the label's text
            assert colour == LIGHT_PALETTE.state(state), (row, start, end, state)
        # After the run ends, the lanes show their background, not a bar.
        end = blocking_recording.duration + 0.01
        assert pixel(picture, image, end, 2) not in LIGHT_PALETTE.states


def test_png_at_an_exact_size_is_exactly_that_size(qapp, blocking_recording, tmp_path) -> None:
    out = export_timeline(
        blocking_recording, tmp_path / "slide.png", TimelineOptions(width=3840, height=2160)
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (3840, 2160)
    colours = {
        image.pixelColor(x, y).name() for x in range(0, 3840, 32) for y in range(0, 2160, 32)
    }
    for state in (SliceState.BLOCKING, SliceState.WAITING):
        assert LIGHT_PALETTE.state(state) in colours


def test_svg_parses_and_every_visible_slice_is_a_vector_rectangle(
    qapp, small_recording: Recording, tmp_path: Path
) -> None:
    options = TimelineOptions(title="workers")
    path = tmp_path / "workers.svg"
    export_timeline(small_recording, path, options)
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}image")), "no embedded bitmap"
    rects = list(root.iter(f"{SVG}rect"))
    with TimelinePicture(small_recording, options) as picture:
        visible = wide_slices(picture, min_px=1.0)
    assert len(visible) >= 25
    assert len(rects) >= len(visible)
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for name in ("worker-0", "worker-2", "event loop", "workers", "stall"):
        assert name in texts, name
    fills = {g.get("fill") for g in root.iter(f"{SVG}g")}
    for state in (SliceState.RUNNING, SliceState.WAITING, SliceState.BLOCKING):
        assert LIGHT_PALETTE.state(state) in fills


def test_pdf_is_a_single_vector_page_the_size_of_the_picture(
    qapp, blocking_recording: Recording, tmp_path: Path
) -> None:
    path = export_timeline(blocking_recording, tmp_path / "handout.pdf", TimelineOptions())
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", data)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(1280 * 72 / 96, abs=1)


def test_dark_theme_and_no_legend(qapp, blocking_recording: Recording) -> None:
    light = TimelineOptions()
    dark = TimelineOptions(dark=True, legend=False)
    with (
        TimelinePicture(blocking_recording, light) as a,
        TimelinePicture(blocking_recording, dark) as b,
    ):
        image = to_image(b.geometry, b.paint)
        corner = image.pixelColor(image.width() - 3, 3).name()
        assert corner == "#16181d"  # the dark palette's background
        assert b.geometry.logical_height < a.geometry.logical_height  # no legend row


def test_cursor_line_is_drawn_at_its_time(qapp, blocking_recording: Recording) -> None:
    with TimelinePicture(blocking_recording, TimelineOptions(at=0.3, scale=2)) as picture:
        image = to_image(picture.geometry, picture.paint)
        view = picture.chart.view

        def cursor_near(t: float) -> bool:
            p = view.data_to_pixel(t, 1.5)  # between two lanes: no bar label there
            y = round((p.y() + picture.band) * 2)
            xs = range(round(p.x() * 2) - 4, round(p.x() * 2) + 5)
            return any(_close(image.pixelColor(x, y).name(), LIGHT_PALETTE.cursor) for x in xs)

        assert cursor_near(0.3)
        assert not cursor_near(0.7)


def _close(a: str, b: str) -> bool:
    ca = np.array([int(a[i : i + 2], 16) for i in (1, 3, 5)])
    cb = np.array([int(b[i : i + 2], 16) for i in (1, 3, 5)])
    return bool(np.abs(ca - cb).max() < 60)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (TimelineOptions(start=0.5, end=9.0), "outside the run"),
        (TimelineOptions(start=-3.0, end=0.5), "outside the run"),
        (TimelineOptions(start=0.5, end=0.2), "empty"),
        (TimelineOptions(at=50.0), "outside the run"),
        (TimelineOptions(width=800), "together"),
        (TimelineOptions(scale=100), "--scale"),
    ],
)
def test_bad_options_fail_with_a_clear_message_and_write_nothing(
    qapp, blocking_recording: Recording, tmp_path: Path, options, message
) -> None:
    path = tmp_path / "x.png"
    with pytest.raises(ExportError, match=message):
        export_timeline(blocking_recording, path, options)
    assert not path.exists()


def test_unknown_format_is_refused(qapp, blocking_recording: Recording, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"unknown picture format \(\.gif\)"):
        export_timeline(blocking_recording, tmp_path / "x.gif")
