"""``GanttView``: the ready-to-embed task-lane chart (a ``pyqtgraph.PlotWidget``).

Feed it from a timer at 30–60 Hz, one call per batch, never one call per event::

    view = GanttView(describe=recording.describe)
    view.set_lanes([(0, "event loop", 0), (1, "main", 0), (2, "Task-2", 1)])
    view.add_slices(lane, start, end, state, detail)     # numpy arrays, one batch
    view.set_open_slices(open_lane, open_start, open_state)
    view.set_stalls([(1.2, None)]); view.set_now(t)

The view follows "now" until the user pans the chart (or presses F); F follows
again. The wheel zooms time, Shift+wheel and ↑/↓ scroll lanes, Alt+←/→ pan, a
double click shows the whole run.

Lecture mode (the time cursor): a plain click or left drag in the plot emits
``cursorRequested(t)`` with wall seconds; the window's time cursor decides and
calls :meth:`GanttView.set_cursor`, which draws the line and emits
``cursorChanged``. Panning is Shift+left, middle or right drag. ←, →, Home, End,
Page Up/Down and Space belong to the window's stepping actions, not to the chart.

Selecting a range (to export it): Ctrl+left drag draws a translucent band over
every lane, labelled with its duration; ``selectionChanged`` gives ``(start,
end)`` in wall seconds (or None), Esc clears it (a second Esc clears the
selected lane), and a new run (:meth:`GanttView.clear`) forgets it.

Two time axes (:meth:`GanttView.set_time_axis`): "wall" (seconds) and "steps"
(every handle run one equal column, ``loopviz.model.step_axis``). The steps axis
needs the run boundaries, :meth:`GanttView.set_step_times`; until they arrive
the chart draws wall time. Every public time (signals, ``set_cursor``,
``slice_at``, ``set_now``) is wall seconds whatever the axis; ``x_range`` and
``setXRange`` are in the axis shown.

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

from loopviz.model.step_axis import StepAxis
from loopviz.ui.gantt.backdrop import LaneBackdrop
from loopviz.ui.gantt.data import GanttData, SliceHit
from loopviz.ui.gantt.hover import Describe, hover_text
from loopviz.ui.gantt.item import GanttItem
from loopviz.ui.gantt.lane_axis import LaneAxis
from loopviz.ui.gantt.lanes import Lane
from loopviz.ui.gantt.legend import GanttLegend
from loopviz.ui.gantt.palette import EndKind, GanttPalette, palette_for
from loopviz.ui.gantt.selection import SelectionBand, duration_text
from loopviz.ui.gantt.step_data import add_mapped, map_open_markers_stalls, steps_copy
from loopviz.ui.gantt.time_axis import STEPS, WALL, TimeAxis
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
MIN_SELECTION_PX = 3.0  # a Ctrl+drag shorter than this selects nothing (a slip of the hand)
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


def cursor_label(t: float) -> str:
    """ "1.234 s" at the top of the cursor line; finer when the instant needs it."""
    if abs(t) >= 0.01 or t == 0.0:
        return f"{t:.3f} s"
    return f"{t * 1e3:.3f} ms"


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
    cursorRequested = Signal(float)  # wall seconds: the user clicked or dragged in the plot
    cursorChanged = Signal(object)  # wall seconds or None, from set_cursor
    timeAxisChanged = Signal(str)  # "wall" | "steps"
    stepsAvailableChanged = Signal(bool)  # set_step_times gave (or took away) handle runs
    styleChanged = Signal()  # set_palette or set_chart_font: a compared chart copies the look
    selectionChanged = Signal(object)  # (start, end) in wall seconds, or None

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
        self.bottom_axis = TimeAxis()
        super().__init__(
            parent,
            background=QColor(self._palette.background),
            viewBox=self._vb,
            axisItems={"left": self.lane_axis, "bottom": self.bottom_axis},
        )
        # PlotWidget copies PlotItem.clear onto the instance; ours starts a new run.
        vars(self).pop("clear", None)
        self._describe = describe
        self._following = True
        self._auto = True  # following grows the range (auto_range); False: zoomed by hand
        self._fitted = False  # the whole run stays shown until the user moves the view
        self._cursor: float | None = None
        self._selection: tuple[float, float] | None = None  # wall seconds
        self._shown = self._data  # what is drawn: the wall data, or its steps copy
        self._mode = WALL
        self._steps: StepAxis | None = None
        self._top_row = 0.0
        self._lane_px: float | None = None  # None: fit the lanes to the height
        self._hover: SliceHit | None = None
        self.item = GanttItem(self._data, font, self._palette)
        self.item.label_text = describe
        self.backdrop = LaneBackdrop(self._data, self._palette)
        self.legend = GanttLegend(font, self._palette)
        self.now_line = pg.InfiniteLine(angle=90, movable=False)
        self.cursor_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            label="",
            # At the top of the plot (the y axis is inverted), text right of the line;
            # stall captions there step aside for it (GanttItem.cursor_label).
            labelOpts={"position": 0.0, "anchors": [(0, 0), (0, 0)]},
        )
        self.cursor_line.label.setFont(font)
        self._anim = QVariantAnimation(self)
        self._anim.setDuration(FIT_ANIMATION_MS)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._anim.valueChanged.connect(self._animate)
        self._anim_from = (0.0, 0.0)
        self._anim_to = (0.0, 0.0)
        self._build(font)
        self.selection_band = SelectionBand(self.getPlotItem(), font, self._palette)
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
        self.bottom_axis.setLabel("time", units="s")
        self.bottom_axis.enableAutoSIPrefix(False)
        # hideOverlappingLabels: let "0" reach a few pixels left of the axis (under the
        # lane names) rather than vanish, since the range starts just before 0 s.
        self.bottom_axis.setStyle(tickFont=font, tickTextOffset=6, hideOverlappingLabels=24)
        self.bottom_axis.label.setFont(font)
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
        self._vb.sigXRangeChanged.connect(self._keep_cursor_label_inside)
        self._vb.sigCursorDragged.connect(lambda x: self.cursorRequested.emit(self.to_wall(x)))
        self._vb.sigRangeDragged.connect(self._on_range_dragged)
        self._vb.sigDoubleClicked.connect(self.fit_all)
        self._vb.sigResized.connect(lambda _vb: self._fit_rows())
        self.lane_axis.sigLaneClicked.connect(self._select_and_emit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.backdrop.viewRangeChanged()

    def _major_ticks(self, x0: float, x1: float, size: float) -> list[float]:
        levels = self.bottom_axis.tickValues(x0, x1, size)
        return list(levels[0][1]) if levels else []

    # -- feeding ---------------------------------------------------------------------------
    @property
    def data(self) -> GanttData:
        """The chart's content (read-only use; write through the methods below)."""
        return self._data

    def set_lanes(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> None:
        """Rows top to bottom: ``(lane_index, label, depth)``; see ``lanes.tree_order``."""
        self._data.set_lanes(lanes)
        if self._shown is not self._data:
            self._shown.layout = self._data.layout
            self._shown.version += 1
        self._lanes_changed(None)

    def append_lanes(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> None:
        """Add rows at the bottom, as :meth:`set_lanes` with the old rows plus these would,
        at the cost of the new rows only (a run creating 100,000 tasks)."""
        added = self._data.append_lanes(lanes)
        if not added:
            return
        if self._shown is not self._data:
            self._shown.version += 1  # a steps copy shares the wall data's layout
        self._lanes_changed(added)

    def relabel_lanes(self, labels: dict[int, str]) -> None:
        """New names for lanes already shown (``lane -> label``, e.g. a task renamed)."""
        layout = self._data.layout
        rows = [r for r in map(layout.row_of, labels) if r is not None]
        old = [(layout.labels_list[r], int(layout.depths[r])) for r in rows]
        changed = self._data.relabel_lanes(labels)
        if changed:
            if self._shown is not self._data:
                self._shown.version += 1
            self._lanes_changed(changed, replaced=old)

    def _lanes_changed(
        self, added: list[Lane] | None, replaced: list[tuple[str, int]] | None = None
    ) -> None:
        self.lane_axis.lanes_changed(added, replaced)
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
            if self._steps_shown():
                m = self._steps.to_steps  # type: ignore[union-attr]
                s, e = m(np.asarray(start)), m(np.asarray(end))
                self._shown.add_slices(lane, s, e, state, detail)
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
            if self._steps_shown():
                add_mapped(self._shown, self._steps, state, lane, start, end, detail)  # type: ignore[arg-type]
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
        self._remap_small()
        self._data_changed()

    def set_markers(self, markers: Iterable[tuple[int, float, str | EndKind]]) -> None:
        """Replace the end markers: ``(lane, t, "done" | "cancelled" | "failed")``."""
        self._data.set_markers(markers)
        self._remap_small()
        self._data_changed()

    def add_markers(self, markers: Iterable[tuple[int, float, str | EndKind]]) -> None:
        """Add end markers (tasks that finished since the last call)."""
        if self._data.add_markers(markers):
            self._remap_small()
            self._data_changed()

    def set_stalls(self, stalls: Iterable[tuple[float, float | None]]) -> None:
        """Replace the stalls: ``(start, end)``, ``end`` None while the stall lasts."""
        self._data.set_stalls(stalls)
        self._remap_small()
        self._data_changed()
        self.backdrop.update()

    def set_now(self, t: float) -> None:
        """Move the "now" line (live runs); the view follows it when following is on."""
        before = self._data.version
        self._data.set_now(t)
        if self._data.version != before:
            self._remap_small()
        elif self._steps_shown():
            self._shown.now = float(self._steps.to_steps(float(t)))  # type: ignore[union-attr]
        self.now_line.setValue(self.to_view(float(t)))
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

    def _remap_small(self) -> None:
        """Open slices, markers, stalls and "now" onto the steps axis, if it is shown."""
        if self._steps_shown():
            map_open_markers_stalls(self._data, self._shown, self._steps)  # type: ignore[arg-type]

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
        """Show the cursor line at wall time ``t`` (stepping through a recording); None hides it.

        Emits ``cursorChanged`` when the instant changes.
        """
        new = None if t is None else float(t)
        changed = new != self._cursor
        self._cursor = new
        self._place_cursor()
        if changed:
            self.cursorChanged.emit(new)

    def _place_cursor(self) -> None:
        if self._cursor is None:
            self.cursor_line.hide()
            self.item.set_cursor_label(None)
            return
        self.cursor_line.setValue(self.to_view(self._cursor))
        self.cursor_line.show()  # first: a hidden label ignores new text
        self.cursor_line.label.setFormat(cursor_label(self._cursor))
        self._keep_cursor_label_inside()

    def _keep_cursor_label_inside(self, *_args: object) -> None:
        """Near the right edge the time label goes left of the line, so it stays whole."""
        if self._cursor is None:
            return
        x0, x1 = self.x_range()
        right = self.cursor_line.value() > x0 + 0.8 * (x1 - x0)
        anchor = (1, 0) if right else (0, 0)
        label = self.cursor_line.label
        if label.anchors[0] != anchor:
            label.anchors = [anchor, anchor]
            label.updatePosition()
        self.item.set_cursor_label(
            self.cursor_line.value(), label.boundingRect().width(), left_of_line=right
        )

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
        had, self._steps = self._steps is not None, None
        self._show(self._data)
        self.item.seconds_between = None
        self.bottom_axis.set_mode(WALL)
        if had:
            self.stepsAvailableChanged.emit(False)
        self.item.texts_changed()
        self._data_changed()
        self.select_lane(None)
        self.set_selection(None)
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
            x0, x1 = auto_range(self._shown.now)
            if (x0, x1) != self.x_range():
                self.setXRange(x0, x1, padding=0)
            return
        x0, x1 = self.x_range()
        width, t = x1 - x0, self._shown.now
        if t > x0 + (1 - FOLLOW_MARGIN) * width:
            x0 = t - (1 - FOLLOW_MARGIN) * width
        elif t < x0:
            x0 = t - FOLLOW_MARGIN * width
        else:
            return
        self.setXRange(x0, x0 + width, padding=0)

    def x_range(self) -> tuple[float, float]:
        """The x range shown, in the axis shown (seconds, or steps on the steps axis)."""
        x0, x1 = self._vb.viewRange()[0]
        return float(x0), float(x1)

    def wall_range(self) -> tuple[float, float]:
        """The time range shown in wall seconds, whatever the axis (exports want this)."""
        x0, x1 = self.x_range()
        return self.to_wall(x0), self.to_wall(x1)

    def zoom(self, factor: float, anchor: float | None = None) -> None:
        """Scale the time span by ``factor`` (< 1 zooms in) around ``anchor``.

        While following, "now" is the anchor if it is on screen, so zooming never
        loses the live edge.
        """
        self._stop_animation()
        self._auto, self._fitted = False, False
        x0, x1 = self.x_range()
        now = self._shown.now
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
        ext = self._shown.extent()
        lo, hi = (0.0, DEFAULT_SPAN) if ext is None else (ext[0], max(ext[1], self._shown.now))
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

    def close(self) -> bool:
        """Stop gliding first: pyqtgraph's ``close`` drops the plot the glide moves."""
        self._stop_animation()
        return super().close()

    def _animate(self, k: object) -> None:
        if self.plotItem is None:  # closed while gliding
            self._stop_animation()
            return
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

    def selection(self) -> tuple[float, float] | None:
        """The time range selected with Ctrl+drag, ``(start, end)`` in wall seconds."""
        return self._selection

    def set_selection(self, span: tuple[float, float] | None) -> None:
        """Select ``(start, end)`` wall seconds (either order), or None; tells followers once."""
        new = None
        if span is not None:
            a, b = float(span[0]), float(span[1])
            new = (min(a, b), max(a, b))
        if new == self._selection:
            return
        self._selection = new
        self._place_selection()
        self.selectionChanged.emit(new)

    def _place_selection(self) -> None:
        if self._selection is None:
            self.selection_band.show(None, "")
            return
        a, b = self._selection
        self.selection_band.show((self.to_view(a), self.to_view(b)), duration_text(b - a))

    def _on_range_dragged(self, pressed: float, now: float, finished: bool) -> None:
        """Ctrl+drag from view x ``pressed`` to ``now``; a tiny one selects nothing."""
        px = abs(self._vb.viewPixelSize()[0]) or 1.0
        if abs(now - pressed) < MIN_SELECTION_PX * px:
            if finished:
                self.set_selection(None)
            return
        self.set_selection((self.to_wall(pressed), self.to_wall(now)))

    def _escape(self) -> None:
        if self._selection is not None:
            self.set_selection(None)
        else:
            self.select_lane(None)

    def _on_click(self, x: float, y: float) -> None:
        lane = self._data.layout.lane_at(round(y))
        if lane is None:
            self.select_lane(None)
        else:
            self._select_and_emit(lane.lane)
        self.cursorRequested.emit(self.to_wall(x))

    def slice_at(self, t: float, y: float) -> SliceHit | None:
        """The slice under wall time ``t`` on the row at ``y`` (within a few pixels)."""
        hit = self._shown_hit_at(self.to_view(t), y)
        return None if hit is None else self._to_wall_hit(hit)

    def _shown_hit_at(self, x: float, y: float) -> SliceHit | None:
        """The drawn slice at view ``x`` (seconds or steps) on row ``y``."""
        lane = self._data.layout.lane_at(round(y))
        if lane is None:
            return None
        tolerance = HOVER_TOLERANCE_PX * abs(self._vb.viewPixelSize()[0])
        return self._shown.slice_at(lane.lane, x, tolerance)

    def _to_wall_hit(self, hit: SliceHit) -> SliceHit:
        """The wall-time slice drawn as ``hit`` (its own times, not mapped back ones)."""
        if not self._steps_shown():
            return hit
        mid = self.to_wall((hit.start + hit.end) / 2)
        wall = self._data.slice_at(hit.lane, mid)
        if wall is not None and wall.state == hit.state and wall.detail == hit.detail:
            return wall
        start, end = self.to_wall(hit.start), self.to_wall(hit.end)
        return SliceHit(hit.lane, hit.state, start, end, hit.detail, hit.open)

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
        self._set_hover(self._shown_hit_at(p.x(), p.y()), scene_pos)

    def _set_hover(self, shown: SliceHit | None, scene_pos: QPointF | None) -> None:
        """``shown`` is in the drawn axis's units; the signal and tooltip get wall seconds."""
        hit = None if shown is None else self._to_wall_hit(shown)
        if hit != self._hover:
            self._hover = hit
            self.item.set_hovered(shown)
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
        """+/− zoom, ↑/↓ lanes, Alt+←/→ pan (Shift: half a screen), F follow, Esc unselect.

        Esc clears the selected time range first, then the selected lane.

        Plain ←/→, Home, End, Page Up/Down and Space are left to the window (stepping
        the time cursor, playback, the next scenario), so they are not handled here.
        """
        mods = ev.modifiers()
        key, shift = ev.key(), bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        x0, x1 = self.x_range()
        K = Qt.Key
        actions: dict[int, Callable[[], None]] = {
            K.Key_Plus: lambda: self.zoom(1 / 1.5),
            K.Key_Equal: lambda: self.zoom(1 / 1.5),
            K.Key_Minus: lambda: self.zoom(1.5),
            K.Key_Up: lambda: self.scroll_lanes(-1),
            K.Key_Down: lambda: self.scroll_lanes(1),
            K.Key_F: lambda: self.set_following(not self._following),
            K.Key_Escape: self._escape,
        }
        if alt:
            actions[K.Key_Left] = lambda: self.pan(-(0.5 if shift else 0.1) * (x1 - x0))
            actions[K.Key_Right] = lambda: self.pan((0.5 if shift else 0.1) * (x1 - x0))
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
        self.bottom_axis.setPen(axis_pen)
        self.bottom_axis.setTextPen(pg.mkPen(QColor(palette.foreground)))
        self.now_line.setPen(pg.mkPen(QColor(palette.now), width=2.5))
        self.cursor_line.setPen(pg.mkPen(QColor(palette.cursor), width=2))
        self.cursor_line.label.setColor(QColor(palette.cursor))
        label_fill = QColor(palette.background)
        label_fill.setAlpha(230)
        self.cursor_line.label.fill = pg.mkBrush(label_fill)
        self.cursor_line.label.update()
        if hasattr(self, "selection_band"):  # __init__ paints once before the band exists
            self.selection_band.set_palette(palette)
        self.styleChanged.emit()

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
        self.cursor_line.label.setFont(font)
        self.selection_band.set_font(font)
        self.bottom_axis.setStyle(tickFont=font)
        self.bottom_axis.label.setFont(font)
        self.styleChanged.emit()

    def lane_labels(self) -> list[str]:
        """The lane names top to bottom (tests and accessibility read them)."""
        return self._data.layout.labels()

    # -- time axes -------------------------------------------------------------------------
    def set_step_times(self, begins: np.ndarray, ends: np.ndarray) -> None:
        """The begin and end (wall seconds) of every handle run, in run order.

        Needed by the steps axis; call when a recording is shown and a few times a
        second while it grows. Without it (or with no runs) the chart draws wall time.
        """
        had, shown_before = self.steps_available, self._steps_shown()
        steps = StepAxis(begins, ends)
        self._steps = steps if len(steps) else None
        if shown_before or self._steps_shown():  # in wall time nothing drawn changes
            self._redraw_axis(keep_view=True)
        if self.steps_available != had:
            self.stepsAvailableChanged.emit(self.steps_available)

    @property
    def steps_available(self) -> bool:
        """The steps axis has handle runs to show."""
        return self._steps is not None

    @property
    def step_axis(self) -> StepAxis | None:
        return self._steps

    def time_axis(self) -> str:
        """The time axis chosen: "wall" or "steps" (drawn as wall until steps are known)."""
        return self._mode

    def set_time_axis(self, mode: str) -> None:
        """Show wall time ("wall") or loop steps ("steps"), keeping the same instants in view.

        The cursor stays at the same instant; if it would fall outside the view, the
        view is moved to show it.
        """
        if mode not in (WALL, STEPS):
            raise ValueError(f"unknown time axis {mode!r}: use 'wall' or 'steps'")
        if mode == self._mode:
            return
        self._mode = mode
        self._redraw_axis(keep_view=True)
        self.timeAxisChanged.emit(mode)

    def _steps_shown(self) -> bool:
        return self._mode == STEPS and self._steps is not None

    def _redraw_axis(self, keep_view: bool) -> None:
        """Rebuild what is drawn for the current axis, keeping the same wall times in view."""
        self._stop_animation()
        x0, x1 = self.x_range()
        w0, w1 = self.to_wall(x0), self.to_wall(x1)
        if self._steps_shown():
            self._show(steps_copy(self._data, self._steps))  # type: ignore[arg-type]
            self.item.seconds_between = lambda a, b: self.to_wall(b) - self.to_wall(a)
        else:
            self._show(self._data)
            self.item.seconds_between = None
        self.bottom_axis.set_mode(STEPS if self._steps_shown() else WALL)
        self.now_line.setValue(self.to_view(self._data.now))
        self._place_cursor()
        self._place_selection()
        if self._following:
            self._follow()
        elif self._fitted:
            self._fit_run(animate=False)
        elif keep_view:
            a, b = self.to_view(w0), self.to_view(w1)
            if b - a < MIN_SPAN * 10:
                a, b = self.whole_run_range()
            self.setXRange(a, b, padding=0)
        if self._cursor is not None and not self._following:
            a, b = self.x_range()
            c = self.to_view(self._cursor)
            if not a <= c <= b:
                half = (b - a) / 2
                self.setXRange(c - half, c + half, padding=0)

    def _show(self, data: GanttData) -> None:
        """Point every layer at ``data`` (the wall content or its steps copy)."""
        if data is self._shown:
            return
        self._shown = data
        self.item.set_data(data)
        self.backdrop.set_data(data)
        self._set_hover(None, None)
        self._data_changed()
        self.backdrop.update()

    def to_view(self, t: float) -> float:
        """Wall seconds -> x on the axis shown (seconds, or steps)."""
        if self._steps_shown():
            return float(self._steps.to_steps(float(t)))  # type: ignore[union-attr]
        return float(t)

    def to_wall(self, x: float) -> float:
        """x on the axis shown -> wall seconds."""
        if self._steps_shown():
            return float(self._steps.to_wall(float(x)))  # type: ignore[union-attr]
        return float(x)

    @property
    def shown_data(self) -> GanttData:
        """What is drawn: :attr:`data`, or its copy on the steps axis."""
        return self._shown

    # -- geometry and export ---------------------------------------------------------------
    def data_to_pixel(self, t: float, y: float) -> QPoint:
        """Where view x ``t`` (seconds, or steps on the steps axis) on row ``y`` appears."""
        scene = self._vb.mapViewToScene(QPointF(t, y))
        return self.mapFromScene(scene) + self.viewport().pos()

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        # The lane names may take at most a share of the width: re-fit them.
        if self.lane_axis.chart_width != self.width():
            self.lane_axis.chart_width = float(self.width())
            self.lane_axis.refit()

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
