"""The loop-steps time axis: every handle run one equal column, waits squeezed thin.

Why a second axis: in wall time the five ``create_task`` starts of a lesson happen
within a few microseconds and the one-second sleeps around them take the whole
width, so the moments a lecture talks about are sub-pixel. On the steps axis run
*i* covers ``[x_i, x_i + 1)`` whatever it lasted, so each is as wide as any other.

The mapping is piecewise linear through *knots*: each run's begin and end, with
the time between two runs (the loop in ``select()``, or a few microseconds of
bookkeeping) given ``GAP_STEPS`` of a column if it lasted at least
``GAP_MIN_SECONDS``, else nothing. Wall time 0 s is step 0. Times after the last
known run map to the end of it (a live run's newest instants are not columns yet).
Both directions are ``numpy.searchsorted`` on the knots, so mapping a batch of
slices costs O(n log runs).

Why lazy and incremental: a live run hands the chart new run times a few times a
second, millions of runs in a flood, while the chart mostly shows wall time. An
axis only keeps the times it was given until something maps through it; then the
knots of the runs that cannot change any more (all but the newest :data:`TAIL`)
are shared with the axis built before it from the same growing run list, so
each build pays for the runs that arrived since, not for the whole recording.
"""

from __future__ import annotations

import weakref

import numpy as np

from loopviz.model.columns import Column

GAP_STEPS = 0.25  # of a column, for a wait between two runs (select(), a timer)
GAP_MIN_SECONDS = 50e-6  # shorter gaps are the loop's own bookkeeping: no width
TAIL = 256
"""The newest runs an axis keeps to itself: a run still going gets a later end next time."""


class StepAxis:
    """Maps wall seconds to loop steps and back; see the module docstring."""

    def __init__(self, begins: np.ndarray, ends: np.ndarray) -> None:
        b = np.asarray(begins, np.float64)
        # An array-like that makes its values when asked (``StepIndex.lazy_ends``) is kept
        # as it is until the knots are built.
        deferred = not isinstance(ends, np.ndarray) and hasattr(ends, "__array__")
        e = ends if deferred else np.asarray(ends, np.float64)
        if b.ndim != 1 or (not deferred and e.ndim != 1) or len(b) != len(e):  # type: ignore[arg-type]
            raise ValueError("begins and ends must have the same length")
        self._given: tuple[np.ndarray, np.ndarray] | None = (b, e)  # type: ignore[assignment]
        self._len: int | None = None
        self._knots: _Knots | None = None

    @classmethod
    def empty(cls) -> StepAxis:
        return cls(np.zeros(0), np.zeros(0))

    def __len__(self) -> int:
        if self._len is None:
            if self._knots is not None:
                self._len = self._knots.n
            else:
                b = self._given[0]  # type: ignore[index]
                self._len = int(np.count_nonzero(np.isfinite(b)))
        return self._len

    def _k(self) -> _Knots:
        if self._knots is None:
            b, e = self._given  # type: ignore[misc]
            self._knots = _build(*_in_time_order(b, np.asarray(e, np.float64)))
            self._given = None
        return self._knots

    @property
    def begins(self) -> np.ndarray:
        """Begin (s) of every run, in time order."""
        return self._k().begins()

    @property
    def ends(self) -> np.ndarray:
        """End (s) of every run (a run still going: its begin)."""
        return self._k().ends()

    @property
    def run_x(self) -> np.ndarray:
        """Where each run's column starts."""
        k = self._k()
        return np.concatenate((k.head_run_x, k.tail_run_x))

    @property
    def total_steps(self) -> float:
        """The x of the end of the last run: the width of the whole recording in steps."""
        return self._k().steps.last

    def to_steps(self, t: np.ndarray | float) -> np.ndarray | float:
        """Wall seconds -> step x (vectorised; a float in, a float out)."""
        k = self._k()
        scalar = np.ndim(t) == 0
        x = _map(np.asarray(t, np.float64), k.wall, k.steps)
        return float(x) if scalar else x

    def to_wall(self, x: np.ndarray | float) -> np.ndarray | float:
        """Step x -> wall seconds; inside a zero-width gap, the later instant."""
        k = self._k()
        scalar = np.ndim(x) == 0
        t = _map(np.asarray(x, np.float64), k.steps, k.wall)
        return float(t) if scalar else t

    def same_until(self, other: StepAxis) -> float:
        """The wall time up to which ``other`` maps every instant exactly as this axis does.

        Axes built one after the other from a growing run list share their settled runs'
        knots: a chart showing steps need only re-map the slices that end after this
        (``-inf``: nothing in common, re-map everything)."""
        a, b = self._k(), other._k()
        if a.shared is not b.shared:
            return float("-inf")
        m = min(len(a.wall.head), len(b.wall.head))
        return float(a.shared.wall.buf[m - 1])

    def run_index_at(self, x: float) -> int:
        """The run whose column holds step ``x`` (-1 before the first)."""
        k = self._k()
        found = np.searchsorted(k.head_run_x, x, side="right")
        found += np.searchsorted(k.tail_run_x, x, side="right")
        return int(found) - 1


