"""The handle table as one structured array: what lecture stepping walks through."""

from __future__ import annotations

import numpy as np

from loopviz.model.columns import NEVER
from loopviz.model.slices import State, ready_from
from loopviz.model.store import Store
from loopviz.model.tables import CANCELLED, GAP, LOST, NO_ENQUEUE, TASK
from loopviz.protocol import HandleKind, handle_kind_and_origin

HANDLE_DTYPE = np.dtype(
    [
        ("loop", np.int32),
        ("serial", np.int64),
        ("task", np.int64),
        ("kind", np.int8),
        ("origin", np.int8),
        ("detail", np.int64),
        ("state", np.int8),
        ("lane", np.int32),
        ("enqueue", np.float64),
        ("ready", np.float64),
        ("begin", np.float64),
        ("end", np.float64),
    ]
)


def handle_runs(s: Store) -> np.ndarray:
    """Every handle's trip through the ready queue, ordered by when it began."""
    t = s.raw.t
    parts = []
    for index, info in s.loops.items():
        h = info.handles
        rows = np.flatnonzero((h.flags.data & GAP) == 0)
        out = np.zeros(len(rows), dtype=HANDLE_DTYPE)
        if not len(rows):
            continue
        enq = h.enq.buf[rows]
        flags = h.flags.buf[rows]
        out["loop"] = index
        out["serial"] = rows + (h.base or 0)
        out["task"] = np.where(flags & TASK, s.raw.cols[3].buf[enq], 0)
        kind, origin = handle_kind_and_origin(s.raw.cols[4].buf[enq])
        # A handle seen only from its RUN_BEGIN has no ENQUEUE fields to read.
        guessed = (flags & NO_ENQUEUE) != 0
        fallback = np.where(flags & TASK, HandleKind.STEP, HandleKind.CALLBACK)
        out["kind"] = np.where(guessed, fallback, kind)
        out["origin"] = np.where(guessed, 0, origin)
        out["detail"] = np.where(guessed, 0, s.raw.cols[5].buf[enq])
        out["lane"] = h.lane.buf[rows]
        out["enqueue"] = s.seconds(t[enq])
        ready = s.seconds(t[enq]).astype(np.float64)
        tasky = np.flatnonzero(flags & TASK)
        if len(tasky):
            rf = ready_from(s, h, rows[tasky])
            ready[tasky] = np.where(rf >= 0, s.seconds(np.maximum(rf, 0)), np.nan)
        out["ready"] = ready
        b = h.begin.buf[rows]
        e = h.end.buf[rows]
        out["begin"] = np.where(b == NEVER, np.nan, s.seconds(t[np.where(b == NEVER, 0, b)]))
        out["end"] = np.where(e == NEVER, np.nan, s.seconds(t[np.where(e == NEVER, 0, e)]))
        dur = (out["end"] - out["begin"]) * 1e9
        state = np.where(flags & TASK, State.RUNNING, State.CALLBACK).astype(np.int8)
        state[dur > s.stall_ns] = State.BLOCKING
        state[np.isnan(out["end"])] = -1
        state[(flags & (CANCELLED | LOST)) != 0] = -2
        out["state"] = state
        parts.append(out)
    if not parts:
        return np.zeros(0, dtype=HANDLE_DTYPE)
    allrows = np.concatenate(parts)
    key = np.where(np.isnan(allrows["begin"]), np.inf, allrows["begin"])
    return allrows[np.argsort(key, kind="stable")]
