"""Slices for the Gantt chart: per state, columns of lane, start, end and a reference.

Finished slices are handed out incrementally (:func:`finished_since` with a
cursor), each batch sorted by end time, so the chart can keep append-only
columns and cull with ``searchsorted``. Slices still open (the running
handle, tasks in the ready queue or waiting, the loop in ``select``) are
recomputed on demand by :func:`open_slices`, ending at "now".

``ref`` is the event index of the record that explains the slice (see
:func:`loopviz.model.recording.Recording.describe_slice`):
RUNNING/BLOCKING/CALLBACK -> the RUN_END (or EAGER_STEP; RUN_BEGIN while
open), READY -> the ENQUEUE, WAITING -> the RUN_END that suspended the task,
IDLE -> the SELECT_BEGIN.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from loopviz.model.columns import NEVER
from loopviz.model.store import Store
from loopviz.model.tables import (
    CANCELLED,
    GAP,
    LOST,
    NO_ENQUEUE,
    TASK,
    HandleTable,
    LoopInfo,
)
from loopviz.model.transitions import changed_tasks


class State(IntEnum):
    """What a lane is doing during a slice, and what a task is doing at an instant."""

    RUNNING = 0
    """A task's step runs (shorter than the stall threshold)."""
    READY = 1
    """The task's step or wakeup waits in the ready queue."""
    WAITING = 2
    """The task is suspended at an ``await``."""
    BLOCKING = 3
    """A handle ran longer than the stall threshold: the loop was blocked."""
    CALLBACK = 4
    """Event-loop lane: a handle that is not a task's step (timer, done callback, I/O)."""
    IDLE = 5
    """Event-loop lane: the loop waits in ``select`` for I/O or the next timer."""
    NEW = 6
    """(Task states only) created, not yet in the ready queue."""
    DONE = 7
    """(Task states only) finished."""


SLICE_STATES = (
    State.RUNNING,
    State.READY,
    State.WAITING,
    State.BLOCKING,
    State.CALLBACK,
    State.IDLE,
)
_UNRUN = CANCELLED | GAP | LOST
_UNSEEN = GAP | LOST | NO_ENQUEUE


@dataclass(frozen=True)
class SliceColumns:
    """One state's slices: ``lane`` int32, ``start``/``end`` float64 (s from the start), ``ref``."""

    lane: np.ndarray
    start: np.ndarray
    end: np.ndarray
    ref: np.ndarray

    def __len__(self) -> int:
        return len(self.lane)

    @classmethod
    def empty(cls) -> SliceColumns:
        return cls(
            np.zeros(0, np.int32),
            np.zeros(0, np.float64),
            np.zeros(0, np.float64),
            np.zeros(0, np.int64),
        )


@dataclass(frozen=True)
class SliceBatch:
    """Slices of every state; ``batch[State.WAITING].start`` etc."""

    columns: dict[State, SliceColumns]

    def __getitem__(self, state: State) -> SliceColumns:
        return self.columns.get(state) or SliceColumns.empty()

    def __len__(self) -> int:
        return sum(len(c) for c in self.columns.values())


@dataclass(frozen=True)
class SliceCursor:
    """Where the last :func:`finished_since` stopped; opaque to callers."""

    ready: tuple[tuple[int, int], ...] = ()
    run: tuple[tuple[int, int], ...] = ()
    idle: tuple[tuple[int, int], ...] = ()
    waits: int = 0
    eager: int = 0
    cut: bool = False
    """The slices going on where a cap cut the records were handed out, ended there."""


