"""The Gantt chart's one graphics item: every bar, label and end marker of every lane.

One item instead of one per bar: Qt's scene index and per-item paint overhead
would dominate at a million slices. ``paint`` culls the visible time range in the
column store, draws each state with a single ``drawRects`` (see ``bars.py``),
then labels on bars wide enough to read, markers, and stall captions. When a view
holds more than ``raster_threshold`` candidate slices, the finished picture is
kept as a QImage and reused until the data or the view changes (repaints for a
tooltip, a moving cursor line or an expose event then cost a blit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPaintEngine, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsItem

from loopviz.ui.gantt.bars import LabelSlot, draw_state, on_screen
from loopviz.ui.gantt.columns import Culled
from loopviz.ui.gantt.data import GanttData, SliceHit
from loopviz.ui.gantt.frame import Frame, compute_frame
from loopviz.ui.gantt.labels import LabelCache
from loopviz.ui.gantt.markers import draw_markers
from loopviz.ui.gantt.palette import LIGHT_PALETTE, PAINT_ORDER, GanttPalette, SliceState
from loopviz.ui.gantt.rects import RectBuffer
from loopviz.ui.units import format_duration

LabelText = Callable[[int, int], str]


@dataclass
class FrameStats:
    """What the last painted frame did (the benchmark and tests read it)."""

    candidates: int = 0  # slices culled by time
    visible: int = 0  # of those, on the rows painted
    rects: int = 0  # rectangles drawn
    merged_states: list[int] = field(default_factory=list)  # states with merged narrow slices


PAD_PX = 140.0  # markers and stall captions reach this far right of the last slice
LABEL_PAD = 5.0
IDLE_FRACTION = 0.5  # idle bars are drawn half-height: the loop is doing nothing
PILL_PAD_X = 12.0  # a stall caption's width beyond its text


class GanttItem(pg.GraphicsObject):
    """Paints a :class:`GanttData`; knows nothing about widgets or input."""

    def __init__(self, data: GanttData, font: QFont, palette: GanttPalette = LIGHT_PALETTE):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self._data = data
        self._palette = palette
        self.labels = LabelCache(font)
        self.label_text: LabelText | None = None
        self.hovered: SliceHit | None = None
        self.raster_threshold = 200_000  # candidate slices above which a raster is cached
        self.raster_enabled = True
        self.stats = FrameStats()
        self.raster_misses = 0  # how often the cached raster had to be redrawn
        self._buf = RectBuffer()
        self._bounds = QRectF()
        self._cache_key: tuple | None = None
        self._cache_image: QImage | None = None
        self._cache_rect = QRectF()
        self._style_version = 0
        # Seconds between two x values; None: x is seconds. The steps axis sets it so
        # a stall's caption still says how long it lasted.
        self.seconds_between: Callable[[float, float], float] | None = None
        self.cursor_label: tuple[float, float, bool] | None = None
        """The time cursor's label at the top of the plot: (x, width in px, left of the
        line). Stall captions step aside for it (see ``set_cursor_label``)."""

    # -- state ------------------------------------------------------------------------------
    def set_palette(self, palette: GanttPalette) -> None:
        self._palette = palette
        self._restyle()

    def set_font(self, font: QFont) -> None:
        self.labels.set_font(font)
        self._restyle()

    def _restyle(self) -> None:
        self._style_version += 1
        self.update()

    def set_cursor_label(
        self, x: float | None, width: float = 0.0, *, left_of_line: bool = False
    ) -> None:
        """Where the cursor's time label is (None: no cursor), so no stall caption is under it.

        Both sit at the top of the plot; "0.504 s" over "stall 1.01 s" made both unreadable.
        """
        placed = None if x is None else (float(x), float(width), bool(left_of_line))
        if placed != self.cursor_label:
            self.cursor_label = placed
            if len(self._data.stall_start):
                self.update()  # the captions are painted over the whole view

    def set_hovered(self, hit: SliceHit | None) -> None:
        if hit != self.hovered:
            self.hovered = hit
            self.update()

    def set_data(self, data: GanttData) -> None:
        """Paint ``data`` from now on (the wall content or its steps copy)."""
        self._data = data
        self._cache_key = None
        self._cache_image = None
        self.hovered = None
        self.data_changed()

    def data_changed(self) -> None:
        """Call after writing to the data: fixes the geometry, then repaints."""
        self._update_bounds()
        self.update()

    def texts_changed(self) -> None:
        """Call when ``describe``/``label_text`` would answer differently."""
        self.labels.clear_texts()
        self._restyle()

    # -- geometry ---------------------------------------------------------------------------
    def _update_bounds(self) -> None:
        ext = self._data.extent()
        n = len(self._data.layout)
        if ext is None or n == 0:
            rect = QRectF()
        else:
            pad = PAD_PX * (self.pixelWidth() or 0.0)
            rect = QRectF(ext[0] - pad, -0.5, ext[1] - ext[0] + 2 * pad, float(n))
        if rect != self._bounds:
            self.prepareGeometryChange()
            self._bounds = rect

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()  # forgets the cached viewRect()
        # The padding around the data is a fixed number of pixels: re-derive it.
        self._update_bounds()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """For autoRange: the time span on x, all lanes on y."""
        if ax == 0:
            ext = self._data.extent()
            return (None, None) if ext is None else ext
        n = len(self._data.layout)
        return (None, None) if n == 0 else (-0.5, n - 0.5)

    # -- painting ---------------------------------------------------------------------------
    def paint(self, painter: QPainter, option, widget=None) -> None:
        n_rows = len(self._data.layout)
        view = self.viewRect()
        frame = compute_frame(self, painter, option, n_rows, view)
        if frame is None or frame.r1 < frame.r0:
            return
        raster = self._wants_raster(painter, frame)
        # The raster always holds the whole view, even when Qt asks for a strip.
        whole = compute_frame(self, painter, None, n_rows, view) if raster else None
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setTransform(frame.scene_to_device)
        painter.setClipRect(frame.clip)
        if whole is not None:
            self._paint_cached(painter, whole)
        else:
            self._paint_layers(painter, frame)
        self._paint_stall_captions(painter, frame)  # not cached: they avoid the cursor
        self._paint_hover(painter, frame)
        painter.restore()

    def _wants_raster(self, painter: QPainter, frame: Frame) -> bool:
        if not self.raster_enabled:
            return False
        engine = painter.paintEngine()
        if engine is None or engine.type() != QPaintEngine.Type.Raster:
            return False  # SVG, PDF, printers get vectors
        t0, t1 = frame.view_times()
        estimate = sum(c.estimate_visible(t0, t1) for c in self._data.columns)
        return estimate > self.raster_threshold

    def _paint_cached(self, painter: QPainter, frame: Frame) -> None:
        key = (self._data.version, self._style_version, frame.key())
        if key != self._cache_key or self._cache_image is None:
            s2d = frame.scene_to_device
            device = s2d.mapRect(frame.clip).toAlignedRect()
            image = QImage(device.size(), QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            p = QPainter(image)
            p.setTransform(s2d * QTransform.fromTranslate(-device.x(), -device.y()))
            p.setClipRect(frame.clip)
            self._paint_layers(p, frame)
            p.end()
            self._cache_key, self._cache_image, self._cache_rect = key, image, QRectF(device)
            self.raster_misses += 1
        painter.save()
        painter.resetTransform()
        painter.drawImage(self._cache_rect.topLeft(), self._cache_image)
        painter.restore()

    def _paint_layers(self, painter: QPainter, frame: Frame) -> None:
        data, pal = self._data, self._palette
        stats = FrameStats()
        slots: list[LabelSlot] = []
        full_h = frame.bar_height
        label_w = self.labels.height * 2.5 if full_h >= self.labels.height + 2 else None
        painter.setPen(Qt.PenStyle.NoPen)
        for state in PAINT_ORDER:
            parts = list(data.columns[state].chunks(frame.x0, frame.x1, with_detail=True))
            opened = data.open_chunk(state)
            if opened is not None:
                parts.append(_clip_open(opened, frame))
            stats.candidates += sum(len(p) for p in parts)
            shown = on_screen(parts, data.layout, frame)
            n = sum(len(p) for p in shown)
            if n == 0:
                continue
            h = full_h if state != SliceState.IDLE else _idle_height(frame)
            painter.setBrush(QBrush(QColor(pal.state(state))))
            drawn = draw_state(
                painter,
                shown,
                frame,
                h,
                self._buf,
                state=state,
                always_full=state == SliceState.BLOCKING,
                label_min_width=label_w,
                slots=slots,
            )
            if drawn.narrow:
                stats.merged_states.append(int(state))
            stats.visible += n
            stats.rects += drawn.rects
        if slots:
            self._paint_labels(painter, frame, slots)
        draw_markers(painter, frame, data, pal)
        self.stats = stats

    def _label_for(self, state: int, detail: int) -> str:
        if detail < 0 or self.label_text is None:
            return ""
        fn = self.label_text

        def make() -> str:
            try:
                return (fn(state, detail) or "").split("\n", 1)[0]
            except Exception:  # a broken text callback must not break painting
                return ""

        return self.labels.text((state, detail), make)

    def _paint_labels(self, painter: QPainter, frame: Frame, slots: list[LabelSlot]) -> None:
        painter.setFont(self.labels.font)
        left, right = frame.view.left(), frame.view.right()
        th = self.labels.height
        pens = [QPen(QColor(c)) for c in self._palette.state_text]
        for s in slots:
            x0 = max(s.x, left) + LABEL_PAD
            x1 = min(s.x + s.w, right) - LABEL_PAD
            static = self.labels.static(self._label_for(s.state, s.detail), x1 - x0)
            if static is None:
                continue
            painter.setPen(pens[s.state])
            painter.drawStaticText(QPointF(x0, s.y + (s.h - th) / 2), static)

    def _paint_stall_captions(self, painter: QPainter, frame: Frame) -> None:
        data = self._data
        if not len(data.stall_start):
            return
        ends = data.stall_ends()
        font = QFont(self.labels.font)
        font.setBold(True)
        painter.setFont(font)
        t0, t1 = frame.view_times()  # a caption can reach into a strip its stall is not in
        metrics = painter.fontMetrics()
        for i in np.flatnonzero((ends >= t0) & (data.stall_start <= t1)):
            x0 = frame.scene_x(float(data.stall_start[i]))
            x1 = frame.scene_x(float(ends[i]))
            if x1 - x0 < 12 * frame.px:
                continue
            a, b = float(data.stall_start[i]), float(ends[i])
            seconds = b - a if self.seconds_between is None else self.seconds_between(a, b)
            text = stall_caption(seconds)
            # Whole, never elided. Inside the band if it fits, else just after its end
            # (where "now" is while it lasts), so the "now" line never crosses it;
            # moved left if it would pass the view's right edge.
            width = metrics.horizontalAdvance(text) + PILL_PAD_X
            start = max(x0, frame.view.left()) + 2
            x = start if start + width <= x1 - 2 else x1 + 4
            x = min(x, frame.view.right() - width - 2)
            x = self._beside_cursor(max(x, frame.view.left()), width, x0, x1, frame)
            at = QPointF(x, frame.view.top() + 3)
            _pill(painter, at, text, self._palette.stall_edge, self._palette.stall_text)

    def _beside_cursor(self, x: float, width: float, x0: float, x1: float, frame: Frame) -> float:
        """``x``, or a place beside the cursor's label if the caption would be under it.

        Right of the label if the caption still fits in its band, else left of it,
        else just after the band; where nothing is free it stays (the label is on top).
        """
        if self.cursor_label is None:
            return x
        at, label_px, left_of_line = self.cursor_label
        line = float(frame.scene_x(at))
        gap = 4 * frame.px
        a, b = (
            (line - label_px * frame.px, line)
            if left_of_line
            else (line, line + label_px * frame.px)
        )
        a, b = a - gap, b + gap
        if x + width <= a or x >= b:
            return x
        lo = max(x0, frame.view.left()) + 2
        hi = min(x1, frame.view.right()) - 2
        for candidate in (b, a - width):
            if lo <= candidate and candidate + width <= hi:
                return candidate
        after = max(b, x1 + 4)
        if after + width <= frame.view.right() - 2:
            return after
        return x

    def _paint_hover(self, painter: QPainter, frame: Frame) -> None:
        hit = self.hovered
        row = None if hit is None else self._data.layout.row_of(hit.lane)
        if hit is None or row is None or hit.end < frame.x0 or hit.start > frame.x1:
            return
        x0 = frame.scene_x(hit.start)
        w = max(frame.scene_x(hit.end) - x0, frame.px)
        h = frame.bar_height
        y = float(frame.bar_top(np.array([row]), h)[0])
        pen = QPen(QColor(self._palette.hover), 2 * frame.px)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x0 - frame.px, y - frame.px, w + 2 * frame.px, h + 2 * frame.px))


def stall_caption(seconds: float) -> str:
    """ "stall 0.62 s": the same number, unit and precision as the banner and the source."""
    return f"stall {format_duration(seconds)}"


def _idle_height(frame: Frame) -> float:
    return max(frame.px, round(frame.bar_height * IDLE_FRACTION / frame.px) * frame.px)


def _clip_open(part: Culled, frame: Frame) -> Culled:
    keep = (part.end >= frame.x0) & (part.start <= frame.x1)
    if keep.all():
        return part
    return Culled(part.lane[keep], part.start[keep], part.end[keep], part.detail[keep])


def _pill(painter: QPainter, at: QPointF, text: str, color: str, text_color: str) -> None:
    """A rounded caption (stall durations)."""
    metrics = painter.fontMetrics()
    rect = QRectF(at, metrics.size(0, text)).adjusted(0, 0, PILL_PAD_X, 4)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(rect, 4, 4)
    painter.setPen(QColor(text_color))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
