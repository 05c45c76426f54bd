"""Tasks and lanes as the task table and the timeline show them."""

from __future__ import annotations

import functools
import itertools
from typing import NamedTuple

import numpy as np

from loopviz.model.columns import NEVER, OidDirectory
from loopviz.model.store import Store
from loopviz.protocol import Outcome

OUTCOMES = {
    Outcome.RESULT: "result",
    Outcome.EXCEPTION: "exception",
    Outcome.CANCELLED: "cancelled",
}


class TaskInfo(NamedTuple):
    """A task of the run: who made it, what it runs, how it ended.

    A named tuple rather than a dataclass: a run of 100,000 tasks builds them a
    batch at a time, and a tuple is made in C (``map(TaskInfo._make, ...)``), 20x
    faster than a frozen dataclass's ``__init__``.
    """

    id: int
    """The task's oid."""
    name: str
    parent: int
    """Oid of the task that created it (0: created outside any task)."""
    coro: str
    """Qualname of its coroutine, e.g. ``get_request``."""
    coro_location: str
    """``file:line`` of the coroutine's definition."""
    created_at: str
    """``file:line`` in user code that created the task."""
    created: float | None
    done: float | None
    outcome: str | None
    """"result", "exception", "cancelled", or None while it runs."""
    detail: str
    """``repr(result)``, ``ExcType: message`` or the cancel message."""
    traceback: str | None
    lane: int
    loop: int


as_info = functools.partial(tuple.__new__, TaskInfo)
"""A tuple of a task's fields -> its :class:`TaskInfo` (in C: 100,000 in ~20 ms)."""

MACHINERY_PREFIXES = ("BaseEventLoop.", "Runner.", "_")
"""Qualname starts of coroutines asyncio runs for its own housekeeping."""


def is_machinery(task: TaskInfo) -> bool:
    """True for tasks asyncio creates for itself (``asyncio.run``'s ``shutdown_asyncgens``...).

    Views hide them by default: a beginner should see the scenario's tasks, not
    the loop's clean-up after ``main`` returned.
    """
    return "/asyncio/" in task.coro_location and task.coro.startswith(MACHINERY_PREFIXES)


class Lane(NamedTuple):
    """A row of the timeline: one per task, one per event loop (a named tuple, as
    :class:`TaskInfo` is)."""

    id: int
    kind: str
    """"loop" or "task"."""
    name: str
    task: int
    """Task oid (0 for a loop lane)."""
    loop: int
    """Loop index."""
    parent: int
    """Lane of the parent task (-1 for none)."""


def task_infos(s: Store) -> list[TaskInfo]:
    """Every task, in order of first appearance (built from scratch: see :class:`TaskInfoCache`)."""
    return list(map(as_info, _task_rows(s, np.arange(s.tasks.n))))


def task_counts(s: Store) -> tuple[int, int]:
    """(tasks not done, all tasks), counted in the store's columns."""
    n = s.tasks.n
    return int((s.tasks.done.buf[:n] == NEVER).sum()), n


def task_info(s: Store, row: int) -> TaskInfo:
    """One task, built from the store as it is now (what a view asks for a row it shows)."""
    return as_info(_task_rows(s, np.array([row]))[0])


def _texts(s: Store, sids: np.ndarray) -> list[str]:
    get = s.strings.get
    return [get(sid, "") for sid in sids.tolist()]


def _seconds(s: Store, idx: np.ndarray, known: np.ndarray) -> list[float | None]:
    """Seconds from the start of record ``idx`` where ``known``, else None."""
    t = s.raw.t[np.where(known, idx, 0)] if s.raw.n else np.zeros(len(idx), np.int64)
    out = np.where(known, (t - s.start_ns) / 1e9, np.nan).astype(object)
    out[~known] = None
    return out.tolist()


_OUTCOME_TEXT = np.array(["unknown"] * 256, dtype=object)  # outcome code (int8, so & 0xFF) -> text
for _code, _text in OUTCOMES.items():
    _OUTCOME_TEXT[int(_code) & 0xFF] = _text


def _task_rows(s: Store, rows: np.ndarray) -> list[tuple]:
    """The fields of task ``rows`` as plain tuples, column by column (100,000 in a tenth
    of a second, where a row at a time takes seconds). :data:`as_info` makes each a
    :class:`TaskInfo`."""
    tk = s.tasks
    if not len(rows):
        return []
    oids = tk.oid.buf[rows].tolist()
    created_idx = tk.created.buf[rows]
    created_idx = np.where(created_idx == NEVER, tk.first.buf[rows], created_idx)
    done_idx = tk.done.buf[rows]
    finished = done_idx != NEVER
    outcome = _OUTCOME_TEXT[tk.outcome.buf[rows].astype(np.int64) & 0xFF]
    outcome[~finished] = None
    names = [
        name or f"Task #{oid}" for name, oid in zip(_texts(s, tk.name.buf[rows]), oids, strict=True)
    ]
    tracebacks: list[str | None] = [None] * len(oids)
    exceptions = s.messages.task_exceptions
    if exceptions:
        for k, oid in enumerate(oids):
            exc = exceptions.get(oid)
            tb = exc.get("traceback") if exc else None
            if isinstance(tb, str):
                tracebacks[k] = tb
    columns = (
        oids,
        names,
        tk.parent.buf[rows].tolist(),
        _texts(s, tk.qualname.buf[rows]),
        _texts(s, tk.defined_at.buf[rows]),
        _texts(s, tk.created_at.buf[rows]),
        _seconds(s, created_idx, created_idx < s.raw.n),
        _seconds(s, done_idx, finished),
        outcome.tolist(),
        _texts(s, tk.detail.buf[rows]),
        tracebacks,
        tk.lane.buf[rows].tolist(),
        tk.loop.buf[rows].tolist(),
    )
    return list(zip(*columns, strict=True))  # type: ignore[arg-type]


