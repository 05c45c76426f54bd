"""The caption of a step: what the handle run at the cursor did, in words a student follows.

"main resumed — sleep(1) finished; it prints 2 lines, then calls get_request(url) and awaits it",
"Task-2 started: get_request(url); it prints 'Requesting …' and awaits sleep(1)",
"the sleep(1) timer fired after 1.00 s in select(); it wakes main",
"the loop waited 1.00 s in select() for main's sleep(1)",
"the loop is blocked at lesson.py:14 requests.get(...) for 1.00 s".

A caption has a head (who ran and why: what the task awaited finished, or
which timer or callback fired), what happened during the run (tasks and
coroutine objects created, lines printed, futures filled, tasks woken) and
how the run ended (what the task awaits next, or that it returned or
raised). Texts come from the records and from the scenario's source as the
runner sent it (``rec.source(path)``), so a recording opened on another
machine reads the same.

"At t" is :meth:`Recording.state_at`'s instant: the run in progress or last
begun at ``t`` (:meth:`StepIndex.index_at`); a cursor inside a ``select()``
wait gets the wait's caption instead. Captions stay under
:data:`MAX_CHARS` (the least important parts go first) and never raise: an
unexpected record gives a neutral caption, because a lecture must go on.
"""

from __future__ import annotations

import math
import os
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from loopviz.model import describe
from loopviz.model.columns import NEVER, OidDirectory, find
from loopviz.model.steps import StepIndex
from loopviz.model.tables import TASK, LoopInfo
from loopviz.protocol import (
    KIND_MASK,
    LOOP_SHIFT,
    Await,
    EventKind,
    HandleKind,
    Origin,
    Outcome,
    handle_kind_and_origin,
)

if TYPE_CHECKING:
    from loopviz.model.recording import Recording
    from loopviz.model.store import Store

MAX_CHARS = 120
"""Longest caption: one line under the chart, readable from the back of a room."""
UNKNOWN = "the loop ran a step loopviz cannot describe"
LATE_MIN_S = 0.01
"""A timer is never called late for less than this (with a tiny stall threshold)."""
"""The caption when something unexpected got in the way (never an exception)."""
MAX_SCAN = 200_000
"""Records of one run looked at for what it did (a run creating 10,000 tasks is counted fully)."""

A, B, C, D = 2, 3, 4, 5  # record fields
_DEFAULT_NAME = re.compile(r"Task-\d+|None")
"""Names asyncio gives (``None``: Python 3.13.0 names every task so under a task factory)."""

# What asyncio's own awaitables are called when they finish (creator qualname -> words).
_FINISHED = {
    "sleep": "{} finished",
    "gather": "gather finished",
    "Queue.get": "Queue.get got an item",
    "Queue.put": "Queue.put found room",
    "Queue.join": "Queue.join: every item is done",
    "_ContextManagerMixin.__aenter__": "its turn came at async with",
    "Lock.acquire": "the lock is free",
    "Semaphore.acquire": "the semaphore let it in",
    "Event.wait": "the event was set",
    "Condition.wait": "the condition was notified",
    "TaskGroup.__aexit__": "the task group's tasks finished",
    "wait_for": "wait_for finished",
    "shield": "the shielded task finished",
    "to_thread": "to_thread finished",
    "BaseEventLoop.run_in_executor": "run_in_executor finished",
    "as_completed": "as_completed has the next result",
    "wait": "asyncio.wait finished",
}

_DISPLAY = {
    "TaskGroup.__aexit__": "the task group",
    "_ContextManagerMixin.__aenter__": "its turn at async with",
    "BaseEventLoop.run_in_executor": "run_in_executor",
}
"""asyncio's internal names for what a task awaits, as a student would say them."""

_CALLBACKS = {
    "_run_until_complete_cb": "the main task is done, so asyncio.run stops the loop",
    "gather._done_callback": "gather noted that one of its tasks finished",
    "TaskGroup._on_task_done": "the task group noted that one of its tasks finished",
    "as_completed._on_completion": "as_completed noted a finished task",
    "BaseSelectorEventLoop._read_from_self": "the loop was woken from another thread",
}


