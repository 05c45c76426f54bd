"""Everything the chart shows, held without Qt: slices, open slices, lanes, markers, stalls.

The items read this object when they paint; the widget writes it when the model
feeds a batch. ``version`` changes on every write, so a cached raster knows when
it is stale without comparing arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from loopviz.ui.gantt.columns import Culled, SliceColumns
from loopviz.ui.gantt.lanes import Lane, LaneLayout
from loopviz.ui.gantt.palette import END_KINDS, N_STATES, EndKind, SliceState


@dataclass(frozen=True)
class SliceHit:
    """A slice found under the mouse; ``open`` slices end at "now"."""

    lane: int
    state: SliceState
    start: float
    end: float
    detail: int
    open: bool = False

    @property
    def duration(self) -> float:
        return self.end - self.start


_KIND_INDEX = {kind: i for i, kind in enumerate(END_KINDS)}
"""EndKind (or its text: a StrEnum hashes as its value) -> index into END_KINDS."""


def _marker_arrays(
    markers: Iterable[tuple[int, float, str | EndKind]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(markers)
    lane = np.array([int(m[0]) for m in rows], np.int32)
    t = np.array([float(m[1]) for m in rows], np.float64)
    kind = np.array([_kind_index(m[2]) for m in rows], np.uint8)
    return lane, t, kind


def _kind_index(kind: str | EndKind) -> int:
    found = _KIND_INDEX.get(kind)
    return END_KINDS.index(EndKind(kind)) if found is None else found


class GanttData:
    """The chart's content; see the module docstring."""

    def __init__(self) -> None:
        self.columns = [SliceColumns() for _ in range(N_STATES)]
        self.layout = LaneLayout()
        self.now = 0.0
        self.version = 0
        self._open_first_of: tuple[np.ndarray | None, float] = (None, 0.0)
        self._distinct_of: dict[str, tuple[np.ndarray, list[int]]] = {}
        self._marker_span_of: tuple[np.ndarray | None, tuple[float, float]] = (None, (0.0, 0.0))
        self._set_open(np.empty(0, np.int32), np.empty(0), np.empty(0, np.uint8), None)
        self.set_markers(())
        self.set_stalls(())

    # -- writing ---------------------------------------------------------------------------
    def clear(self) -> None:
        self.__init__()

    def _touch(self) -> None:
        self.version += 1

    def set_lanes(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> None:
        self.layout = LaneLayout(lanes)
        self._touch()

    def append_lanes(self, lanes: Iterable[tuple[int, str, int] | Lane]) -> list[Lane]:
        """Add rows at the bottom (the layout object stays: a steps copy shares it)."""
        added = self.layout.append(lanes)
        if added:
            self._touch()
        return added

    def relabel_lanes(self, labels: dict[int, str]) -> list[Lane]:
        """New names for lanes shown; returns the rows that changed."""
        changed = self.layout.relabel(labels)
        if changed:
            self._touch()
        return changed

    def add_slices(
        self,
        lane: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        state: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> int:
        """Append one batch of finished slices; returns how many were added."""
        lane = np.asarray(lane, np.int32)
        start = np.asarray(start, np.float64)
        end = np.asarray(end, np.float64)
        state = np.asarray(state, np.uint8)
        n = len(lane)
        if not (len(start) == len(end) == len(state) == n):
            raise ValueError("lane, start, end and state must have the same length")
        detail = np.full(n, -1, np.int64) if detail is None else np.asarray(detail, np.int64)
        if len(detail) != n:
            raise ValueError("detail must have the same length as lane")
        if n == 0:
            return 0
        lo, hi = int(state.min()), int(state.max())
        if hi >= N_STATES:
            raise ValueError(f"unknown slice state {hi}")
        for s in range(lo, hi + 1):
            if lo == hi:
                self.columns[s].append(lane, start, end, detail)
                break
            sel = np.flatnonzero(state == s)
            if len(sel):
                self.columns[s].append(lane[sel], start[sel], end[sel], detail[sel])
        self._touch()
        return n

    def add_state_slices(
        self,
        state: int,
        lane: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> int:
        """Append one state's batch (the model's per-state columns), no state column needed."""
        if not 0 <= int(state) < N_STATES:
            raise ValueError(f"unknown slice state {state}")
        lane = np.asarray(lane, np.int32)
        n = len(lane)
        detail = np.full(n, -1, np.int64) if detail is None else np.asarray(detail, np.int64)
        if not (len(start) == len(end) == len(detail) == n):
            raise ValueError("lane, start, end and detail must have the same length")
        if n:
            self.columns[int(state)].append(lane, start, end, detail)
            self._touch()
        return n

    def set_open(
        self,
        lane: np.ndarray,
        start: np.ndarray,
        state: np.ndarray,
        detail: np.ndarray | None = None,
    ) -> None:
        """Replace the slices still in progress; each is drawn from its start to "now"."""
        self._set_open(
            np.asarray(lane, np.int32),
            np.asarray(start, np.float64),
            np.asarray(state, np.uint8),
            detail,
        )
        self._touch()

    def _set_open(self, lane, start, state, detail) -> None:
        self.open_lane = lane
        self.open_start = start
        self.open_state = state
        n = len(lane)
        self.open_detail = np.full(n, -1, np.int64) if detail is None else np.asarray(detail)

    def set_markers(self, markers: Iterable[tuple[int, float, str | EndKind]]) -> None:
        """Replace the end markers: ``(lane, t, kind)`` with kind done/cancelled/failed."""
        self.marker_lane, self.marker_t, self.marker_kind = _marker_arrays(markers)
        self._touch()

    def add_markers(self, markers: Iterable[tuple[int, float, str | EndKind]]) -> int:
        """Add end markers (tasks that finished since); returns how many."""
        lane, t, kind = _marker_arrays(markers)
        if len(lane):
            self.marker_lane = np.concatenate([self.marker_lane, lane])
            self.marker_t = np.concatenate([self.marker_t, t])
            self.marker_kind = np.concatenate([self.marker_kind, kind])
            self._touch()
        return len(lane)

    def set_stalls(self, stalls: Iterable[tuple[float, float | None]]) -> None:
        """Replace the stalls: ``(start, end)``; ``end`` None while the stall is live."""
        rows = list(stalls)
        self.stall_start = np.array([float(s) for s, _e in rows], np.float64)
        self.stall_end = np.array([np.nan if e is None else float(e) for _s, e in rows])
        self._touch()

    def set_now(self, t: float) -> None:
        """Move "now"; the picture only changes if something is drawn up to it."""
        if t != self.now:
            self.now = float(t)
            if len(self.open_lane) or bool(np.isnan(self.stall_end).any()):
                self._touch()

    # -- reading ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return sum(len(c) for c in self.columns)

    def open_chunk(self, state: int) -> Culled | None:
        """The open slices of one state, ended at "now" (never before their start)."""
        sel = np.flatnonzero(self.open_state == state)
        if len(sel) == 0:
            return None
        start = self.open_start[sel]
        return Culled(
            self.open_lane[sel], start, np.maximum(start, self.now), self.open_detail[sel]
        )

    def stall_ends(self) -> np.ndarray:
        """Stall ends with live stalls drawn up to "now"."""
        return np.where(
            np.isnan(self.stall_end), np.maximum(self.now, self.stall_start), self.stall_end
        )

    def kinds(self) -> frozenset[str]:
        """What there is to explain: ``state:N`` drawn, ``stall``, ``end:<kind>`` markers.

        The legend lists these (and "now" once a run has started).
        """
        out = {f"state:{s}" for s in range(N_STATES) if len(self.columns[s])}
        out.update(f"state:{s}" for s in self._distinct("open_state"))
        if len(self.stall_start):
            out.add("stall")
        out.update(f"end:{END_KINDS[k].value}" for k in self._distinct("marker_kind"))
        return frozenset(out)

    def _distinct(self, name: str) -> list[int]:
        """The distinct values of a column, worked out once per array (asked after every
        write, and 100,000 waiting tasks make 100,000 open slices)."""
        array = getattr(self, name)
        seen = self._distinct_of.get(name)
        if seen is None or seen[0] is not array:  # arrays are replaced, never written
            seen = self._distinct_of[name] = (array, np.unique(array).tolist())
        return seen[1]

    def extent(self) -> tuple[float, float] | None:
        """The time span with anything to draw, or None when the chart is empty."""
        lo, hi = np.inf, -np.inf
        for col in self.columns:
            ext = col.extent
            if ext is not None:
                lo, hi = min(lo, ext[0]), max(hi, ext[1])
        if len(self.open_start):
            lo, hi = min(lo, self._open_first()), max(hi, self.now)
        if len(self.stall_start):
            lo = min(lo, float(self.stall_start.min()))
            hi = max(hi, float(self.stall_ends().max()))
        if len(self.marker_t):
            m_lo, m_hi = self._marker_span()
            lo, hi = min(lo, m_lo), max(hi, m_hi)
        return (lo, hi) if lo <= hi else None

    def _open_first(self) -> float:
        """The earliest open slice's start (asked after every write: 100,000 open slices
        are scanned once per set, not once per question)."""
        seen, first = self._open_first_of
        if seen is not self.open_start:  # arrays are replaced, never written in place
            first = float(self.open_start.min())
            self._open_first_of = (self.open_start, first)
        return first

    def _marker_span(self) -> tuple[float, float]:
        seen, span = self._marker_span_of
        if seen is not self.marker_t:
            span = (float(self.marker_t.min()), float(self.marker_t.max()))
            self._marker_span_of = (self.marker_t, span)
        return span

    def slice_at(self, lane: int, t: float, tolerance: float = 0.0) -> SliceHit | None:
        """The slice of ``lane`` under time ``t``; else the nearest within ``tolerance``."""
        best: tuple[tuple[float, float], SliceHit] | None = None
        for state in range(N_STATES):
            parts = [self.columns[state].cull(t - tolerance, t + tolerance)]
            opened = self.open_chunk(state)
            if opened is not None:
                parts.append(opened)
            for part_no, part in enumerate(parts):
                sel = np.flatnonzero(part.lane == lane)
                for i in sel:
                    s, e = float(part.start[i]), float(part.end[i])
                    gap = max(s - t, t - e, 0.0)
                    if gap > tolerance:
                        continue
                    hit = SliceHit(lane, SliceState(state), s, e, int(part.detail[i]), part_no == 1)
                    score = (gap, e - s)  # containing t first, then nearest, then shortest
                    if best is None or score < best[0]:
                        best = (score, hit)
        return None if best is None else best[1]
