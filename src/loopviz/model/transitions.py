"""How a task's events change its state: the one rule both ingestion and ``state_at`` use.

A task's life is a sequence of its own events: ENQUEUE (a step or wakeup
enters the ready queue), RUN_BEGIN, RUN_END (with what it now awaits),
EAGER_STEP, TASK_DONE. What the task is doing after an event depends only on
that event and the one before it:

* after RUN_END, the task is *waiting* if nothing enqueued it during the step
  (its previous event is the step's own RUN_BEGIN) and it did not yield or
  finish; otherwise it is ready (bare yield, or awaiting a future that was
  already done) or done;
* an ENQUEUE, RUN_BEGIN or TASK_DONE that follows a suspending step ends the
  wait: that is a finished WAITING slice.

So the whole derivation is a sort by task and a shift by one, vectorised over
a batch; the *carry* (each task's last event) joins batches, and snapshots of
the carry let ``state_at`` replay only the few thousand events after one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from loopviz.model.columns import INDEX, OidDirectory
from loopviz.protocol import KIND_MASK, Await, EventKind

if TYPE_CHECKING:
    from loopviz.model.store import Store

NONE, ENQ, BEGIN, END, EAGER, DONE = -1, 1, 2, 3, 4, 5


@dataclass
class TaskEvents:
    """Task events of a range of records, in event order."""

    task: np.ndarray  # task row
    idx: np.ndarray  # event index
    type: np.ndarray  # ENQ .. DONE
    awaits: np.ndarray  # RUN_END / EAGER_STEP d
    start: np.ndarray  # EAGER_STEP b (start ns)


@dataclass
class Carry:
    """Each task's last event: type, index, whether it suspended the task, last step end."""

    type: np.ndarray
    idx: np.ndarray
    susp: np.ndarray
    end: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Carry:
        return cls(
            np.full(n, NONE, dtype=np.int8),
            np.full(n, -1, dtype=INDEX),
            np.zeros(n, dtype=bool),
            np.full(n, -1, dtype=INDEX),
        )

    def copy(self, n: int) -> Carry:
        """The first ``n`` tasks' carry, padded with "no event yet" up to ``n``."""
        out = Carry.empty(n)
        k = min(n, len(self.type))
        out.type[:k] = self.type[:k]
        out.idx[:k] = self.idx[:k]
        out.susp[:k] = self.susp[:k]
        out.end[:k] = self.end[:k]
        return out


def extract(
    oids: OidDirectory,
    kind: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    first_index: int,
) -> TaskEvents:
    """Pick the task events out of records (given column by column, starting at ``first_index``)."""
    m_enq = (kind == EventKind.ENQUEUE) & (b != 0)
    m_beg = (kind == EventKind.RUN_BEGIN) & (b != 0) & (c == 0)
    m_end = (kind == EventKind.RUN_END) & (b != 0)
    m_eag = kind == EventKind.EAGER_STEP
    m_done = kind == EventKind.TASK_DONE
    pos = np.flatnonzero(m_enq | m_beg | m_end | m_eag | m_done)
    by_a = (m_eag | m_done)[pos]
    oid = np.where(by_a, a[pos], b[pos])
    typ = np.select(
        [m_enq[pos], m_beg[pos], m_end[pos], m_eag[pos]], [ENQ, BEGIN, END, EAGER], DONE
    ).astype(np.int8)
    rows = oids.rows_of(oid, OidDirectory.TASK)
    keep = rows >= 0
    pos = pos[keep]
    return TaskEvents(
        rows[keep], pos + first_index, typ[keep], d[pos], np.where(m_eag[pos], b[pos], 0)
    )


def advance(ev: TaskEvents, carry: Carry, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """Apply task events to ``carry`` (in place); return the waits they ended.

    Returns ``(task rows, start index, end index)`` of finished WAITING
    slices, sorted by end index. ``t`` is the recording's time column, to
    tell whether an ENQUEUE happened inside an eager step.
    """
    n = len(ev.task)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    order = np.argsort(ev.task, kind="stable")
    r = ev.task[order]
    i = ev.idx[order]
    y = ev.type[order]
    dd = ev.awaits[order]
    first = np.ones(n, dtype=bool)
    first[1:] = r[1:] != r[:-1]
    prev_t = np.empty(n, dtype=np.int8)
    prev_t[1:] = y[:-1]
    prev_t[first] = carry.type[r[first]]
    prev_i = np.empty(n, dtype=np.int64)
    prev_i[1:] = i[:-1]
    prev_i[first] = carry.idx[r[first]]
    d_ok = (dd != Await.YIELD) & (dd != Await.DONE)
    susp = (y == END) & (prev_t == BEGIN) & d_ok
    eager = np.flatnonzero(y == EAGER)
    if len(eager):
        pe = prev_i[eager]
        enq_inside = (prev_t[eager] == ENQ) & (t[np.maximum(pe, 0)] >= ev.start[order][eager])
        susp[eager] = ~enq_inside & d_ok[eager]
    prev_s = np.empty(n, dtype=bool)
    prev_s[1:] = susp[:-1]
    prev_s[first] = carry.susp[r[first]]
    closes = prev_s & (y != END) & (y != EAGER)
    last = np.ones(n, dtype=bool)
    last[:-1] = r[:-1] != r[1:]
    carry.type[r[last]] = y[last]
    carry.idx[r[last]] = i[last]
    carry.susp[r[last]] = susp[last]
    steps = np.flatnonzero((y == END) | (y == EAGER))
    if len(steps):
        rs = r[steps]
        ls = np.ones(len(steps), dtype=bool)
        ls[:-1] = rs[:-1] != rs[1:]
        carry.end[rs[ls]] = i[steps][ls]
    w = np.flatnonzero(closes)
    wo = np.argsort(i[w], kind="stable")
    w = w[wo]
    return r[w], prev_i[w], i[w]


def task_events(store: Store, lo: int, hi: int) -> TaskEvents:
    """The task events among records ``lo..hi-1``."""
    raw = store.raw
    packed = raw.cols[0].buf[lo:hi]
    kind = np.where((packed >= 0) & (packed < (1 << 32)), packed & KIND_MASK, 0)
    cols = [raw.cols[j].buf[lo:hi] for j in (2, 3, 4, 5)]
    return extract(store.oids, kind, *cols, lo)


def changed_tasks(store: Store, events: int, version: int, old_n: int) -> np.ndarray:
    """Task rows whose carry or fields changed since the store held ``events`` records,
    ``version`` task version and ``old_n`` tasks; ascending, without repeats.

    Why: a view that keeps per-task arrays for "now" updates these rows only, so a live
    frame with 100,000 tasks costs what its new records touched.
    """
    n = store.tasks.n
    rows = np.concatenate(
        (
            task_events(store, events, store.raw.n).task,
            store.tasks_changed_since(version),
            np.arange(old_n, n),
        )
    )
    return np.unique(rows[rows < n])
