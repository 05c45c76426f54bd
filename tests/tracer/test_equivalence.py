"""A program cannot tell a tracing loop from a plain one (except by the clock).

The same program runs on asyncio's loop and on a TracingEventLoop, in normal
and in debug mode; everything it can observe — callback order, task names,
results and exceptions, ``all_tasks()``, the exception handler, contextvars,
where debug mode says objects were created — goes into a log, and the logs
must be equal.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import re
import sys
import threading

import pytest

from loopviz.tracer import Recorder, TracingEventLoop, tracing_loop_factory

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def normalise(text: str, base: int) -> str:
    """Task-N names are numbered process-wide: make them relative to the run's first task."""
    return re.sub(r"Task-(\d+)", lambda m: f"Task-{int(m.group(1)) - base}", text)


async def program(log: list) -> None:
    loop = asyncio.get_running_loop()
    base = int(asyncio.current_task().get_name().split("-")[1])

    def note(*item):
        log.append(normalise(repr(item), base))

    loop.set_exception_handler(
        lambda _loop, ctx: note("handler", ctx["message"], type(ctx.get("exception")).__name__)
    )
    note("debug", loop.get_debug())
    # Timers far apart from everything else, so that the order a slower (recording,
    # debug) loop sees is the order a plain one sees.
    loop.call_soon(note, "soon 1")
    loop.call_later(0.3, note, "later")
    loop.call_soon(note, "cancelled").cancel()
    loop.call_at(loop.time() + 0.2, note, "at")
    loop.call_soon(note, "soon 2")

    async def worker(n: int) -> int:
        request_id.set(f"req {n}")
        note("start", n, asyncio.current_task().get_name())
        await asyncio.sleep(0)
        note("middle", n, request_id.get())
        await asyncio.sleep(0.02 * n)
        if n == 2:
            raise KeyError(n)
        note("end", n)
        return n * 10

    tasks = [asyncio.create_task(worker(i)) for i in range(4)]
    tasks.append(asyncio.create_task(worker(9), name="named"))
    note("all_tasks", sorted(t.get_name() for t in asyncio.all_tasks()))
    results = await asyncio.gather(*tasks, return_exceptions=True)
    note("results", [repr(r) for r in results])

    await asyncio.sleep(0.35)  # both timers fire here

    # cancellation, with and without a message
    sleeper = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    sleeper.cancel("stop")
    try:
        await sleeper
    except asyncio.CancelledError as exc:
        note("cancelled", exc.args, sleeper.cancelled(), sleeper.cancelling())

    # timeouts
    try:
        await asyncio.wait_for(asyncio.sleep(1), 0.005)
    except TimeoutError:
        note("timeout")

    # queues, locks, events, semaphores
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    lock, event = asyncio.Lock(), asyncio.Event()

    async def producer():
        for i in range(3):
            await queue.put(i)
            note("put", i)
        async with lock:
            event.set()

    async def consumer():
        for _ in range(3):
            note("got", await queue.get())
        await event.wait()
        async with lock:
            note("locked", lock.locked())

    await asyncio.gather(producer(), consumer())

    # TaskGroup and exception groups
    async def fails():
        await asyncio.sleep(0)
        raise ValueError("in group")

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fails())
            group.create_task(asyncio.sleep(1))
    except* ValueError as eg:
        note("group", [str(e) for e in eg.exceptions])

    # threads and executors
    done = asyncio.Event()
    threading.Thread(target=lambda: loop.call_soon_threadsafe(done.set)).start()
    await done.wait()
    note("executor", await loop.run_in_executor(None, sum, [1, 2, 3]))
    fut = asyncio.run_coroutine_threadsafe(asyncio.sleep(0, "from thread"), loop)
    await asyncio.sleep(0.01)
    note("threadsafe coroutine", fut.result(timeout=1))

    # an exception nobody retrieves reaches the exception handler when the task dies
    orphan = asyncio.create_task(fails())
    await asyncio.sleep(0.01)
    del orphan
    gc.collect()
    await asyncio.sleep(0)

    # async generators are finalised by the loop
    async def agen():
        try:
            yield 1
            yield 2
        finally:
            note("agen closed")

    async for value in agen():
        note("agen", value)
        break
    gc.collect()
    await asyncio.sleep(0)

    # debug mode: where objects say they were created
    if loop.get_debug():
        handle = loop.call_soon(note, "tb")
        timer = loop.call_later(10, note, "tb")
        future = loop.create_future()
        task = asyncio.create_task(asyncio.sleep(0))
        for what, obj in (("handle", handle), ("timer", timer), ("future", future), ("task", task)):
            entry = obj._source_traceback[-1]
            note("created at", what, entry.name, entry.lineno, entry.line)
        timer.cancel()
        await task
    note("end")


def run(factory, debug: bool) -> list:
    log: list = []
    with asyncio.Runner(loop_factory=factory, debug=debug) as runner:
        runner.run(program(log))
    return log


@pytest.mark.parametrize("debug", [False, True], ids=["normal", "debug"])
def test_a_program_sees_the_same_on_a_tracing_loop(debug):
    plain = run(asyncio.new_event_loop, debug)
    recorder = Recorder()
    traced = run(tracing_loop_factory(recorder), debug)
    assert traced == plain
    assert not [m for m in recorder.take()[2] if m["k"] == "recorder_error"]


def test_ready_queue_stays_a_deque_the_loop_uses():
    import collections

    loop = TracingEventLoop()
    try:
        assert isinstance(loop._ready, collections.deque)
        loop.call_soon(print, "x")
        assert len(loop._ready) == 1
        assert loop._ready[0]._callback is print
        loop._ready.clear()
        assert not loop._ready
    finally:
        loop.close()


def unclosed_loop_warnings(cls) -> tuple[list[str], list[str]]:
    """Warnings when a loop is dropped unclosed: (before a GC pass, after one)."""
    import warnings

    loop = cls()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.disable()
        try:
            del loop
            before = [str(w.message).split(" <")[0] for w in caught]
        finally:
            gc.enable()
        gc.collect()
        after = [str(w.message).split(" <")[0] for w in caught]
    return before, after


def test_dropping_an_unclosed_loop_warns_exactly_when_a_plain_one_does():
    """The recorder adds no reference that would delay or prevent the loop's finaliser."""
    assert unclosed_loop_warnings(TracingEventLoop) == unclosed_loop_warnings(
        asyncio.SelectorEventLoop
    )


@pytest.mark.skipif(sys.version_info < (3, 12), reason="a task factory only renames on 3.13.0")
def test_a_task_factory_is_honoured_as_asyncio_does():
    def factory(loop, coro, **kwargs):
        task = asyncio.Task(coro, loop=loop, **kwargs)
        task.made_by_factory = False
        return task

    async def main():
        asyncio.get_running_loop().set_task_factory(
            lambda loop, coro, **kw: asyncio.Task(coro, loop=loop, **kw)
        )
        task = asyncio.create_task(asyncio.sleep(0))
        named = asyncio.create_task(asyncio.sleep(0), name="given")
        await asyncio.gather(task, named)
        return task.get_name(), named.get_name()

    plain = asyncio.run(main())
    with asyncio.Runner(loop_factory=tracing_loop_factory()) as runner:
        traced = runner.run(main())
    assert normalise(str(traced), 0).split("-")[0] == normalise(str(plain), 0).split("-")[0]
    assert traced[1] == plain[1] == "given"
    assert (traced[0] == "None") == (plain[0] == "None")
