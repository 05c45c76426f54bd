"""The recording ready queue: the one hook that sees every handle (DESIGN.md).

``call_soon``, ``call_soon_threadsafe``, timers firing and selector I/O all end
in ``loop._ready.append(handle)``, so a ``deque`` subclass whose ``append``
records sees every handle enter the queue. Runs are recorded by
:func:`make_ready_queue`'s ``run_ready``, the handle loop of the tracing
loop's ``_run_once``; when asyncio's own ``_run_once`` runs instead (debug
mode), the queue's ``popleft`` records them (a run ends at the next
``popleft`` or at the end of the iteration).

Why closures in a per-loop class: this is the hot path — three records per
handle. The functions keep what they touch in closure cells (no attribute
lookups on ``self``), and they live on a class made for this loop, so the
queue instance has no ``__dict__`` and no reference cycle: a loop dropped
without ``close()`` still frees its queue, and the handles and tasks in it,
by reference counting, as a plain deque would.

Why serials travel in a second deque: ENQUEUE and RUN_BEGIN must agree on a
handle's serial. Handles appended by the loop's own thread leave the queue in
the order they entered it, so their serials (with the task's entry, saving a
lookup) ride in a parallel FIFO. Another thread may append
(``call_soon_threadsafe``) between this thread's two appends, so its handles
keep their serials under ``id(handle)`` instead.
"""

from __future__ import annotations

import itertools
import threading
import time
from asyncio import events, tasks
from collections import deque
from collections.abc import Callable
from types import BuiltinFunctionType, CoroutineType, MethodType
from typing import Any, NamedTuple

from loopviz.protocol import Await, EventKind, HandleKind, Origin
from loopviz.tracer.objects import FUTURE_TYPES, LEAF, USER, ObjectTracker
from loopviz.tracer.recorder import PACK6, PACK12, PACK18

_PY_TASK_KINDS: dict[Any, int] = {}
for _name, _kind in (("_Task__step", HandleKind.STEP), ("_Task__wakeup", HandleKind.WAKEUP)):
    _func = getattr(tasks._PyTask, _name, None)
    if _func is not None:
        _PY_TASK_KINDS[_func] = int(_kind)


class Hooks(NamedTuple):
    """What :func:`make_ready_queue` gives the loop."""

    queue: deque
    """The recording ready queue (install as ``loop._ready``)."""
    run_ready: Callable[[deque, int], int]
    """Runs ``ntodo`` handles of the queue as ``_run_once`` does, recording each run;
    returns how many are left if a callback turned debug mode on."""
    end_iteration: Callable[[], None]
    """Ends the iteration (and a run left open by an exception): ITERATION_END."""


