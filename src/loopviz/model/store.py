"""Everything a recording holds, in one place: the records, the strings and the derived tables."""

from __future__ import annotations

from collections import Counter

import numpy as np

from loopviz.model.columns import Column, OidDirectory
from loopviz.model.messages import MessageLog
from loopviz.model.tables import (
    CoroTable,
    EagerTable,
    FutureTable,
    GatherTable,
    LoopInfo,
    Raw,
    TaskTable,
    TimerTable,
    WaitTable,
)
from loopviz.model.transitions import Carry


class Snapshot:
    """The task carry after event ``at``: where ``state_at`` starts replaying."""

    __slots__ = ("at", "carry")

    def __init__(self, at: int, carry: Carry) -> None:
        self.at = at
        self.carry = carry


class Store:
    """The recording's data; :class:`~loopviz.model.recording.Recording` is its public face."""

    def __init__(self) -> None:
        self.raw = Raw()
        for column in self.raw.cols:
            column.grow_ahead()  # records are only appended; at 10 M they are 440 MB
        self.strings: dict[int, str] = {0: ""}
        self.messages = MessageLog()
        self.loops: dict[int, LoopInfo] = {}
        self.lanes: list[tuple[str, int]] = []
        """Lane id -> ("loop", loop index) or ("task", task row), in order of first appearance."""
        self.tasks = TaskTable()
        self.futures = FutureTable()
        self.timers = TimerTable()
        self.coros = CoroTable()
        self.gathers = GatherTable()
        self.eager = EagerTable()
        self.waits = WaitTable()
        self.oids = OidDirectory()
        self.snapshots: list[Snapshot] = [Snapshot(0, Carry.empty(0))]
        self.problems: Counter[str] = Counter()
        """Malformed input, by what was wrong: counted, never raised during ingestion."""
        self.ignored: Counter[str] = Counter()
        """Well-formed input this version does not know (newer event or message kinds)."""
        self.t_first: int | None = None
        self.t_max: int | None = None
        self.t_alive: int | None = None
        """Latest time the app knows the run was still going (``Recording.advance_to``)."""
        self.task_version = 0
        self.task_stamps = Column(np.int64, 0)
        """Per task row: the ``task_version`` at which the row last changed, so views that
        keep every task's info rebuild only what changed (``tasks.TaskInfoCache``)."""
        self.label_cache: dict[object, object] = {}
        self.gather_rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        """Gather oid -> (kind, row) of each child (``describe``: done children counted)."""
        self.gather_ends: dict[object, tuple[int, np.ndarray]] = {}
        """Gather -> (task version, its child tasks' end events sorted)."""
        self.long_runs: list[tuple[int, int]] = []
        """(loop index, row) of finished handles that ran longer than ``long_runs_at`` ns."""
        self.long_runs_at: int | None = None

    def touch_tasks(self, rows: np.ndarray) -> None:
        """Task ``rows`` changed (were added, renamed, finished...): a new task version."""
        self.task_version += 1
        stamps = self.task_stamps
        stamps.extend(self.tasks.n)
        stamps.buf[rows] = self.task_version

    def tasks_changed_since(self, version: int) -> np.ndarray:
        """Task rows changed after task version ``version`` (all rows for -1), ascending."""
        n = self.tasks.n
        if version < 0:
            return np.arange(n)
        self.task_stamps.extend(n)
        return np.flatnonzero(self.task_stamps.buf[:n] > version)

    def field(self, j: int, idx: int) -> int:
        """Field ``j`` (0 kind, 1 t, 2 a, 3 b, 4 c, 5 d) of record ``idx``."""
        return int(self.raw.cols[j].buf[idx])

    def text(self, sid: int) -> str:
        """The string a sid stands for ("" for 0 or a sid never sent)."""
        return self.strings.get(int(sid), "")

    def carry(self) -> Carry:
        """Views of the live task carry (mutated in place by ingestion)."""
        t = self.tasks
        return Carry(t.col("last_type"), t.col("last_idx"), t.col("last_susp"), t.col("last_end"))

    @property
    def start_ns(self) -> int:
        hello_t = self.messages.start_ns
        if hello_t is not None:
            return hello_t
        if self.t_first is not None:
            return self.t_first
        return 0

    @property
    def end_ns(self) -> int:
        ends = [x for x in (self.t_max, self.messages.t_max, self.t_alive) if x is not None]
        return max([*ends, self.start_ns])

    @property
    def records_end_ns(self) -> int:
        """Until when the records tell what the loop did: the end, or where a cap cut them.

        Past a cap the run goes on without per-event records, so a handle still
        running at the cut must not be drawn (or counted as a stall) up to the end."""
        cut = self.messages.records_cut
        return self.end_ns if cut is None else min(self.end_ns, cut)

    @property
    def stall_ns(self) -> int:
        return self.messages.stall_ns

    def seconds(self, ns: np.ndarray | int) -> np.ndarray | float:
        """Monotonic ns -> seconds from the start of the run."""
        if isinstance(ns, np.ndarray):
            return (ns - self.start_ns) / 1e9
        return (int(ns) - self.start_ns) / 1e9

    def nbytes(self) -> int:
        """Bytes held by numpy columns (what a million events cost)."""
        total = self.raw.nbytes + self.tasks.nbytes + self.oids.nbytes
        for table in (self.futures, self.timers, self.coros, self.gathers, self.eager, self.waits):
            total += table.nbytes
        for loop in self.loops.values():
            total += loop.handles.nbytes + loop.selects.nbytes
        for snap in self.snapshots:
            c = snap.carry
            total += c.type.nbytes + c.idx.nbytes + c.susp.nbytes + c.end.nbytes
        return total

    def trim(self) -> None:
        """Drop spare capacity once the recording is complete (loaded from a file)."""
        self.raw.trim()
        for loop in self.loops.values():
            loop.handles.trim()