@dataclass
class Parts:
    """Slices being collected in nanoseconds, before sorting and conversion."""

    store: Store
    parts: dict[State, list[tuple[np.ndarray, ...]]] = field(default_factory=dict)

    def add(
        self, state: State, lane: np.ndarray, start: np.ndarray, end: np.ndarray, ref: np.ndarray
    ) -> None:
        if len(lane):
            self.parts.setdefault(state, []).append((lane, start, end, ref))

    def ns(self, state: State) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One state's (lane, start ns, end ns, ref), sorted by end."""
        chunks = self.parts.get(state, [])
        if not chunks:
            z = np.zeros(0, np.int64)
            return z.astype(np.int32), z, z, z
        lane, start, end, ref = (np.concatenate(x) for x in zip(*chunks, strict=True))
        if len(end) < 2 or (end[1:] >= end[:-1]).all():
            # Already in order (open slices all end at "now"): a stable sort would not move
            # anything, and 100,000 of them every frame is a sort for nothing.
            return lane.astype(np.int32), start, end, ref
        order = np.argsort(end, kind="stable")
        return lane[order].astype(np.int32), start[order], end[order], ref[order]

    def batch(self) -> SliceBatch:
        out = {}
        for state in self.parts:
            lane, start, end, ref = self.ns(state)
            out[state] = SliceColumns(lane, self.store.seconds(start), self.store.seconds(end), ref)
        return SliceBatch(out)


def ready_from(store: Store, h: HandleTable, rows: np.ndarray) -> np.ndarray:
    """When each task handle's wait in the ready queue began, in ns.

    Usually its ENQUEUE; but a task that re-schedules itself (``sleep(0)``)
    is enqueued *during* its own step and is only ready once that step ends.
    Returns -1 where that step is still running.
    """
    t = store.raw.t
    enq = h.enq.buf[rows]
    run = np.searchsorted(h.begin.data, enq, side="left") - 1
    runs = np.maximum(run, 0)
    end = h.end.buf[runs]
    inside = (run >= 0) & (end > enq) & (h.lane.buf[runs] == h.lane.buf[rows])
    inside &= (h.flags.buf[runs] & _UNRUN) == 0
    out = t[np.minimum(enq, len(t) - 1)]
    ended = inside & (end != NEVER)
    out = np.where(ended, t[np.where(ended, end, 0)], out)
    return np.where(inside & (end == NEVER), -1, out)


def _run_states(
    store: Store, is_task: np.ndarray, dur: np.ndarray
) -> list[tuple[State, np.ndarray]]:
    blocking = dur > store.stall_ns
    return [
        (State.RUNNING, is_task & ~blocking),
        (State.BLOCKING, blocking),
        (State.CALLBACK, ~is_task & ~blocking),
    ]


def _handles_run(store: Store, parts: Parts, info: LoopInfo, lo: int, hi: int) -> None:
    h = info.handles
    rows = np.arange(lo, hi)
    rows = rows[(h.end.buf[rows] != NEVER) & ((h.flags.buf[rows] & _UNRUN) == 0)]
    if not len(rows):
        return
    t = store.raw.t
    start = t[h.begin.buf[rows]]
    end_idx = h.end.buf[rows]
    end = t[end_idx]
    is_task = (h.flags.buf[rows] & TASK) != 0
    for state, m in _run_states(store, is_task, end - start):
        parts.add(state, h.lane.buf[rows[m]], start[m], end[m], end_idx[m])


def _handles_ready(store: Store, parts: Parts, info: LoopInfo, lo: int, hi: int) -> None:
    h = info.handles
    rows = np.arange(lo, hi)
    # No READY slice where the wait in the queue was not seen (no ENQUEUE, or no RUN_BEGIN).
    rows = rows[((h.flags.buf[rows] & TASK) != 0) & ((h.flags.buf[rows] & _UNSEEN) == 0)]
    if not len(rows):
        return
    start = ready_from(store, h, rows)
    end = store.raw.t[h.begin.buf[rows]]
    start = np.minimum(np.where(start < 0, end, start), end)
    parts.add(State.READY, h.lane.buf[rows], start, end, h.enq.buf[rows])


def _run_done(h: HandleTable) -> int:
    """Rows whose run is over: all begun ones but a still-running last one."""
    k = h.begun
    if k and h.end.buf[k - 1] == NEVER and not (h.flags.buf[k - 1] & _UNRUN):
        return k - 1
    return k


def _idle_done(info: LoopInfo) -> int:
    s = info.selects
    if s.n and s.end.buf[s.n - 1] == NEVER:
        return s.n - 1
    return s.n


