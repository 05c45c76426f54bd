"""Stepping through a recording: handle runs, loop iterations and notable events.

A lecture moves a cursor in time with → / ← (the next and previous *handle
run*: the event loop's own tick), Shift+→/← (the next and previous *loop
iteration*: one ``_run_once`` pass, the handles run between two ``select()``
waits) and Ctrl+→/← (the next and previous *notable event*: a task created or
done, a stall beginning or ending, a print, an exception).

"At t" means what :meth:`Recording.state_at` means: the state after every
record at or before ``t``. A run whose ``RUN_BEGIN`` is exactly at ``t`` is in
progress at ``t``, so a cursor placed on a run's begin time shows that run
running, and :meth:`StepIndex.index_at` returns it. Times are compared in
whole nanoseconds (``round(t * 1e9)``), exactly as ``state_at`` does, so a
time this index hands out always lands on the run it names.

Every step target is a begin time from one sorted, duplicate-free array, so
``prev_*`` and ``next_*`` are exact inverses: stepping back from the end
visits every run (iteration, notable instant) in reverse order.

The index is built from the recording's numpy columns (no Python loop per
run) and, during a live run, extended with the runs begun since the last call;
notable events are gathered on first use, and their texts only for the event
asked for.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from loopviz.model import describe
from loopviz.model.columns import NEVER, Column, last_per_key
from loopviz.model.tables import CANCELLED, GAP, LOST
from loopviz.protocol import Outcome

if TYPE_CHECKING:
    from loopviz.model.recording import Recording
    from loopviz.model.store import Store

_UNRUN = CANCELLED | GAP | LOST
MAX_TEXT = 120
"""Longest notable text (a caption line)."""
_BIG = 2**62


@dataclass(frozen=True)
class Notable:
    """A moment worth stopping at: what happened (``kind``) and a line saying so."""

    t: float
    """Seconds from the start of the run."""
    kind: str
    """``task_created``, ``task_done``, ``stall_begin``, ``stall_end``, ``print`` or
    ``exception`` (the most important one when several happen at the same instant)."""
    text: str
    """E.g. ``"Task-2 created: get_request"``, ``"printed: Tick 1"``."""


# Notable kinds, most important first (that one names an instant where several coincide).
_KINDS = ("exception", "stall_begin", "stall_end", "task_done", "task_created", "print")
_EXC, _STALL_BEGIN, _STALL_END, _DONE, _CREATED, _PRINT = range(len(_KINDS))


def _ns(t: float) -> int | None:
    """Seconds -> whole ns from the start, the way ``state_at`` rounds; None for NaN."""
    try:
        t = float(t)
    except (TypeError, ValueError):
        return None
    if math.isnan(t):
        return None
    if math.isinf(t):
        return _BIG if t > 0 else -_BIG
    return max(-_BIG, min(_BIG, round(t * 1e9)))


def _after(sorted_ns: np.ndarray, t: float) -> int | None:
    """Position of the first value later than ``t``; None if there is none."""
    tn = _ns(t)
    if tn is None:
        return None
    k = int(np.searchsorted(sorted_ns, tn, side="right"))
    return k if k < len(sorted_ns) else None


def _before(sorted_ns: np.ndarray, t: float) -> int | None:
    """Position of the last value earlier than ``t``; None if there is none."""
    tn = _ns(t)
    if tn is None:
        return None
    k = int(np.searchsorted(sorted_ns, tn, side="left")) - 1
    return k if k >= 0 else None


class StepIndex:
    """Every handle run of a recording in run order, with its loop iterations and notables.

    :meth:`of` keeps the index with the recording and extends it with the runs that
    began since the last call, so a live run can ask at every frame and pay for what
    arrived, not for the whole recording; when only "now" moved, the still-running
    runs are stretched to it. An index handed out never changes afterwards.
    """

    begins: np.ndarray
    """Begin time (s) of every handle run, in run order (ascending): the instant from which
    ``state_at`` shows it running (its RUN_BEGIN's time; see :func:`_visible_times` for
    two loops in two threads)."""
    loops: np.ndarray
    """Loop index of each run."""
    rows: np.ndarray
    """Row of each run in its loop's handle table (serial - first serial)."""
    tasks: np.ndarray
    """Task oid each run steps (0 for a callback that is not a task's)."""
    prev_of_task: np.ndarray
    """Index of the same task's previous run (-1: its first run, or not a task's)."""

    def __init__(self, rec: Recording) -> None:
        """The index of ``rec`` built from scratch (:meth:`of` builds it once, then extends)."""
        builder = _Builder(rec._store)
        builder.update()  # from the first record: never a _Rebuild
        self._take(builder, rec)

    def _take(self, builder: _Builder, rec: Recording) -> None:
        """Views of ``builder``'s columns as they are now (later growth does not touch them)."""
        b = builder
        n = b.begin_ns.n
        self._rec = weakref.ref(rec)
        self._key = b.key
        self._now_ns = b.now_ns
        self.complete = b.seen >= b.store.raw.n
        """Every run the recording holds is in (False: a ``budget`` stopped short)."""
        self._begin_ns = b.begin_ns.buf[:n]
        self._closed_ends = b.ends.buf[:n]
        self._open = b.open.copy()
        self._open_end_ns = np.maximum(b.now_ns, self._begin_ns[self._open])
        self._ends: np.ndarray | None = None
        self.begins = b.begins.buf[:n]
        self.loops = b.loops.buf[:n]
        self.rows = b.rows.buf[:n]
        self.tasks = b.tasks.buf[:n]
        self.prev_of_task = b.prev.buf[:n]
        self._run_ns = b.run_ns.buf[: b.run_ns.n]
        self._iteration_ns = b.iteration_ns.buf[: b.iteration_ns.n]
        self._notable_ns: np.ndarray | None = None
        self._notable_groups: list[list[tuple[int, int]]] = []

    @property
    def ends(self) -> np.ndarray:
        """End time (s) of every handle run; a run still going ends at the recording's end.

        Made on first use: a copy of the finished runs' ends with the runs still going
        stretched to now (so this index keeps its own "now" when a later one moves on)."""
        if self._ends is None:
            ends = self._closed_ends.copy()
            ends[self._open] = self._open_end_ns / 1e9
            self._ends = ends
        return self._ends

    def lazy_ends(self) -> LazyEnds:
        """:attr:`ends`, made only if something reads it (a chart showing wall time does not)."""
        return LazyEnds(self)

    # -- construction ----------------------------------------------------------------

    @classmethod
    def of(cls, rec: Recording, budget: int | None = None) -> StepIndex:
        """The index of ``rec`` as it is now (the same object until the recording changes).

        Kept on the recording itself (a cache elsewhere keyed by the recording would
        keep it alive), and extended by what arrived since the last call. ``budget``
        bounds the handle runs taken in by this call (None: all): a window updating
        the index while a flood arrives pays a bounded time per frame, and the index
        catches up over the next calls (:attr:`complete` says whether it has)."""
        store = rec._store
        hit = getattr(rec, "_step_index", None)
        builder, index = hit if hit is not None else (None, None)
        if builder is None or not builder.can_extend(store):
            builder = _Builder(store)
        try:
            key = builder.update(budget)
        except _Rebuild:
            builder = _Builder(store)
            key = builder.update(budget)
        if index is None or index._key != key or index._now_ns != builder.now_ns:
            index = cls.__new__(cls)
            index._take(builder, rec)
        rec._step_index = (builder, index)
        return index

    def __len__(self) -> int:
        return len(self._begin_ns)

    # -- handle runs -------------------------------------------------------------------

    def index_at(self, t: float) -> int:
        """The run in progress or last begun at ``t`` (-1 before the first run)."""
        tn = _ns(t)
        if tn is None:
            return -1
        return int(np.searchsorted(self._begin_ns, tn, side="right")) - 1

    def next_run(self, t: float) -> float | None:
        """Begin time of the next handle run after ``t``."""
        k = _after(self._run_ns, t)
        return None if k is None else float(self._run_ns[k] / 1e9)

    def prev_run(self, t: float) -> float | None:
        """Begin time of the previous handle run before ``t``."""
        k = _before(self._run_ns, t)
        return None if k is None else float(self._run_ns[k] / 1e9)

    # -- loop iterations ---------------------------------------------------------------

    def next_iteration(self, t: float) -> float | None:
        """Begin time of the first run of the next loop iteration after ``t``."""
        k = _after(self._iteration_ns, t)
        return None if k is None else float(self._iteration_ns[k] / 1e9)

    def prev_iteration(self, t: float) -> float | None:
        """Begin time of the first run of the previous loop iteration before ``t``."""
        k = _before(self._iteration_ns, t)
        return None if k is None else float(self._iteration_ns[k] / 1e9)

    def iteration_starts(self) -> np.ndarray:
        """Begin times (s) of the first run of every loop iteration that ran handles."""
        return self._iteration_ns / 1e9

    # -- notable events ------------------------------------------------------------------

    def next_notable(self, t: float) -> Notable | None:
        """The next notable instant after ``t`` (events at the same instant come together)."""
        times = self._notables()
        k = _after(times, t)
        return None if k is None else self._notable(k)

    def prev_notable(self, t: float) -> Notable | None:
        """The previous notable instant before ``t``."""
        times = self._notables()
        k = _before(times, t)
        return None if k is None else self._notable(k)

    def notables(self) -> list[Notable]:
        """Every notable instant in time order (texts are built here: for lists, not stepping)."""
        return [self._notable(k) for k in range(len(self._notables()))]

    def _notables(self) -> np.ndarray:
        if self._notable_ns is None:
            rec = self._rec()
            if rec is None:  # the recording is gone: nothing to say about it
                self._notable_ns, self._notable_groups = np.zeros(0, dtype=np.int64), []
            else:
                self._notable_ns, self._notable_groups = _gather_notables(rec)
        return self._notable_ns

    def _notable(self, k: int) -> Notable:
        group = self._notable_groups[k]
        kind = min(code for code, _ in group)
        texts = []
        rec = self._rec()
        for code, ref in sorted(group):
            text = _notable_text(rec, code, ref) if rec is not None else ""
            if text and text not in texts:
                texts.append(text)
        if len(texts) > 2:
            texts = [*texts[:2], f"{len(texts) - 2} more"]
        text = "; ".join(texts)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1].rstrip() + "…"
        return Notable(float(self._notable_ns[k] / 1e9), _KINDS[kind], text)


