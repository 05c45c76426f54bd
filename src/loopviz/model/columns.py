"""Append-only numpy columns, the storage every table of a recording is made of.

Why not Python lists or one object per event: a million events must fit in
tens of megabytes and be searched with ``np.searchsorted``. A column grows
geometrically (amortised O(1) per appended value), so a live run that adds a
small batch every 20 ms pays for the batch, not for the whole recording.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np

INDEX = np.int32
"""Event indices (positions in the record stream) are int32: half the memory of int64, and a
recording is capped far below 2**31 events (that would be ~90 GB of records)."""
NEVER = int(np.iinfo(INDEX).max)
"""Event index of something that has not happened (yet): sorts after every real index."""
MAX_EVENTS = NEVER - 1

GROWTH = 1.25
"""Capacity grows by a quarter: amortised O(1) appends, at most 25 % spare memory."""
STAGGER = (1.0, 0.98, 0.96, 0.94, 0.92, 0.9)
"""How full a column may get before it grows, by order of creation. A table's columns have
the same length: grown only when full, they would all be copied by the same append (the
records' six columns at 10 M events: 0.4 s in one GUI frame). Growing each at a different
fill spreads those copies over several appends, so one append pays for one column."""
_created = itertools.count()
AHEAD_FROM = 1 << 18
"""Rows from which a column that may grow ahead (:meth:`Column.grow_ahead`) does so; below
it, a whole copy is a few MB (about a ms) and :data:`STAGGER` spreads those. Above it a
whole copy is what froze the window (3 M step-index rows: 80-200 ms; 4 M records: 140 ms)."""
AHEAD_START = 0.9
"""Fill at which the next buffer is started. Late, so that it exists only in the last tenth
of a cycle: both buffers are held only then (a recording of a million events would
otherwise hold its records twice); and after a switch a column is 80 % full
(:data:`GROWTH`), below this, so a cycle always begins with one buffer."""
AHEAD_STEP = 12
"""Rows an append copies into the next buffer, per row appended (at least
:data:`AHEAD_MIN_STEP`). From 90 % full, the 10 % of room left lasts while the rows held
and those appended meanwhile are copied if ``step >= 0.9 / 0.1 + 1``: 12 finishes in time,
and a fresh buffer's first touch (page faults) is paid in the same small steps."""
AHEAD_MIN_STEP = 1 << 15


def find(sorted_values: np.ndarray, key: int, side: str = "left") -> int:
    """``searchsorted`` for one key, converted to the array's dtype first.

    Why: numpy converts a whole int32 array to int64 to compare it with a
    Python int — 80 µs instead of 1 µs on 200k rows, on every query.
    """
    return int(np.searchsorted(sorted_values, sorted_values.dtype.type(key), side=side))


class Column:
    """A 1-D numpy array with a length and spare capacity.

    Unused capacity always holds ``fill``, so :meth:`extend` can hand out new
    rows that already carry the "not set" value.
    """

    __slots__ = (
        "_ahead",
        "_align",
        "_copied",
        "_early",
        "_fill",
        "_next",
        "_settled",
        "buf",
        "n",
    )

    def __init__(self, dtype: np.dtype | type, fill: int | float = 0, align: int = 1) -> None:
        self._fill = fill
        self._align = align
        self._early = STAGGER[next(_created) % len(STAGGER)]
        self._ahead = False
        self._next: np.ndarray | None = None
        """The bigger buffer being filled, a step per append, while ``buf`` is in use."""
        self._copied = 0
        self._settled: Callable[[], int] | None = None
        # Never empty: ``buf[0]`` (a placeholder index for masked-out rows) is always valid.
        self.buf = np.full(max(align, 16), fill, dtype=dtype)
        self.n = 0

    @property
    def data(self) -> np.ndarray:
        """The used part, as a view (invalidated by the next growth)."""
        return self.buf[: self.n]

    def __len__(self) -> int:
        return self.n

    def grow_ahead(self, settled: Callable[[], int] | None = None) -> None:
        """Once big, copy a step of this column per append into the next, bigger buffer,
        ahead of need, so that the switch costs only what was left.

        Only rows that are never written again may be copied ahead: every row of a column
        that is only appended to (``settled`` None: the records, the largest), else the rows
        below ``settled()`` — a row number that never decreases, below which the caller
        writes no row again (the step index's ends: the first run still going)."""
        if self._fill == 0:  # the next buffer comes zeroed: it holds the fill already
            self._ahead = True
            self._settled = settled

    def _step_ahead(self, size: int) -> None:
        cap = len(self.buf)
        if self._next is None:
            if cap < AHEAD_FROM or size <= cap * AHEAD_START:
                return
            self._next = np.zeros(self._capacity(max(size, cap + 1)), dtype=self.buf.dtype)
            self._copied = 0
        limit = self.n if self._settled is None else max(0, min(self.n, self._settled()))
        step = max(AHEAD_MIN_STEP, AHEAD_STEP * (size - self.n))
        hi = min(limit, self._copied + step)
        if hi > self._copied:
            self._next[self._copied : hi] = self.buf[self._copied : hi]
            self._copied = hi
        if hi == self.n or size > cap:
            self._switch()

    def _switch(self) -> None:
        """Take the next buffer in use (copying the rows appended since the last step)."""
        new = self._next
        if new is None:
            return
        new[self._copied : self.n] = self.buf[self._copied : self.n]
        self.buf, self._next, self._copied = new, None, 0

    def _capacity(self, size: int) -> int:
        cap = max(size, int(len(self.buf) * GROWTH) + 16)
        return -(-cap // self._align) * self._align

    def reserve(self, size: int) -> None:
        """Make room for ``size`` rows without changing the length (see :data:`STAGGER`)."""
        ahead = self._ahead and len(self.buf) >= AHEAD_FROM
        if size <= len(self.buf) * (1.0 if ahead else self._early):
            return
        if self._next is not None:
            self._switch()
            if size <= len(self.buf):
                return
        cap = self._capacity(size)
        # Write each byte once: the used part is copied, only the spare part filled (and a
        # zero fill comes from calloc: pages the kernel zeroes when first touched).
        if self._fill == 0:
            new = np.zeros(cap, dtype=self.buf.dtype)
        else:
            new = np.empty(cap, dtype=self.buf.dtype)
            new[self.n :] = self._fill
        new[: self.n] = self.buf[: self.n]
        self.buf = new

    def append(self, values: np.ndarray | int | float) -> None:
        """Add values at the end."""
        values = np.asarray(values, dtype=self.buf.dtype).reshape(-1)
        k = len(values)
        if self._ahead:
            self._step_ahead(self.n + k)
        self.reserve(self.n + k)
        self.buf[self.n : self.n + k] = values
        self.n += k

    def extend(self, size: int) -> None:
        """Grow to ``size`` rows; the new rows hold ``fill``."""
        if size > self.n:
            self.reserve(size)
            self.n = size

    def trim(self) -> None:
        """Drop spare capacity (after loading a file, whose size is known)."""
        self._switch()
        cap = max(-(-self.n // self._align) * self._align, 1)
        if cap < len(self.buf):
            self.buf = self.buf[:cap].copy()

    @property
    def nbytes(self) -> int:
        return self.buf.nbytes + (0 if self._next is None else self._next.nbytes)


class IntervalIndex:
    """Answers "which rows are alive after event i" for rows alive from ``start`` to ``end``.

    A row is alive at ``i`` (the state after processing events ``0..i-1``) when
    ``start < i <= end``; ``end`` is :data:`NEVER` while it lasts. Rows are
    appended in event order, so ``start`` is sorted and one searchsorted finds
    every row started before ``i``. To avoid scanning all of those, each block
    of rows keeps the latest ``end`` in it: blocks whose rows all ended before
    ``i`` are skipped. Blocks are recomputed lazily, only when touched, so
    ingestion stays proportional to the batch.
    """

    BLOCK = 256

    __slots__ = ("_dirty", "_max", "end", "start")

    def __init__(self) -> None:
        self.start = Column(INDEX, NEVER)
        self.end = Column(INDEX, NEVER, align=self.BLOCK)
        self._max = np.zeros(0, dtype=INDEX)
        self._dirty = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return self.start.n

    def append(self, starts: np.ndarray) -> np.ndarray:
        """Add rows starting at the given event indices; returns their row numbers."""
        first = self.start.n
        self.start.append(starts)
        self.end.extend(self.start.n)
        self._touch(np.arange(first, self.start.n))
        return np.arange(first, self.start.n)

    def close(self, rows: np.ndarray, at: np.ndarray) -> None:
        """End rows at event indices ``at``; the earliest end wins."""
        if len(rows):
            np.minimum.at(self.end.buf, rows, at)
            self._touch(rows)

    def _touch(self, rows: np.ndarray) -> None:
        nblocks = -(-self.start.n // self.BLOCK)
        if nblocks > len(self._max):
            grow = max(nblocks, int(len(self._max) * GROWTH) + 16)
            self._max = np.concatenate(
                [self._max, np.full(grow - len(self._max), NEVER, dtype=INDEX)]
            )
            self._dirty = np.concatenate(
                [self._dirty, np.ones(grow - len(self._dirty), dtype=bool)]
            )
        if len(rows):
            self._dirty[rows // self.BLOCK] = True

    def alive(self, i: int) -> np.ndarray:
        """Row numbers alive after events ``0..i-1``, in start order."""
        m = find(self.start.data, i)
        if m == 0:
            return np.zeros(0, dtype=np.int64)
        nblocks = -(-m // self.BLOCK)
        dirty = np.flatnonzero(self._dirty[:nblocks])
        if len(dirty):
            ends = self.end.buf[: nblocks * self.BLOCK].reshape(-1, self.BLOCK)
            self._max[dirty] = ends[dirty].max(axis=1)
            self._dirty[dirty] = False
        blocks = np.flatnonzero(self._max[:nblocks] >= i)
        if not len(blocks):
            return np.zeros(0, dtype=np.int64)
        rows = (blocks[:, None] * self.BLOCK + np.arange(self.BLOCK)).reshape(-1)
        rows = rows[rows < m]
        return rows[self.end.buf[rows] >= i]

    @property
    def nbytes(self) -> int:
        return self.start.nbytes + self.end.nbytes + self._max.nbytes + self._dirty.nbytes


class OidDirectory:
    """Maps the tracer's object ids to (what kind of object, row in its table).

    Oids come from one process-wide counter starting at 1, so they are dense:
    a plain array indexed by oid answers a whole batch of lookups with one
    fancy index, whatever order two loop threads created objects in. Oids far
    beyond what the recording could hold (a corrupt or hostile stream) go to a
    small dict instead of allocating a huge array.
    """

    NONE, LOOP, TASK, FUTURE, TIMER, CORO = 0, 1, 2, 3, 4, 5
    DENSE_MIN = 1 << 20

    __slots__ = ("_far", "kind", "row")

    def __init__(self) -> None:
        self.kind = Column(np.uint8, 0)
        self.row = Column(np.int32, -1)
        self.kind.extend(1)  # oid 0 is "none": lookups of it stay in bounds
        self.row.extend(1)
        self._far: dict[int, tuple[int, int]] = {}

    def _dense_limit(self, events: int) -> int:
        return max(self.DENSE_MIN, 8 * events)

    def lookup(self, oids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kinds and rows of ``oids`` (kind NONE and row -1 where unknown)."""
        oids = np.asarray(oids, dtype=np.int64)
        inside = (oids > 0) & (oids < self.kind.n)
        safe = np.where(inside, oids, 0)
        kinds = np.where(inside, self.kind.buf[safe], 0).astype(np.uint8)
        rows = np.where(inside, self.row.buf[safe], -1).astype(np.int64)
        if self._far:
            for j in np.flatnonzero(~inside & (oids > 0)):
                kinds[j], rows[j] = self._far.get(int(oids[j]), (0, -1))
        return kinds, rows

    def lookup1(self, oid: int) -> tuple[int, int]:
        """Kind and row of one oid (the scalar fast path for building texts)."""
        if 0 < oid < self.kind.n:
            return int(self.kind.buf[oid]), int(self.row.buf[oid])
        return self._far.get(oid, (0, -1)) if oid > 0 else (0, -1)

    def row1(self, oid: int, kind: int) -> int:
        """Row of one oid in the table of ``kind``, -1 if it is not such an object."""
        k, row = self.lookup1(oid)
        return row if k == kind else -1

    def rows_of(self, oids: np.ndarray, kind: int) -> np.ndarray:
        """Rows of ``oids`` in the table of ``kind``, -1 where the oid is not such an object."""
        kinds, rows = self.lookup(oids)
        return np.where(kinds == kind, rows, -1)

    def register(self, oids: np.ndarray, kind: int, rows: np.ndarray, events: int) -> None:
        """Record new objects; callers have checked the oids are unknown."""
        oids = np.asarray(oids, dtype=np.int64)
        if not len(oids):
            return
        limit = self._dense_limit(events)
        dense = (oids > 0) & (oids < limit)
        if dense.any():
            top = int(oids[dense].max()) + 1
            if top > self.kind.n:
                self.kind.extend(top)
                self.row.extend(top)
            self.kind.buf[oids[dense]] = kind
            self.row.buf[oids[dense]] = rows[dense]
        for j in np.flatnonzero(~dense):
            self._far[int(oids[j])] = (kind, int(rows[j]))

    @property
    def nbytes(self) -> int:
        return self.kind.nbytes + self.row.nbytes


def last_per_key(keys: np.ndarray) -> np.ndarray:
    """Positions of the last occurrence of each distinct key (keys in event order)."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    rev = keys[::-1]
    _, first_in_rev = np.unique(rev, return_index=True)
    return len(keys) - 1 - first_in_rev


def first_per_key(keys: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each distinct key, in order of appearance."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(keys, return_index=True)
    return np.sort(first)
