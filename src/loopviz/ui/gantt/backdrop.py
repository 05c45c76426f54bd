"""What lies behind the bars: alternate-row shading, time grid, selected lane, stall bands.

A separate item because these fill the whole visible view, not just the span that
has data: its bounding rectangle *is* the view (updated on every range change,
the way pyqtgraph's InfiniteLine does it), so the bars item can keep an honest
bounding rectangle around its data.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from loopviz.ui.gantt.data import GanttData
from loopviz.ui.gantt.frame import Frame, compute_frame
from loopviz.ui.gantt.palette import LIGHT_PALETTE, GanttPalette

TickSource = Callable[[float, float, float], list[float]]


class LaneBackdrop(pg.GraphicsObject):
    """Rows, grid, selection and stalls; sits below :class:`GanttItem`."""

    def __init__(self, data: GanttData, palette: GanttPalette = LIGHT_PALETTE) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._data = data
        self._palette = palette
        self._rect = QRectF()
        self.ticks: TickSource | None = None
        self.selected_lane: int | None = None
        self.setZValue(-10)

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self.update()

    def set_data(self, data: GanttData) -> None:
        """Draw the stalls of ``data`` from now on (the wall content or its steps copy)."""
        self._data = data
        self.update()

    def set_selected(self, lane: int | None) -> None:
        if lane != self.selected_lane:
            self.selected_lane = lane
            self.update()

    def viewRangeChanged(self) -> None:
        self._cachedView = None  # pyqtgraph leaves viewRect() stale here
        rect = self.viewRect()
        rect = QRectF() if rect is None else QRectF(rect)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.viewRangeChanged()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        n_rows = len(self._data.layout)
        frame = compute_frame(self, painter, option, max(n_rows, 1), self.viewRect())
        if frame is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setTransform(frame.scene_to_device)
        painter.setClipRect(frame.clip)
        if n_rows:
            self._paint_rows(painter, frame)
        self._paint_grid(painter, frame)
        self._paint_stalls(painter, frame)
        painter.restore()

    def _row_rect(self, frame: Frame, row: int) -> QRectF:
        top = frame.row_center(row - 0.5)
        bottom = frame.row_center(row + 0.5)
        y0, y1 = sorted((top, bottom))
        return QRectF(frame.clip.left(), y0, frame.clip.width(), y1 - y0)

    def _paint_rows(self, painter: QPainter, frame: Frame) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._palette.row_alt))
        first = frame.r0 + (frame.r0 % 2 == 0)
        for row in range(first, frame.r1 + 1, 2):
            painter.drawRect(self._row_rect(frame, row))
        row = (
            self._data.layout.row_of(self.selected_lane) if self.selected_lane is not None else None
        )
        if row is not None and frame.r0 <= row <= frame.r1:
            rect = self._row_rect(frame, row)
            painter.setBrush(QColor(self._palette.selection))
            painter.drawRect(rect)
            edge = 2 * frame.px
            painter.setBrush(QColor(self._palette.selection_edge))
            painter.drawRect(QRectF(rect.left(), rect.top(), rect.width(), edge))
            painter.drawRect(QRectF(rect.left(), rect.bottom() - edge, rect.width(), edge))

    def _paint_grid(self, painter: QPainter, frame: Frame) -> None:
        if self.ticks is None:
            return
        t0, t1 = frame.view_times()  # the whole view's ticks, even for a strip
        values = self.ticks(t0, t1, frame.view.width())
        if not values:
            return
        pen = QPen(QColor(self._palette.grid), frame.px)
        pen.setCosmetic(False)
        painter.setPen(pen)
        top, bottom = frame.clip.top(), frame.clip.bottom()
        for t in values:
            x = round(frame.scene_x(t) / frame.px) * frame.px + frame.px / 2
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))

    def _paint_stalls(self, painter: QPainter, frame: Frame) -> None:
        data = self._data
        if not len(data.stall_start):
            return
        ends = data.stall_ends()
        idx = np.flatnonzero((ends >= frame.x0) & (data.stall_start <= frame.x1))
        if not len(idx):
            return
        band = QColor(self._palette.stall)
        edge = QPen(QColor(self._palette.stall_edge), frame.px)
        top, height = frame.clip.top(), frame.clip.height()
        lo, hi = frame.clip.left() - 4, frame.clip.right() + 4
        for i in idx:
            x0 = min(max(frame.scene_x(float(data.stall_start[i])), lo), hi)
            x1 = min(max(frame.scene_x(float(ends[i])), lo), hi)
            w = max(x1 - x0, frame.px)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(band)
            painter.drawRect(QRectF(x0, top, w, height))
            painter.setPen(edge)
            for x in (x0, x0 + w):
                painter.drawLine(QPointF(x, top), QPointF(x, top + height))
