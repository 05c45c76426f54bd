"""Several loops share one recorder without mixing up their serials."""

from __future__ import annotations

import asyncio
import threading

from tracer_records import read

from loopviz.protocol import EventKind
from loopviz.tracer import Recorder, TracingEventLoop, install, uninstall


async def busy(n: int) -> int:
    for _ in range(n):
        await asyncio.sleep(0)
    await asyncio.gather(*(asyncio.sleep(0.001) for _ in range(5)))
    return n


def test_asyncio_run_twice_with_the_policy_installed():
    recorder = Recorder()
    install(recorder)
    try:
        assert asyncio.run(busy(10)) == 10
        assert asyncio.run(busy(20)) == 20
        loop = asyncio.new_event_loop()
        assert isinstance(loop, TracingEventLoop)
        loop.close()
    finally:
        uninstall()
    assert not isinstance(asyncio.new_event_loop(), TracingEventLoop)
    rec = read(recorder)
    rec.check_serials()
    rec.check_time_order()
    created = rec.of(EventKind.LOOP_CREATED)
    assert [r.loop for r in created] == [1, 2, 3]
    assert len({r.a for r in created}) == 3  # distinct loop oids
    for index in (1, 2):
        assert rec.of(EventKind.LOOP_RUN_BEGIN, loop=index)
        assert rec.of(EventKind.LOOP_CLOSED, loop=index)
        serials = [r.a for r in rec.of(EventKind.ENQUEUE, loop=index)]
        assert serials[0] == 1 and serials == sorted(serials)


def test_loops_in_two_threads_at_once():
    recorder = Recorder()
    results: dict[str, int] = {}
    start = threading.Barrier(2)

    def run(name: str, n: int) -> None:
        loop = TracingEventLoop(recorder=recorder)
        try:
            start.wait()
            results[name] = loop.run_until_complete(busy(n))
        finally:
            loop.close()

    threads = [threading.Thread(target=run, args=(f"t{n}", n)) for n in (300, 400)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"t300": 300, "t400": 400}
    rec = read(recorder)
    rec.check_serials()
    rec.check_time_order()
    natives = {r.loop: r.b for r in rec.of(EventKind.LOOP_RUN_BEGIN)}
    assert len(set(natives.values())) == 2  # each loop ran on its own thread
    for index in natives:
        tasks = {r.a for r in rec.of(EventKind.TASK_CREATED, loop=index)}
        ran = {r.b for r in rec.of(EventKind.RUN_BEGIN, loop=index) if r.b}
        assert ran <= tasks  # a loop only runs its own tasks
