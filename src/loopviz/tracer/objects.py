"""Per-loop bookkeeping of tasks, futures and timers: oids, creation records, outcomes.

Everything here runs once per object (creation, first sight, completion), not
once per handle, so it can afford frame walks and string formatting. The
per-handle hot path lives in :mod:`loopviz.tracer.ready`.

Why a separate object from the loop: the hooks keep references to it, and it
keeps none to the loop, so a loop that is dropped without ``close()`` is still
freed by reference counting exactly when asyncio expects ("unclosed event
loop" warnings and task finalisation keep their timing).
"""

from __future__ import annotations

import sys
import time
from asyncio import futures, tasks
from types import CoroutineType, FrameType, GeneratorType
from typing import Any

from loopviz.protocol import Await, EventKind, Message, pack_kind
from loopviz.tracer.locations import is_asyncio_file, is_user_file
from loopviz.tracer.outcomes import exception_message_fields, outcome_of
from loopviz.tracer.recorder import (
    DONE,
    PACK12,
    SCHEDULED,
    TASK,
    TRACKED_CORO,
    Recorder,
    Tracked,
)

FUTURE_TYPES = frozenset({futures.Future, futures._PyFuture, tasks._GatheringFuture})
"""Exact types whose done callbacks report FUTURE_DONE (not tasks: they have TASK_DONE).
Exact, not isinstance: a ``Mock(spec=Future)`` passes isinstance, and calling it
would show up in the mock's call list."""
_TASK_TYPES = (tasks.Task, tasks._PyTask)
_current_task = tasks.current_task

USER, LIBRARY, LEAF = 0, 1, 2
"""Kinds of code along an await chain: the user's, a library's, asyncio's leaf waits."""
_ASYNCIO_LEAVES = frozenset(
    {
        "sleep",
        "__sleep0",
        "Queue.get",
        "Queue.put",
        "Lock.acquire",
        "Event.wait",
        "Condition.wait",
        "Semaphore.acquire",
    }
)

# Frames where a walk out of asyncio stops: the loop driving a callback is not its creator.
_DRIVER_NAMES = frozenset({"_run_once", "_run", "run_forever", "run_until_complete", "run"})


class Creation:
    """What ``create_task`` knew before the task existed (the task may run eagerly inside it)."""

    __slots__ = ("coro", "location", "parent", "start")

    def __init__(self, coro: Any, parent: int, location: int, start: int) -> None:
        self.coro = coro
        self.parent = parent
        self.location = location
        self.start = start


class LoopState:
    """What one tracing loop publishes: read by the watchdog thread, written by the loop.

    Plain attributes, each written in one store: ``start`` then ``serial`` when a
    handle begins; ``serial`` is cleared at the end of the loop iteration (the next
    handle's simply replaces it, saving a store per handle). A reader that sees the
    same serial before and after reading ``start`` may pair a handle that just
    ended with the next one's (later) start: that can only delay a report by the
    few microseconds until the new serial is written, never invent a stall.
    """

    __slots__ = (
        "debug",
        "enabled",
        "index",
        "io",
        "native",
        "oid",
        "serial",
        "start",
        "task",
        "thread",
        "watched",
        "watched_end",
    )

    def __init__(self, oid: int, index: int) -> None:
        self.oid = oid
        self.index = index
        self.thread: int | None = None
        self.native = 0
        self.serial = 0
        self.start = 0
        self.task = 0
        self.watched = -1
        """Serial of the handle the watchdog reports as stalled (its end time: watched_end)."""
        self.watched_end = 0
        self.io = False
        self.debug = False
        self.enabled = True


