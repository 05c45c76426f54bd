"""Compare mode: a pinned recording's timeline above the current one, on the same time axis.

A lecture shows the blocking request, pins it, then runs its ``to_thread`` fix:
the two runs appear one above the other, the same instant at the same x, the
time cursor drawn in both. Why x-linked rather than drawn in one chart: each
run keeps its own lanes, names and hover texts, and unpinning is just removing
a widget. The lane-name columns are kept the same width, so "x pixel = time"
holds for both charts, not only for their plot areas.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from loopviz.model import Recording
from loopviz.model.step_axis import step_times
from loopviz.ui.docks import PaneTitleBar
from loopviz.ui.gantt import GanttView
from loopviz.ui.timeline_feed import TimelineFeed

LIVE_REFRESH_MS = 100  # a recording pinned while it still runs keeps growing


def recording_title(rec: Recording, fallback: str = "recording") -> str:
    """The scenario's file name, from the runner's hello (works for opened files too)."""
    scenario = rec.hello.get("scenario") if isinstance(rec.hello, dict) else None
    return Path(str(scenario)).name if scenario else fallback


class PinnedTimeline(QWidget):
    """A title bar ("Pinned: <scenario>", Unpin) over a read-only chart of one recording."""

    unpinRequested = Signal()

    def __init__(self, rec: Recording, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PinnedTimeline")
        self.recording = rec
        self.header = PaneTitleBar(self, f"Pinned: {title}")
        self.header.subtitle.setText("pinned for comparison")
        self.title = self.header.title
        self.unpin_button = QPushButton("Unpin", self.header)
        self.unpin_button.setObjectName("UnpinButton")
        self.unpin_button.setToolTip("Close the pinned recording (Ctrl+P)")
        self.unpin_button.clicked.connect(self.unpinRequested)
        self.header.layout().addWidget(self.unpin_button)
        self.chart = GanttView(self)
        self.chart.setObjectName("PinnedPlot")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.chart, 1)
        self.feed = TimelineFeed(self.chart)
        self.feed.reset(rec)
        # Never follows nor glides by itself: its range is the main chart's (x-linked).
        self.chart.set_following(False)
        self._timer = QTimer(self)
        self._timer.setInterval(LIVE_REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Bring the chart up to the recording (once, or while it still runs)."""
        rec = self.recording
        self.feed.update(rec.duration)
        self.chart.set_step_times(*step_times(rec))
        running = rec.outcome is None
        if running and not self._timer.isActive():
            self._timer.start()
        elif not running:
            self._timer.stop()


class CompareMode(QObject):
    """Keeps a :class:`PinnedTimeline` in step with the main chart: axis, range, cursor."""

    pinnedChanged = Signal(bool)

    def __init__(self, main: GanttView, host: object, parent: QObject | None = None) -> None:
        """``host`` shows the pinned widget: anything with ``set_pinned(widget | None)``."""
        super().__init__(parent)
        self.main = main
        self.host = host
        self.pinned: PinnedTimeline | None = None
        main.timeAxisChanged.connect(self._on_axis)
        main.cursorChanged.connect(self._on_cursor)
        main.lane_axis.sigNaturalWidthChanged.connect(self._share_name_width)
        main.styleChanged.connect(lambda: QTimer.singleShot(0, self._copy_look))

    @property
    def active(self) -> bool:
        return self.pinned is not None

    def pin(self, rec: Recording, title: str | None = None) -> PinnedTimeline:
        """Show ``rec`` above the main chart (replacing any recording pinned before)."""
        self.unpin()
        pinned = PinnedTimeline(rec, title or recording_title(rec))
        self.pinned = pinned
        chart = pinned.chart
        self._copy_look(chart)
        chart.set_time_axis(self.main.time_axis())
        chart.set_cursor(self.main.cursor)
        chart.cursorRequested.connect(self.main.cursorRequested)  # one cursor for both
        chart.lane_axis.sigNaturalWidthChanged.connect(self._share_name_width)
        pinned.unpinRequested.connect(self.unpin)
        self.host.set_pinned(pinned)  # type: ignore[attr-defined]
        self._share_name_width()
        chart.setXLink(self.main)
        chart.setXRange(*self.main.x_range(), padding=0)
        self.pinnedChanged.emit(True)
        return pinned

    def unpin(self) -> None:
        pinned, self.pinned = self.pinned, None
        if pinned is None:
            return
        pinned.chart.setXLink(None)
        self.host.set_pinned(None)  # type: ignore[attr-defined]
        pinned.deleteLater()
        self.main.lane_axis.min_width = 0
        self.main.lane_axis.lanes_changed()
        self.pinnedChanged.emit(False)

    def _on_axis(self, mode: str) -> None:
        if self.pinned is not None:
            shown = self.main.x_range()  # the pinned chart's own re-fit moves both (linked)
            self.pinned.chart.set_time_axis(mode)
            self.pinned.chart.setXRange(*shown, padding=0)

    def _on_cursor(self, t: object) -> None:
        if self.pinned is not None:
            self.pinned.chart.set_cursor(None if t is None else float(t))  # type: ignore[arg-type]

    def _copy_look(self, chart: GanttView | None = None) -> None:
        """The main chart's palette, font and line pens (a theme may thicken them)."""
        if chart is None:
            if self.pinned is None:
                return
            chart = self.pinned.chart
        main = self.main
        chart.set_palette(main.gantt_palette)
        chart.set_chart_font(main.item.labels.font)
        chart.cursor_line.setPen(main.cursor_line.pen)
        chart.now_line.setPen(main.now_line.pen)

    def _share_name_width(self, *_args: object) -> None:
        """Both lane-name columns as wide as the wider needs, so the plots line up."""
        if self.pinned is None:
            return
        axes = (self.main.lane_axis, self.pinned.chart.lane_axis)
        width = max(a.natural_width for a in axes)
        for axis in axes:
            if axis.min_width != width:
                axis.min_width = width
                axis.lanes_changed()
