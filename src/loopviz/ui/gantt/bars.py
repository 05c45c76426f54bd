"""Drawing one state's bars for one frame: wide slices exactly, narrow ones merged.

The slices culled by time are first filtered to the rows on screen. Then:

- a slice at least one device pixel wide becomes its own rectangle at its true
  position, and gets a label slot if it is wide enough to read. Wide slices of
  one lane and state do not overlap, so there are at most rows x pixels / 1 of
  them whatever the total;
- narrower slices go into a :class:`CoverageGrid`: pixels the lane spent mostly
  in the state are drawn full height, pixels it only touched as a thin line
  (``BLOCKING`` is always full height: a stall must never look minor).

So the work is O(visible slices) in numpy and the drawing is bounded by pixels;
each kind of rectangle goes to the painter in a single ``drawRects`` call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QPainter

from loopviz.ui.gantt.columns import Culled
from loopviz.ui.gantt.coverage import CoverageGrid
from loopviz.ui.gantt.frame import Frame
from loopviz.ui.gantt.lanes import LaneLayout
from loopviz.ui.gantt.rects import RectBuffer

_MARGIN_PX = 4.0  # bars are clipped a little outside the view, never at huge coordinates
THIN_FRACTION = 0.34  # of the bar height, for pixels a state only touched
MAX_LABEL_SLOTS = 2000


@dataclass
class LabelSlot:
    """A bar wide enough for a label: where it is and what it shows."""

    x: float
    y: float
    w: float
    h: float
    state: int
    detail: int


@dataclass
class OnScreen:
    """Slices of one state on the rows being painted (``rows`` are display rows)."""

    rows: np.ndarray
    start: np.ndarray
    end: np.ndarray
    detail: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class StateBars:
    """How one state was drawn (for the frame statistics)."""

    wide: int = 0
    narrow: int = 0
    rects: int = 0


def on_screen(parts: list[Culled], layout: LaneLayout, frame: Frame) -> list[OnScreen]:
    """Map lanes to rows and keep the slices on rows ``r0..r1``."""
    out = []
    for part in parts:
        rows = layout.rows_of(part.lane)
        keep = (rows >= frame.r0) & (rows <= frame.r1)
        if keep.all():
            out.append(OnScreen(rows, part.start, part.end, part.detail))
        elif keep.any():
            out.append(OnScreen(rows[keep], part.start[keep], part.end[keep], part.detail[keep]))
    return out


def _cat(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


class _Grid:
    """A coverage grid on the device pixel grid of the painted strip."""

    def __init__(self, frame: Frame) -> None:
        # Columns on the device pixel grid, so a repainted strip matches the full picture.
        self.left = math.floor(frame.clip.left() / frame.px) * frame.px
        n_cols = max(1, math.ceil((frame.clip.right() - self.left) / frame.px))
        self.grid = CoverageGrid(frame.r1 - frame.r0 + 1, n_cols)
        self.per_second = frame.sx / frame.px  # columns per second
        self.offset = (frame.tx - self.left) / frame.px

    def add(self, frame: Frame, part: OnScreen, width: np.ndarray) -> None:
        mid = (part.start + part.end) * (0.5 * self.per_second)
        mid += self.offset
        self.grid.add(part.rows - frame.r0, mid, width)


def draw_state(
    painter: QPainter,
    parts: list[OnScreen],
    frame: Frame,
    height: float,
    buf: RectBuffer,
    *,
    state: int,
    always_full: bool = False,
    label_min_width: float | None = None,
    slots: list[LabelSlot] | None = None,
) -> StateBars:
    """Draw one state's slices with the painter's current brush; see the module docstring."""
    stats = StateBars()
    grid: _Grid | None = None
    cols_per_second = abs(frame.sx) / frame.px
    wide_parts: list[OnScreen] = []
    for part in parts:
        width = part.end - part.start
        width *= cols_per_second  # in device pixels
        wide = width >= 1.0
        n_wide = int(np.count_nonzero(wide))
        if n_wide == len(part):
            wide_parts.append(part)
            continue
        if n_wide:
            wide_parts.append(_select(part, wide))
            narrow = ~wide
            part, width = _select(part, narrow), width[narrow]
        grid = grid or _Grid(frame)
        grid.add(frame, part, width)
        stats.narrow += len(part)
    if wide_parts:
        stats.wide = _draw_wide(
            painter, wide_parts, frame, height, buf, state, label_min_width, slots
        )
        stats.rects = stats.wide
    if grid is not None:
        thin = height if always_full else _thin(height, frame)
        full_runs, thin_runs = grid.grid.split_runs()
        for (row, first, stop), h in ((full_runs, height), (thin_runs, thin)):
            if len(row):
                x = grid.left + first * frame.px
                buf.set(x, frame.bar_top(row + frame.r0, h), (stop - first) * frame.px, h)
                buf.draw(painter)
                stats.rects += len(row)
    return stats


def _select(part: OnScreen, mask: np.ndarray) -> OnScreen:
    return OnScreen(part.rows[mask], part.start[mask], part.end[mask], part.detail[mask])


def _draw_wide(
    painter: QPainter,
    parts: list[OnScreen],
    frame: Frame,
    height: float,
    buf: RectBuffer,
    state: int,
    label_min_width: float | None,
    slots: list[LabelSlot] | None,
) -> int:
    """One rectangle per slice; label slots for those wide enough to read."""
    # Clipped to the whole view, not the strip painted, so geometry and labels do not
    # depend on which part of the view Qt asked for.
    lo, hi = frame.view.left() - _MARGIN_PX, frame.view.right() + _MARGIN_PX
    rows, start, end, detail = (_cat([getattr(p, f) for p in parts]) for f in _FIELDS)
    x = np.clip(frame.scene_x(start), lo, hi)
    xe = np.clip(frame.scene_x(end), lo, hi)
    x, xe = np.minimum(x, xe), np.maximum(x, xe)
    y = frame.bar_top(rows, height)
    w = np.maximum(xe - x, frame.px)
    buf.set(x, y, w, height)
    buf.draw(painter)
    if label_min_width is not None and slots is not None:
        for i in np.flatnonzero((w >= label_min_width) & (detail >= 0))[:MAX_LABEL_SLOTS]:
            slots.append(
                LabelSlot(float(x[i]), float(y[i]), float(w[i]), height, state, int(detail[i]))
            )
    return len(x)


_FIELDS = ("rows", "start", "end", "detail")


def _thin(height: float, frame: Frame) -> float:
    return max(2 * frame.px, round(height * THIN_FRACTION / frame.px) * frame.px)
