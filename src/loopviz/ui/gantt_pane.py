"""The centre of the window: the timeline, one lane per task, time in seconds.

A :class:`~loopviz.ui.gantt.GanttView` (the fast custom chart, DESIGN.md) under
a title bar, with the "press F5" hint until a run gives it something to show.
In compare mode (:mod:`loopviz.ui.compare`) a pinned recording's chart sits above it.
What goes into the chart comes from :class:`~loopviz.ui.timeline_feed.TimelineFeed`.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from loopviz.ui.docks import PaneTitleBar
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.gantt import GanttView
from loopviz.ui.theme import LIGHT, Theme

EMPTY_TEXT = "Press F5 to run the selected scenario"
LOOP_LANE = "event loop"
SUBTITLES = {
    "wall": "time in seconds · one lane per task",
    "steps": "loop steps: one column per handle run · one lane per task",
}


class GanttPane(QWidget):
    """Holds the chart (``self.chart``) and its empty-state hint."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("GanttPane")
        self.chart = GanttView(self)
        self.chart.setObjectName("GanttPlot")
        self.plot = self.chart
        self.plot_item = self.chart.getPlotItem()
        self.header = PaneTitleBar(self, "Timeline")
        self.header.subtitle.setText(SUBTITLES["wall"])
        self.chart.timeAxisChanged.connect(
            lambda mode: self.header.subtitle.setText(SUBTITLES[mode])
        )
        # Compare mode: a pinned recording's chart above, the current run's below.
        self.current_header = PaneTitleBar(self, "Current run")
        self.current_header.hide()
        self.pinned: QWidget | None = None
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.setSpacing(0)
        below_layout.addWidget(self.current_header)
        below_layout.addWidget(self.chart, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(below)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.splitter, 1)
        self.empty = EmptyStateOverlay(self.chart.viewport(), EMPTY_TEXT, self._data_area)
        self.plot_item.getViewBox().sigResized.connect(self.empty.refit)
        font = self.empty.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.empty.setFont(font)
        self.chart.set_lanes([(0, LOOP_LANE, 0)])
        self.set_theme(theme)

    def _data_area(self) -> QRect:
        """Where the bars go (inside the axes), in viewport coordinates: the hint centres there."""
        scene_rect = self.plot_item.getViewBox().sceneBoundingRect()
        return self.chart.mapFromScene(scene_rect).boundingRect()

    def set_lanes(self, names: list[str]) -> None:
        """Label lane *i* (top to bottom) with ``names[i]`` (before a run: the lanes to expect)."""
        self.chart.set_lanes([(i, name, 0) for i, name in enumerate(names)])

    def lane_labels(self) -> list[str]:
        """The lane names currently shown (tests read them)."""
        return self.chart.lane_labels()

    def set_empty(self, empty: bool) -> None:
        """Show or hide the "Press F5" hint."""
        self.empty.setVisible(empty)

    def _show_axis(self, *_args: object) -> None:
        """The subtitle names the axis drawn (steps need a recording's handle runs)."""
        self.header.subtitle.setText(SUBTITLES[self.chart.bottom_axis.mode])

    def set_pinned(self, widget: QWidget | None) -> None:
        """Show ``widget`` (a pinned recording's timeline) above the chart; None removes it."""
        if self.pinned is not None:
            self.pinned.hide()
            self.pinned.setParent(None)
        self.pinned = widget
        self.current_header.setVisible(widget is not None)
        if widget is not None:
            self.splitter.insertWidget(0, widget)
            widget.show()
            half = max(1, self.splitter.height() // 2)
            self.splitter.setSizes([half, half])

    def set_current_title(self, text: str) -> None:
        """What the chart below the pinned one shows, e.g. "05_to_thread_fix.py"."""
        self.current_header.title.setText(f"Current run: {text}" if text else "Current run")

    def set_theme(self, theme: Theme) -> None:
        self.chart.set_theme(theme)
