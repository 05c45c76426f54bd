"""``state_at(t)``: everything the loop holds at one instant, without replaying the run.

How it stays fast: the instant becomes an event index ``i`` (one
``searchsorted`` on the time column) and every answer is "the state after
events ``0..i-1``":

* the ready queue is a range of serials (FIFO: ``searchsorted`` on the
  handles' begin and enqueue indices), the running handle the last begun one;
* timers, futures and coroutine objects alive at ``i`` come from interval
  indexes;
* each task's state comes from the nearest snapshot of the task carry and a
  vectorised replay of the few thousand events after it.

Per-task objects (:attr:`LoopState.tasks`) are built on first access: the
view that shows them pays for them, a cursor move that only needs the ready
queue does not.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np

from loopviz.model import describe
from loopviz.model.columns import NEVER, OidDirectory, find
from loopviz.model.slices import State
from loopviz.model.stalls import StackFrame, Stall, stall_of
from loopviz.model.store import Store
from loopviz.model.tables import CANCELLED, GAP, LOST, TASK, LoopInfo
from loopviz.model.transitions import (
    BEGIN,
    DONE,
    EAGER,
    END,
    ENQ,
    Carry,
    advance,
    changed_tasks,
    task_events,
)
from loopviz.protocol import (
    LOOP_SHIFT,
    Await,
    HandleKind,
    Origin,
    handle_kind_and_origin,
)

A, B, C, D = 2, 3, 4, 5  # record fields


@dataclass(frozen=True)
class ReadyEntry:
    """A handle waiting in the ready queue."""

    loop: int
    serial: int
    task: int
    """Task oid (0 for a callback that is not a task's)."""
    kind: HandleKind
    origin: Origin
    label: str
    """E.g. ``"Task-3 · wakeup ← sleep"``."""
    enqueued: float


@dataclass(frozen=True)
class RunningHandle:
    """The handle the loop is running."""

    loop: int
    serial: int
    task: int
    label: str
    began: float
    elapsed: float
    blocking: bool
    """Running longer than the stall threshold."""


@dataclass(frozen=True)
class TimerEntry:
    """A scheduled timer (``call_later``/``call_at``, e.g. a ``sleep``)."""

    loop: int
    timer: int
    deadline: float
    left: float
    label: str
    future: int


@dataclass(frozen=True)
class TaskState:
    """One task at one instant."""

    task: int
    name: str
    lane: int
    state: State
    """NEW, READY, RUNNING, WAITING or DONE."""
    since: float
    awaiting: int
    """Oid of what it awaits (or an :class:`~loopviz.protocol.Await` code); 0 if not waiting."""
    awaiting_text: str
    """E.g. ``"sleep, 0.42 s left"``, ``"Task-2"``, ``"gather: 3 of 5 done"``; "" if not waiting."""
    line: str
    """``file:line`` where it is paused (or was last paused), "" if never run."""


@dataclass(frozen=True)
class PendingFuture:
    """A future (or task) some task awaits, and who waits on it."""

    future: int
    label: str
    text: str
    created: float | None
    waiters: tuple[int, ...]
    waiter_names: tuple[str, ...]


@dataclass(frozen=True)
class PendingCoroutine:
    """A coroutine object created but not (yet) awaited or wrapped in a task."""

    coro: int
    qualname: str
    created: float
    location: str
    task: int
    """Task that created it (0 if none)."""


@dataclass(frozen=True)
class OutputLine:
    t: float
    stream: str
    text: str
    task: int


@dataclass(frozen=True)
class StallNow:
    """The stall in progress: the running handle is over the threshold."""

    stall: Stall | None
    """From the watchdog's messages, or None if it has not reported it."""
    loop: int
    serial: int
    task: int
    began: float
    elapsed: float
    where: StackFrame | None
    innermost: StackFrame | None
    call: str | None


@dataclass(eq=False)
class LoopNow:
    """One event loop at an instant; ``ready`` and ``timers`` are built on first access."""

    index: int
    name: str
    lane: int
    running: RunningHandle | None
    ready_count: int
    timer_count: int
    idle: bool
    """In ``select``: nothing to run until I/O or the next timer."""
    _ready: Callable[[], tuple[ReadyEntry, ...]] = field(repr=False)
    _timers: Callable[[], tuple[TimerEntry, ...]] = field(repr=False)

    @cached_property
    def ready(self) -> tuple[ReadyEntry, ...]:
        """The ready queue in FIFO order, at most ``limit`` entries (``ready_count``: all)."""
        return self._ready()

    @cached_property
    def timers(self) -> tuple[TimerEntry, ...]:
        """Pending timers by deadline, at most ``limit`` (``timer_count``: all)."""
        return self._timers()

    def _key(self) -> tuple[object, ...]:
        return (self.index, self.name, self.lane, self.running, self.ready_count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LoopNow):
            return NotImplemented
        return (self._key(), self.timer_count, self.idle, self.ready, self.timers) == (
            other._key(),
            other.timer_count,
            other.idle,
            other.ready,
            other.timers,
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(eq=False)
class LoopState:
    """The whole picture at time ``t`` (seconds from the start).

    Lists that need a text per entry (:attr:`tasks`, :attr:`futures`,
    :attr:`coroutines`) are built on first access, so a view pays only for
    what it shows.
    """

    t: float
    loops: tuple[LoopNow, ...]
    output_count: int
    """Lines printed up to ``t`` (``Recording.output()[:output_count]``)."""
    recent_output: tuple[OutputLine, ...]
    """The last (up to 50) of them."""
    stall: StallNow | None
    task_count: int
    coroutine_count: int
    """Coroutine objects created but not yet awaited or wrapped in a task."""
    _arrays: TaskArrays = field(repr=False)
    _limit: int = field(default=200, repr=False)
    recorded_until: float | None = None
    """Where a cap cut the records (s from the start; None: recorded in full). Past it the
    run went on with only its summary recorded: tasks created and done, output, stalls."""
    summary_only: bool = False
    """``t`` is past :attr:`recorded_until`: the ready queue, running handle and waits shown
    are those at the cut, not at ``t`` (a view should say so rather than show them)."""

    @property
    def ready(self) -> tuple[ReadyEntry, ...]:
        """The ready queue (of every loop, one after the other)."""
        return tuple(e for loop in self.loops for e in loop.ready)

    @property
    def running(self) -> RunningHandle | None:
        """The handle running (the first loop's, if several run at once)."""
        return next((loop.running for loop in self.loops if loop.running), None)

    @property
    def timers(self) -> tuple[TimerEntry, ...]:
        """Pending timers of every loop, by deadline."""
        entries = (e for loop in self.loops for e in loop.timers)
        return tuple(sorted(entries, key=lambda e: e.deadline))

    @cached_property
    def tasks(self) -> tuple[TaskState, ...]:
        """Every task created by ``t`` (done ones too), in creation order."""
        return self._arrays.build()

    @cached_property
    def futures(self) -> tuple[PendingFuture, ...]:
        """Futures and tasks some task awaits at ``t``, with who waits on each (up to ``limit``)."""
        return _futures(self._arrays, self._limit)

    @cached_property
    def coroutines(self) -> tuple[PendingCoroutine, ...]:
        """Coroutine objects created but not yet scheduled (up to ``limit``)."""
        return _coroutines(self._arrays.store, self._arrays.i, self._limit)

    def task(self, task_id: int) -> TaskState | None:
        """One task's state, built alone (not the whole :attr:`tasks`)."""
        rows = np.flatnonzero(self.task_ids == task_id)
        return self._arrays.one(int(rows[0])) if len(rows) else None

    # Bulk answers for views that show a few tasks out of many: arrays by task row (creation
    # order), and :meth:`task_at` to build only the rows a view shows.
    @property
    def task_ids(self) -> np.ndarray:
        """Each task's oid, by row (creation order)."""
        return self._arrays.store.tasks.oid.buf[: self.task_count]

    @property
    def task_lanes(self) -> np.ndarray:
        return self._arrays.store.tasks.lane.buf[: self.task_count]

    @property
    def task_states(self) -> np.ndarray:
        """Each task's :class:`State` code (int8), by row."""
        return self._arrays.state

    @property
    def task_awaiting(self) -> np.ndarray:
        """Each task's awaited oid or :class:`Await` code (0 unless WAITING), by row."""
        return np.where(self._arrays.state == State.WAITING, self._arrays.awaiting, 0)

    def task_at(self, row: int) -> TaskState:
        """The task of row ``row`` (``tasks[row]``), built alone."""
        return self._arrays.one(row)

    def task_lines(self) -> dict[str, np.ndarray]:
        """Where the tasks not done are paused: ``file:line`` -> their rows, ascending.

        One ``np.unique`` over the line column: the source pane marks a few lines
        of one file, whatever the number of tasks.
        """
        arrays = self._arrays
        alive = np.flatnonzero(arrays.state != State.DONE)
        sids = arrays.line[alive]
        alive, sids = alive[sids != 0], sids[sids != 0]
        if not len(alive):
            return {}
        order = np.argsort(sids, kind="stable")
        uniq, starts = np.unique(sids[order], return_index=True)
        groups = np.split(alive[order], starts[1:])
        out: dict[str, np.ndarray] = {}
        for sid, rows in zip(uniq.tolist(), groups, strict=True):
            loc = describe.location(arrays.store, sid)
            out[loc] = np.concatenate((out[loc], rows)) if loc in out else rows
        return out


@dataclass
class TaskArrays:
    """Per-task state as arrays; turned into :class:`TaskState` objects on demand."""

    store: Store
    i: int
    t_ns: int
    state: np.ndarray
    since: np.ndarray
    awaiting: np.ndarray
    line: np.ndarray

    def build(self) -> tuple[TaskState, ...]:
        return tuple(self.one(r) for r in range(len(self.state)))

    def one(self, r: int) -> TaskState:
        """Row ``r``'s state: what a view showing a few of many tasks builds."""
        s = self.store
        tk = s.tasks
        st = State(int(self.state[r]))
        aw = int(self.awaiting[r]) if st == State.WAITING else 0
        text = describe.awaiting_text(s, aw, self.i, self.t_ns) if st == State.WAITING else ""
        line_sid = int(self.line[r])
        return TaskState(
            int(tk.oid.buf[r]),
            describe.task_name(s, r),
            int(tk.lane.buf[r]),
            st,
            float(s.seconds(self.since[r])),
            aw,
            text,
            describe.location(s, line_sid) if line_sid else "",
        )


def event_index(store: Store, t_ns: int) -> int:
    """The state at ``t_ns`` is the state after this many records (see ``Raw.index_at``)."""
    return store.raw.index_at(t_ns)


def task_arrays(store: Store, i: int, t_ns: int, running_lanes: set[int]) -> TaskArrays:
    """Each task's state after events ``0..i-1``: snapshot + replay of the events since.

    "Now" in a live run (``i`` past the last record) is asked every frame: it comes from
    :func:`_live_base`, which re-derives only the tasks that changed since the last frame.
    """
    tk = store.tasks
    n = find(tk.first.data, i)
    base = _live_base(store, n) if i >= store.raw.n else None
    if base is None:
        base = _derive(store, _replayed(store, i, n), np.arange(n), i)
    state = base.state.copy()
    rows = _running_rows(store, running_lanes, n)
    state[rows[~base.done[rows]]] = State.RUNNING
    return TaskArrays(
        store, i, t_ns, state, base.since.copy(), base.awaited.copy(), base.line.copy()
    )


def _replayed(store: Store, i: int, n: int) -> Carry:
    """The first ``n`` tasks' carry after events ``0..i-1``: nearest snapshot + replay."""
    if i >= store.raw.n:
        # "Now" in a live run: the carry ingestion keeps is exactly this state.
        return store.carry().copy(n)
    ats = [snap.at for snap in store.snapshots]
    snap = store.snapshots[bisect.bisect_right(ats, i) - 1]
    carry = snap.carry.copy(n)
    lo = snap.at
    if i > lo:
        ev = task_events(store, lo, i)
        keep = ev.task < n
        if not keep.all():
            for name in ("task", "idx", "type", "awaits", "start"):
                setattr(ev, name, getattr(ev, name)[keep])
        advance(ev, carry, store.raw.t)
    return carry


@dataclass
class _Derived:
    """Per-task arrays for task rows ``rows`` (before the running handle is applied)."""

    state: np.ndarray
    done: np.ndarray
    since: np.ndarray
    awaited: np.ndarray
    line: np.ndarray


def _derive(store: Store, carry: Carry, rows: np.ndarray, i: int) -> _Derived:
    """What task rows ``rows`` are doing after events ``0..i-1``, given their ``carry``.

    One rule for both the from-scratch answer and the live one updated row by row, so
    the two cannot drift apart.
    """
    tk = store.tasks
    d = store.raw.cols[5].buf
    last = carry.idx
    safe = np.maximum(last, 0)
    awaited = np.where(last >= 0, d[safe], 0)
    state = np.full(len(rows), State.NEW, dtype=np.int8)
    state[carry.type == ENQ] = State.READY
    state[carry.type == BEGIN] = State.RUNNING
    step = (carry.type == END) | (carry.type == EAGER)
    state[step & carry.susp] = State.WAITING
    state[step & ~carry.susp] = np.where(
        awaited[step & ~carry.susp] == Await.DONE, State.DONE, State.READY
    )
    state[carry.type == DONE] = State.DONE
    done = tk.done.buf[rows] < i
    state[done] = State.DONE
    t = store.raw.t
    first = tk.first.buf[rows]
    since = np.where(last >= 0, t[safe], t[np.minimum(first, len(t) - 1)] if len(t) else 0)
    line = np.where(
        carry.end >= 0, store.raw.cols[4].buf[np.maximum(carry.end, 0)], tk.defined_at.buf[rows]
    )
    return _Derived(state, done, since.astype(np.int64), awaited, line)


def _running_rows(store: Store, lanes: set[int], n: int) -> np.ndarray:
    """Task rows (below ``n``) of the lanes whose handle is running: the lane table, not a
    pass over every task's lane."""
    lane_of = store.tasks.lane.buf
    rows = []
    for lane in lanes:
        if 0 <= lane < len(store.lanes):
            what, row = store.lanes[lane]
            if what == "task" and row < n and lane_of[row] == lane:
                rows.append(row)
    return np.array(sorted(rows), dtype=np.int64)


@dataclass
class _Live:
    """The live "now" arrays of one store, and what they were derived from."""

    events: int
    version: int
    base: _Derived
    unsettled: np.ndarray
    """Rows whose ``since`` depends on how many records there are (no event, first unset)."""


_LIVE: weakref.WeakKeyDictionary[Store, _Live] = weakref.WeakKeyDictionary()
_REBUILD_SHARE = 4
"""Above 1/4 of the tasks changed, derive them all at once (one pass beats fancy indexing)."""


def _live_base(store: Store, n: int) -> _Derived | None:
    """The tasks' state after every record, updated for the tasks that changed since the
    last call: with 100,000 tasks a frame costs what its new records touch, not 100,000
    rows. None when it does not apply (``n`` is not every task)."""
    tk = store.tasks
    if n != tk.n:
        return None
    events = store.raw.n
    cached = _LIVE.get(store)
    same = cached is not None and (cached.events, cached.version) == (events, store.task_version)
    if same and len(cached.base.state) == n and not len(cached.unsettled):
        return cached.base
    if cached is None or len(cached.base.state) > n or cached.events > events:
        return _live_fresh(store, n)
    old = len(cached.base.state)
    dirty = np.union1d(changed_tasks(store, cached.events, cached.version, old), cached.unsettled)
    if len(dirty) * _REBUILD_SHARE > n:
        return _live_fresh(store, n)
    base = cached.base
    if old != n:
        base = _Derived(*(_grown(getattr(base, f), n) for f in _FIELDS))
    live = store.carry()
    carry = Carry(live.type[dirty], live.idx[dirty], live.susp[dirty], live.end[dirty])
    part = _derive(store, carry, dirty, events)
    for f in _FIELDS:
        getattr(base, f)[dirty] = getattr(part, f)
    unsettled = _unsettled(store, base, np.union1d(cached.unsettled, dirty), events)
    _LIVE[store] = _Live(events, store.task_version, base, unsettled)
    return base


_FIELDS = ("state", "done", "since", "awaited", "line")


def _live_fresh(store: Store, n: int) -> _Derived:
    events = store.raw.n
    base = _derive(store, store.carry().copy(n), np.arange(n), events)
    unsettled = _unsettled(store, base, np.arange(n), events)
    _LIVE[store] = _Live(events, store.task_version, base, unsettled)
    return base


def _unsettled(store: Store, base: _Derived, rows: np.ndarray, events: int) -> np.ndarray:
    """Among ``rows``, those whose answer would change with more records alone."""
    no_event = store.tasks.last_idx.buf[rows] < 0
    return rows[no_event & (store.tasks.first.buf[rows] >= events)]


def _grown(a: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=a.dtype)
    out[: len(a)] = a
    return out


def _running(store: Store, info: LoopInfo, i: int, t_ns: int) -> tuple[RunningHandle | None, int]:
    h = info.handles
    nb = find(h.begin.data, i)
    r = nb - 1
    if r < 0 or h.end.buf[r] < i or h.flags.buf[r] & (CANCELLED | GAP | LOST):
        return None, nb
    began = int(store.raw.t[h.begin.buf[r]])
    task = store.field(B, int(h.enq.buf[r])) if h.flags.buf[r] & TASK else 0
    handle = RunningHandle(
        loop=info.index,
        serial=r + (h.base or 0),
        task=task,
        label=describe.handle_label(store, info, r),
        began=store.seconds(began),
        elapsed=max(0, t_ns - began) / 1e9,
        blocking=t_ns - began > store.stall_ns,
    )
    return handle, nb


_KINDS = {int(k): k for k in HandleKind}
_ORIGINS = {int(o): o for o in Origin}


def _ready_rows(info: LoopInfo, i: int, nb: int) -> np.ndarray:
    """Rows of the handles in the ready queue after event ``i``, FIFO order."""
    h = info.handles
    ne = find(h.enq.data, i)
    if ne <= nb:
        return np.zeros(0, dtype=np.int64)
    rows = np.arange(nb, ne)
    return rows[(h.flags.buf[rows] & GAP) == 0]


def _ready(store: Store, info: LoopInfo, rows: np.ndarray) -> tuple[ReadyEntry, ...]:
    h = info.handles
    enq = h.enq.buf[rows]
    raw = store.raw
    tasks = np.where(h.flags.buf[rows] & TASK, raw.cols[B].buf[enq], 0)
    cs = raw.cols[C].buf[enq]
    times = store.seconds(raw.t[enq])
    base = h.base or 0
    out = []
    for j, r in enumerate(rows.tolist()):
        kind, origin = handle_kind_and_origin(int(cs[j]))
        out.append(
            ReadyEntry(
                loop=info.index,
                serial=r + base,
                task=int(tasks[j]),
                kind=_KINDS.get(kind, HandleKind.CALLBACK),
                origin=_ORIGINS.get(origin, Origin.CALL_SOON),
                label=describe.handle_label(store, info, r),
                enqueued=float(times[j]),
            )
        )
    return tuple(out)


def _timer_rows(store: Store, i: int, limit: int) -> dict[int, tuple[int, np.ndarray]]:
    """The timers pending after event ``i``, by loop: how many, and the creating-record
    indices of the first ``limit`` by deadline (ties in creation order).

    Why not sort them all: 100,000 tasks asleep are 100,000 timers, and a live frame
    shows 200 of them; a partition finds those in one pass.
    """
    rows = store.timers.life.alive(i)
    if not len(rows):
        return {}
    at = store.timers.created.buf[rows]
    raw = store.raw
    loops = raw.cols[0].buf[at] >> LOOP_SHIFT
    deadlines = raw.cols[B].buf[at]
    out = {}
    for index in np.unique(loops):
        mine = loops == index
        out[int(index)] = (int(mine.sum()), _soonest(deadlines[mine], at[mine], limit))
    return out


def _soonest(deadlines: np.ndarray, at: np.ndarray, limit: int) -> np.ndarray:
    """The first ``limit`` of ``at`` by deadline: what a stable sort of all would put first."""
    if limit <= 0:
        return at[:0]
    if len(deadlines) > limit:
        kth = np.partition(deadlines, limit - 1)[limit - 1]
        keep = deadlines <= kth
        deadlines, at = deadlines[keep], at[keep]
    return at[np.argsort(deadlines, kind="stable")[:limit]]


def _timers(store: Store, at: np.ndarray, t_ns: int) -> tuple[TimerEntry, ...]:
    out = []
    for a in at.tolist():
        fut = store.field(D, a)
        label = describe.object_label(store, fut) if fut else ""
        deadline = store.field(B, a)
        out.append(
            TimerEntry(
                store.field(0, a) >> LOOP_SHIFT,
                store.field(A, a),
                store.seconds(deadline),
                (deadline - t_ns) / 1e9,
                label or store.text(store.field(C, a)) or "timer",
                fut,
            )
        )
    return tuple(out)


def _idle(info: LoopInfo, i: int) -> bool:
    s = info.selects
    k = find(s.begin.data, i) - 1
    return k >= 0 and s.end.buf[k] >= i


def _futures(arrays: TaskArrays, limit: int) -> tuple[PendingFuture, ...]:
    store = arrays.store
    waiting = np.flatnonzero((arrays.state == State.WAITING) & (arrays.awaiting > 0))
    if not len(waiting):
        return ()
    awaited = arrays.awaiting[waiting]
    order = np.argsort(awaited, kind="stable")
    oids, starts, counts = np.unique(awaited[order], return_index=True, return_counts=True)
    by_future = waiting[order]
    t = store.raw.t
    out = []
    # Only the first ``limit`` groups are cut out: 100,000 waiting tasks, each on its own
    # sleep, would otherwise make 100,000 arrays for a list that shows 200.
    for oid, start, count in zip(
        oids[:limit].tolist(), starts[:limit].tolist(), counts[:limit].tolist(), strict=True
    ):
        waiters = by_future[start : start + count]
        kind, row = store.oids.lookup1(oid)
        created = None
        if kind == OidDirectory.FUTURE:
            created = store.seconds(int(t[store.futures.created.buf[row]]))
        elif kind == OidDirectory.TASK:
            first = int(store.tasks.first.buf[row])
            created = store.seconds(int(t[first])) if first != NEVER else None
        out.append(
            PendingFuture(
                future=oid,
                label=describe.object_label(store, oid),
                text=describe.awaiting_text(store, oid, arrays.i, arrays.t_ns),
                created=created,
                waiters=tuple(int(store.tasks.oid.buf[w]) for w in waiters),
                waiter_names=tuple(describe.task_name(store, int(w)) for w in waiters),
            )
        )
    return tuple(out)


def _coroutines(store: Store, i: int, limit: int) -> tuple[PendingCoroutine, ...]:
    rows = store.coros.life.alive(i)[:limit]
    t = store.raw.t
    out = []
    for r in rows:
        at = int(store.coros.created.buf[r])
        out.append(
            PendingCoroutine(
                coro=store.field(A, at),
                qualname=store.text(store.field(C, at)),
                created=store.seconds(int(t[at])),
                location=describe.location(store, store.field(D, at)),
                task=store.field(B, at),
            )
        )
    return tuple(out)


def _stall(store: Store, loops: tuple[LoopNow, ...], t: float) -> StallNow | None:
    for loop in loops:
        run = loop.running
        if run is None or not run.blocking:
            continue
        info = store.loops[loop.index]
        stall = stall_of(store, info, run.serial - (info.handles.base or 0))
        sample = stall.where_at(t)
        return StallNow(
            stall=stall,
            loop=loop.index,
            serial=run.serial,
            task=run.task,
            began=run.began,
            elapsed=run.elapsed,
            where=sample.where if sample else None,
            innermost=sample.innermost if sample else None,
            call=stall.call,
        )
    return None


def state_at(store: Store, t: float, limit: int) -> LoopState:
    """The state after every record at or before ``t`` seconds from the start."""
    t_ns = store.start_ns + round(t * 1e9)
    i = event_index(store, t_ns)
    timers = _timer_rows(store, i, limit)
    loops = []
    running_lanes: set[int] = set()
    several = len(store.loops) > 1
    empty = np.zeros(0, dtype=np.int64)
    for index in sorted(store.loops, key=lambda k: store.loops[k].lane):
        info = store.loops[index]
        running, nb = _running(store, info, i, t_ns)
        if running is not None and running.task:
            running_lanes.add(int(info.handles.lane.buf[nb - 1]))
        rows = _ready_rows(info, i, nb)
        timer_count, at = timers.get(index, (0, empty))
        name = f"event loop {index}" if several else "event loop"
        loops.append(
            LoopNow(
                index,
                name,
                info.lane,
                running,
                len(rows),
                timer_count,
                _idle(info, i),
                partial(_ready, store, info, rows[:limit]),
                partial(_timers, store, at, t_ns),
            )
        )
    loops_t = tuple(loops)
    arrays = task_arrays(store, i, t_ns, running_lanes)
    cut = store.messages.records_cut
    until = None if cut is None else float(store.seconds(store.records_end_ns))
    lines, times = store.messages.sorted_output()
    count = int(np.searchsorted(times, t_ns, side="right"))
    recent = tuple(
        OutputLine(store.seconds(tt), stream, text, task)
        for tt, stream, text, task in lines[max(0, count - 50) : count]
    )
    return LoopState(
        t=t,
        loops=loops_t,
        output_count=count,
        recent_output=recent,
        stall=_stall(store, loops_t, t),
        task_count=len(arrays.state),
        coroutine_count=len(store.coros.life.alive(i)),
        _arrays=arrays,
        _limit=limit,
        recorded_until=until,
        summary_only=until is not None and t > until,
    )
