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
from loopviz.tracer.objects import FUTURE_TYPES, LEAF, ObjectTracker
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
    buffer_length = rec.buffer_length
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
                        r = current_ref
                        sq_append((serial, r, r.oid))
                        e_serial = serial
                        d_append(self, handle)
                        return
                    r = objects_get(id(task)) or register_task(task)
                    sq_append((serial, r, r.oid))
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
                v = (serial, r, toid)
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

    def take_serial(handle: Any) -> tuple[int, Any, int]:
        """(serial, task entry or None, task oid) stored when ``handle`` was appended."""
        try:
            return (foreign_pop(id(handle), None) or sq_popleft()) if foreign else sq_popleft()
        except IndexError:  # a handle added behind our back (deque.extend, insert, ...)
            return next_serial(), None, 0

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
        serial, r, toid = take_serial(handle)
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

    def run_rest(ready: deque, left: int) -> int:
        """asyncio's handle loop, unrecorded: what is left after recording failed."""
        for i in range(left):
            if st.debug:
                return left - i
            handle = d_popleft(ready)
            if not handle._cancelled:
                handle._run()
        return 0

    def run_ready(ready: deque, ntodo: int) -> int:
        """The handle loop of ``_run_once`` (non-debug), with the recording inline.

        Same asyncio steps, in the same order: take ``ntodo`` handles, skip the
        cancelled ones, ``handle._run()`` the others. Everything else is recording,
        each part guarded so that a failure only switches recording off (and
        :func:`run_rest` runs the rest of the iteration).

        A handle's RUN_END is worked out right after it returns, but written
        together with the next RUN_BEGIN (one write, one clock read: both happen
        "now"); a bare yield's ENQUEUE joins them.

        Why ``running``/``current_task`` are only set when ``handle._run()`` raises:
        ``Handle._run`` catches every ``Exception``, so only a ``BaseException``
        (``KeyboardInterrupt``, ``SystemExit``) leaves a run open, and a ``try`` costs
        nothing on 3.11+ until it catches; ``end_iteration`` then closes the run.
        ``count`` is likewise added once per iteration, not once per handle, and
        ``st.serial`` (what the watchdog watches) is replaced by the next handle's, and
        cleared at the end of the iteration, not after each handle.
        """
        nonlocal running, current_task, current_ref, count, yield_task, e_serial
        nonlocal p_serial, p_toid, p_c, p_d, p_enq
        if not on:
            return run_rest(ready, ntodo)
        if running:  # a run the generic path left open
            end_run(mono())
        for i in range(ntodo):
            if st.debug:  # a callback turned debug mode on: asyncio's branch does the rest
                count += i
                st.serial = 0
                return ntodo - i
            handle = d_popleft(ready)
            try:
                now = mono()
                if foreign:
                    serial, r, toid = take_serial(handle)
                else:
                    try:
                        serial, r, toid = sq_popleft()
                    except IndexError:
                        serial, r, toid = next_serial(), None, 0
                cancelled = handle._cancelled
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
                    count -= 1
                    continue
                st.start = now
                st.task = toid
                st.serial = serial
                if r is not None:
                    yield_task = task = handle._callback.__self__
                    current_ref = r
            except Exception as exc:
                fail(exc)
                if not handle._cancelled:
                    handle._run()
                return run_rest(ready, ntodo - i - 1)
            try:
                handle._run()
            except BaseException:
                running = serial  # end_iteration (in _run_once's finally) closes this run
                current_task = yield_task
                count += i + 1
                raise
            if not on:  # the append hook failed during the run
                return run_rest(ready, ntodo - i - 1)
            try:
                if unnamed:
                    check_names()
                if serial == st.watched:
                    st.watched_end = mono()
                if r is None:
                    p_serial = serial
                    p_toid = p_c = p_d = 0
                    continue
                yield_task = None
                if e_serial:  # the task queued its own next step: a bare yield, not done
                    p_enq = e_serial
                    e_serial = 0
                    d = yielded
                elif (waiter := task._fut_waiter) is None:
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
                # for the common case: user code awaiting one of asyncio's leaf coroutines;
                # code_lines only holds user code, so finding the code there says "user").
                coro = task.get_coro()
                sids = lines_get(id(coro.cr_code)) if coro.__class__ is coro_type else None
                if sids is not None:
                    inner = coro.cr_await
                    if inner.__class__ is coro_type and kinds_get(id(inner.cr_code)) == LEAF:
                        frame = coro.cr_frame
                        c = sids.get(frame.f_lasti)
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
                return run_rest(ready, ntodo - i - 1)
        count += ntodo
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
                st.serial = 0
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
                if buffer_length() > rec.buffer_limit:  # the app is not keeping up
                    rec.trim()
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
