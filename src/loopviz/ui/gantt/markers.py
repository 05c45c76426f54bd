"""End-of-task markers: done, cancelled, failed — told apart by shape, not only colour.

done is a filled disc with a tick, cancelled a hollow disc struck through, failed
a filled disc with a cross. Shapes survive a black-and-white printout and
colour-blind eyes; the legend draws the same glyphs through :func:`draw_glyph`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from loopviz.ui.gantt.data import GanttData
from loopviz.ui.gantt.frame import Frame
from loopviz.ui.gantt.palette import END_KINDS, EndKind, GanttPalette

MAX_RADIUS_PX = 9.0


def draw_glyph(
    painter: QPainter, center: QPointF, radius: float, kind: EndKind, palette: GanttPalette
) -> None:
    """One marker glyph of ``radius`` (scene units) centred on ``center``."""
    color = QColor(palette.marker(kind))
    line = max(1.0, radius * 0.28)
    r = radius
    painter.setPen(Qt.PenStyle.NoPen)
    if kind is EndKind.CANCELLED:
        painter.setBrush(QBrush(QColor(palette.background)))
        painter.setPen(QPen(color, line))
        painter.drawEllipse(center, r - line / 2, r - line / 2)
        d = (r - line) * 0.7071
        painter.drawLine(
            QPointF(center.x() - d, center.y() + d), QPointF(center.x() + d, center.y() - d)
        )
        return
    painter.setBrush(QBrush(color))
    painter.drawEllipse(center, r, r)
    pen = QPen(QColor(palette.background), line)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    x, y, k = center.x(), center.y(), r * 0.45
    if kind is EndKind.DONE:
        path = QPainterPath(QPointF(x - k * 1.05, y + k * 0.05))
        path.lineTo(QPointF(x - k * 0.25, y + k * 0.8))
        path.lineTo(QPointF(x + k * 1.1, y - k * 0.75))
        painter.drawPath(path)
    else:
        painter.drawLine(QPointF(x - k, y - k), QPointF(x + k, y + k))
        painter.drawLine(QPointF(x - k, y + k), QPointF(x + k, y - k))


def marker_radius(frame: Frame) -> float:
    return min(frame.bar_height * 0.5, MAX_RADIUS_PX * frame.px)


def draw_markers(painter: QPainter, frame: Frame, data: GanttData, palette: GanttPalette) -> None:
    """Every end marker inside the frame, at the task's end time on its lane."""
    if not len(data.marker_t):
        return
    radius = marker_radius(frame)
    slack = 2 * radius / abs(frame.sx)
    rows = data.layout.rows_of(data.marker_lane)
    keep = (
        (rows >= frame.r0)
        & (rows <= frame.r1)
        & (data.marker_t >= frame.x0 - slack)
        & (data.marker_t <= frame.x1 + slack)
    )
    idx = np.flatnonzero(keep)
    if not len(idx):
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for i in idx[:5000]:
        center = QPointF(frame.scene_x(float(data.marker_t[i])), frame.row_center(float(rows[i])))
        draw_glyph(painter, center, radius, END_KINDS[int(data.marker_kind[i])], palette)
    painter.restore()