class ObjectTracker:
    """Registers tasks, futures and timers of one loop and records their lives."""

    def __init__(self, recorder: Recorder, state: LoopState) -> None:
        self.rec = recorder
        self.state = state
        idx = state.index
        self.k = {kind: pack_kind(kind, idx) for kind in EventKind}
        self.creating: list[Creation] = []
        self.unnamed: list[Tracked] = []
        """Tasks that finished eagerly and may still be renamed by their creator."""
        self.objects_get = recorder.objects.get
        self.intern = recorder.intern
        self.strings_get = recorder._strings.get
        self.emit = recorder.emit
        self.locations: dict[str, dict[int, int]] = {}
        """filename -> {line: sid} (user files only)."""
        self.code_sids: dict[int, int] = {}
        """id(code) -> sid of its definition ``file:line``."""
        self.code_kinds: dict[int, int] = {}
        """id(code) -> USER / LIBRARY / LEAF (the code objects are kept in _codes)."""
        self.code_lines: dict[int, dict[int, int]] = {}
        """id(code) -> {f_lasti: sid of file:line} for user code."""
        self._codes: list[Any] = []

    # -- locations ------------------------------------------------------------------

    def line_sid(self, filename: str, line: int) -> int:
        """sid of ``file:line`` (cached; only called for user files)."""
        lines = self.locations.get(filename)
        if lines is None:
            lines = self.locations[filename] = {}
        sid = lines.get(line)
        if sid is None:
            sid = lines[line] = self.intern(f"{filename}:{line}")
        return sid

    def code_kind(self, code: Any) -> int:
        """USER, LIBRARY or LEAF for a code object (cached by id; the code is kept alive)."""
        kind = self.code_kinds.get(id(code))
        if kind is None:
            if is_user_file(code.co_filename):
                kind = USER
            elif is_asyncio_file(code.co_filename) and code.co_qualname in _ASYNCIO_LEAVES:
                kind = LEAF
            else:
                kind = LIBRARY
            self._codes.append(code)
            self.code_kinds[id(code)] = kind
        return kind

    def frame_sid(self, frame: FrameType) -> int:
        """sid of a user frame's ``file:line``, cached by code object and instruction offset
        (``f_lasti`` is a plain read; ``f_lineno`` scans the line table)."""
        code = frame.f_code
        sids = self.code_lines.get(id(code))
        if sids is None:
            self.code_kind(code)  # keeps the code alive, so its id stays unique
            sids = self.code_lines[id(code)] = {}
        lasti = frame.f_lasti
        sid = sids.get(lasti)
        if sid is None:
            sid = sids[lasti] = self.line_sid(code.co_filename, frame.f_lineno)
        return sid

    def locate(self, coro: Any) -> int:
        """sid of the innermost user-code frame along ``coro``'s await chain, or 0.

        The walk stops at asyncio's own leaf coroutines (``sleep``, ``Queue.get``, ...):
        they never await user code, and stopping there saves the hot path a level.
        """
        user = None
        kinds_get = self.code_kinds.get
        while True:
            tc = type(coro)
            if tc is CoroutineType:
                code = coro.cr_code
                nxt = coro.cr_await
            elif tc is GeneratorType:
                code = coro.gi_code
                nxt = coro.gi_yieldfrom
            else:
                break
            kind = kinds_get(id(code))
            if kind is None:
                kind = self.code_kind(code)
            if kind == USER:
                user = coro
            elif kind == LEAF:
                break
            coro = nxt
        if user is None:
            return 0
        frame = user.cr_frame if type(user) is CoroutineType else user.gi_frame
        if frame is None:
            return 0
        return self.frame_sid(frame)

    def caller_location(self, frame: FrameType | None) -> int:
        """sid of the innermost user frame at or outside ``frame`` (where a call came from)."""
        kinds_get = self.code_kinds.get
        while frame is not None:
            code = frame.f_code
            kind = kinds_get(id(code))
            if kind is None:
                kind = self.code_kind(code)
            if kind == USER:
                return self.frame_sid(frame)
            frame = frame.f_back
        return 0

    def definition_sid(self, code: Any) -> int:
        """sid of ``file:line`` where a function is defined (cached by code object)."""
        sid = self.code_sids.get(id(code))
        if sid is None:
            self.code_kind(code)  # keeps the code alive, so its id stays unique
            sid = self.intern(f"{code.co_filename}:{code.co_firstlineno}")
            self.code_sids[id(code)] = sid
        return sid

    def creator_sid(self, frame: FrameType | None) -> int:
        """Who asked for a future: the asyncio API the user called, or the user's function.

        Walks outward from the caller of ``create_future`` through asyncio's own
        frames; the outermost of them is the API entry point (``sleep``,
        ``Queue.get``, ``Lock.acquire``). A future made directly by user code is
        named after the user's function.
        """
        name = None
        while frame is not None:
            code = frame.f_code
            if not is_asyncio_file(code.co_filename):
                if name is None:
                    name = code.co_qualname
                break
            if code.co_name in _DRIVER_NAMES and name is not None:
                break
            name = code.co_qualname
            frame = frame.f_back
        return self.intern(name) if name else 0

    # -- tasks ----------------------------------------------------------------------

    def task_oid(self, task: Any) -> int:
        r = self.objects_get(id(task))
        return r.oid if r is not None else self.register_task(task).oid

    def register_task(self, task: Any, creation: Creation | None = None) -> Tracked:
        """First sight of a task: TASK_CREATED, TASK_INFO (+ CORO_SCHEDULED of its coroutine)."""
        r = self.rec.track(task, TASK, self.state.index)
        if creation is not None:
            coro = creation.coro
        elif task.done():
            # 3.12.1's C Task.get_coro() crashes on an eager task that already finished.
            coro = None
        else:
            coro = task.get_coro()
            creating = self.creating
            if creating and creating[-1].coro is coro:
                creation = creating[-1]
        if creation is not None:
            parent = creation.parent
            location = creation.location
        else:
            parent = 0
            try:
                current = _current_task(task.get_loop())
            except RuntimeError:
                current = None
            if current is not None and current is not task:
                parent = self.task_oid(current)
            location = self.caller_location(sys._getframe(1))
        coro_ref = self.objects_get(id(coro))
        coro_oid = coro_ref.oid if coro_ref is not None and coro_ref.flags & TRACKED_CORO else 0
        name = task.get_name()
        r.name = name
        strings_get = self.strings_get
        name_text = name if type(name) is str else str(name)
        qualname = getattr(coro, "__qualname__", None) or type(coro).__qualname__
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
        k = self.k
        now = time.monotonic_ns()
        self.rec.put(
            PACK12(
                k[EventKind.TASK_CREATED], now, r.oid, parent, coro_oid, location,
                k[EventKind.TASK_INFO], now, r.oid,
                strings_get(name_text) or self.intern(name_text),
                strings_get(qualname) or self.intern(qualname),
                self.definition_sid(code) if code is not None else 0,
            )
        )  # fmt: skip
        if coro_oid and not coro_ref.flags & SCHEDULED:  # type: ignore[union-attr]
            coro_ref.flags |= SCHEDULED  # type: ignore[union-attr]
            self.emit(k[EventKind.CORO_SCHEDULED], now, coro_oid, r.oid, 1, 0)
        return r

    def check_names(self) -> None:
        """TASK_RENAMED for eagerly finished tasks named after the fact (see eager_step)."""
        unnamed = self.unnamed
        while unnamed:
            r = unnamed.pop()
            task = r()
            if task is not None:
                name = task.get_name()
                if name is not r.name and name != r.name:
                    self.renamed(task, r, name, time.monotonic_ns())

    def renamed(self, task: Any, r: Tracked, name: Any, now: int) -> None:
        r.name = name
        self.emit(self.k[EventKind.TASK_RENAMED], now, r.oid, self.intern(str(name)), 0, 0)

    def task_done(self, task: Any, r: Tracked, now: int) -> None:
        """TASK_DONE (once), and the traceback as a TASK_EXCEPTION message."""
        if r.flags & DONE:
            return
        r.flags |= DONE
        name = task.get_name()
        if name is not r.name and name != r.name:
            self.renamed(task, r, name, now)
        outcome, detail, exc = outcome_of(task)
        sid = self.strings_get(detail) or self.intern(detail)
        self.emit(self.k[EventKind.TASK_DONE], now, r.oid, outcome, sid, 0)
        if exc is not None:
            self.rec.message(
                Message.TASK_EXCEPTION, t=now, task=r.oid, **exception_message_fields(exc)
            )

    def awaited(self, task: Any) -> int:
        """RUN_END's ``d`` for a task that is not done: what it now waits on."""
        waiter = task._fut_waiter
        if waiter is None:
            return Await.YIELD
        r = self.objects_get(id(waiter))
        if r is not None:
            return r.oid
        return self.discover_future(waiter, task).oid

    # -- futures --------------------------------------------------------------------

    def register_future(self, fut: Any, creator: int, task_oid: int) -> Tracked:
        r = self.rec.track(fut, 0, self.state.index)
        self.emit(
            self.k[EventKind.FUTURE_CREATED],
            time.monotonic_ns(),
            r.oid,
            task_oid,
            creator,
            self.intern(type(fut).__name__),
        )
        children = fut._children if type(fut) is tasks._GatheringFuture else None
        if children:
            k = self.k[EventKind.GATHER_CHILDREN]
            now = time.monotonic_ns()
            for child in children:
                self.emit(k, now, r.oid, self.future_oid(child), 0, 0)
        return r

    def discover_future(self, fut: Any, task: Any = None) -> Tracked:
        """A future (or task) not created through this loop's hooks, seen for the first time."""
        if isinstance(fut, _TASK_TYPES):
            return self.register_task(fut)
        creator = self.intern("gather") if type(fut) is tasks._GatheringFuture else 0
        task_oid = self.task_oid(task) if task is not None else 0
        return self.register_future(fut, creator, task_oid)

    def future_oid(self, fut: Any) -> int:
        r = self.objects_get(id(fut))
        if r is not None:
            return r.oid
        if type(fut) not in FUTURE_TYPES and not isinstance(fut, _TASK_TYPES):
            return 0
        return self.discover_future(fut).oid

    def future_done(self, fut: Any, now: int) -> int:
        """A done future's callbacks are being queued: FUTURE_DONE once. Returns its oid."""
        r = self.objects_get(id(fut))
        if r is None:
            if type(fut) not in FUTURE_TYPES and not isinstance(fut, _TASK_TYPES):
                return 0
            r = self.discover_future(fut)
        if not r.flags & (DONE | TASK):
            r.flags |= DONE
            outcome, detail, _exc = outcome_of(fut)
            self.emit(self.k[EventKind.FUTURE_DONE], now, r.oid, outcome, self.intern(detail), 0)
        return r.oid

    # -- timers ---------------------------------------------------------------------

    def timer_scheduled(self, timer: Any, deadline_ns: int) -> None:
        r = self.rec.track(timer, 0, self.state.index)
        callback = timer._callback
        qualname = getattr(callback, "__qualname__", None) or type(callback).__qualname__
        args = timer._args
        fut = 0
        if args and type(args[0]) in FUTURE_TYPES:
            fut = self.future_oid(args[0])
        self.emit(
            self.k[EventKind.TIMER_SCHEDULED],
            time.monotonic_ns(),
            r.oid,
            deadline_ns,
            self.intern(qualname),
            fut,
        )

    def eager_step(self, task: Any, coro: Any, start: int) -> None:
        """3.12+: the task's first step ran inside ``create_task``; record it as EAGER_STEP."""
        r = self.objects_get(id(task))
        if r is None:
            r = self.register_task(task)
        if task.done():
            now = time.monotonic_ns()
            self.emit(self.k[EventKind.EAGER_STEP], now, r.oid, start, 0, Await.DONE)
            self.task_done(task, r, now)
            # 3.12's asyncio.create_task names the task after the loop's create_task
            # returns; a task that already finished has no later step to notice it.
            self.unnamed.append(r)
            return
        awaited = self.awaited(task)
        location = self.locate(coro)
        now = time.monotonic_ns()
        self.emit(self.k[EventKind.EAGER_STEP], now, r.oid, start, location, awaited)
        name = task.get_name()
        if name != r.name:
            self.renamed(task, r, name, now)