@dataclass
class _Run:
    """One handle run and where its records are."""

    store: Store
    info: LoopInfo
    k: int
    row: int
    begin: int
    end: int
    """Event index of the RUN_END; NEVER while it runs."""
    enq: int
    task: int
    kind: int
    origin: int
    detail: int


def caption_at(rec: Recording, t: float, steps: StepIndex | None = None) -> str:
    """Plain words for the handle run at ``t`` (or the ``select()`` wait the cursor is in).

    ``steps`` is the recording's :class:`StepIndex` if the caller has it (built if not).
    """
    try:
        steps = steps if steps is not None else StepIndex.of(rec)
        return _fit(_caption(rec, float(t), steps))
    except Exception:  # a caption must never take the lecture down
        return UNKNOWN


def _fit(parts: tuple[str, list[tuple[int, str]]] | str) -> str:
    """Join the head and the clauses, dropping the least important clauses to fit."""
    if isinstance(parts, str):
        return _clip(parts, MAX_CHARS)
    head, clauses = parts
    clauses = list(clauses)
    while True:
        text = head
        if clauses:
            words = [c for _, c in clauses]
            joint = ", then " if " and " in words[-1] else " and "
            tail = words[-1] if len(words) == 1 else ", ".join(words[:-1]) + joint + words[-1]
            text = f"{head}; it {tail}"
        if len(text) <= MAX_CHARS or not clauses:
            return _clip(text, MAX_CHARS)
        # Drop the clause of least importance (highest number), the latest of equals.
        worst = max(range(len(clauses)), key=lambda j: (clauses[j][0], j))
        del clauses[worst]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str, limit: int = 32) -> str:
    return "'" + _clip(text.strip(), limit) + "'"


def _caption(rec: Recording, t: float, steps: StepIndex) -> tuple[str, list[tuple[int, str]]] | str:
    if math.isnan(t):
        return "no instant chosen"
    s = rec._store
    k = steps.index_at(t)
    if k < 0:
        return "the program is starting: the loop has not run a handle yet"
    info = s.loops.get(int(steps.loops[k]))
    if info is None or info.handles.base is None:
        return "the loop ran a step"
    h = info.handles
    row = int(steps.rows[k])
    run = _Run(
        store=s,
        info=info,
        k=k,
        row=row,
        begin=int(h.begin.buf[row]),
        end=int(h.end.buf[row]),
        enq=int(h.enq.buf[row]),
        task=int(steps.tasks[k]),
        kind=HandleKind.CALLBACK,
        origin=Origin.CALL_SOON,
        detail=0,
    )
    if run.end >= s.raw.n:
        run.end = NEVER
    if run.enq < s.raw.n:
        run.kind, run.origin = handle_kind_and_origin(s.field(C, run.enq))
        run.detail = s.field(D, run.enq)
    elif run.task:
        run.kind = HandleKind.STEP
    t_ns = s.start_ns + round(t * 1e9)
    if run.end != NEVER and t_ns > int(s.raw.t[run.end]):
        idle = _idle(s, info, t_ns)
        if idle:
            return idle
    stall = _stall(rec, run, t_ns)
    if stall:
        return stall
    if run.task and h.flags.buf[row] & TASK and run.kind in (HandleKind.STEP, HandleKind.WAKEUP):
        return _task_run(rec, run, steps)
    return _callback_run(rec, run)


# -- the loop waiting in select() ----------------------------------------------------------------


def _idle(s: Store, info: LoopInfo, t_ns: int) -> str:
    """The caption of the select() wait in progress at ``t_ns``, "" if the loop is not in one."""
    i = s.raw.index_at(t_ns)
    sel = info.selects
    j = find(sel.begin.data, i) - 1
    if j < 0 or sel.end.buf[j] < i:
        return ""
    b = int(sel.begin.buf[j])
    e = int(sel.end.buf[j])
    timeout = s.field(A, b)
    if timeout == 0:
        return "the loop checks for I/O without waiting: handles are ready to run"
    if e == NEVER or e >= s.raw.n:
        waits = f"{describe.span((t_ns - int(s.raw.t[b])) / 1e9)} so far"
        why = "for I/O" if timeout < 0 else "for the next timer"
        return f"the loop waits in select() {why} ({waits})"
    took = describe.span((int(s.raw.t[e]) - int(s.raw.t[b])) / 1e9)
    if timeout < 0 or s.field(A, e) > 0:
        return f"the loop waited {took} in select() for I/O"
    return f"the loop waited {took} in select() for {_next_timer(s, info, e)}"


