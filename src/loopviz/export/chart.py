"""An offscreen timeline of a whole recording, ready to be painted into a picture.

Why a fresh chart and not the window's: an export has its own size, theme,
range and legend, and must not move what the lecturer is looking at. The chart
is the app's own :class:`~loopviz.ui.gantt.GanttView`, fed the way the window
feeds it (:class:`~loopviz.ui.timeline_feed.TimelineFeed`), so the picture is
the chart people know — same colours, labels, stall band and legend.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QGraphicsView

from loopviz.model import Recording
from loopviz.ui.gantt import GanttView, palette_for
from loopviz.ui.gantt.widget import chart_font
from loopviz.ui.timeline_feed import TimelineFeed

LANE_PX = 40.0  # logical pixels per lane when the height is fitted to the lanes
MAX_LANE_PX = 100.0  # an exact size with few lanes: taller lanes, up to this
MIN_LANE_PX = 22.0  # many lanes: the lowest ones are left out rather than unreadable
MIN_HEIGHT = 150.0
MAX_HEIGHT = 1400.0  # beyond this many lanes (~30) the lowest ones are left out


def export_font() -> QFont:
    """The chart's font under the family Qt really uses ("DejaVu Sans", not "Sans Serif"),
    so an SVG names a font a browser can find."""
    font = chart_font()
    font.setFamily(QFontInfo(font).family())
    return font


class ExportChart:
    """A hidden :class:`GanttView` holding a recording; see the module docstring.

    Close it (or use it as a context manager) when done: it is a top-level widget.
    """

    def __init__(self, recording: Recording, *, dark: bool = False, legend: bool = True) -> None:
        self.recording = recording
        view = GanttView(palette=palette_for(dark))
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        # The cached raster is drawn at the screen's pixel ratio: blurry at 2× or 4×.
        view.item.raster_enabled = False
        view.set_chart_font(export_font())
        view.set_following(False)  # so the end of the run does not start a glide
        feed = TimelineFeed(view)
        feed.reset(recording)
        view.set_following(False)
        feed.update(recording.duration)
        # A finished run has no "now": its line would only mark the end of the recording.
        view.now_line.hide()
        view.legend.set_kinds(view.data.kinds())
        if not legend:
            view.getPlotItem().layout.removeItem(view.legend)
            view.legend.hide()
        view.resize(1280, int(MAX_HEIGHT))
        view.show()
        self.view = view
        self._chrome = self._measure_chrome()

    def _measure_chrome(self) -> float:
        """Height of everything that is not lanes (legend row, time axis, margins)."""
        self.view.getPlotItem().layout.activate()
        box = self.view.getPlotItem().getViewBox()
        return float(self.view.height() - box.height())

    def fitted_height(self) -> float:
        """The height that gives every lane ``LANE_PX`` (within sensible bounds)."""
        rows = max(1, len(self.view.data.layout))
        return min(MAX_HEIGHT, max(MIN_HEIGHT, self._chrome + rows * LANE_PX))

    def set_size(self, width: float, height: float) -> None:
        """The chart's size in logical pixels (text is sized in these)."""
        self.view.resize(max(1, round(width)), max(1, round(height)))
        self.view.getPlotItem().layout.activate()
        rows = max(1, len(self.view.data.layout))
        available = self.view.getPlotItem().getViewBox().height()
        self.view.set_lane_height(min(MAX_LANE_PX, max(MIN_LANE_PX, available / rows)))
        self.view.scroll_lanes(-rows)  # from the first lane

    def set_range(self, start: float | None, end: float | None) -> None:
        """Show ``start``..``end`` seconds; None on either side: that end of the whole run."""
        lo, hi = self.view.whole_run_range()
        self.view.setXRange(lo if start is None else start, hi if end is None else end, padding=0)

    def set_cursor(self, t: float | None) -> None:
        self.view.set_cursor(t)

    def close(self) -> None:
        self.view.close()
        self.view.deleteLater()

    def __enter__(self) -> ExportChart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
