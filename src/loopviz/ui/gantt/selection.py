"""The time range selected on the chart (Ctrl+drag): a translucent band with its duration.

The selection is what File › Export timeline… and Copy timeline picture, so the
band says what will be exported: it spans every lane, from the top of the plot
to the time axis, and is labelled "0.250 s selected" at its foot (the top is
where the cursor's time and the stall captions go).

The band is drawn in view x (seconds, or loop steps on the steps axis); the
widget keeps the selection in wall seconds and places the band with ``to_view``.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

from loopviz.ui.gantt.palette import GanttPalette

BAND_ALPHA = 64  # of 255: the bars stay readable through it
EDGE_WIDTH = 1.5
LABEL_ALPHA = 230


def duration_text(seconds: float) -> str:
    """ "0.250 s selected"; in milliseconds when a range is shorter than 10 ms."""
    seconds = max(0.0, float(seconds))
    if seconds >= 0.01 or seconds == 0.0:
        return f"{seconds:.3f} s selected"
    return f"{seconds * 1e3:.3f} ms selected"


class SelectionBand:
    """The band and its label, added to a plot; hidden while nothing is selected."""

    def __init__(self, plot: pg.PlotItem, font: QFont, palette: GanttPalette) -> None:
        self._plot = plot
        self.region = pg.LinearRegionItem(values=(0.0, 0.0), orientation="vertical", movable=False)
        self.region.setZValue(15)  # over the bars, under the cursor (20) and "now" (21)
        self.label = pg.TextItem("", anchor=(0.5, 1.0))
        self.label.setZValue(19)
        self.label.setFont(font)
        plot.addItem(self.region, ignoreBounds=True)
        plot.addItem(self.label, ignoreBounds=True)
        plot.getViewBox().sigRangeChanged.connect(lambda *_: self._place_label())
        self._span: tuple[float, float] | None = None
        self.set_palette(palette)
        self.show(None, "")

    def set_palette(self, palette: GanttPalette) -> None:
        edge = QColor(palette.selection_edge)
        fill = QColor(edge)
        fill.setAlpha(BAND_ALPHA)
        self.region.setBrush(pg.mkBrush(fill))
        for line in self.region.lines:
            line.setPen(pg.mkPen(edge, width=EDGE_WIDTH))
        self.label.setColor(QColor(palette.foreground))
        label_fill = QColor(palette.background)
        label_fill.setAlpha(LABEL_ALPHA)
        self.label.fill = pg.mkBrush(label_fill)
        self.label.border = pg.mkPen(edge)
        self.label.update()

    def set_font(self, font: QFont) -> None:
        self.label.setFont(font)

    def show(self, span: tuple[float, float] | None, text: str) -> None:
        """Draw the band over view x ``span`` labelled ``text``; None hides it."""
        self._span = span
        visible = span is not None
        self.region.setVisible(visible)
        self.label.setVisible(visible)
        if span is None:
            return
        self.region.setRegion(span)
        self.label.setText(text)
        self._place_label()

    def _place_label(self) -> None:
        """At the foot of the band, in the middle of its visible part, whole inside the plot.

        A band narrower than its label (a few loop steps) gets the label centred on
        it, but never cut by the plot's edge.
        """
        if self._span is None:
            return
        box = self._plot.getViewBox()
        (x0, x1), (y0, y1) = box.viewRange()
        lo, hi = max(self._span[0], x0), min(self._span[1], x1)
        middle = (lo + hi) / 2 if lo <= hi else (self._span[0] + self._span[1]) / 2
        half = self.label.boundingRect().width() / 2 * abs(box.viewPixelSize()[0])
        if x1 - x0 > 2 * half:
            middle = min(max(middle, x0 + half), x1 - half)
        self.label.setPos(middle, max(y0, y1))  # the y axis is inverted: the larger is lower