def _in_time_order(b: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Begun runs only, sorted by begin (a no-op check for a step index's runs), ends >= begins."""
    keep = np.isfinite(b)
    if not keep.all():
        b, e = b[keep], e[keep]
    e = np.where(np.isfinite(e), e, b)  # a run still going: no length yet
    if len(b) > 1 and not bool(np.all(b[1:] >= b[:-1])):
        order = np.argsort(b, kind="stable")
        b, e = b[order], e[order]
    return b, np.maximum(b, e)


class _Piecewise:
    """A sorted array kept as a shared head (a view) and a private tail: sorted together."""

    __slots__ = ("head", "tail")

    def __init__(self, head: np.ndarray, tail: np.ndarray) -> None:
        self.head, self.tail = head, tail

    def __len__(self) -> int:
        return len(self.head) + len(self.tail)

    @property
    def first(self) -> float:
        return float(self.head[0] if len(self.head) else self.tail[0])

    @property
    def last(self) -> float:
        return float(self.tail[-1] if len(self.tail) else self.head[-1])

    def count_at_or_before(self, v: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.head, v, side="right") + np.searchsorted(
            self.tail, v, side="right"
        )

    def take(self, i: np.ndarray) -> np.ndarray:
        h = len(self.head)
        if not len(self.tail):
            return self.head[i]
        if not h:
            return self.tail[i]
        out = self.head[np.minimum(i, h - 1)]
        later = i >= h
        out[later] = self.tail[i[later] - h]
        return out


def _map(v: np.ndarray, src: _Piecewise, dst: _Piecewise) -> np.ndarray:
    """Piecewise-linear ``src -> dst`` through the knots, clamped at both ends."""
    n = len(src)
    if n < 2:
        return np.full(v.shape, dst.first)
    flat = np.atleast_1d(v).ravel()
    i = np.clip(src.count_at_or_before(flat) - 1, 0, n - 2)
    s0, s1 = src.take(i), src.take(i + 1)
    d0, d1 = dst.take(i), dst.take(i + 1)
    width = s1 - s0
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(width > 0, (flat - s0) / np.where(width > 0, width, 1.0), 1.0)
    out = d0 + np.clip(k, 0.0, 1.0) * (d1 - d0)
    out = np.where(flat <= src.first, dst.first, out)
    out = np.where(flat >= src.last, dst.last, out)
    return out.reshape(v.shape)


class _Knots:
    """One axis's knots: the settled runs' from a :class:`_Shared`, the newest its own."""

    def __init__(self, shared: _Shared, c: int, b: np.ndarray, e: np.ndarray) -> None:
        self.shared = shared  # keeps the shared columns alive while this axis is
        self.n = c + len(b)
        self._b, self._e = b, e
        wall, steps, run_x = _segment(b, e, shared.acc, shared.next_x)
        self.head_b, self.head_e = shared.b.buf[:c], shared.e.buf[:c]
        m = shared.wall.n
        self.wall = _Piecewise(shared.wall.buf[:m], wall)
        self.steps = _Piecewise(shared.steps.buf[:m], steps)
        self.head_run_x, self.tail_run_x = shared.run_x.buf[:c], run_x

    def begins(self) -> np.ndarray:
        return np.concatenate((self.head_b, self._b))

    def ends(self) -> np.ndarray:
        return np.concatenate((self.head_e, self._e))


class _Shared:
    """Knots of settled runs, appended to by each newer axis of the same growing run list.

    Only ever appended to, so the views older axes hold never change."""

    def __init__(self, first_begin: float) -> None:
        self.b = Column(np.float64)
        self.e = Column(np.float64)
        self.run_x = Column(np.float64)
        self.wall = Column(np.float64)
        self.steps = Column(np.float64)
        self.acc = min(0.0, first_begin)
        """Latest end among the runs so far (where the next run's wait begins)."""
        self.next_x = 0.0
        """Where the next run's column (or the wait before it) begins."""
        self.wall.append(np.array([self.acc]))
        self.steps.append(np.zeros(1))

    def holds_start_of(self, b: np.ndarray, e: np.ndarray) -> bool:
        c = self.b.n
        if len(b) < c or (c == 0 and len(b) and min(0.0, float(b[0])) != self.acc):
            return False
        return bool(np.array_equal(self.b.buf[:c], b[:c]) and np.array_equal(self.e.buf[:c], e[:c]))

    def commit(self, b: np.ndarray, e: np.ndarray) -> None:
        if not len(b):
            return
        wall, steps, run_x = _segment(b, e, self.acc, self.next_x)
        self.b.append(b)
        self.e.append(e)
        self.wall.append(wall)
        self.steps.append(steps)
        self.run_x.append(run_x)
        self.acc = max(self.acc, float(e.max()))
        self.next_x = float(run_x[-1]) + 1.0


_recent: list[weakref.ref[_Shared]] = []
"""The last few shared knot columns (a live chart's and a pinned one's, say)."""
_KEEP = 4
_newest: list[_Shared] = []
"""The newest shared columns, held even while no axis is: a chart drops its old axis before
it maps through the new one."""


def _build(b: np.ndarray, e: np.ndarray) -> _Knots:
    shared = None
    for ref in _recent:
        candidate = ref()
        if candidate is not None and candidate.holds_start_of(b, e):
            shared = candidate
            break
    if shared is None:
        shared = _Shared(float(b[0]) if len(b) else 0.0)
    _recent[:] = [r for r in _recent if r() is not None and r() is not shared][: _KEEP - 1]
    _recent.insert(0, weakref.ref(shared))
    _newest[:] = [shared]
    c = shared.b.n
    settled = max(c, len(b) - TAIL)
    shared.commit(b[c:settled], e[c:settled])
    return _Knots(shared, settled, b[settled:], e[settled:])


def _segment(
    b: np.ndarray, e: np.ndarray, acc: float, x0: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Knots (wall, steps) and column starts of runs ``b``/``e`` following earlier ones.

    ``acc`` is the latest end before them, ``x0`` where the earlier columns stopped.
    Overlapping runs (nested loops) keep wall order: a run begins no earlier than the
    previous one ended, as far as the axis is concerned."""
    n = len(b)
    if n == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    prev_end = np.maximum.accumulate(np.concatenate(([acc], e[:-1])))
    b_eff = np.maximum(b, prev_end)
    e_eff = np.maximum(e, b_eff)
    gap = b_eff - prev_end
    gap_x = np.where(gap >= GAP_MIN_SECONDS, GAP_STEPS, 0.0)
    run_x = x0 + np.cumsum(gap_x) + np.arange(n, dtype=np.float64)
    wall = np.empty(2 * n)
    steps = np.empty(2 * n)
    wall[0::2], wall[1::2] = b_eff, e_eff
    steps[0::2], steps[1::2] = run_x, run_x + 1.0
    return wall, steps, run_x


def step_times(recording: object) -> tuple[np.ndarray, np.ndarray]:
    """The begin and end seconds of every handle run of ``recording`` (run order).

    The same numbers as ``StepIndex.of(rec).begins/.ends``; for code and tests that
    have a Recording and no step index.
    """
    runs = recording.handle_runs()  # type: ignore[attr-defined]
    ran = np.isfinite(runs["begin"])
    return np.asarray(runs["begin"][ran], np.float64), np.asarray(runs["end"][ran], np.float64)
