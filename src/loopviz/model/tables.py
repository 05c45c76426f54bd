"""The tables a recording derives from its records: one class per kind of thing.

Every table holds *event indices* (positions in the recording's record
stream) rather than times: an index says both when something happened (the
record's ``t``) and where its details are (the record's fields), in 8 bytes.
Queries turn indices into times only for the rows they return.
"""

from __future__ import annotations

import numpy as np

from loopviz.model.columns import INDEX, NEVER, Column, IntervalIndex


class Raw:
    """The records themselves, column by column (kind, t, a, b, c, d).

    Column-major because queries search the ``t`` column: ``searchsorted``
    needs it contiguous, and a view into row-major records is not.
    """

    BLOCK = 64

    __slots__ = ("cols", "peak")

    def __init__(self) -> None:
        # kind as uint32 (a packed kind fits; invalid ones are stored as 0), the rest int64.
        self.cols = [Column(np.uint32)] + [Column(np.int64) for _ in range(5)]
        self.peak = Column(np.int64)
        """Running maximum of ``t`` at the end of each block of :attr:`BLOCK` records.

        Each loop's records are in time order, but two loop threads interleave
        theirs, so ``t`` as a whole is only nearly sorted. Searching the
        running maximum (monotonic) maps a time to "every record before the
        first one later than it" — well defined, and exact for one loop.
        """

    @property
    def n(self) -> int:
        return self.cols[0].n

    def append(self, records: np.ndarray, kinds: np.ndarray) -> None:
        """Add records; ``kinds`` is their first column, already checked to fit 32 bits."""
        old = self.n
        self.cols[0].append(kinds)
        for j in range(1, 6):
            self.cols[j].append(records[:, j])
        first_block = old // self.BLOCK
        lo = first_block * self.BLOCK
        peak = np.maximum.accumulate(self.cols[1].buf[lo : self.n])
        if first_block:
            peak = np.maximum(peak, self.peak.buf[first_block - 1])
        ends = np.arange(self.BLOCK - 1, len(peak), self.BLOCK)
        if len(peak) % self.BLOCK:
            ends = np.append(ends, len(peak) - 1)
        self.peak.n = first_block
        self.peak.append(peak[ends])

    def index_at(self, t_ns: int) -> int:
        """How many records come before the first one later than ``t_ns``."""
        peaks = self.peak.data
        k = int(np.searchsorted(peaks, t_ns, side="right"))
        if k >= len(peaks):
            return self.n
        lo = k * self.BLOCK
        seg = np.maximum.accumulate(self.cols[1].buf[lo : min(lo + self.BLOCK, self.n)])
        if k:
            seg = np.maximum(seg, peaks[k - 1])
        return lo + int(np.searchsorted(seg, t_ns, side="right"))

    @property
    def kind(self) -> np.ndarray:
        return self.cols[0].data

    @property
    def t(self) -> np.ndarray:
        return self.cols[1].data

    def field(self, j: int) -> np.ndarray:
        """Column ``j`` (0 kind, 1 t, 2 a, 3 b, 4 c, 5 d) as a view."""
        return self.cols[j].data

    def rows(self, lo: int, hi: int) -> np.ndarray:
        """Records ``lo..hi-1`` as an (n, 6) array, e.g. to write them to a file."""
        return np.stack([c.buf[lo:hi] for c in self.cols], axis=1)

    def trim(self) -> None:
        for col in (*self.cols, self.peak):
            col.trim()

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in self.cols) + self.peak.nbytes


# Handle flags.
TASK = 1
"""The handle is a task's step or wakeup (ENQUEUE b != 0); it is drawn on the task's lane."""
CANCELLED = 2
"""Dropped from the ready queue without running (RUN_BEGIN c=1)."""
GAP = 4
"""A serial no ENQUEUE was seen for (lost events); the row only keeps the serials aligned."""
LOST = 8
"""Left the ready queue without a RUN_BEGIN of its own (a later serial began: FIFO)."""
NO_ENQUEUE = 16
"""RUN_BEGIN came for a serial never enqueued (the recording started mid-run)."""


