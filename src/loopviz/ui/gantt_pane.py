"""The centre of the window: the timeline, one lane per task, time in seconds.

For now it is an empty ``pyqtgraph.PlotWidget`` with the axes a run will fill:
a time axis in seconds at the bottom, and lane labels on the left, starting with
the "event loop" lane. Later issues add the Gantt item (see DESIGN.md) to
``plot_item``. Zoom and pan act on time only; lanes scroll, they do not stretch.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from loopviz.ui.docks import PaneTitleBar
from loopviz.ui.empty_state import EmptyStateOverlay
from loopviz.ui.theme import LIGHT, Theme

EMPTY_TEXT = "Press F5 to run the selected scenario"
LOOP_LANE = "event loop"
DEFAULT_SECONDS = 5.0


class GanttPane(QWidget):
    """Holds the ``PlotWidget`` and its empty-state hint."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("GanttPane")
        self.plot = pg.PlotWidget(self)
        self.plot.setObjectName("GanttPlot")
        self.plot_item: pg.PlotItem = self.plot.getPlotItem()
        self._setup_axes()
        self.header = PaneTitleBar(self, "Timeline")
        self.header.subtitle.setText("time in seconds · one lane per task")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.plot, 1)
        self.empty = EmptyStateOverlay(self.plot.viewport(), EMPTY_TEXT, self._data_area)
        self.plot_item.getViewBox().sigResized.connect(self.empty.refit)
        font = self.empty.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.empty.setFont(font)
        self.set_theme(theme)

    def _setup_axes(self) -> None:
        item = self.plot_item
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=False, alpha=0.25)
        item.setLabel("bottom", "time", units="s")
        item.getAxis("bottom").enableAutoSIPrefix(False)
        self.set_lanes([LOOP_LANE])
        item.setXRange(0.0, DEFAULT_SECONDS, padding=0.02)
        view = item.getViewBox()
        view.setMouseEnabled(x=True, y=False)
        view.setLimits(xMin=-0.5)

    def _data_area(self) -> QRect:
        """Where the bars go (inside the axes), in viewport coordinates: the hint centres there."""
        scene_rect = self.plot_item.getViewBox().sceneBoundingRect()
        return self.plot.mapFromScene(scene_rect).boundingRect()

    def set_lanes(self, names: list[str]) -> None:
        """Label lane *i* (y = i, top to bottom) with ``names[i]``."""
        axis = self.plot_item.getAxis("left")
        axis.setTicks([[(float(i), name) for i, name in enumerate(names)], []])
        view = self.plot_item.getViewBox()
        view.invertY(True)
        view.setYRange(-0.5, max(len(names), 6) - 0.5, padding=0)

    def lane_labels(self) -> list[str]:
        """The lane names currently on the left axis (tests read them)."""
        ticks = self.plot_item.getAxis("left")._tickLevels or [[]]
        return [label for _pos, label in ticks[0]]

    def set_empty(self, empty: bool) -> None:
        """Show or hide the "Press F5" hint."""
        self.empty.setVisible(empty)

    def set_theme(self, theme: Theme) -> None:
        self.plot.setBackground(QColor(theme.plot_background))
        pen = pg.mkPen(QColor(theme.plot_foreground), width=1)
        font = QFont(self.font())
        for name in ("bottom", "left"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pen)
            axis.setTextPen(pen)
            axis.setTickFont(font)
            axis.label.setFont(font)
        self.plot_item.getAxis("left").setWidth(120)