def make_ready_queue(
    tracker: ObjectTracker,
    initial: Any = (),
    on_error: Callable[[BaseException], None] | None = None,
    strip: Callable[[Any], None] | None = None,
) -> Hooks:
    """The recording ready queue of one loop, and the functions its ``_run_once`` uses.

    ``on_error`` is called (once) if recording fails; recording is then off for
    this loop and the queue behaves exactly as a plain deque.
    """
    st = tracker.state
    rec = tracker.rec
    put = rec.put
    p6 = PACK6
    p12 = PACK12
    p18 = PACK18
    mono = time.monotonic_ns
    get_ident = threading.get_ident
    objects_get = rec.objects.get
    intern = rec.intern
    register_task = tracker.register_task
    future_done = tracker.future_done
    task_done = tracker.task_done
    locate = tracker.locate
    awaited = tracker.awaited
    renamed = tracker.renamed
    unnamed = tracker.unnamed
    check_names = tracker.check_names
    kinds_get = tracker.code_kinds.get
    lines_get = tracker.code_lines.get
    frame_sid = tracker.frame_sid
    next_serial = itertools.count(1).__next__
    serial_queue: deque[Any] = deque()
    sq_append = serial_queue.append
    sq_popleft = serial_queue.popleft
    foreign: dict[int, Any] = {}
    foreign_pop = foreign.pop
    k = tracker.k
    k_enqueue = k[EventKind.ENQUEUE]
    k_begin = k[EventKind.RUN_BEGIN]
    k_end = k[EventKind.RUN_END]
    k_iteration = k[EventKind.ITERATION_END]
    step = int(HandleKind.STEP)
    wakeup = int(HandleKind.WAKEUP)
    callback_kind = int(HandleKind.CALLBACK)
    by_timer = int(Origin.TIMER) << 8
    by_io = int(Origin.IO) << 8
    by_thread = int(Origin.THREADSAFE) << 8
    yielded = int(Await.YIELD)
    finished = int(Await.DONE)
    timer_type = events.TimerHandle
    builtin = BuiltinFunctionType
    method = MethodType
    coro_type = CoroutineType
    py_kinds = _PY_TASK_KINDS
    future_types = FUTURE_TYPES
    d_append = deque.append
    d_popleft = deque.popleft
    d_clear = deque.clear

    on = True
    step_type: Any = None
    running = 0
    """Serial of the handle being run (0: none); set at RUN_BEGIN, cleared at RUN_END."""
    current_task: Any = None
    current_ref: Any = None
    count = 0
    # The RUN_END waiting to be written with the next RUN_BEGIN (p_serial 0: none), and
    # the ENQUEUE of the task's own next step (p_enq) when its step ended in a bare yield.
    p_serial = p_toid = p_c = p_d = p_enq = 0
    yield_task: Any = None  # the task whose step run_ready is running
    e_serial = 0  # serial of that task's self-enqueue during this run (0: none)

    def fail(exc: BaseException) -> None:
        nonlocal on, running, current_task, current_ref, yield_task
        on = False
        st.enabled = False
        st.serial = 0
        running = 0
        current_task = current_ref = yield_task = None
        if on_error is not None:
            on_error(exc)

    def append(self: deque, handle: Any) -> None:
        nonlocal step_type, e_serial
        if on:
            try:
                if st.debug and strip is not None:
                    strip(handle)
                cb = handle._callback
                tcb = type(cb)
                if tcb is step_type:
                    # The hot path: a task's step, from call_soon on the loop's thread
                    # (task handles come from the loop's own thread in a correct program).
                    task = cb.__self__
                    serial = next_serial()
                    if task is yield_task:
                        # A bare yield: the running task queues its next step as the last
                        # thing its step does; run_ready writes this ENQUEUE with the step's
                        # RUN_END (one clock read: nothing else happens in between).
                        sq_append((serial, current_ref))
                        e_serial = serial
                        d_append(self, handle)
                        return
                    r = objects_get(id(task)) or register_task(task)
                    sq_append((serial, r))
                    put(p6(k_enqueue, mono(), serial, r.oid, step, 0))
                    d_append(self, handle)
                    return
                toid = 0
                d = 0
                r = None
                if tcb is builtin and cb.__name__ == "task_wakeup":
                    task = cb.__self__
                    r = objects_get(id(task)) or register_task(task)
                    toid = r.oid
                    c = wakeup
                    d = future_done(handle._args[0], mono())
                elif tcb is method and cb.__func__ in py_kinds:
                    task = cb.__self__
                    r = objects_get(id(task)) or register_task(task)
                    toid = r.oid
                    c = py_kinds[cb.__func__]
                    if c == wakeup:
                        d = future_done(handle._args[0], mono())
                elif step_type is None and tcb.__name__ == "TaskStepMethWrapper":
                    step_type = tcb
                    task = cb.__self__
                    r = objects_get(id(task)) or register_task(task)
                    toid = r.oid
                    c = step
                else:
                    c = callback_kind
                    if cb is not None:
                        d = intern(getattr(cb, "__qualname__", None) or tcb.__qualname__)
                        args = handle._args
                        if args and type(args[0]) in future_types and args[0].done():
                            future_done(args[0], mono())
                    if handle.__class__ is timer_type:
                        c |= by_timer
                        rt = objects_get(id(handle))
                        d = rt.oid if rt is not None else 0
                    elif st.io:
                        c |= by_io
                serial = next_serial()
                v = (serial, r) if toid else serial
                thread = st.thread
                if thread is None or get_ident() == thread:
                    sq_append(v)
                else:
                    c |= by_thread
                    foreign[id(handle)] = v
                put(p6(k_enqueue, mono(), serial, toid, c, d))
            except Exception as exc:
                fail(exc)
        d_append(self, handle)

    def take_serial(handle: Any) -> Any:
        """The (serial, task entry) or serial stored when ``handle`` was appended."""
        try:
            return (foreign_pop(id(handle), None) or sq_popleft()) if foreign else sq_popleft()
        except IndexError:  # a handle added behind our back (deque.extend, insert, ...)
            return next_serial()

    def end_task_run(task: Any, r: Any, serial: int, now: int) -> int:
        """RUN_END of a task's handle (+ TASK_DONE, TASK_RENAMED); returns the time used."""
        if task.done():
            put(p6(k_end, now, serial, r.oid, 0, finished))
            task_done(task, r, now)
            return now
        waiter = task._fut_waiter
        if waiter is None:
            d = yielded
        else:
            rw = objects_get(id(waiter))
            if rw is not None:
                d = rw.oid
            else:  # first sight of what it awaits: its records come first
                d = awaited(task)
                now = mono()
        put(p6(k_end, now, serial, r.oid, locate(task.get_coro()), d))
        name = task.get_name()
        if name is not r.name and name != r.name:
            renamed(task, r, name, now)
        return now

    def flush(now: int) -> int:
        """Write what run_ready held back (a self-enqueue, a RUN_END) before anything else."""
        nonlocal p_enq, p_serial, e_serial
        if e_serial:  # the run that queued it never finished (an exception went through)
            put(p6(k_enqueue, now, e_serial, current_ref.oid if current_ref else 0, step, 0))
            e_serial = 0
        if p_enq:
            put(p6(k_enqueue, now, p_enq, p_toid, step, 0))
            p_enq = 0
        if p_serial:
            put(p6(k_end, now, p_serial, p_toid, p_c, p_d))
            p_serial = 0
        return now

    def end_run(now: int) -> int:
        """Record the end of the running handle (generic path); returns the time used."""
        nonlocal running, current_task, current_ref, yield_task
        now = flush(now)
        if unnamed:
            check_names()
        serial = running
        running = 0
        if serial == st.watched:
            st.watched_end = now
        st.serial = 0
        task = current_task
        if task is None:
            put(p6(k_end, now, serial, 0, 0, 0))
            return now
        r = current_ref
        current_task = current_ref = yield_task = None
        return end_task_run(task, r, serial, now)

    def begin_run(handle: Any, now: int) -> None:
        """RUN_BEGIN of a handle just taken from the queue (generic path)."""
        nonlocal running, current_task, current_ref, count
        v = take_serial(handle)
        if v.__class__ is int:
            serial = v
            r = None
            toid = 0
        else:
            serial, r = v
            toid = r.oid
        if handle._cancelled:
            put(p6(k_begin, now, serial, toid, 1, 0))
            return
        put(p6(k_begin, now, serial, toid, 0, 0))
        st.start = now
        st.task = toid
        st.serial = serial
        running = serial
        if r is not None:
            current_task = handle._callback.__self__
            current_ref = r
        count += 1

    def popleft(self: deque) -> Any:
        """Generic path: asyncio's own ``_run_once`` takes the handle it runs next."""
        handle = d_popleft(self)
        if on:
            try:
                now = flush(mono())
                if running:
                    now = end_run(now)
                begin_run(handle, now)
            except Exception as exc:
                fail(exc)
        return handle

    def clear(self: deque) -> None:
        d_clear(self)
        serial_queue.clear()
        foreign.clear()

    def run_ready(ready: deque, ntodo: int) -> int:
        """The handle loop of ``_run_once`` (non-debug), with the recording inline.

        Same asyncio steps, in the same order: take ``ntodo`` handles, skip the
        cancelled ones, ``handle._run()`` the others. Everything else is recording,
        each part guarded so that a failure only switches recording off.

        A handle's RUN_END is worked out right after it returns, but written
        together with the next RUN_BEGIN (one write, one clock read: both happen
        "now"); a bare yield's ENQUEUE joins them.
        """
        nonlocal running, current_task, current_ref, count, yield_task, e_serial
        nonlocal p_serial, p_toid, p_c, p_d, p_enq
        for i in range(ntodo):
            if st.debug:  # a callback turned debug mode on: asyncio's branch does the rest
                return ntodo - i
            handle = d_popleft(ready)
            if not on:
                if not handle._cancelled:
                    handle._run()
                continue
            try:
                now = mono()
                if running:  # a run left open by an exception; close it
                    now = end_run(now)
                if foreign:
                    v = take_serial(handle)
                else:
                    try:
                        v = sq_popleft()
                    except IndexError:
                        v = next_serial()
                if v.__class__ is int:
                    serial = v
                    r = None
                    toid = 0
                else:
                    serial, r = v
                    toid = r.oid
                cancelled = 1 if handle._cancelled else 0
                if p_serial:
                    if p_enq:
                        put(
                            p18(
                                k_enqueue, now, p_enq, p_toid, step, 0,
                                k_end, now, p_serial, p_toid, p_c, p_d,
                                k_begin, now, serial, toid, cancelled, 0,
                            )
                        )  # fmt: skip
                        p_enq = 0
                    else:
                        put(
                            p12(
                                k_end, now, p_serial, p_toid, p_c, p_d,
                                k_begin, now, serial, toid, cancelled, 0,
                            )
                        )  # fmt: skip
                    p_serial = 0
                else:
                    put(p6(k_begin, now, serial, toid, cancelled, 0))
                if cancelled:
                    continue
                st.start = now
                st.task = toid
                st.serial = serial
                running = serial
                count += 1
                if r is not None:
                    current_task = yield_task = task = handle._callback.__self__
                    current_ref = r
            except Exception as exc:
                fail(exc)
                if not handle._cancelled:
                    handle._run()
                continue
            handle._run()
            if not on:
                continue
            try:
                yield_task = None
                if unnamed:
                    check_names()
                running = 0
                if serial == st.watched:
                    st.watched_end = mono()
                st.serial = 0
                if r is None:
                    p_serial = serial
                    p_toid = p_c = p_d = 0
                    continue
                current_task = current_ref = None
                if e_serial:
                    p_enq = e_serial
                    e_serial = 0
                waiter = task._fut_waiter
                if waiter is None:
                    if task.done():
                        now = flush_enqueue(toid)
                        put(p6(k_end, now, serial, toid, 0, finished))
                        task_done(task, r, now)
                        continue
                    d = yielded
                else:
                    rw = objects_get(id(waiter))
                    if rw is not None:
                        d = rw.oid
                    else:
                        end_task_run(task, r, serial, flush_enqueue(toid))
                        continue
                # Innermost user frame along the await chain (ObjectTracker.locate, inline
                # for the common case: user code awaiting one of asyncio's leaf coroutines).
                coro = task.get_coro()
                if coro.__class__ is coro_type and kinds_get(id(coro.cr_code)) == USER:
                    inner = coro.cr_await
                    if inner.__class__ is coro_type and kinds_get(id(inner.cr_code)) == LEAF:
                        frame = coro.cr_frame
                        sids = lines_get(id(coro.cr_code))
                        c = sids.get(frame.f_lasti) if sids is not None else None
                        if c is None:
                            c = frame_sid(frame)
                    else:
                        c = locate(coro)
                else:
                    c = locate(coro)
                name = task.get_name()
                if name is not r.name and name != r.name:
                    now = flush_enqueue(toid)
                    put(p6(k_end, now, serial, toid, c, d))
                    renamed(task, r, name, now)
                    continue
                p_serial = serial
                p_toid = toid
                p_c = c
                p_d = d
            except Exception as exc:
                fail(exc)
        return 0

    def flush_enqueue(toid: int) -> int:
        """Write a held-back self-enqueue now (a record other than RUN_END follows)."""
        nonlocal p_enq
        now = mono()
        if p_enq:
            put(p6(k_enqueue, now, p_enq, toid, step, 0))
            p_enq = 0
        return now

    def end_iteration() -> None:
        """End of ``_run_once``: close a run left open, write ITERATION_END."""
        nonlocal count, p_serial, p_enq, yield_task
        if on:
            try:
                now = mono()
                if running:
                    now = end_run(now)
                yield_task = None
                if p_enq:
                    put(p6(k_enqueue, now, p_enq, p_toid, step, 0))
                    p_enq = 0
                if p_serial:
                    put(
                        p12(
                            k_end, now, p_serial, p_toid, p_c, p_d,
                            k_iteration, now, count, 0, 0, 0,
                        )
                    )  # fmt: skip
                    p_serial = 0
                else:
                    put(p6(k_iteration, now, count, 0, 0, 0))
                count = 0
            except Exception as exc:
                fail(exc)

    queue_class = type(
        "ReadyQueue",
        (deque,),
        {
            "__slots__": (),
            "__module__": __name__,
            "__doc__": "asyncio's ready queue, recording each handle's entry and run.",
            "append": append,
            "popleft": popleft,
            "clear": clear,
        },
    )
    queue = queue_class()
    for handle in initial:  # normally none: the loop's queue is empty at creation
        queue.append(handle)
    return Hooks(queue, run_ready, end_iteration)