def finished_since(store: Store, cursor: SliceCursor | None) -> tuple[Parts, SliceCursor]:
    """Slices finished since ``cursor`` (all of them for None), and the new cursor."""
    cursor = cursor or SliceCursor()
    ready, run, idle = dict(cursor.ready), dict(cursor.run), dict(cursor.idle)
    parts = Parts(store)
    t = store.raw.t
    for index, info in store.loops.items():
        h = info.handles
        lo, hi = run.get(index, 0), _run_done(h)
        if hi > lo:
            _handles_run(store, parts, info, lo, hi)
        run[index] = max(lo, hi)
        lo, hi = ready.get(index, 0), h.begun
        if hi > lo:
            _handles_ready(store, parts, info, lo, hi)
        ready[index] = max(lo, hi)
        lo, hi = idle.get(index, 0), _idle_done(info)
        if hi > lo:
            s = info.selects
            b, e = s.begin.buf[lo:hi], s.end.buf[lo:hi]
            lanes = np.full(hi - lo, info.lane, np.int32)
            parts.add(State.IDLE, lanes, t[b], t[e], b)
        idle[index] = max(lo, hi)
    w = store.waits
    if w.n > cursor.waits:
        sl = slice(cursor.waits, w.n)
        parts.add(
            State.WAITING, w.lane.buf[sl], t[w.start.buf[sl]], t[w.end.buf[sl]], w.start.buf[sl]
        )
    e = store.eager
    if e.n > cursor.eager:
        sl = slice(cursor.eager, e.n)
        start, end_idx = e.start_ns.buf[sl], e.end.buf[sl]
        end = t[end_idx]
        lanes = e.lane.buf[sl]
        is_task = np.ones(len(lanes), dtype=bool)
        for state, m in _run_states(store, is_task, end - start):
            parts.add(state, lanes[m], start[m], end[m], end_idx[m])
    cut = cursor.cut
    if store.messages.records_cut is not None and not cut:
        _end_at_cut(store, parts, ready, run, idle)
        cut = True
    new = SliceCursor(
        tuple(sorted(ready.items())),
        tuple(sorted(run.items())),
        tuple(sorted(idle.items())),
        w.n,
        e.n,
        cut,
    )
    return parts, new


def _end_at_cut(
    store: Store, parts: Parts, ready: dict[int, int], run: dict[int, int], idle: dict[int, int]
) -> None:
    """The slices going on where a cap cut the records, as finished slices ending there.

    Why: past the cut the run goes on with only a summary recorded, so nobody knows when
    the task in the ready queue ran or when the wait ended. Drawn as still going they would
    say "ready" until the end of a run that long since finished; ended at the cut, the
    timeline stops where the records stop. The cursors move past every handle and wait
    there, so a record let through after the cut (the running handle's ``RUN_END``) adds
    nothing twice."""
    parts.parts.update(
        (state, parts.parts.get(state, []) + chunks)
        for state, chunks in _open_at(store, store.records_end_ns).parts.items()
    )
    for index, info in store.loops.items():
        run[index] = max(run.get(index, 0), info.handles.begun)
        ready[index] = max(ready.get(index, 0), info.handles.n)
        idle[index] = max(idle.get(index, 0), info.selects.n)


def open_slices(store: Store, now_ns: int) -> Parts:
    """Slices not finished at the end of the recording, drawn up to ``now_ns``.

    None once a cap cut the records: what was going on there ended at the cut
    (:func:`finished_since` hands those out), and past it nothing is known per event."""
    if store.messages.records_cut is not None:
        return Parts(store)
    return _open_at(store, now_ns)