def _next_timer(s: Store, info: LoopInfo, after: int) -> str:
    """What the timer that ended a select() wait was for: ``main's sleep(1)``."""
    h = info.handles
    row = find(h.begin.data, after)
    if row >= h.n or int(h.enq.buf[row]) >= s.raw.n:
        return "the next timer"
    enq = int(h.enq.buf[row])
    _, origin = handle_kind_and_origin(s.field(C, enq))
    timer = s.oids.row1(s.field(D, enq), OidDirectory.TIMER) if origin == Origin.TIMER else -1
    if timer < 0:
        return "the next timer"
    at = int(s.timers.created.buf[timer])
    fut = s.oids.row1(s.field(D, at), OidDirectory.FUTURE) if s.field(D, at) else -1
    if fut >= 0 and _creator(s, fut) == "sleep":
        owner = s.field(B, int(s.futures.created.buf[fut]))
        whose = f"{_who(s, owner)}'s " if owner else ""
        return f"{whose}{_sleep_text(s, fut)}"
    name = _callback_name(s.text(s.field(C, at)))
    return f"the timer of {name}" if name else "the next timer"


def _waited_before(s: Store, run: _Run) -> float:
    """Seconds the loop spent in the select() wait just before this run (0 if it is not the
    first run of its iteration)."""
    sel = run.info.selects
    j = find(sel.begin.data, run.begin) - 1
    if j < 0:
        return 0.0
    e = int(sel.end.buf[j])
    if e == NEVER or e >= s.raw.n:
        return 0.0
    h = run.info.handles
    if run.row > 0 and int(h.begin.buf[run.row - 1]) > int(sel.begin.buf[j]):
        return 0.0  # another run came between the wait and this one
    return (int(s.raw.t[e]) - int(s.raw.t[sel.begin.buf[j]])) / 1e9


# -- stalls ---------------------------------------------------------------------------------


def _stall(rec: Recording, run: _Run, t_ns: int) -> str:
    """The caption of a run that blocked the loop, "" for a run under the threshold."""
    s = run.store
    began = int(s.raw.t[run.begin])
    if run.end == NEVER:
        took_ns = max(0, min(t_ns, s.end_ns) - began)
    else:
        took_ns = int(s.raw.t[run.end]) - began
    if took_ns <= s.stall_ns:
        return ""
    serial = run.row + (run.info.handles.base or 0)
    stall = next(
        (st for st in rec.stalls() if st.loop == run.info.index and st.serial == serial), None
    )
    took = describe.span(took_ns / 1e9)
    so_far = " so far" if run.end == NEVER else ""
    where = stall.where if stall is not None else None
    if where is None:
        who = _who(s, run.task) if run.task else "a callback"
        return f"the loop is blocked for {took}{so_far}: {who} runs without awaiting"
    place = f"{os.path.basename(where.file)}:{where.line}"
    if stall is not None and stall.call:
        what = f"{stall.call}(...)"
    else:
        what = _clip(where.text.strip(), 40)
    return f"the loop is blocked at {place} {what} for {took}{so_far}"


# -- a task's step ----------------------------------------------------------------------------


def _task_run(rec: Recording, run: _Run, steps: StepIndex) -> tuple[str, list[tuple[int, str]]]:
    s = run.store
    who = _who(s, run.task)
    prev = int(steps.prev_of_task[run.k])
    if run.kind == HandleKind.WAKEUP:
        why = _finished(rec, s, run.detail) if run.detail > 0 else "what it awaited is done"
        head = f"{who} resumed — {why}"
    elif prev < 0 and _cleanup(s, run.task):
        qual = s.text(s.tasks.qualname.buf[s.oids.row1(run.task, OidDirectory.TASK)])
        return f"asyncio.run cleans up: {qual.rsplit('.', 1)[-1]}()", []
    elif prev < 0:
        head = f"{_task_name(s, run.task)} started: {_task_call(rec, s, run.task)}"
    else:
        yielded = _yielded(rec, s, steps, prev)
        head = f"{who} resumed after {yielded}" if yielded else f"{who} resumed"
    events = _events(s, run)
    clauses = _did(rec, s, run, events)
    ending = _ending(rec, s, run, events)
    if ending:
        clauses.append(ending)
    woken = _woken(s, events, run.task)
    if woken:
        clauses.append((3, f"wakes {woken}"))
    return head, clauses


