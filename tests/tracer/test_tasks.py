"""Tasks and futures: who made them, what they wait on, how they end."""

from __future__ import annotations

import asyncio
import sys

import pytest
from tracer_records import read, run_traced

from loopviz.protocol import Await, EventKind, Message, Outcome
from loopviz.tracer import Recorder, TracingEventLoop


async def returns_value():
    await asyncio.sleep(0)
    return {"answer": 42}


async def raises():
    await asyncio.sleep(0)
    raise ValueError("bad input")


async def sleeps_forever():
    await asyncio.sleep(3600)


def test_task_outcomes_result_exception_cancelled():
    recorder = Recorder()

    async def main():
        ok = asyncio.create_task(returns_value(), name="ok")
        bad = asyncio.create_task(raises(), name="bad")
        stuck = asyncio.create_task(sleeps_forever(), name="stuck")
        await asyncio.sleep(0.01)
        stuck.cancel("enough")
        await asyncio.gather(ok, bad, stuck, return_exceptions=True)

    run_traced(main, recorder)
    rec = read(recorder)
    tasks = rec.tasks()
    ok, bad, stuck = (tasks[rec.task_named(n)] for n in ("ok", "bad", "stuck"))
    assert (ok["outcome"], ok["detail"]) == (Outcome.RESULT, "{'answer': 42}")
    assert (bad["outcome"], bad["detail"]) == (Outcome.EXCEPTION, "ValueError: bad input")
    assert stuck["outcome"] == Outcome.CANCELLED
    # (the C Task keeps the cancel message where only a consuming call can read it)
    assert stuck["detail"] in ("enough", "")
    (exc,) = rec.msgs(Message.TASK_EXCEPTION)
    assert exc["task"] == rec.task_named("bad")
    assert exc["type"] == "ValueError" and exc["message"] == "bad input"
    assert 'in raises\n    raise ValueError("bad input")' in exc["traceback"]
    assert ok["coro"] == "returns_value"
    assert ok["definition"].endswith(f"test_tasks.py:{returns_value.__code__.co_firstlineno}")


def test_unretrieved_exception_still_reaches_the_exception_handler():
    """Reading the outcome must not mark the exception retrieved (asyncio logs it on GC)."""
    recorder = Recorder()
    contexts = []

    async def main():
        asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: contexts.append(ctx))
        task = asyncio.create_task(raises())
        await asyncio.sleep(0.01)
        assert task.done()
        del task
        import gc

        gc.collect()

    run_traced(main, recorder)
    assert [c["message"] for c in contexts] == ["Task exception was never retrieved"]
    rec = read(recorder)
    (handler,) = rec.msgs(Message.EXCEPTION_HANDLER)
    assert handler["message"] == "Task exception was never retrieved"
    assert handler["exception"] == "ValueError: bad input"


def test_rename_parent_and_creating_line():
    recorder = Recorder()

    async def child():
        asyncio.current_task().set_name("renamed inside")
        await asyncio.sleep(0)

    async def main():
        task = asyncio.create_task(child())  # creating line
        await asyncio.sleep(0)
        task.set_name("renamed outside")
        await task

    run_traced(main, recorder)
    rec = read(recorder)
    renames = [rec.s(r.b) for r in rec.of(EventKind.TASK_RENAMED)]
    assert renames == ["renamed inside", "renamed outside"]
    tasks = rec.tasks()
    child_oid = rec.task_named("renamed outside")
    parent = tasks[child_oid]["parent"]
    assert tasks[parent]["coro"].endswith("main")
    line = main.__code__.co_firstlineno + 1
    assert tasks[child_oid]["location"].endswith(f"test_tasks.py:{line}")


def test_task_made_directly_is_discovered_at_its_first_enqueue():
    recorder = Recorder()

    async def main():
        task = asyncio.Task(returns_value(), name="direct")  # not via create_task
        await task

    run_traced(main, recorder)
    rec = read(recorder)
    rec.check_serials()
    oid = rec.task_named("direct")
    created = next(r for r in rec.of(EventKind.TASK_CREATED) if r.a == oid)
    first_enqueue = next(r for r in rec.of(EventKind.ENQUEUE) if r.b == oid)
    assert created.t <= first_enqueue.t
    assert rec.tasks()[oid]["parent"] == rec.task_running("main")


