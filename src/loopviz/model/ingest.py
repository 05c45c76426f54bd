"""Turning a batch of records into table rows, with array operations only.

Why chunks: a live run sends a few hundred records every 20 ms and a loaded
file sends millions at once. Both go through the same code in chunks of at
most :data:`CHUNK` records, so the work per chunk is bounded, a snapshot of
the task carry can be taken between chunks, and the result does not depend
on how the stream was cut into batches (a test feeds it record by record).
"""

from __future__ import annotations

import numpy as np

from loopviz.model.columns import MAX_EVENTS, NEVER, OidDirectory, first_per_key, last_per_key
from loopviz.model.store import Snapshot, Store
from loopviz.model.tables import CANCELLED, GAP, LOST, NO_ENQUEUE, TASK, HandleTable, LoopInfo
from loopviz.model.transitions import advance, extract
from loopviz.protocol import KIND_MASK, LOOP_SHIFT, RECORD_WIDTH, EventKind, Origin

CHUNK = 1 << 14
SERIAL_SLACK = 1 << 12
"""Handle rows allowed beyond the number of records seen (serials lost at a batch edge)."""
SNAPSHOT_EVERY = 1 << 14
"""Events between snapshots of the task carry: the most ``state_at`` ever replays (about)."""

K = EventKind
_LOOP_KINDS = (
    K.LOOP_CREATED,
    K.LOOP_RUN_BEGIN,
    K.LOOP_RUN_END,
    K.LOOP_CLOSED,
    K.SELECT_BEGIN,
    K.SELECT_END,
    K.ITERATION_END,
    K.ENQUEUE,
    K.RUN_BEGIN,
    K.RUN_END,
    K.EAGER_STEP,
    K.TIMER_SCHEDULED,
    K.TIMER_CANCELLED,
)
_KNOWN = np.zeros(64, dtype=bool)
_KNOWN[[int(k) for k in EventKind]] = True


def ingest(store: Store, records: np.ndarray) -> None:
    """Add records (an (n, 6) int64 array) to the store."""
    if records.ndim != 2 or records.shape[1] != RECORD_WIDTH:
        raise ValueError("records must be an (n, 6) array")
    room = MAX_EVENTS - store.raw.n
    if len(records) > room:
        store.problems["records beyond the most a recording holds (dropped)"] += len(records) - room
        records = records[: max(room, 0)]
    for lo in range(0, len(records), CHUNK):
        chunk = records[lo : lo + CHUNK]
        first = store.raw.n
        _Chunk(store, chunk, first).run()
        last = store.snapshots[-1].at
        if store.raw.n - last >= max(SNAPSHOT_EVERY, 2 * store.tasks.n):
            store.snapshots.append(Snapshot(store.raw.n, store.carry().copy(store.tasks.n)))