class HandleTable:
    """One loop's handles, row = serial - first serial: a handle's trip through the ready queue.

    ``enq``/``begin``/``end`` are event indices (:data:`NEVER` until it
    happens). Asyncio's ready queue is FIFO and handles run one at a time, so
    ``enq`` and ``begin`` are both sorted by row: the ready queue after event
    ``i`` is simply rows ``searchsorted(begin, i) .. searchsorted(enq, i)``.
    """

    MAX_JUMP = 1 << 20
    """A serial this far beyond the last one is corrupt, not a gap."""

    __slots__ = ("base", "begin", "begun", "end", "enq", "flags", "lane")

    def __init__(self) -> None:
        self.base: int | None = None
        self.enq = Column(INDEX, NEVER)
        self.begin = Column(INDEX, NEVER)
        self.end = Column(INDEX, NEVER)
        self.lane = Column(np.int32, -1)
        self.flags = Column(np.uint8, 0)
        self.begun = 0
        """Rows that have left the ready queue (a prefix, by FIFO)."""

    @property
    def n(self) -> int:
        return self.enq.n

    def extend(self, size: int) -> None:
        for col in (self.enq, self.begin, self.end, self.lane, self.flags):
            col.extend(size)

    def trim(self) -> None:
        for col in (self.enq, self.begin, self.end, self.lane, self.flags):
            col.trim()

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in (self.enq, self.begin, self.end, self.lane, self.flags))


class SelectTable:
    """One loop's waits in the selector (idle time): SELECT_BEGIN .. SELECT_END."""

    __slots__ = ("begin", "end")

    def __init__(self) -> None:
        self.begin = Column(INDEX, NEVER)
        self.end = Column(INDEX, NEVER)

    @property
    def n(self) -> int:
        return self.begin.n

    @property
    def nbytes(self) -> int:
        return self.begin.nbytes + self.end.nbytes


class LoopInfo:
    """A loop the recording saw: identity, its lane, its handles and idle periods."""

    __slots__ = ("cls", "first", "handles", "index", "lane", "oid", "selects", "thread")

    def __init__(self, index: int, lane: int, first: int) -> None:
        self.index = index
        self.lane = lane
        self.first = first
        self.oid = 0
        self.thread = 0
        self.cls = 0
        self.handles = HandleTable()
        self.selects = SelectTable()


class TaskTable:
    """Tasks, one row each, in order of first appearance in the stream.

    Also the per-task *carry*: the last task event seen (its type and index,
    whether it suspended the task, and the last step end). That is all the
    state the next batch needs to derive waiting slices, and a snapshot of it
    every few thousand events is what lets ``state_at`` skip replaying.
    """

    COLUMNS = (
        ("oid", np.int64, 0),
        ("first", INDEX, NEVER),
        ("created", INDEX, NEVER),
        ("parent", np.int64, 0),
        ("coro", np.int64, 0),
        ("created_at", np.int64, 0),
        ("name", np.int64, 0),
        ("qualname", np.int64, 0),
        ("defined_at", np.int64, 0),
        ("done", INDEX, NEVER),
        ("outcome", np.int8, 0),
        ("detail", np.int64, 0),
        ("loop", np.int32, 0),
        ("lane", np.int32, -1),
        ("last_type", np.int8, -1),
        ("last_idx", INDEX, -1),
        ("last_susp", np.bool_, False),
        ("last_end", INDEX, -1),
    )

    def __init__(self) -> None:
        for name, dtype, fill in self.COLUMNS:
            setattr(self, name, Column(dtype, fill))
        self.n = 0

    def extend(self, size: int) -> None:
        for name, _, _ in self.COLUMNS:
            getattr(self, name).extend(size)
        self.n = size

    def col(self, name: str) -> np.ndarray:
        return getattr(self, name).data

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name, _, _ in self.COLUMNS)