def _yielded(rec: Recording, s: Store, steps: StepIndex, prev: int) -> str:
    """What the task's previous run yielded with (``sleep(0)``), "" if it did not yield."""
    info = s.loops.get(int(steps.loops[prev]))
    if info is None:
        return ""
    end = int(info.handles.end.buf[int(steps.rows[prev])])
    if end >= s.raw.n or s.field(D, end) != Await.YIELD:
        return ""
    line = _source_line(rec, s.text(s.field(C, end)))
    return "sleep(0)" if "sleep(0)" in line.replace(" ", "") else "yielding to the loop"


def _ending(rec: Recording, s: Store, run: _Run, ev: _Events) -> tuple[int, str] | None:
    """How the step ended: what the task awaits now, or that it finished."""
    if run.end == NEVER:
        return (0, "is still running")
    d = s.field(D, run.end)
    if d == Await.DONE:
        row = s.oids.row1(run.task, OidDirectory.TASK)
        outcome = int(s.tasks.outcome.buf[row]) if row >= 0 else 0
        detail = s.text(s.tasks.detail.buf[row]) if row >= 0 else ""
        if outcome == Outcome.EXCEPTION:
            return (0, f"raises {_clip(detail, 50)}")
        if outcome == Outcome.CANCELLED:
            return (0, "is cancelled")
        return (0, f"returns {_clip(detail, 40)}" if detail else "returns")
    location = s.text(s.field(C, run.end))
    if d == Await.YIELD:
        line = _source_line(rec, location)
        if "sleep(0)" in line.replace(" ", ""):
            return (0, "yields to the loop with sleep(0)")
        return (0, "yields to the loop")
    call = _awaited_call(rec, s, run, ev)
    if call:
        return (0, f"calls {call} and awaits it")
    if d > 0:
        return (0, f"awaits {_awaited(rec, s, d, location)}")
    line = _line_number(location)
    return (0, f"pauses at line {line}" if line else "pauses")


def _awaited(rec: Recording, s: Store, oid: int, location: str) -> str:
    """What a task awaits, as the lecturer would say it: sleep(1), Task-2, the source's text."""
    kind, row = s.oids.lookup1(oid)
    if kind == OidDirectory.TASK:
        return _who(s, oid)
    if kind == OidDirectory.FUTURE:
        creator = _creator(s, row)
        if creator == "sleep":
            return _sleep_text(s, row)
        expr = _await_expr(_source_line(rec, location))
        if expr:
            return _clip(expr, 40)
        if creator == "gather":
            return f"gather of {len(s.gathers.children(oid))}"
        return _clip(_DISPLAY.get(creator, creator) or "a future", 40)
    expr = _await_expr(_source_line(rec, location))
    return _clip(expr, 40) if expr else describe.object_label(s, oid) or "something"


def _awaited_call(rec: Recording, s: Store, run: _Run, ev: _Events) -> str:
    """The call (``get_request(url)``) if the task called a coroutine and awaits it directly."""
    if s.field(D, run.end) <= 0:
        return ""
    m = (ev.kind == EventKind.CORO_SCHEDULED) & (ev.c == 2) & (ev.b == run.task)
    coros = ev.a[m]
    destroyed = set(ev.a[ev.kind == EventKind.CORO_DESTROYED].tolist())
    for coro in coros[::-1].tolist():
        if coro in destroyed:
            continue
        row = s.oids.row1(coro, OidDirectory.CORO)
        if row < 0:
            return ""
        at = int(s.coros.created.buf[row])
        qual = s.text(s.field(C, at))
        return _call_text(rec, s.text(s.field(D, at)), qual, _nth_on_line(s, at))
    return ""


