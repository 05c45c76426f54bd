"""Screenshots of the window at one instant: the whole window, or the chart with its panes.

In the app the window already shows the run; :func:`window_image` grabs it. The
command line (``loopviz export --window``) first builds a window offscreen and
puts a finished recording into it at the cursor time (:func:`show_recording_at`),
the way the window shows a run that has ended — so the picture is the app's.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

from loopviz.model import Recording

if TYPE_CHECKING:
    from loopviz.ui.main_window import MainWindow

GAP = 6  # logical pixels between the chart and the panes under it
TOGETHER = 1.4
"""The panes count as side by side when the rectangle around them is at most this much
larger than the panes themselves (the rest would be other panes in the picture)."""


class WindowPart(StrEnum):
    WHOLE = "whole"  # the window as it is on screen, menus and docks included
    PANES = "panes"  # the timeline, with the ready queue and the tasks table under it


def show_recording_at(window: MainWindow, recording: Recording, t: float) -> None:
    """Show a finished ``recording`` in ``window``'s views at ``t`` seconds (cursor)."""
    scenario = recording.hello.get("scenario")
    if isinstance(scenario, str) and Path(scenario).is_file():
        window.select_scenario(Path(scenario))
    live = window.live
    cursor = getattr(window, "time_cursor", None)
    show = getattr(live, "show_recording", None)
    if show is not None and cursor is not None:
        # The window opens recordings itself (File › Open recording): do as it does.
        name = Path(scenario).name if isinstance(scenario, str) else "recording"
        show(recording, name)
        cursor.set(t)
        return
    live.run.recording = recording
    chart = window.gantt.chart
    chart.set_following(False)  # a finished run: no glide to the end
    live.feed.reset(recording)
    chart.set_following(False)
    live.feed.update(recording.duration)
    chart.fit_all()
    chart.set_cursor(t)
    window.gantt.set_empty(False)
    state = recording.state_at(t)
    for pane in window.live_panes():
        pane.set_recording(recording)
    window.ready_queue.show_state(state, animate=False)
    for pane in (window.tasks, window.futures, window.coroutines):
        pane.show_state(state)
    window.source.show_state(state)
    window.console.follow(recording, state)
    window.stall_banner.show_stall(state.stall, t, live=False, so_far=True)


def window_image(window: MainWindow, part: WindowPart = WindowPart.WHOLE) -> QImage:
    """The window (or the chart with the ready queue and tasks) as the screen shows it.

    The chart, the ready queue and the tasks sit together in the default layout (with
    the stall banner above them while the loop is blocked): that part of the window is
    cut out as it is. Docks moved apart are grabbed one by one and put together instead.
    """
    if part is WindowPart.WHOLE:
        return window.grab().toImage()
    docks = getattr(window, "docks", None)
    queue = getattr(docks, "ready_queue", None) or window.ready_queue
    tasks = getattr(docks, "tasks", None) or window.tasks
    parts = [w for w in (window.stall_banner, window.gantt, queue, tasks) if w.isVisible()]
    rects = [QRect(w.mapTo(window, QPoint(0, 0)), w.size()) for w in parts]
    union = QRect()
    for r in rects:
        union = union.united(r)
    covered = sum(r.width() * r.height() for r in rects)
    if union.width() * union.height() <= TOGETHER * covered:
        return window.grab(union).toImage()
    return _stack(
        window.gantt.grab(),
        [window.ready_queue.grab(), window.tasks.grab()],
        QColor(window.palette().window().color()),
    )


def _stack(top: QPixmap, row: list[QPixmap], background: QColor) -> QImage:
    """``top`` above the pixmaps of ``row`` side by side, on ``background``."""
    ratio = top.devicePixelRatio()
    gap = round(GAP * ratio)
    row_w = sum(p.width() for p in row) + gap * (len(row) - 1)
    row_h = max((p.height() for p in row), default=0)
    width = max(top.width(), row_w)
    image = QImage(width, top.height() + gap + row_h, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(background)
    painter = QPainter(image)
    try:
        painter.drawPixmap(QPoint(0, 0), _physical(top))
        x = 0
        for pixmap in row:
            painter.drawPixmap(QPoint(x, top.height() + gap), _physical(pixmap))
            x += pixmap.width() + gap
    finally:
        painter.end()
    image.setDevicePixelRatio(ratio)
    return image


def _physical(pixmap: QPixmap) -> QPixmap:
    """The pixmap drawn pixel for pixel (its device pixel ratio would shrink it)."""
    copy = QPixmap(pixmap)
    copy.setDevicePixelRatio(1.0)
    return copy