def _open_at(store: Store, now_ns: int) -> Parts:
    """Slices not finished at the end of the records, ending at ``now_ns``."""
    parts = Parts(store)
    t = store.raw.t
    for index, info in store.loops.items():
        h = info.handles
        k = h.begun
        running_lane = None
        if k and h.end.buf[k - 1] == NEVER and not (h.flags.buf[k - 1] & _UNRUN):
            r = np.array([k - 1])
            start = t[h.begin.buf[r]]
            end = np.maximum(start, now_ns)
            is_task = (h.flags.buf[r] & TASK) != 0
            for state, m in _run_states(store, is_task, end - start):
                parts.add(state, h.lane.buf[r[m]], start[m], end[m], h.begin.buf[r[m]])
            running_lane = int(h.lane.buf[k - 1])
        rows = np.arange(k, h.n)
        rows = rows[((h.flags.buf[rows] & TASK) != 0) & ((h.flags.buf[rows] & GAP) == 0)]
        if running_lane is not None:
            rows = rows[h.lane.buf[rows] != running_lane]
        if len(rows):
            start = _ready_starts(store, index, h, k, rows)
            keep = start >= 0
            rows, start = rows[keep], start[keep]
            parts.add(
                State.READY, h.lane.buf[rows], start, np.maximum(start, now_ns), h.enq.buf[rows]
            )
        s = info.selects
        if s.n and s.end.buf[s.n - 1] == NEVER:
            b = s.begin.buf[s.n - 1 : s.n]
            parts.add(
                State.IDLE, np.array([info.lane], np.int32), t[b], np.maximum(t[b], now_ns), b
            )
    tk = store.tasks
    waiting = _waiting_rows(store)
    if len(waiting):
        idx = tk.last_idx.buf[waiting]
        start = t[idx]
        parts.add(State.WAITING, tk.lane.buf[waiting], start, np.maximum(start, now_ns), idx)
    return parts


_READY_STARTS: weakref.WeakKeyDictionary[Store, dict[int, tuple[int, np.ndarray]]] = (
    weakref.WeakKeyDictionary()
)
"""Per store, per loop: (first row, :func:`ready_from` of the rows from there) last listed."""


def _ready_starts(
    store: Store, index: int, h: HandleTable, lo: int, rows: np.ndarray
) -> np.ndarray:
    """:func:`ready_from` of ``rows`` (ascending, from ``lo`` on), remembering the answers
    that are final: with 100,000 handles in the ready queue, a frame searches only the
    ones enqueued since the last frame, or whose enclosing step was still running (-1)."""
    known = _READY_STARTS.setdefault(store, {})
    out = np.full(h.n - lo, -2, dtype=np.int64)
    if index in known:
        was_lo, was = known[index]
        a, b = max(lo, was_lo), min(h.n, was_lo + len(was))
        if b > a:
            out[a - lo : b - lo] = was[a - was_lo : b - was_lo]
    need = rows[out[rows - lo] < 0]
    if len(need):
        out[need - lo] = ready_from(store, h, need)
    known[index] = (lo, out)
    return out[rows - lo]


@dataclass
class _Waiting:
    events: int
    version: int
    mask: np.ndarray


_WAITING: weakref.WeakKeyDictionary[Store, _Waiting] = weakref.WeakKeyDictionary()


def _waiting_rows(store: Store) -> np.ndarray:
    """Rows of the tasks suspended at an ``await`` (not done), ascending.

    Kept as a mask updated for the tasks that changed since the last call
    (:func:`~loopviz.model.transitions.changed_tasks`), not re-derived from every task."""
    tk = store.tasks
    n, events = tk.n, store.raw.n
    cached = _WAITING.get(store)
    if cached is None or len(cached.mask) > n or cached.events > events:
        mask = tk.col("last_susp") & (tk.col("done") == NEVER)
    elif (cached.events, cached.version, len(cached.mask)) == (events, store.task_version, n):
        mask = cached.mask
    else:
        dirty = changed_tasks(store, cached.events, cached.version, len(cached.mask))
        mask = cached.mask
        if len(mask) != n:
            mask = np.zeros(n, dtype=bool)
            mask[: len(cached.mask)] = cached.mask
        mask[dirty] = tk.last_susp.buf[dirty] & (tk.done.buf[dirty] == NEVER)
    _WAITING[store] = _Waiting(events, store.task_version, mask)
    return np.flatnonzero(mask)