def _nth_on_line(s: Store, at: int) -> int:
    """How many coroutine objects the same line made just before record ``at``: the second
    of ``gather(work("A"), work("B"))`` is the second call on the line."""
    n = 0
    where = s.field(D, at)
    kind = s.field(0, at)
    for j in range(at - 1, max(-1, at - 256), -1):
        if s.field(0, j) == kind and s.field(D, j) == where:
            n += 1
        elif s.field(0, j) == kind:
            break
    return n


def _did(rec: Recording, s: Store, run: _Run, ev: _Events) -> list[tuple[int, str]]:
    """What the step did on the way: tasks and coroutine objects created, lines printed,
    futures filled (importance first: lower numbers stay when the caption is too long)."""
    out: list[tuple[int, str]] = []
    made = ev.a[(ev.kind == EventKind.TASK_CREATED) & (ev.b == run.task)]
    if len(made) == 1:
        oid = int(made[0])
        name, who = _task_name(s, oid), _who(s, oid)
        out.append((1, f"creates {name}" + (f" ({who})" if who != name else "")))
    elif len(made):
        out.append((1, f"creates {len(made)} tasks"))
    coros = ev.a[(ev.kind == EventKind.CORO_CREATED) & (ev.b == run.task)]
    if len(coros):
        rows = s.oids.rows_of(coros, OidDirectory.CORO)
        rows = rows[rows >= 0]
        later = s.coros.scheduled.buf[rows] > ev.hi if len(rows) else rows
        idle = int(np.count_nonzero(later))
        if idle == 1:
            out.append((2, "creates a coroutine object (not started)"))
        elif idle:
            out.append((2, f"creates {idle} coroutine objects (not started)"))
    printed = _printed(s, run)
    if len(printed) == 1:
        out.append((4, f"prints {_quote(printed[0])}"))
    elif printed:
        out.append((4, f"prints {len(printed)} lines"))
    filled = _filled(s, ev)
    if filled:
        out.append((5, filled))
    return out


# -- a callback ---------------------------------------------------------------------------------


def _callback_run(rec: Recording, run: _Run) -> tuple[str, list[tuple[int, str]]]:
    s = run.store
    events = _events(s, run)
    head = _callback_head(s, run)
    if run.origin == Origin.TIMER:
        late = _late(s, run)
        waited = _waited_before(s, run)
        if late:
            head += late
        elif waited >= 0.001:
            head += f" after {describe.span(waited)} in select()"
    clauses = []
    printed = _printed(s, run)
    if len(printed) == 1:
        clauses.append((4, f"prints {_quote(printed[0])}"))
    elif printed:
        clauses.append((4, f"prints {len(printed)} lines"))
    woken = _woken(s, events, 0)
    if woken:
        clauses.append((1, f"wakes {woken}"))
    return head, clauses


def _callback_head(s: Store, run: _Run) -> str:
    if run.origin == Origin.TIMER:
        row = s.oids.row1(run.detail, OidDirectory.TIMER)
        if row >= 0:
            at = int(s.timers.created.buf[row])
            fut = s.field(D, at)
            frow = s.oids.row1(fut, OidDirectory.FUTURE) if fut else -1
            if frow >= 0 and _creator(s, frow) == "sleep":
                return f"the {_sleep_text(s, frow)} timer fired"
            name = _callback_name(s.text(s.field(C, at)))
            return f"timer fired: callback {name} ran" if name else "a timer fired"
        return "a timer fired"
    name = _callback_name(s.text(run.detail)) if run.kind == HandleKind.CALLBACK else ""
    if name == "_run_until_complete_cb" and run.k > 0 and _cleanup(s, _task_before(s, run)):
        return "asyncio.run's clean-up step is done, so the loop stops"
    if name in _CALLBACKS:
        return _CALLBACKS[name]
    label = f"callback {name} ran" if name else "a callback ran"
    if run.origin == Origin.IO:
        return f"I/O is ready: {label}"
    if run.origin == Origin.THREADSAFE:
        return f"from another thread: {label}"
    return label


