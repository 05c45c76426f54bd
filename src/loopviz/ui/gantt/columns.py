"""Append-only numpy columns of finished slices, culled to a time range in O(log n + k).

One :class:`SliceColumns` holds one state's slices. Inside, slices are split into
*duration classes* (powers of four), each kept sorted by end time. Why: culling
``[x0, x1]`` needs ``end >= x0`` and ``start <= x1``. The first is one
``searchsorted`` on the sorted ends; the second is turned into a second
``searchsorted`` on ``end <= x1 + max_duration``. With a single class, one 5-second
wait of ``main`` would make ``max_duration`` 5 s and every short step of the last
5 seconds a candidate; per class, the bound is at most 4x the slice length, so
the candidates are the visible slices plus a thin margin.

Appends cost O(batch): a batch that is sorted and starts after the last end is
copied to the tail (capacity doubles, amortised). A slightly out-of-order batch
is merged with the tail it overlaps only.

A big bucket never copies itself in one go: at 10 M slices doubling the four arrays took
200 ms of one GUI frame. From :data:`AHEAD_FROM` rows on, the next (doubled) arrays are
filled a step per append ahead of need, and the switch copies only what is left. Readers
keep one contiguous array per field (``searchsorted`` and slices stay as fast as ever).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

_CLASS_BASE = 4.0
_MIN_DURATION = 1e-9  # zero-length slices share the smallest class
_FIELDS = ("_lane", "_start", "_end", "_detail")

AHEAD_FROM = 1 << 16
"""Capacity (rows) from which a bucket grows ahead of need; a whole copy below it is under
2 MB (about a ms)."""
AHEAD_START = 0.7
"""Fill at which the next arrays are started (both sets are held only from here on)."""
AHEAD_STEP = 4
"""Rows copied ahead per row appended (at least :data:`AHEAD_MIN_STEP`): from 70 % full the
30 % of room left lasts while the rows held and those appended are copied, if
``step >= 0.7 / 0.3 + 1``; 4 finishes in time, and pays first touches in small steps."""
AHEAD_MIN_STEP = 1 << 14


@dataclass(frozen=True)
class Culled:
    """Slices of one state that intersect a time range (arrays of equal length)."""

    lane: np.ndarray  # int32
    start: np.ndarray  # float64, seconds
    end: np.ndarray  # float64, seconds
    detail: np.ndarray  # int64, the model's index for hover text

    def __len__(self) -> int:
        return len(self.lane)


def _empty_culled() -> Culled:
    return Culled(
        np.empty(0, np.int32),
        np.empty(0, np.float64),
        np.empty(0, np.float64),
        np.empty(0, np.int64),
    )


class _Bucket:
    """Slices of one duration class, sorted by end; arrays grow by doubling, ahead of need."""

    __slots__ = (
        "_copied",
        "_detail",
        "_end",
        "_lane",
        "_next",
        "_start",
        "max_duration",
        "max_start",
        "n",
    )

    def __init__(self) -> None:
        self.n = 0
        self.max_duration = 0.0
        self.max_start = -np.inf
        self._lane = np.empty(0, np.int32)
        self._start = np.empty(0, np.float64)
        self._end = np.empty(0, np.float64)
        self._detail = np.empty(0, np.int64)
        self._next: tuple[np.ndarray, ...] | None = None
        """The doubled arrays being filled a step per append, in :data:`_FIELDS` order."""
        self._copied = 0
        """Rows ``[0, _copied)`` of :attr:`_next` equal the current arrays'."""

    @property
    def capacity(self) -> int:
        return len(self._end)

    def _copy_ahead(self, lo: int, hi: int) -> None:
        assert self._next is not None
        for name, new in zip(_FIELDS, self._next, strict=True):
            new[lo:hi] = getattr(self, name)[lo:hi]

    def _switch(self) -> None:
        """Take the next arrays in use, copying the rows not copied ahead yet."""
        if self._next is None:
            return
        self._copy_ahead(self._copied, self.n)
        for name, new in zip(_FIELDS, self._next, strict=True):
            setattr(self, name, new)
        self._next, self._copied = None, 0

    def _reserve(self, total: int) -> None:
        if total <= self.capacity:
            return
        if self._next is not None:
            self._switch()
            if total <= self.capacity:
                return
        capacity = max(total, 2 * self.capacity, 1024)
        for name in _FIELDS:
            old = getattr(self, name)
            new = np.empty(capacity, old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def _step_ahead(self, appended: int) -> None:
        """After an append: start or continue filling the next arrays (see the module doc)."""
        cap = self.capacity
        if self._next is None:
            if cap < AHEAD_FROM or self.n <= cap * AHEAD_START:
                return
            self._next = tuple(np.empty(2 * cap, getattr(self, f).dtype) for f in _FIELDS)
            self._copied = 0
        hi = min(self.n, self._copied + max(AHEAD_MIN_STEP, AHEAD_STEP * appended))
        self._copy_ahead(self._copied, hi)
        self._copied = hi
        if hi == self.n:
            self._switch()

    def append(self, lane: np.ndarray, start: np.ndarray, end: np.ndarray, detail: np.ndarray):
        b = len(end)
        if b == 0:
            return
        if b > 1 and not bool(np.all(end[1:] >= end[:-1])):
            order = np.argsort(end, kind="stable")
            lane, start, end, detail = lane[order], start[order], end[order], detail[order]
        n = self.n
        self._reserve(n + b)
        at = n
        if n and end[0] < self._end[n - 1]:
            # Out of order: merge with the part of the tail that ends after the batch starts.
            at = int(np.searchsorted(self._end[:n], end[0], side="right"))
            lane = np.concatenate((self._lane[at:n], lane))
            start = np.concatenate((self._start[at:n], start))
            end = np.concatenate((self._end[at:n], end))
            detail = np.concatenate((self._detail[at:n], detail))
            order = np.argsort(end, kind="stable")
            lane, start, end, detail = lane[order], start[order], end[order], detail[order]
        stop = at + len(end)
        self._lane[at:stop] = lane
        self._start[at:stop] = start
        self._end[at:stop] = end
        self._detail[at:stop] = detail
        self.n = stop
        self._copied = min(self._copied, at)  # rows rewritten by a merge are copied again
        self._step_ahead(b)
        self.max_duration = max(self.max_duration, float(np.max(end - start)))
        self.max_start = max(self.max_start, float(np.max(start)))

    def cull(self, x0: float, x1: float, with_detail: bool) -> Culled | None:
        n = self.n
        if n == 0:
            return None
        ends = self._end[:n]
        i0 = int(np.searchsorted(ends, x0, side="left"))
        i1 = int(np.searchsorted(ends, x1 + self.max_duration, side="right"))
        if i1 <= i0:
            return None
        lane, start, end = self._lane[i0:i1], self._start[i0:i1], self._end[i0:i1]
        detail = self._detail[i0:i1] if with_detail else self._detail[:0]
        if x1 < self.max_start:
            keep = start <= x1
            lane, start, end = lane[keep], start[keep], end[keep]
            if with_detail:
                detail = detail[keep]
        return Culled(lane, start, end, detail)

    def bound(self, x0: float, x1: float) -> int:
        """An upper bound of :meth:`cull`'s length from two binary searches only."""
        ends = self._end[: self.n]
        i0 = int(np.searchsorted(ends, x0, side="left"))
        i1 = int(np.searchsorted(ends, x1 + self.max_duration, side="right"))
        return max(0, i1 - i0)


def duration_class(duration: np.ndarray) -> np.ndarray:
    """The class index of each duration: ``floor(log4(duration))``, zero-length clamped."""
    safe = np.maximum(duration, _MIN_DURATION)
    return np.floor(np.log(safe) / np.log(_CLASS_BASE)).astype(np.int16)


class SliceColumns:
    """All finished slices of one state; see the module docstring for the layout."""

    def __init__(self) -> None:
        self._buckets: dict[int, _Bucket] = {}
        self._count = 0
        self._t_min = np.inf
        self._t_max = -np.inf

    def __len__(self) -> int:
        return self._count

    def clear(self) -> None:
        self._buckets.clear()
        self._count = 0
        self._t_min = np.inf
        self._t_max = -np.inf

    @property
    def extent(self) -> tuple[float, float] | None:
        """(earliest start, latest end), or None when empty."""
        return (self._t_min, self._t_max) if self._count else None

    def append(
        self, lane: np.ndarray, start: np.ndarray, end: np.ndarray, detail: np.ndarray
    ) -> None:
        """Add one batch (equal-length arrays). Ends before starts are swapped."""
        lane = np.asarray(lane, np.int32)
        start = np.asarray(start, np.float64)
        end = np.asarray(end, np.float64)
        detail = np.asarray(detail, np.int64)
        if len(end) == 0:
            return
        if bool(np.any(end < start)):
            start, end = np.minimum(start, end), np.maximum(start, end)
        classes = duration_class(end - start)
        lo, hi = int(classes.min()), int(classes.max())
        for cls in range(lo, hi + 1):
            if lo == hi:
                sel: slice | np.ndarray = slice(None)
            else:
                sel = np.flatnonzero(classes == cls)
                if len(sel) == 0:
                    continue
            bucket = self._buckets.get(cls)
            if bucket is None:
                bucket = self._buckets[cls] = _Bucket()
            bucket.append(lane[sel], start[sel], end[sel], detail[sel])
        self._count += len(end)
        self._t_min = min(self._t_min, float(start.min()))
        self._t_max = max(self._t_max, float(end.max()))

    def chunks(self, x0: float, x1: float, with_detail: bool = False) -> Iterator[Culled]:
        """Visible slices class by class, without concatenating (the renderer's path)."""
        for bucket in self._buckets.values():
            part = bucket.cull(x0, x1, with_detail)
            if part is not None and len(part):
                yield part

    def cull(self, x0: float, x1: float) -> Culled:
        """Every slice with ``end >= x0`` and ``start <= x1``, as one set of arrays."""
        parts = list(self.chunks(x0, x1, with_detail=True))
        if not parts:
            return _empty_culled()
        if len(parts) == 1:
            return parts[0]
        return Culled(
            np.concatenate([p.lane for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.end for p in parts]),
            np.concatenate([p.detail for p in parts]),
        )

    def estimate_visible(self, x0: float, x1: float) -> int:
        """An upper bound of ``len(cull(x0, x1))`` in O(log n), to choose how to draw."""
        return sum(b.bound(x0, x1) for b in self._buckets.values())
