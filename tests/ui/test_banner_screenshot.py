"""The window 0.73 s into ``requests.get``: banner, timeline, source and console together.

Wires the banner the way the window is meant to (:func:`banner_above` as the
central widget, the state of one instant fed to every pane), saves the pictures
(to ``$LOOPVIZ_SCREENSHOT_DIR`` if set, else pytest's tmp dir) and checks what
the back row must be able to see in them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from loopviz.model import Recording, State
from loopviz.ui.gantt import GanttView, palette_for
from loopviz.ui.gantt.lanes import tree_order
from loopviz.ui.layout import apply_default_sizes
from loopviz.ui.source_markers import lane_colors_for
from loopviz.ui.stall_banner import StallBanner, banner_above

from .test_banner_recordings import BLOCKING, blocking_lines, live_blocking_recording

NOW = 0.73


def out_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("LOOPVIZ_SCREENSHOT_DIR") or tmp_path)


def timeline_for(rec: Recording, now: float, dark: bool, background: str) -> GanttView:
    """A chart fed the way the app feeds it: lanes, every state's slices, the live stall."""
    view = GanttView(palette=palette_for(dark, background=background))
    lanes = rec.lanes()
    view.set_lanes(tree_order((lane.id, lane.name, lane.parent) for lane in lanes))
    batch = rec.slice_arrays(now=now)
    for state in (State.RUNNING, State.READY, State.WAITING, State.BLOCKING, State.CALLBACK):
        cols = batch[state]
        keep = cols.start < now
        if keep.any():
            view.add_state_slices(
                int(state),
                cols.lane[keep],
                cols.start[keep],
                np.minimum(cols.end[keep], now),
            )
    view.set_stalls(
        [(s.begin, None if s.end is None or s.end > now else s.end) for s in rec.stalls()]
    )
    view.set_now(now)
    view.set_following(False)
    view.setXRange(-0.05, 1.1, padding=0)
    return view


def window_during_stall(window, qtbot, dark: bool) -> StallBanner:
    window.set_theme_mode("dark" if dark else "light")
    theme = window.theme.theme
    rec = live_blocking_recording(NOW)
    state = rec.state_at(NOW)
    assert window.select_scenario(BLOCKING)
    # What MainWindow is meant to do (see the report): banner over the timeline.
    banner = StallBanner(window, theme)
    window.takeCentralWidget()
    chart = timeline_for(rec, NOW, dark, theme.plot_background)
    window.setCentralWidget(banner_above(banner, chart, window))
    banner.set_clock(lambda: NOW)
    banner.show_stall(state.stall, NOW)
    window.source.show_state(state, lane_colors_for(theme.is_dark))
    window.console.set_theme(theme)
    window.console.append_lines(rec.output())  # nothing yet: the ticker cannot print
    window.resize(1600, 900)
    QApplication.processEvents()
    apply_default_sizes(window, window.docks)
    qtbot.waitUntil(lambda: banner.isVisible() and banner.width() > 400, timeout=5000)
    QApplication.processEvents()
    return banner


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_window_during_a_stall(window, qtbot, tmp_path, dark) -> None:
    banner = window_during_stall(window, qtbot, dark)
    image = window.grab().toImage()
    name = "dark" if dark else "light"
    assert image.save(str(out_dir(tmp_path) / f"banner_window_{name}.png"))
    # The banner spans the timeline, above it, red, saying what and where.
    top_left = banner.mapTo(window, QPoint(0, 0))
    pixel = image.pixelColor(top_left + QPoint(6, 6))
    assert pixel.red() > 110 and pixel.green() < 70 and pixel.blue() < 70, pixel.name()
    assert banner.width() >= window.centralWidget().width() - 2
    assert banner.text().startswith("Event loop blocked — 0.73 s — requests.get(...) in main()")
    # The source pane shows the same line, in red, on screen.
    code = window.source.code
    stall = code.markers.stall
    assert stall is not None and stall.line == blocking_lines()["get"] - 1
    assert stall.line in code.visible_lines()
    window.set_theme_mode("light")


def test_banner_alone_narrow_and_wide(qtbot, tmp_path) -> None:
    stall = live_blocking_recording(NOW).state_at(NOW).stall
    for width in (560, 1400):
        banner = StallBanner()
        qtbot.addWidget(banner)
        banner.resize(width, 100)
        banner.set_clock(lambda: NOW)
        banner.show_stall(stall, NOW)
        image = banner.grab().toImage()
        assert image.save(str(out_dir(tmp_path) / f"banner_{width}.png"))
        white = sum(
            image.pixelColor(x, y) == QColor("#ffffff")
            for x in range(0, image.width(), 3)
            for y in range(0, image.height(), 3)
        )
        assert white > 200, "big white text on the red"