class _Chunk:
    """One chunk of records, split by kind once, then handed to each table in turn."""

    def __init__(self, store: Store, records: np.ndarray, first: int) -> None:
        self.s = store
        self.first = first
        packed = records[:, 0]
        valid = (packed >= 0) & (packed < (1 << 32))
        if not valid.all():
            store.problems["record with an invalid kind field"] += int((~valid).sum())
        self.kind = np.where(valid, packed & KIND_MASK, 0)
        self.loop = np.where(valid, packed >> LOOP_SHIFT, 0)
        store.raw.append(records, np.where(valid, packed, 0))
        self.t = records[:, 1]
        self.a, self.b, self.c, self.d = (records[:, j] for j in range(2, 6))
        self.idx = first + np.arange(len(records), dtype=np.int64)
        bucket = np.minimum(self.kind, 63).astype(np.uint8)
        self._order = np.argsort(bucket, kind="stable")
        counts = np.bincount(bucket, minlength=64)
        self._bounds = np.concatenate([[0], np.cumsum(counts)])
        unknown = int(counts[~_KNOWN].sum())
        if unknown:
            store.ignored["unknown event kind"] += unknown
        if len(records):
            tmax = int(self.t.max())
            if store.t_first is None:
                store.t_first = int(self.t[0])
            store.t_max = tmax if store.t_max is None else max(store.t_max, tmax)

    def rows(self, kind: EventKind) -> np.ndarray:
        """Positions (in the chunk) of records of one kind, in event order."""
        k = int(kind)
        return self._order[self._bounds[k] : self._bounds[k + 1]]

    def run(self) -> None:
        self.new_lanes: list[tuple[int, str, int]] = []
        self.loops()
        self.tasks()
        self.lanes()
        self.futures()
        self.timers()
        self.coros()
        self.gathers()
        self.handles()
        self.eager()
        self.transitions()
        self.selects()

    # -- loops ---------------------------------------------------------------

    def loops(self) -> None:
        s = self.s
        pos = np.sort(np.concatenate([self.rows(k) for k in _LOOP_KINDS]))
        if len(pos):
            li = self.loop[pos]
            for j in first_per_key(li):
                index = int(li[j])
                if index not in s.loops:
                    first = int(self.idx[pos[j]])
                    s.loops[index] = LoopInfo(index, -1, first)
                    self.new_lanes.append((first, "loop", index))
        for p in self.rows(K.LOOP_CREATED):
            info = s.loops[int(self.loop[p])]
            if info.oid == 0:
                info.oid, info.thread, info.cls = int(self.a[p]), int(self.b[p]), int(self.c[p])
                if info.oid > 0 and s.oids.lookup1(info.oid)[0] == OidDirectory.NONE:
                    s.oids.register(
                        np.array([info.oid]), OidDirectory.LOOP, np.array([info.index]), s.raw.n
                    )

    # -- tasks ---------------------------------------------------------------

    def tasks(self) -> None:
        s = self.s
        parts = [
            (self.rows(k), self.a)
            for k in (K.TASK_CREATED, K.TASK_INFO, K.TASK_RENAMED, K.TASK_DONE, K.EAGER_STEP)
        ]
        for k in (K.ENQUEUE, K.RUN_BEGIN, K.RUN_END):
            p = self.rows(k)
            parts.append((p[self.b[p] != 0], self.b))
        pos = np.concatenate([p for p, _ in parts])
        if not len(pos):
            return
        oid = np.concatenate([col[p] for p, col in parts])
        order = np.argsort(pos, kind="stable")
        pos, oid = pos[order], oid[order]
        kinds, _ = s.oids.lookup(oid)
        clash = (kinds != OidDirectory.NONE) & (kinds != OidDirectory.TASK)
        if clash.any():
            s.problems["task oid already used by another object"] += int(clash.sum())
        new = np.flatnonzero((kinds == OidDirectory.NONE) & (oid > 0))
        if len(new):
            new = new[first_per_key(oid[new])]
            self._new_tasks(oid[new], pos[new])
        self._task_fields()

    def _new_tasks(self, oids: np.ndarray, pos: np.ndarray) -> None:
        s = self.s
        t = s.tasks
        first = t.n
        rows = np.arange(first, first + len(oids))
        t.extend(first + len(oids))
        t.oid.buf[rows] = oids
        t.first.buf[rows] = self.idx[pos]
        t.loop.buf[rows] = self.loop[pos]
        kinds = ["task"] * len(rows)
        self.new_lanes.extend(zip(self.idx[pos].tolist(), kinds, rows.tolist(), strict=True))
        s.oids.register(oids, OidDirectory.TASK, rows, s.raw.n)
        s.touch_tasks(rows)

    def lanes(self) -> None:
        """Give new loops and tasks their lanes, in order of first appearance in the stream
        (not in the order this code meets them, so batching never changes lane ids)."""
        s = self.s
        for _, what, ref in sorted(self.new_lanes):
            lane = len(s.lanes)
            s.lanes.append((what, ref))
            if what == "loop":
                s.loops[ref].lane = lane
            else:
                s.tasks.lane.buf[ref] = lane

    def _task_rows(self, kind: EventKind) -> tuple[np.ndarray, np.ndarray]:
        p = self.rows(kind)
        r = self.s.oids.rows_of(self.a[p], OidDirectory.TASK)
        return p[r >= 0], r[r >= 0]

    def _task_fields(self) -> None:
        s = self.s
        t = s.tasks
        changed: list[np.ndarray] = []
        p, r = self._task_rows(K.TASK_CREATED)
        if len(p):
            f = first_per_key(r)
            p, r = p[f], r[f]
            unset = t.created.buf[r] == NEVER
            p, r = p[unset], r[unset]
            t.created.buf[r] = self.idx[p]
            t.parent.buf[r] = self.b[p]
            t.coro.buf[r] = self.c[p]
            t.created_at.buf[r] = self.d[p]
            looped = self.loop[p] != 0
            t.loop.buf[r[looped]] = self.loop[p][looped]
            changed.append(r)
        p, r = self._task_rows(K.TASK_INFO)
        if len(p):
            f = last_per_key(r)
            p, r = p[f], r[f]
            t.name.buf[r] = self.b[p]
            t.qualname.buf[r] = self.c[p]
            t.defined_at.buf[r] = self.d[p]
            changed.append(r)
        p, r = self._task_rows(K.TASK_RENAMED)
        if len(p):
            f = last_per_key(r)
            t.name.buf[r[f]] = self.b[p[f]]
            changed.append(r[f])
        p, r = self._task_rows(K.TASK_DONE)
        if len(p):
            f = first_per_key(r)
            p, r = p[f], r[f]
            unset = t.done.buf[r] == NEVER
            p, r = p[unset], r[unset]
            t.done.buf[r] = self.idx[p]
            t.outcome.buf[r] = self.b[p]
            t.detail.buf[r] = self.c[p]
            changed.append(r)
        if changed:
            s.touch_tasks(np.concatenate(changed))

    # -- futures, timers, coroutine objects, gathers ----------------------------

    def _new_objects(self, kind: EventKind, what: str) -> tuple[np.ndarray, np.ndarray]:
        """Records creating objects not seen before (the first one wins; others are counted)."""
        p = self.rows(kind)
        if not len(p):
            return p, p
        kinds, _ = self.s.oids.lookup(self.a[p])
        fresh = p[(kinds == OidDirectory.NONE) & (self.a[p] > 0)]
        fresh = fresh[first_per_key(self.a[fresh])]
        if len(fresh) < len(p):
            self.s.problems[f"{what} created twice or with an oid in use"] += len(p) - len(fresh)
        return fresh, self.a[fresh]

    def _updates(self, kind: EventKind, table, dkind: int) -> tuple[np.ndarray, np.ndarray]:
        """Records updating known objects created before them; unknown ones are counted."""
        p = self.rows(kind)
        r = self.s.oids.rows_of(self.a[p], dkind)
        ok = r >= 0
        ok[ok] = table.life.start.buf[r[ok]] < self.idx[p[ok]]
        if not ok.all():
            self.s.problems[f"{kind.name} for an unknown object"] += int((~ok).sum())
        return p[ok], r[ok]

    def futures(self) -> None:
        s, f = self.s, self.s.futures
        p, oids = self._new_objects(K.FUTURE_CREATED, "future")
        if len(p):
            rows = f.add(self.idx[p])
            s.oids.register(oids, OidDirectory.FUTURE, rows, s.raw.n)
        p, r = self._updates(K.FUTURE_DONE, f, OidDirectory.FUTURE)
        f.life.close(r, self.idx[p])

    def timers(self) -> None:
        s, tm = self.s, self.s.timers
        p, oids = self._new_objects(K.TIMER_SCHEDULED, "timer")
        if len(p):
            rows = tm.add(self.idx[p])
            s.oids.register(oids, OidDirectory.TIMER, rows, s.raw.n)
            fut = s.oids.rows_of(self.d[p], OidDirectory.FUTURE)
            s.futures.timer.buf[fut[fut >= 0]] = rows[fut >= 0]
        p, r = self._updates(K.TIMER_CANCELLED, tm, OidDirectory.TIMER)
        tm.life.close(r, self.idx[p])
        # A timer fires when its callback enters the ready queue.
        p = self.rows(K.ENQUEUE)
        p = p[(self.c[p] >> 8) == Origin.TIMER]
        r = s.oids.rows_of(self.d[p], OidDirectory.TIMER)
        ok = r >= 0
        p, r = p[ok], r[ok]
        ok = tm.life.start.buf[r] < self.idx[p]
        tm.life.close(r[ok], self.idx[p[ok]])

    def coros(self) -> None:
        s, co = self.s, self.s.coros
        p, oids = self._new_objects(K.CORO_CREATED, "coroutine")
        if len(p):
            rows = co.add(self.idx[p])
            s.oids.register(oids, OidDirectory.CORO, rows, s.raw.n)
        for kind, col in ((K.CORO_SCHEDULED, co.scheduled), (K.CORO_DESTROYED, co.destroyed)):
            p, r = self._updates(kind, co, OidDirectory.CORO)
            if len(p):
                np.minimum.at(col.buf, r, self.idx[p])
                co.life.close(r, self.idx[p])

    def gathers(self) -> None:
        p = self.rows(K.GATHER_CHILDREN)
        if len(p):
            self.s.gathers.gather.append(self.a[p])
            self.s.gathers.child.append(self.b[p])

    # -- handles --------------------------------------------------------------

    def handles(self) -> None:
        enq, beg, end = self.rows(K.ENQUEUE), self.rows(K.RUN_BEGIN), self.rows(K.RUN_END)
        if not (len(enq) or len(beg) or len(end)):
            return
        present = np.unique(self.loop[np.concatenate([enq, beg, end])])
        for index in present:
            info = self.s.loops[int(index)]
            if len(present) > 1:
                pick = [p[self.loop[p] == index] for p in (enq, beg, end)]
            else:
                pick = [enq, beg, end]
            self._loop_handles(info, *pick)

    def _task_lane(self, oids: np.ndarray, fallback: int) -> tuple[np.ndarray, np.ndarray]:
        rows = self.s.oids.rows_of(oids, OidDirectory.TASK)
        is_task = (oids != 0) & (rows >= 0)
        lanes = np.where(is_task, self.s.tasks.lane.buf[np.maximum(rows, 0)], fallback)
        return lanes.astype(np.int32), np.where(is_task, TASK, 0).astype(np.uint8)

    def _loop_handles(
        self, info: LoopInfo, enq: np.ndarray, beg: np.ndarray, end: np.ndarray
    ) -> None:
        h = info.handles
        if h.base is None:
            serials = np.concatenate([self.a[enq], self.a[beg], self.a[end]])
            serials = serials[serials > 0]
            h.base = int(serials.min()) if len(serials) else 1
        if len(enq):
            lanes, flags = self._task_lane(self.b[enq], info.lane)
            self._enqueue(h, self.a[enq], self.idx[enq], lanes, flags)
        if len(beg):
            self._begin(h, info, beg)
        if len(end):
            self._end(h, end, info.index)

    def _rows(
        self, h: HandleTable, serials: np.ndarray, what: str
    ) -> tuple[np.ndarray, np.ndarray]:
        base = h.base if h.base is not None else 1
        r = serials - base
        # Every handle row stands for at least one record, so a table never needs more rows
        # than there are records: a hostile serial cannot make a few bytes cost gigabytes.
        top = min(h.n + h.MAX_JUMP, self.s.raw.n + SERIAL_SLACK)
        ok = (r >= 0) & (r < top)
        if not ok.all():
            self.s.problems[f"{what} with a serial out of range"] += int((~ok).sum())
        return ok, r

    def _enqueue(
        self,
        h: HandleTable,
        serials: np.ndarray,
        idx: np.ndarray,
        lanes: np.ndarray,
        flags: np.ndarray,
    ) -> None:
        ok, r = self._rows(h, serials, "ENQUEUE")
        fresh = ok & (r >= h.n)
        sel = np.flatnonzero(fresh)
        sel = sel[first_per_key(r[sel])]
        repeated = int(ok.sum()) - len(sel)
        if repeated:
            self.s.problems["ENQUEUE of a serial already seen"] += repeated
        if not len(sel):
            return
        r, idx, lanes, flags = r[sel], idx[sel], lanes[sel], flags[sel]
        old = h.n
        h.extend(int(r.max()) + 1)
        h.enq.buf[r] = idx
        h.lane.buf[r] = lanes
        h.flags.buf[r] = flags
        seg = h.enq.buf[old : h.n]
        holes = seg == NEVER
        if holes.any():
            self.s.problems["serials never enqueued (lost events)"] += int(holes.sum())
            h.flags.buf[old : h.n][holes] |= GAP
            seg[:] = np.minimum.accumulate(seg[::-1])[::-1]

    def _begin(self, h: HandleTable, info: LoopInfo, pos: np.ndarray) -> None:
        ok, r = self._rows(h, self.a[pos], "RUN_BEGIN")
        missing = ok & (r >= h.n)
        if missing.any():
            # Began without an ENQUEUE we saw (the recording joined mid-run).
            m = np.flatnonzero(missing)
            lanes, flags = self._task_lane(self.b[pos[m]], info.lane)
            self._enqueue(h, self.a[pos[m]], self.idx[pos[m]], lanes, flags | NO_ENQUEUE)
        ok &= r < h.n
        self._fill_gaps(h, info, pos, r, ok)
        ok[ok] &= h.begin.buf[r[ok]] == NEVER
        ok[ok] &= h.enq.buf[r[ok]] <= self.idx[pos[ok]]
        sel = np.flatnonzero(ok)
        if len(sel):
            # FIFO: each handle that leaves the queue comes after every one that left before.
            rr = r[sel]
            before = np.concatenate([[h.begun - 1], np.maximum.accumulate(rr)[:-1]])
            sel = sel[rr > before]
        if len(sel) < len(pos):
            self.s.problems["RUN_BEGIN out of order or repeated"] += len(pos) - len(sel)
        if not len(sel):
            return
        rr, p = r[sel], pos[sel]
        h.begin.buf[rr] = self.idx[p]
        h.flags.buf[rr[self.c[p] != 0]] |= CANCELLED
        top = int(rr.max()) + 1
        if top > h.begun:
            seg = h.begin.buf[h.begun : top]
            holes = seg == NEVER
            if holes.any():
                h.flags.buf[h.begun : top][holes] |= LOST
                seg[:] = np.minimum.accumulate(seg[::-1])[::-1]
            h.begun = top

    def _fill_gaps(
        self, h: HandleTable, info: LoopInfo, pos: np.ndarray, r: np.ndarray, ok: np.ndarray
    ) -> None:
        """A RUN_BEGIN for a serial only known as a gap (a later ENQUEUE in the same chunk
        made the row): treat it as begun without an ENQUEUE, as if it had come first."""
        m = np.flatnonzero(ok)
        m = m[(h.flags.buf[r[m]] & GAP) != 0]
        m = m[h.begin.buf[r[m]] == NEVER]
        if not len(m):
            return
        rows = r[m]
        before = np.where(rows > 0, h.enq.buf[np.maximum(rows - 1, 0)], 0)
        h.enq.buf[rows] = np.maximum(before, np.minimum(h.enq.buf[rows], self.idx[pos[m]]))
        lanes, flags = self._task_lane(self.b[pos[m]], info.lane)
        h.lane.buf[rows] = lanes
        h.flags.buf[rows] = flags | NO_ENQUEUE
        key = "serials never enqueued (lost events)"
        self.s.problems[key] -= len(m)
        if self.s.problems[key] <= 0:
            del self.s.problems[key]

    def _end(self, h: HandleTable, pos: np.ndarray, info_index: int) -> None:
        ok, r = self._rows(h, self.a[pos], "RUN_END")
        ok &= r < h.n
        rs = np.where(ok, r, 0)
        ok &= (h.begin.buf[rs] < self.idx[pos]) & (h.end.buf[rs] == NEVER)
        ok &= (h.flags.buf[rs] & (CANCELLED | LOST)) == 0
        sel = np.flatnonzero(ok)
        sel = sel[first_per_key(r[sel])]
        if len(sel) < len(pos):
            self.s.problems["RUN_END without a running handle"] += len(pos) - len(sel)
        rows = r[sel]
        h.end.buf[rows] = self.idx[pos[sel]]
        # Handles longer than the stall threshold, noted as they end (stalls() stays cheap).
        s = self.s
        if s.long_runs_at is None:
            s.long_runs_at = s.stall_ns
        dur = self.t[pos[sel]] - s.raw.t[h.begin.buf[rows]]
        s.long_runs.extend((info_index, int(row)) for row in rows[dur > s.long_runs_at])

    def eager(self) -> None:
        p = self.rows(K.EAGER_STEP)
        if not len(p):
            return
        rows = self.s.oids.rows_of(self.a[p], OidDirectory.TASK)
        p, rows = p[rows >= 0], rows[rows >= 0]
        e = self.s.eager
        e.lane.append(self.s.tasks.lane.buf[rows])
        e.start_ns.append(np.minimum(self.b[p], self.t[p]))
        e.end.append(self.idx[p])

    # -- task states, idle time ------------------------------------------------

    def transitions(self) -> None:
        s = self.s
        ev = extract(s.oids, self.kind, self.a, self.b, self.c, self.d, self.first)
        rows, start, end = advance(ev, s.carry(), s.raw.t)
        if len(rows):
            s.waits.lane.append(s.tasks.lane.buf[rows])
            s.waits.start.append(start)
            s.waits.end.append(end)

    def selects(self) -> None:
        b, e = self.rows(K.SELECT_BEGIN), self.rows(K.SELECT_END)
        if not (len(b) or len(e)):
            return
        for index in np.unique(self.loop[np.concatenate([b, e])]):
            bb = b[self.loop[b] == index]
            ee = e[self.loop[e] == index]
            self._loop_selects(self.s.loops[int(index)], bb, ee)

    def _loop_selects(self, info: LoopInfo, b: np.ndarray, e: np.ndarray) -> None:
        sel = info.selects
        old = sel.n
        sel.begin.append(self.idx[b])
        sel.end.extend(sel.n)
        pos = np.concatenate([b, e])
        is_begin = np.concatenate([np.ones(len(b), bool), np.zeros(len(e), bool)])
        order = np.argsort(pos, kind="stable")
        is_begin = is_begin[order]
        pos = pos[order]
        begin_row = np.cumsum(is_begin) - 1 + old
        prev_begin = np.empty(len(pos), dtype=bool)
        prev_begin[1:] = is_begin[:-1]
        prev_begin[:1] = old > 0 and sel.end.buf[old - 1] == NEVER
        closes = ~is_begin & prev_begin
        sel.end.buf[begin_row[closes]] = self.idx[pos[closes]]
        stray = int((~is_begin & ~prev_begin).sum())
        if stray:
            self.s.problems["SELECT_END without SELECT_BEGIN"] += stray
        # A SELECT_BEGIN while the previous one is open (its END was lost) ends it, so only
        # the last row is ever open.
        unended = is_begin & prev_begin
        if unended.any():
            self.s.problems["SELECT_BEGIN without SELECT_END"] += int(unended.sum())
            sel.end.buf[begin_row[unended] - 1] = self.idx[pos[unended]]