def _task_before(s: Store, run: _Run) -> int:
    """Oid of the task whose handle ran just before this one on the same loop (0 if none)."""
    h = run.info.handles
    row = run.row - 1
    while row >= 0 and not h.flags.buf[row] & TASK:
        row -= 1
    if row < 0 or int(h.enq.buf[row]) >= s.raw.n:
        return 0
    return s.field(B, int(h.enq.buf[row]))


def _cleanup(s: Store, oid: int) -> bool:
    """True for the tasks ``asyncio.run`` makes to clean up (``shutdown_asyncgens``...)."""
    row = s.oids.row1(oid, OidDirectory.TASK) if oid else -1
    if row < 0:
        return False
    qual = s.text(s.tasks.qualname.buf[row])
    return "/asyncio/" in s.text(s.tasks.defined_at.buf[row]) and qual.startswith(
        ("BaseEventLoop.", "Runner.", "_")
    )


def _callback_name(qualname: str) -> str:
    """``gather.<locals>._done_callback`` -> ``gather._done_callback``."""
    return qualname.replace(".<locals>.", ".")


# -- what happened during a run ------------------------------------------------------------------


@dataclass
class _Events:
    """The run's own records (its loop's, between RUN_BEGIN and RUN_END), as columns."""

    kind: np.ndarray
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: np.ndarray
    hi: int
    """Index of the run's last record (its RUN_END, or the latest record while it runs)."""


def _events(s: Store, run: _Run) -> _Events:
    raw = s.raw
    lo = run.begin + 1
    hi = raw.n if run.end == NEVER else run.end
    hi = min(hi, lo + MAX_SCAN)
    packed = raw.cols[0].buf[lo:hi].astype(np.int64)
    mine = ((packed >> LOOP_SHIFT) == run.info.index) | ((packed >> LOOP_SHIFT) == 0)
    cols = [raw.cols[j].buf[lo:hi][mine] for j in (A, B, C, D)]
    return _Events((packed & KIND_MASK)[mine], *cols, hi)


def _printed(s: Store, run: _Run) -> list[str]:
    """Lines printed while the run ran (output carries times, not handles)."""
    lines, times = s.messages.sorted_output()
    if not len(times):
        return []
    began = int(s.raw.t[run.begin])
    ended = s.end_ns if run.end == NEVER else int(s.raw.t[run.end])
    lo = int(np.searchsorted(times, began, side="left"))
    hi = int(np.searchsorted(times, ended, side="right"))
    return [text for _, _, text, _ in lines[lo:hi]]


def _filled(s: Store, ev: _Events) -> str:
    """The clause for a step that completed futures of the user's own (``set_result``)."""
    done = ev.a[ev.kind == EventKind.FUTURE_DONE]
    n = 0
    for oid in done.tolist()[:50]:
        row = s.oids.row1(int(oid), OidDirectory.FUTURE)
        if (
            row >= 0
            and _creator(s, row) not in _FINISHED
            and not _creator(s, row).startswith(("BaseEventLoop.", "as_completed", "_"))
        ):
            n += 1
    if n == 1:
        return "sets a future's result"
    return f"sets {n} futures' results" if n else ""


def _woken(s: Store, ev: _Events, me: int) -> str:
    """Names of the tasks this run put back in the ready queue (their wakeups)."""
    m = (ev.kind == EventKind.ENQUEUE) & (ev.b != 0) & (ev.b != me)
    kinds = ev.c[m] & 0xFF
    tasks = ev.b[m][kinds == HandleKind.WAKEUP]
    if not len(tasks):
        return ""
    unique = list(dict.fromkeys(tasks.tolist()))
    return _who(s, unique[0]) if len(unique) == 1 else f"{len(unique)} tasks"


# -- words for tasks, futures and source lines ---------------------------------------------------


def _task_name(s: Store, oid: int) -> str:
    return describe.task_name_of_oid(s, oid) or f"task #{oid}"


