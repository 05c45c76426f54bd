"""The legend above the chart: every colour and marker the chart uses, in one line.

It lives in the plot's scene (in the title row of the PlotItem's layout) rather
than in a separate Qt widget, so exported pictures carry it too, and it never
covers bars. When the chart is narrow it wraps onto more lines.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from loopviz.ui.gantt.markers import draw_glyph
from loopviz.ui.gantt.palette import (
    END_KINDS,
    LEGEND_TEXT,
    LIGHT_PALETTE,
    EndKind,
    GanttPalette,
    SliceState,
)

SWATCH_W = 22.0
GAP = 6.0  # between swatch and text
SPACING = 20.0  # between entries
MARGIN = 8.0

# Legend order: what a task does, then the loop lane, then stalls, ends and "now".
STATE_ORDER = (
    SliceState.RUNNING,
    SliceState.READY,
    SliceState.WAITING,
    SliceState.BLOCKING,
    SliceState.CALLBACK,
    SliceState.IDLE,
)


class GanttLegend(pg.GraphicsWidget):
    """Swatches and labels, laid out left to right, wrapping to the width."""

    def __init__(self, font: QFont, palette: GanttPalette = LIGHT_PALETTE) -> None:
        super().__init__()
        self._palette = palette
        self._font = QFont(font)
        self._lines = 1
        self.setSizePolicy(
            pg.QtWidgets.QSizePolicy.Policy.Expanding, pg.QtWidgets.QSizePolicy.Policy.Fixed
        )
        self._fit()

    def entries(self) -> list[tuple[str, str]]:
        """(kind, text) in display order; kind is a state name, ``stall``, an end, or ``now``."""
        out = [(f"state:{int(s)}", LEGEND_TEXT[s]) for s in STATE_ORDER]
        out.append(("stall", "stall (loop blocked)"))
        out.extend((f"end:{k.value}", k.value) for k in END_KINDS)
        out.append(("now", "now"))
        return out

    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self.update()

    def set_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._fit()

    def _widths(self) -> list[float]:
        m = QFontMetricsF(self._font)
        return [SWATCH_W + GAP + m.horizontalAdvance(text) for _k, text in self.entries()]

    def _layout(self, width: float) -> list[list[int]]:
        lines: list[list[int]] = [[]]
        x = MARGIN
        for i, w in enumerate(self._widths()):
            if lines[-1] and x + w > width - MARGIN:
                lines.append([])
                x = MARGIN
            lines[-1].append(i)
            x += w + SPACING
        return lines

    def _line_height(self) -> float:
        return QFontMetricsF(self._font).height() + 8

    def _fit(self) -> None:
        width = self.size().width() or 1600.0
        lines = max(1, len(self._layout(width)))
        self._lines = lines
        h = lines * self._line_height() + 6
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self.setPreferredHeight(h)
        self.update()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if len(self._layout(self.size().width())) != self._lines:
            self._fit()

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(self._font)
        entries = self.entries()
        widths = self._widths()
        lh = self._line_height()
        text_pen = QPen(QColor(self._palette.foreground))
        for line_no, line in enumerate(self._layout(self.size().width())):
            x = MARGIN
            y = 3 + line_no * lh
            for i in line:
                kind, text = entries[i]
                self._swatch(p, kind, QRectF(x, y + 4, SWATCH_W, lh - 8))
                p.setPen(text_pen)
                tx = x + SWATCH_W + GAP
                p.drawText(QRectF(tx, y, widths[i], lh), int(Qt.AlignmentFlag.AlignVCenter), text)
                x += widths[i] + SPACING

    def _swatch(self, p: QPainter, kind: str, r: QRectF) -> None:
        pal = self._palette
        p.setPen(Qt.PenStyle.NoPen)
        if kind.startswith("state:"):
            state = SliceState(int(kind.split(":")[1]))
            rect = (
                r if state != SliceState.IDLE else r.adjusted(0, r.height() / 4, 0, -r.height() / 4)
            )
            p.setBrush(QColor(pal.state(state)))
            if state is SliceState.IDLE or state is SliceState.WAITING:
                p.setPen(QPen(QColor(pal.muted), 0.8))
            p.drawRect(rect)
        elif kind == "stall":
            p.setBrush(QColor(pal.stall))
            p.drawRect(r)
            p.setPen(QPen(QColor(pal.stall_edge), 1.5))
            p.drawLine(r.topLeft(), r.bottomLeft())
            p.drawLine(r.topRight(), r.bottomRight())
        elif kind.startswith("end:"):
            radius = min(r.height() / 2, 8.0)
            draw_glyph(p, r.center(), radius, EndKind(kind.split(":")[1]), pal)
        elif kind == "now":
            p.setPen(QPen(QColor(pal.now), 2.5))
            x = r.center().x()
            p.drawLine(QPointF(x, r.top() - 2), QPointF(x, r.bottom() + 2))
