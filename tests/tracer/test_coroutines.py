"""Coroutine objects of the scenario's own functions: created, scheduled, destroyed."""

from __future__ import annotations

import asyncio
import gc
import inspect
import sys
import textwrap
import traceback
import warnings

import pytest
from tracer_records import read, run_traced

from loopviz.protocol import EventKind
from loopviz.tracer import TRACKER_NAME, Recorder, coroutine_tracker, instrument_source

SOURCE = textwrap.dedent(
    '''
    import asyncio

    async def top(x):
        """Docstring stays the docstring."""
        return x

    class Box:
        async def method(self):
            return "method"

        @staticmethod
        async def static():
            return "static"

    def outer():
        async def nested():
            return "nested"
        return nested

    async def agen():
        yield 1

    async def fails():
        await asyncio.sleep(0)
        raise ValueError("line 25")
    '''
)


def load(recorder: Recorder) -> dict:
    namespace = {"__name__": "scenario", TRACKER_NAME: coroutine_tracker(recorder)}
    exec(compile(instrument_source(SOURCE, "scenario.py"), "scenario.py", "exec"), namespace)
    return namespace


def test_every_async_def_is_tracked_but_async_generators_are_left_alone():
    ns = load(Recorder())
    for fn in (ns["top"], ns["Box"].method, ns["Box"].static, ns["outer"]()):
        assert hasattr(fn, "__wrapped__"), fn
        assert asyncio.iscoroutinefunction(fn)
        if sys.version_info >= (3, 12):
            assert inspect.iscoroutinefunction(fn)
    assert not hasattr(ns["agen"], "__wrapped__")
    assert inspect.isasyncgenfunction(ns["agen"])
    assert ns["top"].__doc__ == "Docstring stays the docstring."
    assert ns["top"].__name__ == "top"


def test_line_numbers_are_kept():
    ns = load(Recorder())
    assert ns["top"].__wrapped__.__code__.co_firstlineno == 4
    with pytest.raises(ValueError) as info:
        asyncio.run(ns["fails"]())
    frames = traceback.extract_tb(info.value.__traceback__)
    assert (frames[-1].filename, frames[-1].lineno) == ("scenario.py", 26)


def test_syntax_errors_propagate_with_file_and_line():
    with pytest.raises(SyntaxError) as info:
        instrument_source("async def f(:\n    pass\n", "broken.py")
    assert info.value.filename == "broken.py" and info.value.lineno == 1


def test_created_scheduled_destroyed():
    recorder = Recorder()
    ns = load(recorder)

    async def main():
        awaited = await ns["top"](1)  # created, started by this task, destroyed
        wrapped = await asyncio.create_task(ns["Box"]().method())  # wrapped in a task
        never = ns["top"](2)  # created, never awaited
        del never
        gc.collect()
        return awaited, wrapped

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run_traced(main, recorder) == (1, "method")
        gc.collect()
    # asyncio's warning is still raised for the coroutine nobody awaited
    assert any("was never awaited" in str(w.message) for w in caught)
    rec = read(recorder)
    created = {r.a: r for r in rec.of(EventKind.CORO_CREATED)}
    scheduled = {r.a: r for r in rec.of(EventKind.CORO_SCHEDULED)}
    destroyed = {r.a: r for r in rec.of(EventKind.CORO_DESTROYED)}
    by_name = {}
    for oid, r in created.items():
        by_name.setdefault(rec.s(r.c), []).append(oid)
    first, never = by_name["top"]
    (method,) = by_name["Box.method"]
    main_task = rec.task_running("main")
    assert created[first].b == main_task
    assert rec.s(created[first].d).endswith(
        f"test_coroutines.py:{main.__code__.co_firstlineno + 1}"
    )
    assert (scheduled[first].b, scheduled[first].c) == (main_task, 2)  # awaited directly
    method_task = next(oid for oid, t in rec.tasks().items() if t["coro"] == "Box.method")
    assert (scheduled[method].b, scheduled[method].c) == (method_task, 1)  # wrapped in a task
    assert rec.tasks()[method_task]["coro_oid"] == method
    assert never not in scheduled
    assert destroyed[first].b == 0 and destroyed[method].b == 0
    assert destroyed[never].b == 1  # never started


def test_a_coroutine_that_finishes_without_suspending_counts_as_started():
    recorder = Recorder()
    ns = load(recorder)

    async def main():
        return await ns["top"]("quick")

    run_traced(main, recorder)
    rec = read(recorder)
    (created,) = rec.of(EventKind.CORO_CREATED)
    assert [r.a for r in rec.of(EventKind.CORO_SCHEDULED) if r.a == created.a]
    (destroyed,) = [r for r in rec.of(EventKind.CORO_DESTROYED) if r.a == created.a]
    assert destroyed.b == 0