def _who(s: Store, oid: int) -> str:
    """A task as the lecturer calls it: ``main`` for ``Task-1`` running the only ``main()``,
    its own name when it has one or when several tasks run the same coroutine."""
    row = s.oids.row1(oid, OidDirectory.TASK)
    if row < 0:
        return f"task #{oid}"
    name = describe.task_name(s, row)
    if not _DEFAULT_NAME.fullmatch(name):
        return name
    qual_sid = int(s.tasks.qualname.buf[row])
    if not qual_sid or _qualname_count(s, qual_sid) != 1:
        return name
    return s.text(qual_sid).rsplit(".", 1)[-1] or name


def _qualname_count(s: Store, sid: int) -> int:
    cache = _cache_of(s)
    counts = cache.get("qualnames")
    if counts is None or counts[0] != s.tasks.n:
        values, n = np.unique(s.tasks.qualname.data[: s.tasks.n], return_counts=True)
        counts = (s.tasks.n, dict(zip(values.tolist(), n.tolist(), strict=True)))
        cache["qualnames"] = counts
    return counts[1].get(sid, 0)


def _task_call(rec: Recording, s: Store, oid: int) -> str:
    """The call that made the task's coroutine, from the source: ``get_request(url)``."""
    row = s.oids.row1(oid, OidDirectory.TASK)
    if row < 0:
        return "its coroutine"
    qual = s.text(s.tasks.qualname.buf[row])
    coro = s.oids.row1(int(s.tasks.coro.buf[row]), OidDirectory.CORO)
    at = int(s.coros.created.buf[coro]) if coro >= 0 else -1
    where = s.text(s.field(D, at)) if at >= 0 else ""
    if not where:
        return _call_text(rec, s.text(s.tasks.created_at.buf[row]), qual)
    return _call_text(rec, where, qual, _nth_on_line(s, at))


def _call_text(rec: Recording, location: str, qualname: str, nth: int = 0) -> str:
    """``name(args)`` as written at ``location`` (the ``nth`` such call on the line, counting
    round when a loop makes several), or ``name()`` if the source does not show it."""
    name = qualname.rsplit(".", 1)[-1] or "coroutine"
    line = _source_line(rec, location)
    calls = list(re.finditer(rf"\b{re.escape(name)}\s*\(", line))
    if calls:
        found = calls[nth % len(calls)]
        args = _balanced(line, found.end())
        if args is not None:
            return f"{name}({_clip(args, 30)})"
    return f"{name}()"


def _balanced(line: str, start: int) -> str | None:
    """The text up to the parenthesis closing the one just before ``start``."""
    depth = 1
    for j in range(start, len(line)):
        ch = line[j]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return line[start:j]
    return None


def _await_expr(line: str) -> str:
    """The awaited expression on a source line: ``asyncio.gather(*tasks)``, ``box``."""
    found = re.search(r"\bawait\s+", line)
    if not found:
        return ""
    out = []
    depth = 0
    for ch in line[found.end() :]:
        if ch == "#" and depth == 0:
            break
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif ch in ",:" and depth == 0:
            break
        out.append(ch)
    return "".join(out).strip()


def _source_line(rec: Recording, location: str) -> str:
    """The text of ``path:line`` in the source the runner sent ("" if it did not)."""
    path, sep, number = location.rpartition(":")
    if not sep or not number.isdigit():
        return ""
    cache = _cache_of(rec._store)
    lines = cache.get(("src", path))
    if lines is None:
        lines = (rec.source(path) or "").splitlines()
        if lines:  # a live run's source may arrive later: only keep what was found
            cache[("src", path)] = lines
    n = int(number)
    return lines[n - 1] if 0 < n <= len(lines) else ""


def _line_number(location: str) -> str:
    number = location.rpartition(":")[2]
    return number if number.isdigit() else ""


def _creator(s: Store, row: int) -> str:
    """The function that made a future (``sleep``, ``Queue.get``, ``as_completed``...)."""
    creator = s.text(s.field(C, int(s.futures.created.buf[row])))
    return creator.split(".<locals>.", 1)[0]


