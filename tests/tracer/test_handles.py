"""Every handle that enters the ready queue is recorded with what it is and how it came."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

from tracer_records import read, run_traced

from loopviz.protocol import EventKind, HandleKind, Origin
from loopviz.tracer import Recorder, TracingEventLoop


def test_task_steps_and_wakeups_carry_their_task():
    recorder = Recorder()

    async def child():
        await asyncio.sleep(0)
        return 1

    async def main():
        asyncio.current_task().set_name("main")
        t = asyncio.create_task(child(), name="child")
        await t

    run_traced(main, recorder)
    rec = read(recorder)
    rec.check_serials()
    rec.check_time_order()
    main_oid, child_oid = rec.task_named("main"), rec.task_named("child")
    kinds = [
        (e.b, kind, origin) for e, kind, origin in rec.enqueues() if e.b in (main_oid, child_oid)
    ]
    assert (child_oid, HandleKind.STEP, Origin.CALL_SOON) in kinds
    # main awaits child: woken by the child task's completion (d = child's oid)
    wakeups = [e for e, kind, _ in rec.enqueues() if kind == HandleKind.WAKEUP and e.b == main_oid]
    assert [w.d for w in wakeups] == [child_oid]
    # child's bare yield: RUN_END says "yielded", then its step is queued again
    child_ends = [end.d for _, end in rec.runs(child_oid)]
    assert child_ends == [-1, -2]


def test_timer_fires_as_a_timer_origin_handle():
    recorder = Recorder()
    fired = []

    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, fired.append, "x")
        await asyncio.sleep(0.1)

    run_traced(main, recorder)
    rec = read(recorder)
    rec.check_serials()
    timers = {r.a: r for r in rec.of(EventKind.TIMER_SCHEDULED)}
    mine = [r for r in timers.values() if rec.s(r.c) == "list.append"]
    assert len(mine) == 1
    timer = mine[0]
    assert 40e6 < timer.b - timer.t < 80e6  # deadline ≈ 50 ms later, on the monotonic clock
    fired_enqueue = [
        e for e, kind, origin in rec.enqueues() if origin == Origin.TIMER and e.d == timer.a
    ]
    assert len(fired_enqueue) == 1
    assert fired_enqueue[0].t >= timer.b - 2_000_000
    # asyncio.sleep's timer resolves the sleep future
    sleep_future = next(r.a for r in rec.of(EventKind.FUTURE_CREATED) if rec.s(r.c) == "sleep")
    assert any(t.d == sleep_future for t in timers.values())
    assert fired == ["x"]


def test_cancelled_timer_and_cancelled_handle():
    recorder = Recorder()

    async def main():
        loop = asyncio.get_running_loop()
        timer = loop.call_later(10, print, "never")
        timer.cancel()
        handle = loop.call_soon(print, "never either")
        handle.cancel()
        await asyncio.sleep(0)

    run_traced(main, recorder)
    rec = read(recorder)
    cancelled = rec.of(EventKind.TIMER_CANCELLED)
    scheduled = [r for r in rec.of(EventKind.TIMER_SCHEDULED) if rec.s(r.c) == "print"]
    assert [r.a for r in cancelled] == [scheduled[0].a]
    begins = [b for b, _ in rec.runs() if b.c == 1]
    assert len(begins) == 1  # popped without running: RUN_BEGIN c=1, no RUN_END
    assert not [e for b in begins for e in rec.of(EventKind.RUN_END) if e.a == b.a]


def test_io_callbacks_have_io_origin():
    recorder = Recorder()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)

    async def main():
        loop = asyncio.get_running_loop()
        got = loop.create_future()

        def on_readable():
            got.set_result(a.recv(10))

        loop.add_reader(a.fileno(), on_readable)
        loop.call_later(0.02, b.send, b"hello")
        try:
            assert await got == b"hello"
        finally:
            loop.remove_reader(a.fileno())

    try:
        run_traced(main, recorder)
    finally:
        a.close()
        b.close()
    rec = read(recorder)
    rec.check_serials()
    io = [(e, kind) for e, kind, origin in rec.enqueues() if origin == Origin.IO]
    names = {rec.s(e.d) for e, kind in io if kind == HandleKind.CALLBACK}
    assert any(name.endswith("on_readable") for name in names), names
    selects = rec.of(EventKind.SELECT_END)
    assert any(r.a >= 1 for r in selects)


def test_call_soon_threadsafe_from_another_thread():
    recorder = Recorder()
    loop = TracingEventLoop(recorder=recorder)
    seen = []

    async def main():
        done = asyncio.Event()

        def worker():
            time.sleep(0.02)
            for n in range(50):
                loop.call_soon_threadsafe(seen.append, n)
            loop.call_soon_threadsafe(done.set)

        thread = threading.Thread(target=worker)
        thread.start()
        for _ in range(200):  # keep the loop thread appending too
            await asyncio.sleep(0)
        await done.wait()
        thread.join()

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    assert seen == list(range(50))
    rec = read(recorder)
    rec.check_serials()
    rec.check_time_order()
    threadsafe = [e for e, kind, origin in rec.enqueues() if origin == Origin.THREADSAFE]
    assert len(threadsafe) >= 51
    assert {rec.s(e.d) for e in threadsafe} >= {"list.append", "Event.set"}
    # The loop thread's own call_soon handles are not marked threadsafe.
    steps = [origin for _, kind, origin in rec.enqueues() if kind == HandleKind.STEP]
    assert steps and set(steps) == {Origin.CALL_SOON}


def test_iterations_bracket_select_and_count_the_handles():
    recorder = Recorder()

    async def main():
        for _ in range(3):
            await asyncio.sleep(0.01)

    run_traced(main, recorder)
    rec = read(recorder)
    iteration: list = []
    for r in rec.records:
        if r.kind == EventKind.SELECT_BEGIN:
            iteration = [r]
        elif r.kind in (EventKind.SELECT_END, EventKind.RUN_BEGIN, EventKind.ITERATION_END):
            iteration.append(r)
            if r.kind == EventKind.ITERATION_END:
                assert iteration[0].kind == EventKind.SELECT_BEGIN
                assert iteration[1].kind == EventKind.SELECT_END
                ran = [x for x in iteration if x.kind == EventKind.RUN_BEGIN and not x.c]
                assert r.a == len(ran)
    waits = [r for r in rec.of(EventKind.SELECT_BEGIN) if r.a > 0]
    assert waits and all(r.a < 20_000_000 for r in waits)  # the sleeps' timeouts, in ns


def test_python_tasks_steps_and_wakeups_are_recognised():
    """asyncio's pure-Python Task (used where the C one is missing) is followed the same way."""
    from asyncio import tasks

    recorder = Recorder()

    async def child():
        await asyncio.sleep(0)
        await asyncio.sleep(0.001)
        return "done"

    async def main():
        loop = asyncio.get_running_loop()
        loop.set_task_factory(lambda loop, coro, **kw: tasks._PyTask(coro, loop=loop, **kw))
        return await asyncio.create_task(child(), name="py child")

    assert run_traced(main, recorder) == "done"
    rec = read(recorder)
    rec.check_serials()
    child_oid = rec.task_named("py child")
    kinds = [kind for e, kind, _ in rec.enqueues() if e.b == child_oid]
    assert kinds == [HandleKind.STEP, HandleKind.STEP, HandleKind.WAKEUP]
    ends = [end.d for _, end in rec.runs(child_oid)]
    assert ends[0] == -1 and ends[1] > 0 and ends[2] == -2
    assert rec.tasks()[child_oid]["detail"] == "'done'"
