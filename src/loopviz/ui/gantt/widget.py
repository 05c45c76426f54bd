"""``GanttView``: the ready-to-embed task-lane chart (a ``pyqtgraph.PlotWidget``).

Feed it from a timer at 30–60 Hz, one call per batch, never one call per event::

    view = GanttView(describe=recording.describe)
    view.set_lanes([(0, "event loop", 0), (1, "main", 0), (2, "Task-2", 1)])
    view.add_slices(lane, start, end, state, detail)     # numpy arrays, one batch
    view.set_open_slices(open_lane, open_start, open_state)
    view.set_stalls([(1.2, None)]); view.set_now(t)

The view follows "now" until the user drags the chart (or presses F); End jumps
back to "now" and follows again. The wheel zooms time, Shift+wheel and the arrow
keys scroll lanes, Home shows the whole run.

While it follows, the time axis grows with the run: it shows from 0 s to about
``max(2 s, 1.3 × now)`` (:func:`auto_range`), recomputed every frame, so the bars
fill most of the width and the range grows continuously, without jumps. Past
``AUTO_MAX_SPAN`` it scrolls instead. Zooming while following keeps the zoomed
width and scrolls; End goes back to the growing range. When the run ends,
:meth:`GanttView.finish_run` glides to the whole run (and keeps it whole as the
last events arrive, until the user moves the view).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QEasingCurve,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
)
from PySide6.QtWidgets import QToolTip, QWidget

from loopviz.ui.gantt.backdrop import LaneBackdrop
from loopviz.ui.gantt.data import GanttData, SliceHit
from loopviz.ui.gantt.hover import Describe, hover_text
from loopviz.ui.gantt.item import GanttItem
from loopviz.ui.gantt.lane_axis import LaneAxis
from loopviz.ui.gantt.lanes import Lane
from loopviz.ui.gantt.legend import GanttLegend
from loopviz.ui.gantt.palette import EndKind, GanttPalette, palette_for
from loopviz.ui.gantt.viewbox import GanttViewBox

AUTO_MIN_SPAN = 2.0  # seconds shown before anything happened, and for short runs
AUTO_GROWTH = 1.3  # while following, the axis reaches this many times "now"
AUTO_MAX_SPAN = 30.0  # beyond this the axis scrolls instead of growing
LEFT_PAD = 0.02  # of the span, left of 0 s, so the first bar is not on the axis
DEFAULT_SPAN = AUTO_MIN_SPAN
FOLLOW_MARGIN = 0.05  # zoomed by hand, "now" stays this fraction of the width from the right
FIT_PAD = 0.02  # of the run, either side, when the whole run is shown
FIT_ANIMATION_MS = 350
MIN_SPAN, MAX_SPAN = 1e-6, 1e6
MIN_LANE_PX, MAX_LANE_PX = 22.0, 60.0
HOVER_TOLERANCE_PX = 3.0
CHART_POINT_SIZE = 12.0  # readable from the back of a lecture hall


def auto_range(now: float) -> tuple[float, float]:
    """The time range shown while following: 0 s to ``max(2 s, 1.3 × now)``.

    It grows continuously with ``now`` (no steps, so no jumps); once the span would
    pass ``AUTO_MAX_SPAN`` it keeps that span and scrolls, "now" at the same place.
    """
    now = max(0.0, float(now))
    span = min(max(AUTO_MIN_SPAN, AUTO_GROWTH * now), AUTO_MAX_SPAN)
    right = max(span, now + (1.0 - 1.0 / AUTO_GROWTH) * span)
    return right - span * (1.0 + LEFT_PAD), right


def chart_font(base: QFont | None = None) -> QFont:
    """The application font, never smaller than ``CHART_POINT_SIZE``."""
    font = QFont(base if base is not None else QGuiApplication.font())
    if font.pointSizeF() < CHART_POINT_SIZE:
        font.setPointSizeF(CHART_POINT_SIZE)
    return font


class GanttView(pg.PlotWidget):
    """Task lanes over time; see the module docstring for how to feed it."""

    taskClicked = Signal(int)  # lane index of the clicked lane (chart or its name)
    followingChanged = Signal(bool)
    sliceHovered = Signal(object)  # SliceHit | None

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        palette: GanttPalette | None = None,
        describe: Describe | None = None,
    ) -> None:
        self._palette = palette or palette_for(False)
        self._data = GanttData()
        font = chart_font()
        self._vb = GanttViewBox()
        self.lane_axis = LaneAxis(self._data, font, self._palette)
        self.time_axis = pg.AxisItem("bottom")
        super().__init__(
            parent,
            background=QColor(self._palette.background),
            viewBox=self._vb,
            axisItems={"left": self.lane_axis, "bottom": self.time_axis},
        )
        # PlotWidget copies PlotItem.clear onto the instance; ours starts a new run.
        vars(self).pop("clear", None)
        self._describe = describe
        self._following = True
        self._auto = True  # following grows the range (auto_range); False: zoomed by hand
        self._fitted = False  # the whole run stays shown until the user moves the view
        self._cursor: float | None = None
        self._top_row = 0.0
        self._lane_px: float | None = None  # None: fit the lanes to the height
        self._hover: SliceHit | None = None
        self.item = GanttItem(self._data, font, self._palette)
        self.item.label_text = describe
        self.backdrop = LaneBackdrop(self._data, self._palette)
        self.legend = GanttLegend(font, self._palette)
        self.now_line = pg.InfiniteLine(angle=90, movable=False)
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False)
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(FIT_ANIMATION_MS)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._animate)
        self._anim_from = (0.0, 0.0)
        self._anim_to = (0.0, 0.0)
        self._build(font)
        self.set_palette(self._palette)
        self.setXRange(*auto_range(0.0), padding=0)
        self._fit_rows()

    def _build(self, font: QFont) -> None:
        pi = self.getPlotItem()
        pi.hideButtons()
        pi.setMenuEnabled(False)
        pi.layout.removeItem(pi.titleLabel)
        pi.titleLabel.hide()
        pi.layout.addItem(self.legend, 0, 0, 1, 3)
        pi.layout.setContentsMargins(4, 2, 16, 6)
        self.time_axis.setLabel("time", units="s")
        self.time_axis.enableAutoSIPrefix(False)
        # hideOverlappingLabels: let "0" reach a few pixels left of the axis (under the
        # lane names) rather than vanish, since the range starts just before 0 s.
        self.time_axis.setStyle(tickFont=font, tickTextOffset=6, hideOverlappingLabels=24)
        self.time_axis.label.setFont(font)
        self.backdrop.ticks = self._major_ticks
        pi.addItem(self.backdrop, ignoreBounds=True)
        pi.addItem(self.item)
        self.cursor_line.setZValue(20)
        self.cursor_line.hide()
        self.now_line.setZValue(21)
        self.now_line.setValue(0.0)
        self.now_line.hide()  # nothing has run yet: no "now" to show
        pi.addItem(self.cursor_line, ignoreBounds=True)
        pi.addItem(self.now_line, ignoreBounds=True)
        self._vb.setLimits(minXRange=MIN_SPAN, maxXRange=MAX_SPAN)
        self._vb.sigPanned.connect(self._on_user_pan)
        self._vb.sigZoomRequested.connect(self.zoom)
        self._vb.sigLaneScroll.connect(self.scroll_lanes)
        self._vb.sigClicked.connect(self._on_click)
        self._vb.sigDoubleClicked.connect(self.fit_all)
        self._vb.sigResized.connect(lambda _vb: self._fit_rows())
        self.lane_axis.sigLaneClicked.connect(self._select_and_emit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.backdrop.viewRangeChanged()

    def _major_ticks(self, x0: float, x1: float, size: float) -> list[float]:
        levels = self.time_axis.tickValues(x0, x1, size)
        return list(levels[0][1]) if levels else []

    # -- feeding ---------------------------------------------------------------------------
    @property
    def data(self) -> GanttData:
        """The chart's content (read-only use; write through the methods below)."""
        return self._data

    def set_lanes(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> None:
        """Rows top to bottom: ``(lane_index, label, depth)``; see ``lanes.tree_order``."""
        self._data.set_lanes(lanes)
        self.lane_axis.lanes_changed()
        self._sync_layout()
        self._fit_rows()
        self._data_changed()
        self.backdrop.update()

    def add_slices(
        self,
        lane: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        state: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> None:
        """Append one batch of finished slices (equal-length arrays; see ``SliceState``)."""
        if self._data.add_slices(lane, start, end, state, detail):
            self._data_changed()

    def add_state_slices(
        self,
        state: int,
        lane: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> None:
        """Append one state's batch: the model's per-state columns, as they come."""
        if self._data.add_state_slices(state, lane, start, end, detail):
            self._data_changed()

    def set_open_slices(
        self,
        lane: np.ndarray,
        start: np.ndarray,
        state: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> None:
        """Replace the slices still in progress; each is drawn up to "now"."""
        self._data.set_open(lane, start, state, detail)
        self._data_changed()

    def set_markers(self, markers: Iterable[tuple[int, float, str | EndKind]]) -> None:
        """Replace the end markers: ``(lane, t, "done" | "cancelled" | "failed")``."""
        self._data.set_markers(markers)
        self._data_changed()

    def set_stalls(self, stalls: Iterable[tuple[float, float | None]]) -> None:
        """Replace the stalls: ``(start, end)``, ``end`` None while the stall lasts."""
        self._data.set_stalls(stalls)
        self._data_changed()
        self.backdrop.update()

    def set_now(self, t: float) -> None:
        """Move the "now" line (live runs); the view follows it when following is on."""
        before = self._data.version
        self._data.set_now(t)
        self.now_line.setValue(float(t))
        if not self.now_line.isVisible():
            self.now_line.show()
            self._refresh_legend()
        if self._data.version != before:
            self._data_changed()
            self.backdrop.update()
        if self._following:
            self._follow()
        elif self._fitted:
            self._fit_run(animate=False)

    def _data_changed(self) -> None:
        self.item.data_changed()
        self._refresh_legend()

    def _refresh_legend(self) -> None:
        drawn = self._data.kinds()
        kinds = set(drawn) | ({"now"} if self.now_line.isVisible() else set())
        self.legend.set_kinds(kinds if drawn else None)

    @property
    def now(self) -> float:
        return self._data.now

    def set_cursor(self, t: float | None) -> None:
        """Show the cursor line at ``t`` (stepping through a recording); None hides it."""
        self._cursor = None if t is None else float(t)
        if self._cursor is None:
            self.cursor_line.hide()
        else:
            self.cursor_line.setValue(self._cursor)
            self.cursor_line.show()

    @property
    def cursor(self) -> float | None:
        return self._cursor

    def set_describe(self, describe: Describe | None) -> None:
        """``describe(state, detail) -> str``: hover text; its first line labels wide bars."""
        self._describe = describe
        self.item.label_text = describe
        self.item.texts_changed()

    def clear(self) -> None:
        """Empty the chart for a new run (lanes, slices, stalls, markers, selection)."""
        self._data.clear()
        self.item.texts_changed()
        self._data_changed()
        self.select_lane(None)
        self._set_hover(None, None)
        self.set_cursor(None)
        self.now_line.setValue(0.0)
        self.now_line.hide()
        self._refresh_legend()
        self._top_row = 0.0
        self.lane_axis.lanes_changed()
        self.backdrop.update()
        self._stop_animation()
        self._auto, self._fitted = True, False
        self.setXRange(*auto_range(0.0), padding=0)
        self._fit_rows()

    # -- looking around --------------------------------------------------------------------
    @property
    def following(self) -> bool:
        return self._following

    @property
    def auto_ranging(self) -> bool:
        """Following with the growing range (not a width the user zoomed to)."""
        return self._following and self._auto

    @property
    def animating(self) -> bool:
        """The view is gliding to the whole run (see :meth:`finish_run`)."""
        return self._anim.state() == QVariantAnimation.State.Running

    def set_following(self, on: bool) -> None:
        """Follow "now" with the growing range (live mode), or stay where the user looks."""
        on = bool(on)
        if on != self._following:
            self._following = on
            self.followingChanged.emit(on)
        if on:
            self._auto, self._fitted = True, False
            self._stop_animation()
            self._follow()

    def finish_run(self) -> None:
        """The run is over: if the view was following it, glide to the whole run.

        A view the user moved away stays where it is. The whole run stays shown
        while the last events arrive, until the user pans, zooms or follows again.
        """
        if self._following:
            self.set_following(False)
            self._fitted = True
            self._fit_run(animate=True)

    def _follow(self) -> None:
        if self._auto:
            x0, x1 = auto_range(self._data.now)
            if (x0, x1) != self.x_range():
                self.setXRange(x0, x1, padding=0)
            return
        x0, x1 = self.x_range()
        width, t = x1 - x0, self._data.now
        if t > x0 + (1 - FOLLOW_MARGIN) * width:
            x0 = t - (1 - FOLLOW_MARGIN) * width
        elif t < x0:
            x0 = t - FOLLOW_MARGIN * width
        else:
            return
        self.setXRange(x0, x0 + width, padding=0)

    def x_range(self) -> tuple[float, float]:
        x0, x1 = self._vb.viewRange()[0]
        return float(x0), float(x1)

    def zoom(self, factor: float, anchor: float | None = None) -> None:
        """Scale the time span by ``factor`` (< 1 zooms in) around ``anchor``.

        While following, "now" is the anchor if it is on screen, so zooming never
        loses the live edge.
        """
        self._stop_animation()
        self._auto, self._fitted = False, False
        x0, x1 = self.x_range()
        now = self._data.now
        if anchor is None:
            anchor = (x0 + x1) / 2
        if self._following and x0 <= now <= x1:
            anchor = now
        width = min(MAX_SPAN, max(MIN_SPAN, (x1 - x0) * factor))
        f = width / (x1 - x0)
        start = anchor - (anchor - x0) * f
        self.setXRange(start, start + width, padding=0)

    def pan(self, seconds: float) -> None:
        """Move the view along time; the user looks elsewhere, so following stops."""
        self.set_following(False)
        self._stop_animation()
        self._fitted = False
        x0, x1 = self.x_range()
        self.setXRange(x0 + seconds, x1 + seconds, padding=0)

    def _on_user_pan(self, seconds: float) -> None:
        self.pan(seconds)

    def fit_all(self) -> None:
        """Show the whole run (and stop following); it stays whole as the run grows."""
        self.set_following(False)
        self._stop_animation()
        self._fitted = True
        self._fit_run(animate=False)

    def whole_run_range(self) -> tuple[float, float]:
        """The time range that shows the whole run, from 0 s, with a little room."""
        ext = self._data.extent()
        lo, hi = (0.0, DEFAULT_SPAN) if ext is None else (ext[0], max(ext[1], self.now))
        if 0.0 < lo <= 0.1 * (hi - lo):
            lo = 0.0  # a run starts at 0 s; show it from there
        pad = FIT_PAD * max(hi - lo, MIN_SPAN)
        return lo - pad, hi + pad

    def _fit_run(self, animate: bool) -> None:
        target = self.whole_run_range()
        if self.animating:
            self._anim_to = target  # the glide ends on the newest whole run
            return
        if not animate or target == self.x_range():
            self.setXRange(*target, padding=0)
            return
        self._anim_from, self._anim_to = self.x_range(), target
        self._anim.start()

    def _animate(self, k: object) -> None:
        k = float(k)  # type: ignore[arg-type]
        (a0, a1), (b0, b1) = self._anim_from, self._anim_to
        self.setXRange(a0 + (b0 - a0) * k, a1 + (b1 - a1) * k, padding=0)

    def _stop_animation(self) -> None:
        if self.animating:
            self._anim.stop()

    def set_lane_height(self, px: float | None) -> None:
        """Fix the lane height in pixels, or None to fit lanes to the height."""
        self._lane_px = None if px is None else max(4.0, float(px))
        self._fit_rows()

    def scroll_lanes(self, rows: float) -> None:
        self._top_row += rows
        self._fit_rows()

    def _fit_rows(self) -> None:
        height = max(1.0, self._vb.height())
        n = len(self._data.layout)
        px = self._lane_px or min(MAX_LANE_PX, max(MIN_LANE_PX, height / max(n, 1)))
        visible = height / px
        self._top_row = min(max(self._top_row, 0.0), max(0.0, n - visible))
        self._vb.setYRange(self._top_row - 0.5, self._top_row - 0.5 + visible, padding=0)

    # -- selection and hover ---------------------------------------------------------------
    @property
    def selected_lane(self) -> int | None:
        return self.backdrop.selected_lane

    def select_lane(self, lane: int | None) -> None:
        """Highlight a lane (its row and its name); None clears the selection."""
        self.backdrop.set_selected(lane)
        self.lane_axis.set_selected(lane)

    def _select_and_emit(self, lane: int) -> None:
        self.select_lane(lane)
        self.taskClicked.emit(lane)

    def _on_click(self, t: float, y: float) -> None:
        lane = self._data.layout.lane_at(round(y))
        if lane is None:
            self.select_lane(None)
        else:
            self._select_and_emit(lane.lane)

    def slice_at(self, t: float, y: float) -> SliceHit | None:
        """The slice under time ``t`` on the row at ``y`` (within a few pixels)."""
        lane = self._data.layout.lane_at(round(y))
        if lane is None:
            return None
        tolerance = HOVER_TOLERANCE_PX * abs(self._vb.viewPixelSize()[0])
        return self._data.slice_at(lane.lane, t, tolerance)

    def hover_text_at(self, t: float, y: float) -> str | None:
        """What the tooltip says at time ``t`` on row ``y``; None over empty space."""
        hit = self.slice_at(t, y)
        return None if hit is None else self._hover_text(hit)

    def _hover_text(self, hit: SliceHit) -> str:
        row = self._data.layout.row_of(hit.lane)
        label = self._data.layout.rows[row].label if row is not None else f"lane {hit.lane}"
        return hover_text(hit, label, self._describe)

    def mouseMoveEvent(self, ev: QMouseEvent) -> None:
        # Not the scene's sigMouseMoved: pyqtgraph rate-limits it and can drop the last
        # move before the mouse rests, leaving a stale tooltip. A lookup is O(log n).
        super().mouseMoveEvent(ev)
        if ev.buttons() != Qt.MouseButton.NoButton:
            self._set_hover(None, None)
            return
        self._on_mouse_moved(self.mapToScene(ev.position().toPoint()))

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if not self._vb.sceneBoundingRect().contains(scene_pos):
            self._set_hover(None, None)
            return
        p = self._vb.mapSceneToView(scene_pos)
        self._set_hover(self.slice_at(p.x(), p.y()), scene_pos)

    def _set_hover(self, hit: SliceHit | None, scene_pos: QPointF | None) -> None:
        if hit != self._hover:
            self._hover = hit
            self.item.set_hovered(hit)
            self.sliceHovered.emit(hit)
        if hit is None or scene_pos is None:
            QToolTip.hideText()
            return
        at = self.viewport().mapToGlobal(self.mapFromScene(scene_pos)) + QPoint(14, 18)
        QToolTip.showText(at, self._hover_text(hit), self.viewport())

    def leaveEvent(self, ev) -> None:
        self._set_hover(None, None)
        super().leaveEvent(ev)

    # -- keyboard --------------------------------------------------------------------------
    def keyPressEvent(self, ev: QKeyEvent) -> None:
        key, shift = ev.key(), bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        x0, x1 = self.x_range()
        visible_rows = max(1.0, abs(np.diff(self._vb.viewRange()[1])[0]))
        K = Qt.Key
        actions: dict[int, Callable[[], None]] = {
            K.Key_Plus: lambda: self.zoom(1 / 1.5),
            K.Key_Equal: lambda: self.zoom(1 / 1.5),
            K.Key_Minus: lambda: self.zoom(1.5),
            K.Key_Left: lambda: self.pan(-(0.5 if shift else 0.1) * (x1 - x0)),
            K.Key_Right: lambda: self.pan((0.5 if shift else 0.1) * (x1 - x0)),
            K.Key_Up: lambda: self.scroll_lanes(-1),
            K.Key_Down: lambda: self.scroll_lanes(1),
            K.Key_PageUp: lambda: self.scroll_lanes(-visible_rows + 1),
            K.Key_PageDown: lambda: self.scroll_lanes(visible_rows - 1),
            K.Key_Home: self.fit_all,
            K.Key_End: lambda: self.set_following(True),
            K.Key_F: lambda: self.set_following(not self._following),
            K.Key_Escape: lambda: self.select_lane(None),
        }
        action = actions.get(key)
        if action is None:
            super().keyPressEvent(ev)
            return
        action()
        ev.accept()

    # -- looks -----------------------------------------------------------------------------
    def set_palette(self, palette: GanttPalette) -> None:
        """Repaint everything in ``palette`` (see ``palette_for``)."""
        self._palette = palette
        self.setBackground(QColor(palette.background))
        self.item.set_palette(palette)
        self.backdrop.set_palette(palette)
        self.lane_axis.set_palette(palette)
        self.legend.set_palette(palette)
        axis_pen = pg.mkPen(QColor(palette.grid))
        self.time_axis.setPen(axis_pen)
        self.time_axis.setTextPen(pg.mkPen(QColor(palette.foreground)))
        self.now_line.setPen(pg.mkPen(QColor(palette.now), width=2.5))
        self.cursor_line.setPen(
            pg.mkPen(QColor(palette.cursor), width=2, style=Qt.PenStyle.DashLine)
        )

    @property
    def gantt_palette(self) -> GanttPalette:
        return self._palette

    def set_theme(self, theme) -> None:
        """Adopt an app theme (anything with ``is_dark``, ``plot_background/foreground``)."""
        self.set_palette(
            palette_for(
                bool(getattr(theme, "is_dark", False)),
                background=getattr(theme, "plot_background", None),
                foreground=getattr(theme, "plot_foreground", None),
            )
        )

    def set_chart_font(self, font: QFont) -> None:
        """Font for lane names, bar labels, legend and time axis."""
        self.item.set_font(font)
        self.lane_axis.set_font(font)
        self.legend.set_font(font)
        self.time_axis.setStyle(tickFont=font)
        self.time_axis.label.setFont(font)

    def lane_labels(self) -> list[str]:
        """The lane names top to bottom (tests and accessibility read them)."""
        return self._data.layout.labels()

    # -- geometry and export ---------------------------------------------------------------
    def data_to_pixel(self, t: float, y: float) -> QPoint:
        """Where time ``t`` on row ``y`` appears in this widget (and in ``grab()``)."""
        scene = self._vb.mapViewToScene(QPointF(t, y))
        return self.mapFromScene(scene) + self.viewport().pos()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        # The lane names may take at most a share of the width: re-fit them.
        if self.lane_axis.chart_width != self.width():
            self.lane_axis.chart_width = float(self.width())
            self.lane_axis.lanes_changed()

    def _sync_layout(self) -> None:
        """Apply pending size changes now (the lane-name width), not at the next event."""
        self.getPlotItem().layout.activate()

    def paint_to(self, painter: QPainter, target: QRectF) -> None:
        """Paint the chart as shown into ``target`` on any device (PNG, SVG, PDF)."""
        self._sync_layout()
        self.render(painter, target, self.viewport().rect(), Qt.AspectRatioMode.KeepAspectRatio)

    def render_to_image(self, width: int, height: int) -> QImage:
        """The chart as shown, scaled to fit ``width`` x ``height`` (for PNG export)."""
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(self._palette.background))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.paint_to(painter, QRectF(QRect(0, 0, width, height)))
        painter.end()
        return image
