"""The legend above the chart: the colours and markers on screen, in one compact row.

It lives in the plot's scene (in the title row of the PlotItem's layout) rather
than in a separate Qt widget, so exported pictures carry it too, and it never
covers bars.

One row, always: the lanes need the height more than the legend needs a second
line. So the legend lists what the chart actually shows (``set_kinds``: the
states drawn so far, a stall, the end markers, "now"), not every colour the chart
could use; before a run it lists the four task states. If the row is still too
narrow, the labels get shorter ("ready (queued)" → "ready"), then the gaps and
the swatches, and as a last resort the least telling entries (``PRIORITY``: "now"
first, then the loop's own states) give way to "+N"; the tooltip lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from loopviz.ui.gantt.markers import draw_glyph
from loopviz.ui.gantt.palette import (
    END_KINDS,
    LEGEND_SHORT,
    LEGEND_TEXT,
    LIGHT_PALETTE,
    STATE_MEANING,
    EndKind,
    GanttPalette,
    SliceState,
)

SWATCH_W = 20.0
GAP = 5.0  # between swatch and text
SPACING = 18.0  # between entries
TIGHT_SWATCH_W = 14.0
TIGHT_GAP = 4.0
TIGHT_SPACING = 10.0
MARGIN = 8.0
ROW_PAD = 6.0  # the row is the font's height plus this

# Legend order: what a task does, then the loop lane, then stalls, ends and "now".
STATE_ORDER = (
    SliceState.RUNNING,
    SliceState.READY,
    SliceState.WAITING,
    SliceState.BLOCKING,
    SliceState.CALLBACK,
    SliceState.IDLE,
)
ALL_KINDS: tuple[str, ...] = (
    *(f"state:{int(s)}" for s in STATE_ORDER),
    "stall",
    *(f"end:{k.value}" for k in END_KINDS),
    "now",
)
BASE_KINDS: tuple[str, ...] = tuple(f"state:{int(s)}" for s in STATE_ORDER[:4])
"""Shown while the chart is empty: the four things a task can be doing."""
PRIORITY: tuple[str, ...] = (
    f"state:{int(SliceState.BLOCKING)}",
    "stall",
    f"state:{int(SliceState.RUNNING)}",
    f"state:{int(SliceState.WAITING)}",
    f"state:{int(SliceState.READY)}",
    "end:done",
    "end:failed",
    "end:cancelled",
    f"state:{int(SliceState.IDLE)}",
    f"state:{int(SliceState.CALLBACK)}",
    "now",
)
"""Which entries stay when not all fit, most telling first."""

_FULL = {
    **{f"state:{int(s)}": LEGEND_TEXT[s] for s in STATE_ORDER},
    "stall": "stall (loop blocked)",
    **{f"end:{k.value}": k.value for k in END_KINDS},
    "now": "now",
}
_SHORT = {**_FULL, **{f"state:{int(s)}": LEGEND_SHORT[s] for s in STATE_ORDER}, "stall": "stall"}
_MEANING = {
    **{f"state:{int(s)}": STATE_MEANING[s] for s in STATE_ORDER},
    "stall": "stall: the event loop was blocked, nothing else could run",
    "end:done": "done: the task returned",
    "end:cancelled": "cancelled: the task was cancelled",
    "end:failed": "failed: the task raised an exception",
    "now": "now: the moment the run has reached",
}


@dataclass(frozen=True)
class Placed:
    """One entry as painted: its kind, its text and where its swatch starts."""

    kind: str
    text: str
    x: float
    width: float  # swatch, gap and text
    swatch: float = SWATCH_W
    gap: float = GAP


class GanttLegend(pg.GraphicsWidget):
    """Swatches and labels in one row; see the module docstring."""

    def __init__(self, font: QFont, palette: GanttPalette = LIGHT_PALETTE) -> None:
        super().__init__()
        self._palette = palette
        self._font = QFont(font)
        self._kinds: tuple[str, ...] = BASE_KINDS
        self.setSizePolicy(
            pg.QtWidgets.QSizePolicy.Policy.Expanding, pg.QtWidgets.QSizePolicy.Policy.Fixed
        )
        self._fit()
        self._update_tooltip()

    # -- what it shows ---------------------------------------------------------------------
    def set_kinds(self, kinds: Iterable[str] | None) -> None:
        """The entries to list (``state:N``, ``stall``, ``end:done``…, ``now``); None: the base."""
        wanted = set(kinds) if kinds is not None else set(BASE_KINDS)
        ordered = tuple(k for k in ALL_KINDS if k in wanted) or BASE_KINDS
        if ordered != self._kinds:
            self._kinds = ordered
            self._update_tooltip()
            self.update()

    @property
    def kinds(self) -> tuple[str, ...]:
        return self._kinds

    def entries(self) -> list[tuple[str, str]]:
        """(kind, full text) of the entries listed now, in display order."""
        return [(k, _FULL[k]) for k in self._kinds]

    def placed(self, width: float | None = None) -> list[Placed]:
        """The entries as they fit in one row of ``width`` (default: the legend's width)."""
        width = self.size().width() if width is None else width
        m = QFontMetricsF(self._font)
        right = width - MARGIN
        roomy = (SWATCH_W, GAP, SPACING)
        tight = (TIGHT_SWATCH_W, TIGHT_GAP, TIGHT_SPACING)
        for labels, sizes in ((_FULL, roomy), (_SHORT, roomy), (_SHORT, tight)):
            row = self._row(m, [(k, labels[k]) for k in self._kinds], *sizes)
            if not row or row[-1].x + row[-1].width <= right:
                return row
        # Still too wide: drop the least telling entries and say how many there are.
        rank = {k: i for i, k in enumerate(PRIORITY)}
        by_rank = sorted(self._kinds, key=lambda k: rank.get(k, len(rank)))
        for keep in range(len(by_rank) - 1, -1, -1):
            kept = set(by_rank[:keep])
            items = [(k, _SHORT[k]) for k in self._kinds if k in kept]
            items.append(("more", f"+{len(by_rank) - keep}"))
            row = self._row(m, items, *tight)
            if row[-1].x + row[-1].width <= right:
                return row
        return []

    @staticmethod
    def _row(
        m: QFontMetricsF, items: list[tuple[str, str]], swatch: float, gap: float, spacing: float
    ) -> list[Placed]:
        row, x = [], MARGIN
        for kind, text in items:
            lead = 0.0 if kind == "more" else swatch + gap
            w = lead + m.horizontalAdvance(text)
            row.append(Placed(kind, text, x, w, swatch, gap))
            x += w + spacing
        return row

    def _update_tooltip(self) -> None:
        lines = [_MEANING[k] for k in ALL_KINDS]
        self.setToolTip("What the colours and marks mean:\n" + "\n".join(lines))

    # -- looks -------------------------------------------------------------------------------
    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self.update()

    def set_font(self, font: QFont) -> None:
        self._font = QFont(font)
        self._fit()

    def row_height(self) -> float:
        return QFontMetricsF(self._font).height() + ROW_PAD

    def _fit(self) -> None:
        h = self.row_height() + 2
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self.setPreferredHeight(h)
        self.update()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        self.update()

    def paint(self, p: QPainter, *args) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setFont(self._font)
        lh = self.row_height()
        y = 1.0
        text_pen = QPen(QColor(self._palette.foreground))
        muted_pen = QPen(QColor(self._palette.muted))
        for entry in self.placed():
            if entry.kind == "more":
                p.setPen(muted_pen)
                rect = QRectF(entry.x, y, entry.width + 2, lh)
                p.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter), entry.text)
                continue
            self._swatch(p, entry.kind, QRectF(entry.x, y + 5, entry.swatch, lh - 10))
            p.setPen(text_pen)
            tx = entry.x + entry.swatch + entry.gap
            rect = QRectF(tx, y, entry.width - entry.swatch - entry.gap + 2, lh)
            p.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter), entry.text)

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
            radius = min(r.height() / 2 + 1, 8.0)
            draw_glyph(p, r.center(), radius, EndKind(kind.split(":")[1]), pal)
        elif kind == "now":
            p.setPen(QPen(QColor(pal.now), 2.5))
            x = r.center().x()
            p.drawLine(QPointF(x, r.top() - 2), QPointF(x, r.bottom() + 2))