class ObjectTable:
    """Futures, timers or coroutine objects: the index of the record that created each one,
    and an :class:`IntervalIndex` of its life.

    Everything else about an object (its oid, who made it, its name) is a field of
    that record, read back through the index: no copies.
    """

    COLUMNS: tuple[tuple[str, type, int], ...] = ()

    def __init__(self) -> None:
        for name, dtype, fill in self.COLUMNS:
            setattr(self, name, Column(dtype, fill))
        self.life = IntervalIndex()

    @property
    def n(self) -> int:
        return len(self.life)

    @property
    def created(self) -> Column:
        """Index of the creating record (FUTURE_CREATED, TIMER_SCHEDULED, CORO_CREATED)."""
        return self.life.start

    def add(self, starts: np.ndarray) -> np.ndarray:
        rows = self.life.append(starts)
        for name, _, _ in self.COLUMNS:
            getattr(self, name).extend(self.n)
        return rows

    @property
    def nbytes(self) -> int:
        return self.life.nbytes + sum(getattr(self, n).nbytes for n, _, _ in self.COLUMNS)


class FutureTable(ObjectTable):
    """Futures: alive from FUTURE_CREATED (a=oid b=task c=creator d=type) to FUTURE_DONE
    (b=outcome c=detail), which is the record at ``life.end``."""

    COLUMNS = (("timer", np.int32, -1),)
    """Row of the timer that will resolve it (a ``sleep``), -1 if none."""


class TimerTable(ObjectTable):
    """Timers: alive from TIMER_SCHEDULED (a=oid b=deadline c=callback d=future) until the
    ENQUEUE that fires them or TIMER_CANCELLED (the record at ``life.end``)."""


class CoroTable(ObjectTable):
    """Coroutine objects of the scenario (CORO_CREATED: a=oid b=task c=qualname d=location),
    "alive" while created but not yet driven; ``scheduled``/``destroyed`` index the
    CORO_SCHEDULED (b=driver c=how) and CORO_DESTROYED records."""

    COLUMNS = (("scheduled", INDEX, NEVER), ("destroyed", INDEX, NEVER))


class EagerTable:
    """Eager first steps (3.12+): they run inside ``create_task``, with no handle."""

    __slots__ = ("end", "lane", "start_ns")

    def __init__(self) -> None:
        self.lane = Column(np.int32, -1)
        self.start_ns = Column(np.int64, 0)
        self.end = Column(INDEX, NEVER)

    @property
    def n(self) -> int:
        return self.lane.n

    @property
    def nbytes(self) -> int:
        return self.lane.nbytes + self.start_ns.nbytes + self.end.nbytes


class WaitTable:
    """Finished suspensions of tasks: from the step that suspended to the wakeup's ENQUEUE.

    Appended when the waiting ends, so rows are sorted by end (what the Gantt
    chart wants); ``start`` is the suspending RUN_END whose ``d`` says what
    the task awaited.
    """

    __slots__ = ("end", "lane", "start")

    def __init__(self) -> None:
        self.lane = Column(np.int32, -1)
        self.start = Column(INDEX, NEVER)
        self.end = Column(INDEX, NEVER)

    @property
    def n(self) -> int:
        return self.lane.n

    @property
    def nbytes(self) -> int:
        return self.lane.nbytes + self.start.nbytes + self.end.nbytes


class GatherTable:
    """``gather`` futures and their children (GATHER_CHILDREN), looked up by gather oid."""

    __slots__ = ("_index", "child", "gather")

    def __init__(self) -> None:
        self.gather = Column(np.int64, 0)
        self.child = Column(np.int64, 0)
        self._index: tuple[int, np.ndarray, np.ndarray] | None = None

    def children(self, gather_oid: int) -> np.ndarray:
        """Child oids of one gather future, in the order they were passed."""
        n = self.gather.n
        if self._index is None or self._index[0] != n:
            keys = self.gather.data
            order = np.argsort(keys, kind="stable")
            self._index = (n, order, keys[order])
        _, order, keys = self._index
        lo, hi = np.searchsorted(keys, [gather_oid, gather_oid + 1])
        return self.child.data[order[lo:hi]]

    @property
    def nbytes(self) -> int:
        return self.gather.nbytes + self.child.nbytes
