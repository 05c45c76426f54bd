"""Each task's running, ready and waiting time and its step count, up to any instant.

``Recording.stats()`` sums the whole run; the tasks table shows the numbers at
the cursor, so stepping back makes them shrink again. Finished slices are read
once, incrementally (``slices_since`` with a cursor, like the timeline), and
summed per lane with ``bincount``; slices still open are clipped at the cursor
(listed once per instant for the timeline and this, ``open_slices_at``).
At "now" (a live run) the running totals answer without touching old slices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loopviz.model import Recording, SliceCursor, State
from loopviz.ui.open_slices import open_slices_at

RUN_STATES = (State.RUNNING, State.BLOCKING)
KEPT = (State.RUNNING, State.BLOCKING, State.READY, State.WAITING)


@dataclass(frozen=True)
class LaneTimes:
    """Per-lane numbers at one instant (index: lane id; lanes beyond the arrays are 0)."""

    steps: np.ndarray
    running: np.ndarray
    ready: np.ndarray
    waiting: np.ndarray

    def of(self, lane: int) -> tuple[int, float, float, float]:
        if not 0 <= lane < len(self.steps):
            return 0, 0.0, 0.0, 0.0
        return (
            int(self.steps[lane]),
            float(self.running[lane]),
            float(self.ready[lane]),
            float(self.waiting[lane]),
        )


class _Column:
    """One state's finished slices: chunks appended, joined on demand, running totals."""

    def __init__(self) -> None:
        self.chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.joined: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.total = np.zeros(0)
        self.count = np.zeros(0, dtype=np.int64)
        self.max_end = float("-inf")

    def add(self, lane: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
        if not len(lane):
            return
        lane = lane.astype(np.int64, copy=False)
        self.chunks.append((lane, start, end))
        self.joined = None
        n = int(lane.max()) + 1
        self.total = _grow(self.total, n) + np.bincount(
            lane, weights=end - start, minlength=max(n, len(self.total))
        )
        self.count = _grow(self.count, n) + np.bincount(lane, minlength=max(n, len(self.count)))
        self.max_end = max(self.max_end, float(end.max()))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All finished slices as (lane, start, end); chunks are joined once, then kept."""
        if self.joined is None:
            if not self.chunks:
                z = np.zeros(0)
                self.joined = (z.astype(np.int64), z, z)
            else:
                lane, start, end = (np.concatenate(c) for c in zip(*self.chunks, strict=True))
                self.joined = (lane, start, end)
                self.chunks = [self.joined]
        return self.joined


def _grow(a: np.ndarray, n: int) -> np.ndarray:
    if len(a) >= n:
        return a
    out = np.zeros(n, dtype=a.dtype)
    out[: len(a)] = a
    return out


def _clipped(
    lane: np.ndarray, start: np.ndarray, end: np.ndarray, t: float, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, count) per lane of slices cut at ``t`` (count: slices begun by ``t``)."""
    if not len(lane):
        return np.zeros(n), np.zeros(n, dtype=np.int64)
    begun = start <= t
    dur = np.where(begun, np.minimum(end, t) - start, 0.0)
    return (
        np.bincount(lane, weights=dur, minlength=n)[:n],
        np.bincount(lane, weights=begun, minlength=n)[:n].astype(np.int64),
    )


class TaskTimes:
    """Per-lane times of a recording at any ``t`` (seconds from the start)."""

    def __init__(self, recording: Recording | None = None) -> None:
        self.reset(recording)

    def reset(self, recording: Recording | None) -> None:
        self._recording = recording
        self._cursor: SliceCursor | None = None
        self._version = -1
        self._columns = {state: _Column() for state in KEPT}

    def _refresh(self) -> None:
        rec = self._recording
        if rec is None or rec.version == self._version:
            return
        self._version = rec.version
        batch, self._cursor = rec.slices_since(self._cursor)
        for state in KEPT:
            cols = batch[state]
            self._columns[state].add(cols.lane, cols.start, cols.end)

    def at(self, t: float, lanes: int) -> LaneTimes:
        """Steps and seconds per lane for ``lanes`` lanes, counting only what happened by ``t``."""
        self._refresh()
        rec = self._recording
        # Open slices drawn up to t (clipped at t anyway): the timeline asked for the same.
        opened = open_slices_at(rec, t) if rec is not None else None
        n = max(lanes, 0)
        seconds = {state: np.zeros(n) for state in KEPT}
        counts = {state: np.zeros(n, dtype=np.int64) for state in KEPT}
        for state, col in self._columns.items():
            if t >= col.max_end:  # everything finished by t: the running totals
                seconds[state] += _grow(col.total, n)[:n]
                counts[state] += _grow(col.count, n)[:n]
            else:
                s, c = _clipped(*col.arrays(), t, n)
                seconds[state] += s
                counts[state] += c
            if opened is not None:
                cols = opened[state]
                s, c = _clipped(cols.lane.astype(np.int64), cols.start, cols.end, t, n)
                seconds[state] += s
                counts[state] += c
        return LaneTimes(
            steps=counts[State.RUNNING] + counts[State.BLOCKING],
            running=seconds[State.RUNNING] + seconds[State.BLOCKING],
            ready=seconds[State.READY],
            waiting=seconds[State.WAITING],
        )