def _sleep_text(s: Store, row: int) -> str:
    """``sleep(1)``: the delay read off the sleep's timer.

    ``sleep`` reads the clock after creating its future and before scheduling
    its timer, so the delay it was given lies between the deadline minus those
    two records' times; the simplest decimal in that window is what the
    program wrote (1 ms, not 0.000982 s).
    """
    timer = int(s.futures.timer.buf[row])
    if timer < 0:
        return "sleep"
    at = int(s.timers.created.buf[timer])
    deadline = s.field(B, at)
    lo = (deadline - int(s.raw.t[at])) / 1e9
    hi = (deadline - int(s.raw.t[s.futures.created.buf[row]])) / 1e9
    return f"sleep({_simplest(max(0.0, lo), max(0.0, hi))})"


def _simplest(lo: float, hi: float) -> str:
    """The decimal with the fewest digits in ``[lo, hi]``: 1, 0.5, 0.001, 2.5; at most three
    significant digits (a random delay reads 0.356, not 0.355750123)."""
    lo, hi = min(lo, hi), max(lo, hi)
    if hi <= 0:
        return "0"
    most = max(0, 3 - math.floor(math.log10(hi)) - 1)
    for decimals in range(min(most, 9) + 1):
        scale = 10**decimals
        candidate = math.ceil(lo * scale - 1e-9) / scale
        if candidate <= hi + 1e-12:
            return f"{candidate:.{decimals}f}"
    return f"{float(f'{(lo + hi) / 2:.3g}'):g}"


def _late(s: Store, run: _Run) -> str:
    """How late a timer fired (`` 1.00 s late``) when its handle entered the ready queue well
    after its deadline because the loop was blocked or busy; "" when on time.

    "Well after" is half the stall threshold (50 ms by default): a busy laptop's
    scheduler makes timers a few ms late (11 and 38 ms were seen here), which a
    class should not be told about; a blocked loop makes them later than that.
    """
    row = s.oids.row1(run.detail, OidDirectory.TIMER)
    if row < 0 or run.enq >= s.raw.n:
        return ""
    late = (int(s.raw.t[run.enq]) - s.field(B, int(s.timers.created.buf[row]))) / 1e9
    return f" {describe.span(late)} late" if late >= max(LATE_MIN_S, s.stall_ns / 2e9) else ""


def _finished(rec: Recording, s: Store, oid: int) -> str:
    """Why a task woke: what it awaited finished, in words (``sleep(1) finished``)."""
    kind, row = s.oids.lookup1(oid)
    if kind == OidDirectory.TASK:
        who = _who(s, oid)
        outcome = int(s.tasks.outcome.buf[row])
        detail = s.text(s.tasks.detail.buf[row])
        if outcome == Outcome.EXCEPTION:
            return f"{who} raised {_clip(detail, 40)}"
        if outcome == Outcome.CANCELLED:
            return f"{who} was cancelled"
        return f"{who} returned {_clip(detail, 30)}" if detail else f"{who} finished"
    if kind != OidDirectory.FUTURE:
        return "what it awaited is done"
    creator = _creator(s, row)
    outcome, detail = _future_outcome(s, row)
    label = _sleep_text(s, row) if creator == "sleep" else _DISPLAY.get(creator, creator)
    if outcome == Outcome.CANCELLED:
        return f"{label or 'the future it awaited'} was cancelled"
    if creator in _FINISHED:
        if outcome == Outcome.EXCEPTION:
            return f"{label} raised {_clip(detail, 40)}"
        return _FINISHED[creator].format(label)
    if outcome == Outcome.EXCEPTION:
        return f"the future it awaited got an exception ({_clip(detail, 40)})"
    if detail:
        return f"the future it awaited got a result ({_clip(detail, 30)})"
    return "the future it awaited got a result"


def _future_outcome(s: Store, row: int) -> tuple[int, str]:
    end = int(s.futures.life.end.buf[row])
    if end >= s.raw.n or (s.field(0, end) & KIND_MASK) != EventKind.FUTURE_DONE:
        return 0, ""
    return s.field(B, end), s.text(s.field(C, end))


_CACHES: weakref.WeakKeyDictionary[Store, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _cache_of(s: Store) -> dict[Any, Any]:
    cache = _CACHES.get(s)
    if cache is None:
        cache = _CACHES[s] = {}
    return cache


__all__ = ["MAX_CHARS", "UNKNOWN", "caption_at"]
