"""Tasks and lanes as the task table and the timeline show them."""

from __future__ import annotations

from dataclasses import dataclass

from loopviz.model import describe
from loopviz.model.columns import NEVER
from loopviz.model.store import Store
from loopviz.protocol import Outcome

OUTCOMES = {
    Outcome.RESULT: "result",
    Outcome.EXCEPTION: "exception",
    Outcome.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class TaskInfo:
    """A task of the run: who made it, what it runs, how it ended."""

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


MACHINERY_PREFIXES = ("BaseEventLoop.", "Runner.", "_")
"""Qualname starts of coroutines asyncio runs for its own housekeeping."""


def is_machinery(task: TaskInfo) -> bool:
    """True for tasks asyncio creates for itself (``asyncio.run``'s ``shutdown_asyncgens``...).

    Views hide them by default: a beginner should see the scenario's tasks, not
    the loop's clean-up after ``main`` returned.
    """
    return "/asyncio/" in task.coro_location and task.coro.startswith(MACHINERY_PREFIXES)


@dataclass(frozen=True)
class Lane:
    """A row of the timeline: one per task, one per event loop."""

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
    """Every task, in order of first appearance."""
    tk = s.tasks
    t = s.raw.t
    out = []
    for r in range(tk.n):
        oid = int(tk.oid.buf[r])
        created_idx = int(tk.created.buf[r])
        if created_idx == NEVER:
            created_idx = int(tk.first.buf[r])
        done_idx = int(tk.done.buf[r])
        exc = s.messages.task_exceptions.get(oid)
        tb = exc.get("traceback") if exc else None
        out.append(
            TaskInfo(
                id=oid,
                name=describe.task_name(s, r),
                parent=int(tk.parent.buf[r]),
                coro=s.text(tk.qualname.buf[r]),
                coro_location=s.text(tk.defined_at.buf[r]),
                created_at=s.text(tk.created_at.buf[r]),
                created=s.seconds(int(t[created_idx])) if created_idx < s.raw.n else None,
                done=None if done_idx == NEVER else s.seconds(int(t[done_idx])),
                outcome=None
                if done_idx == NEVER
                else OUTCOMES.get(int(tk.outcome.buf[r]), "unknown"),
                detail=s.text(tk.detail.buf[r]),
                traceback=tb if isinstance(tb, str) else None,
                lane=int(tk.lane.buf[r]),
                loop=int(tk.loop.buf[r]),
            )
        )
    return out


def lanes(s: Store) -> list[Lane]:
    """Every lane by id: event loop lanes and task lanes, in order of first appearance."""
    several = len(s.loops) > 1
    task_lanes = {}
    out = []
    for lane_id, (kind, ref) in enumerate(s.lanes):
        if kind == "loop":
            name = f"event loop {ref}" if several else "event loop"
            out.append(Lane(lane_id, "loop", name, 0, ref, -1))
        else:
            oid = int(s.tasks.oid.buf[ref])
            task_lanes[oid] = lane_id
            parent = task_lanes.get(int(s.tasks.parent.buf[ref]), -1)
            out.append(
                Lane(
                    lane_id,
                    "task",
                    describe.task_name(s, ref),
                    oid,
                    int(s.tasks.loop.buf[ref]),
                    parent,
                )
            )
    return out
