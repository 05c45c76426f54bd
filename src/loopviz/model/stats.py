"""Summary numbers of a run: how busy the loop was, where time went, how long handles queued.

All computed with array reductions over the slice columns (``bincount`` by
lane), so a million-event recording summarises in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loopviz.model import describe
from loopviz.model.columns import NEVER
from loopviz.model.slices import State, finished_since, open_slices, ready_from
from loopviz.model.stalls import Stall
from loopviz.model.store import Store
from loopviz.model.tables import CANCELLED, GAP, LOST, TASK


@dataclass(frozen=True)
class Latency:
    """Scheduling latency: how long handles waited in the ready queue before running (s)."""

    count: int
    p50: float
    p90: float
    p99: float
    max: float


@dataclass(frozen=True)
class TaskStats:
    task: int
    name: str
    lane: int
    running: float
    """Seconds in its steps (blocking ones included)."""
    ready: float
    waiting: float
    steps: int


@dataclass(frozen=True)
class LoopStats:
    index: int
    name: str
    busy: float
    """Fraction of the loop's lifetime spent running handles (0..1)."""
    busy_time: float
    idle_time: float
    """Seconds spent waiting in ``select``."""
    handles: int
    iterations: int


@dataclass(frozen=True)
class HandleSummary:
    loop: int
    serial: int
    task: int
    label: str
    begin: float
    duration: float


@dataclass(frozen=True)
class Stats:
    duration: float
    busy: float
    """The first loop's busy fraction (see ``loops`` for each)."""
    loops: tuple[LoopStats, ...]
    longest_handle: HandleSummary | None
    tasks: tuple[TaskStats, ...]
    latency: Latency
    stalls: int
    stall_time: float
    events: int


def _latency(values: np.ndarray) -> Latency:
    if not len(values):
        return Latency(0, 0.0, 0.0, 0.0, 0.0)
    p50, p90, p99 = np.percentile(values, [50, 90, 99]) / 1e9
    return Latency(len(values), float(p50), float(p90), float(p99), float(values.max()) / 1e9)


class HandleTotals:
    """Handles run and busy time of each loop, brought up to date in O(new handles).

    :func:`stats` rescans the whole recording (tens of ms at a million events); a
    live view that polls two numbers every frame keeps one of these instead. Rows
    whose run is over are summed once; the few still running are counted up to the
    recording's end on each call, as :func:`stats` counts them.
    """

    def __init__(self) -> None:
        self._done: dict[int, tuple[int, int, int]] = {}
        """loop index -> (rows summed, handles, busy ns)."""

    def update(self, store: Store) -> tuple[int, float]:
        """(handles run in every loop, the first loop's busy fraction), as in :func:`stats`."""
        end_ns = store.end_ns
        t = store.raw.t
        handles_all = 0
        first_busy: float | None = None
        for index in sorted(store.loops, key=lambda k: store.loops[k].lane):
            info = store.loops[index]
            h = info.handles
            upto, handles, busy = self._done.get(index, (0, 0, 0))
            hi = h.begun
            ok = (h.flags.buf[upto:hi] & (CANCELLED | GAP | LOST)) == 0
            end_idx = h.end.buf[upto:hi]
            complete = ~ok | (end_idx != NEVER)
            k = len(complete) if complete.all() else int(np.argmin(complete))
            sel = ok[:k]
            begin = t[h.begin.buf[upto : upto + k][sel]]
            end = t[end_idx[:k][sel]]
            handles += int(sel.sum())
            busy += int(np.maximum(end - begin, 0).sum())
            self._done[index] = (upto + k, handles, busy)
            rest = ok[k:]
            r_begin = t[h.begin.buf[upto + k : hi][rest]]
            r_idx = end_idx[k:][rest]
            r_end = np.where(r_idx == NEVER, end_ns, t[np.where(r_idx == NEVER, 0, r_idx)])
            handles_all += handles + int(rest.sum())
            if first_busy is None:
                busy_ns = busy + int(np.maximum(r_end - r_begin, 0).sum())
                span = max(end_ns - int(t[info.first]) if info.first < len(t) else 0, 1)
                first_busy = min(1.0, busy_ns / span)
        return handles_all, first_busy or 0.0