def _unresolved(s: Store, rows: np.ndarray, columns: tuple[str, ...]) -> np.ndarray:
    """Those of ``rows`` naming a string not received yet: their texts change when it comes."""
    if not len(rows):
        return rows
    tk = s.tasks
    sids = np.concatenate([getattr(tk, name).buf[rows] for name in columns])
    strings = s.strings
    missing = [sid for sid in np.unique(sids).tolist() if sid not in strings]
    if not missing:
        return rows[:0]
    gone = np.isin(sids, missing).reshape(len(columns), len(rows)).any(axis=0)
    return rows[gone]


def _still_waiting(waiting: np.ndarray, rebuilt: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Rows waiting for a string: those ``rebuilt`` now wait only if still ``missing`` one."""
    if len(waiting):
        waiting = waiting[~np.isin(waiting, rebuilt)]
    return np.union1d(waiting, missing) if len(missing) else waiting


def _stamped(built_at: np.ndarray, n: int, rows: np.ndarray, stamp: int) -> np.ndarray:
    """``built_at`` grown to ``n`` entries, ``rows`` set to ``stamp``."""
    if len(built_at) < n:
        grown = np.zeros(max(n, 2 * len(built_at)), dtype=np.int64)
        grown[: len(built_at)] = built_at
        built_at = grown
    built_at[rows] = stamp
    return built_at


TEXT_COLUMNS = ("name", "qualname", "defined_at", "created_at", "detail")


class TaskInfoCache:
    """Every task's fields, kept up to date by rebuilding only the rows that changed.

    Why: with 100,000 tasks a whole rebuild takes most of a second, and a live run
    changes a few hundred tasks between two frames. Ingestion stamps each changed
    row (``Store.touch_tasks``); strings that arrive late and task exceptions (the
    traceback) are the other things a row shows, and are followed here.

    The :class:`TaskInfo` objects are kept (not made on each call): panes ask for
    every task several times a second, and 100,000 new objects each time would
    start Python's full garbage collections far more often than 100,000 kept ones.
    """

    def __init__(self) -> None:
        self.rows: list[TaskInfo] = []
        self.stamp = 0
        """Counts the updates that rebuilt rows: :meth:`changed_since` takes one."""
        self._built_at = np.zeros(0, dtype=np.int64)
        self._version = -1
        self._start_ns: int | None = None
        self._strings = 0
        self._exceptions = 0
        self._waiting = np.zeros(0, dtype=np.int64)
        """Rows showing a string not received yet."""

    def update(self, s: Store) -> list[TaskInfo]:
        """The rows, brought up to date (the same list object, changed in place)."""
        rows = self._dirty(s)
        self._version = s.task_version
        self._strings = len(s.strings)
        self._exceptions = len(s.messages.task_exceptions)
        if len(rows):
            fresh = map(as_info, _task_rows(s, rows))
            kept = self.rows
            if len(kept) < s.tasks.n:
                kept.extend([None] * (s.tasks.n - len(kept)))  # type: ignore[list-item]
            for r, fields in zip(rows.tolist(), fresh, strict=True):
                kept[r] = fields
            missing = _unresolved(s, rows, TEXT_COLUMNS)
            self._waiting = _still_waiting(self._waiting, rows, missing)
            self.stamp += 1
            self._built_at = _stamped(self._built_at, len(kept), rows, self.stamp)
        return self.rows

    def infos(self, rows: np.ndarray | None = None) -> list[TaskInfo]:
        """The :class:`TaskInfo` of ``rows`` (of every row for None), in a new list."""
        kept = self.rows
        if rows is None:
            return list(kept)
        return [kept[r] for r in rows.tolist()]

    def changed_since(self, stamp: int) -> np.ndarray:
        """Rows rebuilt after ``stamp`` (a :attr:`stamp` read earlier; 0: every row)."""
        return np.flatnonzero(self._built_at > stamp)

    def _dirty(self, s: Store) -> np.ndarray:
        if s.start_ns != self._start_ns:  # every time is relative to the start
            self._start_ns = s.start_ns
            return np.arange(s.tasks.n)
        parts = [s.tasks_changed_since(self._version)] if s.task_version != self._version else []
        if len(s.strings) != self._strings and len(self._waiting):
            parts.append(self._waiting)
        exceptions = s.messages.task_exceptions
        new = len(exceptions) - self._exceptions
        if new > 0:
            oids = np.fromiter(itertools.islice(reversed(exceptions), new), np.int64, new)
            rows = s.oids.rows_of(oids, OidDirectory.TASK)
            parts.append(rows[(rows >= 0) & (rows < len(self.rows))])
        elif new < 0:
            return np.arange(s.tasks.n)
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(parts)) if len(parts) > 1 else parts[0]


def loop_lanes(s: Store) -> list[Lane]:
    """The event loops' lanes, as :func:`lanes` has them (there are a few)."""
    several = len(s.loops) > 1
    out = [
        Lane(info.lane, "loop", f"event loop {index}" if several else "event loop", 0, index, -1)
        for index, info in s.loops.items()
        if info.lane >= 0
    ]
    return sorted(out)


def lanes(s: Store) -> list[Lane]:
    """Every lane by id: event loop lanes and task lanes, in order of first appearance."""
    return LaneCache().update(s)


class LaneCache:
    """Every :class:`Lane`, kept up to date like :class:`TaskInfoCache`: lanes are only ever
    appended, and a task lane changes only when its task does (a rename, its parent known)."""

    def __init__(self) -> None:
        self.lanes: list[Lane] = []
        self.stamp = 0
        """Counts the updates that built lanes: :meth:`changed_since` takes one."""
        self._built_at = np.zeros(0, dtype=np.int64)
        self._version = -1
        self._several = False
        self._strings = 0
        self._waiting = np.zeros(0, dtype=np.int64)
        """Task rows whose name is a string not received yet."""

    def update(self, s: Store) -> list[Lane]:
        """The list, brought up to date (the same list object, changed in place)."""
        out = self.lanes
        old = len(out)
        several = len(s.loops) > 1
        parts = [np.arange(old, len(s.lanes))]
        if several != self._several:
            self._several = several
            parts.append(np.array([i for i in range(old) if s.lanes[i][0] == "loop"], np.int64))
        rows = []
        if s.task_version != self._version:
            rows.append(s.tasks_changed_since(self._version))
        if len(s.strings) != self._strings and len(self._waiting):
            rows.append(self._waiting)
        self._version, self._strings = s.task_version, len(s.strings)
        if rows:
            task_rows = np.unique(np.concatenate(rows)) if len(rows) > 1 else rows[0]
            lane_ids = s.tasks.lane.buf[task_rows].astype(np.int64)
            parts.append(lane_ids[(lane_ids >= 0) & (lane_ids < old)])
            missing = _unresolved(s, task_rows, ("name",))
            self._waiting = _still_waiting(self._waiting, task_rows, missing)
        ids = np.unique(np.concatenate(parts))
        out.extend([None] * (len(s.lanes) - old))  # type: ignore[list-item]
        for lane in self._build(s, ids.tolist()):
            out[lane.id] = lane
        if len(ids):
            self.stamp += 1
            self._built_at = _stamped(self._built_at, len(out), ids, self.stamp)
        return out

    def changed_since(self, stamp: int) -> np.ndarray:
        """Lane ids built after ``stamp`` (a :attr:`stamp` read earlier; 0: every lane)."""
        return np.flatnonzero(self._built_at > stamp)

    def _build(self, s: Store, ids: list[int]) -> list[Lane]:
        """Lanes ``ids``; task lanes column by column (100,000 new tasks come in one batch)."""
        out = []
        task_ids, refs = [], []
        for lane_id in ids:
            kind, ref = s.lanes[lane_id]
            if kind == "loop":
                name = f"event loop {ref}" if self._several else "event loop"
                out.append(Lane(lane_id, "loop", name, 0, ref, -1))
            else:
                task_ids.append(lane_id)
                refs.append(ref)
        if not refs:
            return out
        tk = s.tasks
        rows = np.array(refs, dtype=np.int64)
        lane_ids = np.array(task_ids, dtype=np.int64)
        oids = tk.oid.buf[rows]
        parent_rows = s.oids.rows_of(tk.parent.buf[rows], OidDirectory.TASK)
        parents = np.where(parent_rows >= 0, tk.lane.buf[np.maximum(parent_rows, 0)], -1)
        parents = np.where((parents >= 0) & (parents < lane_ids), parents, -1)  # seen before
        names = [
            name or f"Task #{oid}"
            for name, oid in zip(_texts(s, tk.name.buf[rows]), oids.tolist(), strict=True)
        ]
        n = len(task_ids)
        out.extend(
            map(
                Lane._make,
                zip(
                    task_ids,
                    ["task"] * n,
                    names,
                    oids.tolist(),
                    tk.loop.buf[rows].tolist(),
                    parents.tolist(),
                    strict=True,
                ),
            )
        )
        return out
