"""The left axis: one name per lane, left-aligned, children indented under their parent.

A stock ``AxisItem`` right-aligns tick labels against the plot, which hides any
indentation; a tree needs left alignment and connector lines. So this axis keeps
the AxisItem's place in the PlotItem layout, its link to the ViewBox and its
picture caching, and replaces only what is drawn. When lanes are thinner than a
line of text, every k-th name is shown so the names never overlap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from loopviz.ui.gantt.data import GanttData
from loopviz.ui.gantt.lanes import Lane
from loopviz.ui.gantt.palette import LIGHT_PALETTE, GanttPalette

INDENT = 22.0  # per tree level
PAD_LEFT = 8.0
PAD_RIGHT = 10.0
MIN_WIDTH = 90
MAX_WIDTH = 340
MEASURE_AT_ONCE = 1000
"""New names measured in one go (about 5 ms); the rest wait for the next event-loop turn."""
MEASURED_KEPT = 400_000
"""Names whose width is kept (a run of 100,000 tasks: each measured once)."""
MAX_SHARE = 0.44
"""The names never take more than this share of the chart's width (the bars need it)."""


class LaneAxis(pg.AxisItem):
    """Lane names on the left of the chart; click a name to select its task."""

    sigLaneClicked = Signal(int)
    sigNaturalWidthChanged = Signal(int)  # the width the names alone would need

    def __init__(self, data: GanttData, font: QFont, palette: GanttPalette = LIGHT_PALETTE):
        super().__init__("left")
        self._data = data
        self._palette = palette
        self.selected_lane: int | None = None
        self.chart_width = 0.0  # the widget's width; 0: unknown (no share limit)
        # Two charts compared one above the other share a width, so their times line up.
        self.min_width = 0
        self.natural_width = 0
        self._widths: tuple[dict[str, float], dict[str, float]] = ({}, {})
        """Plain and bold: name -> its width in pixels (each name is measured once)."""
        self._widest = 0.0
        self._unmeasured: list[tuple[str, int]] = []
        self._measure_later = QTimer(self)
        self._measure_later.setSingleShot(True)
        self._measure_later.setInterval(0)
        self._measure_later.timeout.connect(self._measure_some)
        self.setStyle(tickLength=0, showValues=True, autoExpandTextSpace=False)
        self.set_font(font)

    def set_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._bold = QFont(font)
        self._bold.setBold(True)
        self._metrics, self._bold_metrics = QFontMetricsF(self._font), QFontMetricsF(self._bold)
        self._widths = ({}, {})
        self.setStyle(tickFont=self._font)
        self.lanes_changed()

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self.setPen(pg.mkPen(QColor(palette.grid)))
        self.setTextPen(pg.mkPen(QColor(palette.foreground)))
        self._redraw()

    def set_selected(self, lane: int | None) -> None:
        if lane != self.selected_lane:
            self.selected_lane = lane
            self._redraw()

    def lanes_changed(
        self, added: Iterable[Lane] | None = None, replaced: list[tuple[str, int]] | None = None
    ) -> None:
        """Re-fit the width to the longest name and redraw.

        ``added``: only these rows are new (appended or renamed), so only they are
        measured; otherwise every row is (names measured before come from a cache).
        ``replaced``: the (name, depth) renamed rows had; if one of them was the
        widest, every row is measured again (the width may shrink)."""
        if replaced and max(self._width_of(*old) for old in replaced) >= self._widest:
            added = None
        if added is None:
            layout = self._data.layout
            self._unmeasured = []
            width_of = self._width_of
            self._widest = max(
                map(width_of, layout.labels_list, layout.depths.tolist()), default=0.0
            )
            self.refit()
            return
        self._unmeasured.extend((r.label, r.depth) for r in added)
        self._measure_some()

    @property
    def measuring(self) -> bool:
        """Names added but not measured yet (they are, a batch per event-loop turn)."""
        return bool(self._unmeasured)

    def _measure_some(self) -> None:
        """Measure up to :data:`MEASURE_AT_ONCE` new names, the rest on the next turn:
        a run creating thousands of tasks a frame must not stop the window to measure."""
        todo = self._unmeasured
        batch, self._unmeasured = todo[:MEASURE_AT_ONCE], todo[MEASURE_AT_ONCE:]
        width_of = self._width_of
        self._widest = max(self._widest, max((width_of(*n) for n in batch), default=0.0))
        self.refit()
        if self._unmeasured and not self._measure_later.isActive():
            self._measure_later.start()

    def _width_of(self, label: str, depth: int) -> float:
        widths = self._widths[depth == 0]
        width = widths.get(label)
        if width is None:
            metrics = self._bold_metrics if depth == 0 else self._metrics
            width = widths[label] = metrics.horizontalAdvance(label)
            if len(widths) > MEASURED_KEPT:
                widths.clear()
        return width + depth * INDENT

    def refit(self) -> None:
        """Fit the width to the names measured (the chart's width changed) and redraw."""
        widest = self._widest
        limit = MAX_WIDTH
        if self.chart_width > 0:
            limit = min(limit, max(MIN_WIDTH, int(self.chart_width * MAX_SHARE)))
        natural = int(min(limit, max(MIN_WIDTH, math.ceil(widest + PAD_LEFT + PAD_RIGHT))))
        width = max(natural, self.min_width)
        if width != self.fixedWidth:
            self.setWidth(width)
        if natural != self.natural_width:
            self.natural_width = natural
            self.sigNaturalWidthChanged.emit(natural)
        self._redraw()

    def _redraw(self) -> None:
        self.picture = None
        self.update()

    def _row_y(self, row: float) -> float:
        view = self.linkedView()
        return self.mapFromScene(view.mapViewToScene(QPointF(0.0, row))).y()

    def generateDrawSpecs(self, p: QPainter):
        view = self.linkedView()
        bounds = self.mapRectFromParent(self.geometry())
        axis = (QPen(QColor(self._palette.grid)), bounds.topRight(), bounds.bottomRight())
        rows = self._data.layout.rows
        if view is None or not rows:
            return axis, [], []
        top, bottom = sorted(view.viewRange()[1])
        r0 = max(0, math.floor(top + 0.5))
        r1 = min(len(rows) - 1, math.ceil(bottom - 0.5))
        lane_px = abs(self._row_y(1.0) - self._row_y(0.0)) or 1.0
        text_h = QFontMetricsF(self._font).height()
        step = max(1, math.ceil(text_h / lane_px))
        specs = []
        for row in range(r0, r1 + 1):
            if row % step:
                continue
            specs.append((row, rows[row], self._row_y(row), lane_px))
        return axis, [], specs

    def drawPicture(self, p: QPainter, axisSpec, tickSpecs, textSpecs) -> None:
        pen, p1, p2 = axisSpec
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setPen(pen)
        p.drawLine(p1, p2)
        right = p1.x() - PAD_RIGHT
        fg, muted = QColor(self._palette.foreground), QColor(self._palette.muted)
        accent = QColor(self._palette.selection_edge)
        guides = self._data.layout.guides
        for row, lane, y, lane_px in textSpecs:
            x = PAD_LEFT + lane.depth * INDENT
            self._tree_lines(p, guides[row], y, lane_px, muted)
            selected = lane.lane == self.selected_lane
            font = self._bold if selected or lane.depth == 0 else self._font
            p.setFont(font)
            p.setPen(accent if selected else fg)
            metrics = QFontMetricsF(font)
            text = metrics.elidedText(lane.label, Qt.TextElideMode.ElideRight, right - x)
            rect = QRectF(x, y - lane_px / 2, right - x, lane_px)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)

    @staticmethod
    def _tree_lines(
        p: QPainter, guide: tuple[bool, ...], y: float, lane_px: float, color: QColor
    ) -> None:
        """Tee or elbow at the row's own level, pass-through lines at ancestors' levels."""
        depth = len(guide)
        if not depth:
            return
        p.setPen(QPen(color, 1.2))
        top, bottom = y - lane_px / 2, y + lane_px / 2
        for level, continues in enumerate(guide, start=1):
            stem = PAD_LEFT + (level - 1) * INDENT + 6
            if level == depth:
                p.drawLine(QPointF(stem, top), QPointF(stem, bottom if continues else y))
                p.drawLine(QPointF(stem, y), QPointF(stem + INDENT - 8, y))
            elif continues:
                p.drawLine(QPointF(stem, top), QPointF(stem, bottom))

    def mouseClickEvent(self, event) -> None:
        view = self.linkedView()
        if view is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mouseClickEvent(event)
        row = round(view.mapSceneToView(event.scenePos()).y())
        lane = self._data.layout.lane_at(row)
        if lane is not None:
            event.accept()
            self.sigLaneClicked.emit(lane.lane)