def stats(store: Store, stalls: list[Stall]) -> Stats:
    """Compute the summary of the whole recording (open slices count up to its end)."""
    end_ns = store.end_ns
    parts, _ = finished_since(store, None)
    for state, chunks in open_slices(store, end_ns).parts.items():
        for chunk in chunks:
            parts.add(state, *chunk)
    nlanes = len(store.lanes)
    per_state = {}
    steps = np.zeros(nlanes, dtype=np.int64)
    for state in (State.RUNNING, State.BLOCKING, State.READY, State.WAITING):
        lane, start, end, _ = parts.ns(state)
        per_state[state] = np.bincount(lane, weights=(end - start) / 1e9, minlength=nlanes)
        if state in (State.RUNNING, State.BLOCKING):
            steps += np.bincount(lane, minlength=nlanes)
    idle_lane, idle_start, idle_end, _ = parts.ns(State.IDLE)
    idle = np.bincount(idle_lane, weights=(idle_end - idle_start) / 1e9, minlength=nlanes)

    t = store.raw.t
    loops = []
    longest = None
    lat = []
    several = len(store.loops) > 1
    for index in sorted(store.loops, key=lambda k: store.loops[k].lane):
        info = store.loops[index]
        h = info.handles
        rows = np.arange(h.begun)
        rows = rows[(h.flags.buf[rows] & (CANCELLED | GAP | LOST)) == 0]
        begin = t[h.begin.buf[rows]]
        end_idx = h.end.buf[rows]
        end = np.where(end_idx == NEVER, end_ns, t[np.where(end_idx == NEVER, 0, end_idx)])
        dur = np.maximum(end - begin, 0)
        span = max(end_ns - int(t[info.first]) if info.first < len(t) else 0, 1)
        busy_time = float(dur.sum()) / 1e9
        name = f"event loop {index}" if several else "event loop"
        loops.append(
            LoopStats(
                index,
                name,
                min(1.0, busy_time * 1e9 / span),
                busy_time,
                float(idle[info.lane]),
                len(rows),
                info.selects.n,
            )
        )
        if len(rows):
            j = int(np.argmax(dur))
            if longest is None or dur[j] / 1e9 > longest.duration:
                r = int(rows[j])
                e = int(h.enq.buf[r])
                task = int(store.raw.cols[3].buf[e]) if h.flags.buf[r] & TASK else 0
                longest = HandleSummary(
                    index,
                    r + (h.base or 0),
                    task,
                    describe.handle_label(store, info, r),
                    store.seconds(int(begin[j])),
                    float(dur[j]) / 1e9,
                )
            queued = t[h.enq.buf[rows]]
            is_task = (h.flags.buf[rows] & TASK) != 0
            if is_task.any():
                start = ready_from(store, h, rows[is_task])
                queued[is_task] = np.where(start >= 0, start, queued[is_task])
            lat.append(np.maximum(begin - queued, 0))

    tk = store.tasks
    tasks = tuple(
        TaskStats(
            int(tk.oid.buf[r]),
            describe.task_name(store, r),
            int(tk.lane.buf[r]),
            float(
                per_state[State.RUNNING][tk.lane.buf[r]] + per_state[State.BLOCKING][tk.lane.buf[r]]
            ),
            float(per_state[State.READY][tk.lane.buf[r]]),
            float(per_state[State.WAITING][tk.lane.buf[r]]),
            int(steps[tk.lane.buf[r]]),
        )
        for r in range(tk.n)
    )
    return Stats(
        duration=(end_ns - store.start_ns) / 1e9,
        busy=loops[0].busy if loops else 0.0,
        loops=tuple(loops),
        longest_handle=longest,
        tasks=tasks,
        latency=_latency(np.concatenate(lat) if lat else np.zeros(0)),
        stalls=len(stalls),
        stall_time=sum(s.duration for s in stalls),
        events=store.raw.n,
    )