class LazyEnds:
    """An array-like of a :class:`StepIndex`'s run ends: its length is free, its values are
    made by ``numpy.asarray`` (a copy of millions of ends, for a chart that may not need it)."""

    def __init__(self, index: StepIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return len(self._index)

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return np.asarray(self._index.ends, dtype=dtype)


def _distinct(sorted_ns: np.ndarray) -> np.ndarray:
    """The values of a sorted array, each once (``np.unique`` hashes: 10x slower here)."""
    if len(sorted_ns) < 2:
        return sorted_ns.copy()
    keep = np.ones(len(sorted_ns), dtype=bool)
    keep[1:] = sorted_ns[1:] != sorted_ns[:-1]
    return sorted_ns[keep]


def _visible_times(t: np.ndarray) -> np.ndarray:
    """When each record becomes part of ``state_at``: its time, or a later one.

    ``state_at(t)`` holds every record before the first one later than ``t``
    (``Raw.index_at``). One loop writes its records in time order, so that is
    each record's own time; two loops in two threads interleave theirs a little
    out of order, and a record then shows from the latest time written before
    it. Stepping to these instants is what makes the cursor land on the run
    it names.
    """
    if len(t) < 2 or bool(np.all(t[1:] >= t[:-1])):
        return t
    return np.maximum.accumulate(t)


def _previous_of_same(tasks: np.ndarray) -> np.ndarray:
    """For each run, the index of the previous run of the same task (-1 if none or no task)."""
    prev = np.full(len(tasks), -1, dtype=np.int64)
    if len(tasks) > 1:
        order = np.argsort(tasks, kind="stable")
        same = tasks[order[1:]] == tasks[order[:-1]]
        prev[order[1:][same]] = order[:-1][same]
        prev[tasks == 0] = -1
    return prev


class _Rebuild(Exception):
    """The recording changed in a way the index cannot follow by appending: build anew."""


class _Builder:
    """The growing columns behind a recording's :class:`StepIndex`, and how far they got.

    Why it can append: a loop's handles leave the ready queue in row order (FIFO), so the
    runs begun since the last update are the rows from ``begun`` at that time to ``begun``
    now, and their RUN_BEGIN records come after every record already seen. Runs are kept in
    the order of their RUN_BEGIN records, which is time order (``_visible_times``). Only a
    run still going changes afterwards: its end, read again at each update.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.start_ns = store.start_ns
        self.seen = 0
        """Records looked at (``raw.n`` at the last update)."""
        self.t_peak: int | None = None
        """Latest record time among those seen (``_visible_times`` carried across updates)."""
        self.begun: dict[int, int] = {}
        """Loop index -> its handle rows looked at (``HandleTable.begun`` at the last update)."""
        self.last_wait: dict[int, int] = {}
        """Loop index -> select waits begun before its last run (a new count: a new iteration)."""
        self.last_of_task: dict[int, int] = {}
        self.begin_ns = Column(np.int64)
        self.begins = Column(np.float64)
        self.ends = Column(np.float64)
        """End (s from the start) of every finished run; stale for the runs in ``open``."""
        self.loops = Column(np.int32)
        self.rows = Column(np.int64)
        self.tasks = Column(np.int64)
        self.prev = Column(np.int64, -1)
        self.run_ns = Column(np.int64)
        self.iteration_ns = Column(np.int64)
        self.open = np.zeros(0, dtype=np.int64)
        self.now_ns = 0
        self.key: tuple[int, ...] = ()
        appended = (self.begin_ns, self.begins, self.loops, self.rows, self.tasks, self.prev)
        _stagger(self.ends, *appended, self.run_ns, self.iteration_ns)
        self.ends.grow_ahead(settled=self._settled)

    def _settled(self) -> int:
        """Runs before this one have ended: their ends are written no more."""
        return int(self.open.min()) if len(self.open) else self.ends.n

    def can_extend(self, store: Store) -> bool:
        return store is self.store and store.start_ns == self.start_ns and store.raw.n >= self.seen

    def update(self, budget: int | None = None) -> tuple[int, ...]:
        """Take in what arrived (at most ``budget`` runs of a single loop); returns a key that
        changes when the index must change."""
        store = self.store
        self.now_ns = store.end_ns - self.start_ns
        if store.raw.n > self.seen:
            self._add_runs(budget)
            self._close_runs()
        rows = sum(self.begun.values())
        self.key = (self.seen, rows, len(store.messages.all), len(store.strings), self.start_ns)
        return self.key

    def _bounded(self, budget: int | None) -> tuple[int, dict[int, int]]:
        """How far to read this time: the records and, per loop, the handle rows.

        One loop's handles run in row order, so its first ``budget`` rows ran before
        every record from the last one's RUN_BEGIN on: the next call starts there.
        (Several loops interleave: they are taken in whole.)"""
        store = self.store
        upto = {index: info.handles.begun for index, info in store.loops.items()}
        if budget is None or len(store.loops) != 1:
            return store.raw.n, upto
        ((index, info),) = store.loops.items()
        h = info.handles
        r0 = self.begun.get(index, 0)
        if h.begun - r0 <= budget:
            return store.raw.n, upto
        r1 = r0 + max(budget, 1)
        ran = r0 + np.flatnonzero((h.flags.buf[r0:r1] & _UNRUN) == 0)
        if not len(ran):
            return self.seen, {index: r1}
        return int(h.begin.buf[ran[-1]]) + 1, {index: r1}

    def _add_runs(self, budget: int | None = None) -> None:
        store = self.store
        lo = self.seen
        hi, upto = self._bounded(budget)
        if hi <= lo:  # rows that never ran (cancelled): nothing to add but how far we got
            self.begun.update(upto)
            return
        t = store.raw.t
        visible = np.maximum.accumulate(t[lo:hi])
        if self.t_peak is not None:
            visible = np.maximum(visible, self.t_peak)
        self.t_peak = int(visible[-1])
        begin_idx, end_idx, loops, rows, first = [], [], [], [], []
        for index, info in store.loops.items():
            h = info.handles
            r0, r1 = self.begun.get(index, 0), upto[index]
            if r1 <= r0:
                continue
            self.begun[index] = r1
            ran = r0 + np.flatnonzero((h.flags.buf[r0:r1] & _UNRUN) == 0)
            if not len(ran):
                continue
            bi = h.begin.buf[ran].astype(np.int64)
            if bi.min() < lo or bi.max() >= hi:
                raise _Rebuild
            begin_idx.append(bi)
            end_idx.append(h.end.buf[ran].astype(np.int64))
            loops.append(np.full(len(ran), index, dtype=np.int32))
            rows.append(ran.astype(np.int64))
            # A loop iteration starts at each SELECT_BEGIN: a run is the first of its
            # iteration when fewer select waits began before it than before the previous run.
            waits = np.searchsorted(info.selects.begin.data, bi, side="right")
            starts = np.ones(len(ran), dtype=bool)
            starts[1:] = waits[1:] != waits[:-1]
            starts[0] = self.last_wait.get(index, -1) != waits[0]
            self.last_wait[index] = int(waits[-1])
            first.append(starts)
        self.seen = hi
        if not begin_idx:
            return
        bi = np.concatenate(begin_idx)
        # One loop's runs are in order already; two loops' interleave.
        order = slice(None) if len(begin_idx) == 1 else np.argsort(bi, kind="stable")
        bi, ei = bi[order], np.concatenate(end_idx)[order]
        begin_ns = visible[bi - lo] - self.start_ns
        tasks = store.raw.cols[3].buf[bi].astype(np.int64)  # RUN_BEGIN's b: the task oid
        closed = ei != NEVER
        end_ns = np.where(closed, t[np.where(closed, ei, 0)] - self.start_ns, 0)
        end_ns = np.maximum(end_ns, begin_ns)
        base = self.begin_ns.n
        self.open = np.concatenate([self.open, base + np.flatnonzero(~closed)])
        self.begin_ns.append(begin_ns)
        self.begins.append(begin_ns / 1e9)
        self.ends.append(end_ns / 1e9)
        self.loops.append(np.concatenate(loops)[order])
        self.rows.append(np.concatenate(rows)[order])
        self.tasks.append(tasks)
        self.prev.append(self._previous_runs(tasks, base))
        _append_distinct(self.run_ns, begin_ns)
        _append_distinct(self.iteration_ns, begin_ns[np.concatenate(first)[order]])

    def _previous_runs(self, tasks: np.ndarray, base: int) -> np.ndarray:
        """``prev_of_task`` of runs ``base..``: within the batch, else the task's last run."""
        local = _previous_of_same(tasks)
        prev = np.where(local >= 0, local + base, -1)
        known = self.last_of_task
        for j in np.flatnonzero((local < 0) & (tasks != 0)).tolist():
            prev[j] = known.get(int(tasks[j]), -1)
        for j in last_per_key(tasks).tolist():
            if tasks[j]:
                known[int(tasks[j])] = base + j
        return prev

    def _close_runs(self) -> None:
        """Runs that were going at the last update and have ended since."""
        if not len(self.open):
            return
        store = self.store
        loops = self.loops.buf[self.open].tolist()
        rows = self.rows.buf[self.open].tolist()
        ends = np.array(
            [int(store.loops[lp].handles.end.buf[r]) for lp, r in zip(loops, rows, strict=True)],
            dtype=np.int64,
        )
        done = ends != NEVER
        if done.any():
            pos = self.open[done]
            end_ns = store.raw.t[ends[done]] - self.start_ns
            self.ends.buf[pos] = np.maximum(end_ns, self.begin_ns.buf[pos]) / 1e9
            self.open = self.open[~done]


def _stagger(rewritten: Column, *appended: Column) -> None:
    """Let each column grow at its own fill, and the append-only ones ahead of need.

    Why: the columns have one length, so grown when full they would all be copied by one
    update: at 3 M runs (a 10 M-event flood) that froze the window for 0.3 s. One fill per
    column spreads the copies over as many updates (``columns.STAGGER`` has six for nine).
    ``rewritten`` (the ends: a run's is written again when it ends) cannot grow ahead."""
    rewritten._early = 1.0
    for k, column in enumerate(appended, start=1):
        column._early = 1.0 - 0.05 * k
        column.grow_ahead()


def _append_distinct(column: Column, sorted_ns: np.ndarray) -> None:
    """Append the values not already there (both sorted, so only the first can repeat)."""
    new = _distinct(sorted_ns)
    if len(new) and column.n and new[0] == column.buf[column.n - 1]:
        new = new[1:]
    column.append(new)


# -- notable events: times first, texts on demand ---------------------------------------------


def _gather_notables(rec: Recording) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
    """Sorted unique notable times (ns from the start) and, per time, ``(kind, ref)`` pairs.

    ``ref`` says where the text comes from: a task row, an index into
    ``rec.stalls()``, an output line, or a message.
    """
    s = rec._store
    start = s.start_ns
    t = s.raw.t
    ns_parts, code_parts, ref_parts = [], [], []

    def add(times_ns: np.ndarray, code: int, refs: np.ndarray) -> None:
        if len(times_ns):
            ns_parts.append(np.asarray(times_ns, dtype=np.int64))
            code_parts.append(np.full(len(times_ns), code, dtype=np.int64))
            ref_parts.append(np.asarray(refs, dtype=np.int64))

    tk = s.tasks
    n = tk.n
    if n:
        shown = _scenario_tasks(s, n)
        created = tk.created.data[:n]
        rows = np.flatnonzero(shown & (created != NEVER) & (created < s.raw.n))
        add(t[created[rows]] - start, _CREATED, rows)
        done = tk.done.data[:n]
        rows = np.flatnonzero(shown & (done != NEVER) & (done < s.raw.n))
        add(t[done[rows]] - start, _DONE, rows)
    stalls = rec.stalls()
    if stalls:
        idx = np.arange(len(stalls))
        add(np.array([round(st.begin * 1e9) for st in stalls]), _STALL_BEGIN, idx)
        ended = [k for k, st in enumerate(stalls) if st.end is not None]
        add(np.array([round(stalls[k].end * 1e9) for k in ended]), _STALL_END, np.array(ended))
    _, out_t = s.messages.sorted_output()
    add(out_t - start, _PRINT, np.arange(len(out_t)))
    msgs = s.messages.all
    exc = [
        (k, m["t"])
        for k, m in enumerate(msgs)
        if m.get("k") in ("task_exception", "exception_handler")
        and isinstance(m.get("t"), int)
        and not isinstance(m.get("t"), bool)
    ]
    if exc:
        add(np.array([tt for _, tt in exc]) - start, _EXC, np.array([k for k, _ in exc]))
    if not ns_parts:
        return np.zeros(0, dtype=np.int64), []
    ns = np.concatenate(ns_parts)
    codes = np.concatenate(code_parts)
    refs = np.concatenate(ref_parts)
    order = np.lexsort((refs, codes, ns))
    ns, codes, refs = ns[order], codes[order], refs[order]
    keep = np.ones(len(ns), dtype=bool)
    keep[1:] = ns[1:] != ns[:-1]
    first = np.flatnonzero(keep)
    times = ns[first]
    bounds = [*first.tolist(), len(ns)]
    pairs = list(zip(codes.tolist(), refs.tolist(), strict=True))
    groups = [pairs[bounds[j] : bounds[j + 1]] for j in range(len(times))]
    return times, groups


def _scenario_tasks(s: Store, n: int) -> np.ndarray:
    """Tasks that are the scenario's, not asyncio's own clean-up (``shutdown_asyncgens``)."""
    qual = s.tasks.qualname.data[:n]
    where = s.tasks.defined_at.data[:n]
    hidden = np.zeros(n, dtype=bool)
    for q in np.unique(qual).tolist():
        name = s.text(q)
        if name.startswith(("BaseEventLoop.", "Runner.", "_")):
            m = qual == q
            paths = np.unique(where[m]).tolist()
            machinery = {p for p in paths if "/asyncio/" in s.text(p)}
            if machinery:
                hidden |= m & np.isin(where, list(machinery))
    return ~hidden


def _notable_text(rec: Recording, code: int, ref: int) -> str:
    s = rec._store
    try:
        if code in (_CREATED, _DONE):
            name = describe.task_name(s, ref)
            if code == _CREATED:
                qual = s.text(s.tasks.qualname.buf[ref])
                return f"{name} created: {qual}" if qual else f"{name} created"
            outcome = int(s.tasks.outcome.buf[ref])
            detail = s.text(s.tasks.detail.buf[ref])
            if outcome == Outcome.EXCEPTION:
                return f"{name} raised {detail}".strip()
            if outcome == Outcome.CANCELLED:
                return f"{name} was cancelled"
            return f"{name} returned {detail}".strip()
        if code in (_STALL_BEGIN, _STALL_END):
            stall = rec.stalls()[ref]
            if code == _STALL_END:
                return f"the loop runs again after {describe.span(stall.duration)} blocked"
            where = f" at {_short(str(stall.where))}" if stall.where else ""
            if stall.call:
                what = f" {stall.call}(...)"
            elif stall.where and stall.where.text:
                what = f" {stall.where.text.strip()[:40]}"
            else:
                what = ""
            return f"the loop is blocked{where}{what}"
        if code == _PRINT:
            lines, _ = s.messages.sorted_output()
            _, stream, text, _ = lines[ref]
            return f"{'printed' if stream == 'stdout' else stream}: {text}"
        if code == _EXC:
            m = s.messages.all[ref]
            if m.get("k") == "task_exception":
                name = describe.task_name_of_oid(s, m.get("task") or 0) or "a task"
                return f"{name} raised {m.get('type', '')}: {m.get('message', '')}".strip(": ")
            return f"asyncio reported: {m.get('message', '')}"
    except (IndexError, KeyError, TypeError, ValueError, AttributeError):
        pass
    return _KINDS[code].replace("_", " ") if 0 <= code < len(_KINDS) else "event"


def _short(location: str) -> str:
    """``/long/path/lesson.py:14`` -> ``lesson.py:14``."""
    return location.rsplit("/", 1)[-1]


__all__ = ["LazyEnds", "Notable", "StepIndex"]