@pytest.mark.skipif(sys.version_info < (3, 12), reason="eager tasks are new in 3.12")
def test_eager_tasks_record_their_first_step():
    recorder = Recorder()

    async def finishes_at_once():
        return "eager"

    async def main():
        asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
        done = asyncio.create_task(finishes_at_once(), name="instant")
        waits = asyncio.create_task(returns_value(), name="waits")
        assert done.done()
        await waits

    run_traced(main, recorder)
    rec = read(recorder)
    tasks = rec.tasks()
    eager = {r.a: r for r in rec.of(EventKind.EAGER_STEP)}
    instant, waits = rec.task_named("instant"), rec.task_named("waits")
    assert eager[instant].d == Await.DONE
    assert tasks[instant]["outcome"] == Outcome.RESULT and tasks[instant]["detail"] == "'eager'"
    assert eager[waits].d == Await.YIELD  # its eager step ended in sleep(0)'s bare yield
    assert eager[waits].b <= eager[waits].t
    assert tasks[waits]["parent"] == rec.task_running("main")
    # No handle ran the instant task.
    assert not rec.runs(instant)
    assert tasks[waits]["detail"] == "{'answer': 42}"


def test_futures_name_the_api_that_made_them():
    recorder = Recorder()

    async def user_made():
        return asyncio.get_running_loop().create_future()

    async def main():
        queue: asyncio.Queue[int] = asyncio.Queue()
        lock, event, sem = asyncio.Lock(), asyncio.Event(), asyncio.Semaphore(0)
        await lock.acquire()
        waiters = [
            asyncio.create_task(queue.get()),
            asyncio.create_task(lock.acquire()),
            asyncio.create_task(event.wait()),
            asyncio.create_task(sem.acquire()),
        ]
        await asyncio.sleep(0)
        fut = await user_made()
        fut.set_result(None)
        queue.put_nowait(1)
        lock.release()
        event.set()
        sem.release()
        await asyncio.gather(*waiters)

    run_traced(main, recorder)
    rec = read(recorder)
    creators = {rec.s(r.c) for r in rec.of(EventKind.FUTURE_CREATED)}
    assert {"Queue.get", "Lock.acquire", "Event.wait", "Semaphore.acquire"} <= creators
    assert any(c.endswith("user_made") for c in creators if c)
    # Waiters: the task that created each future is suspended on it at its RUN_END.
    futures = {r.a: rec.s(r.c) for r in rec.of(EventKind.FUTURE_CREATED)}
    awaited = {futures.get(end.d) for _, end in rec.runs() if end is not None and end.d > 0}
    assert {"Queue.get", "Lock.acquire", "Event.wait", "Semaphore.acquire"} <= awaited
    done = {futures[r.a] for r in rec.of(EventKind.FUTURE_DONE) if r.a in futures}
    assert {"Queue.get", "Lock.acquire", "Event.wait", "Semaphore.acquire"} <= done


def test_gather_children_are_recorded_with_the_gathering_future():
    recorder = Recorder()

    async def main():
        return await asyncio.gather(returns_value(), returns_value())

    assert run_traced(main, recorder) == [{"answer": 42}] * 2
    rec = read(recorder)
    (gathering,) = [r for r in rec.of(EventKind.FUTURE_CREATED) if rec.s(r.d) == "_GatheringFuture"]
    assert rec.s(gathering.c) == "gather"
    children = [r.b for r in rec.of(EventKind.GATHER_CHILDREN) if r.a == gathering.a]
    tasks = rec.tasks()
    assert [tasks[c]["coro"] for c in children] == ["returns_value", "returns_value"]
    main = rec.task_running("main")
    assert any(end.d == gathering.a for _, end in rec.runs(main) if end is not None)


def test_standalone_loop_keeps_its_own_recorder():
    loop = TracingEventLoop()
    try:
        assert loop.run_until_complete(returns_value()) == {"answer": 42}
    finally:
        loop.close()
    rec = read(loop.recorder)
    kinds = {r.kind for r in rec.records}
    assert {EventKind.LOOP_CREATED, EventKind.LOOP_RUN_BEGIN, EventKind.LOOP_CLOSED} <= kinds
    assert rec.of(EventKind.LOOP_CREATED)[0].a == loop.loop_oid
