"""Reading back what a Recorder holds, through the wire format, for tests to assert on.

Records go through ``Recorder.frames()`` and ``FrameReader`` — the same bytes
the app reads — so a test also proves the stream decodes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from loopviz.protocol import (
    EventKind,
    FrameReader,
    FrameType,
    decode_messages,
    decode_strings,
    handle_kind_and_origin,
    split_kind,
)
from loopviz.tracer import Recorder, instrument_source, tracing_loop_factory
from loopviz.tracer.coroutines import TRACKER_NAME, coroutine_tracker


class Rec(NamedTuple):
    kind: EventKind
    loop: int
    t: int
    a: int
    b: int
    c: int
    d: int


@dataclass
class Recording:
    records: list[Rec] = field(default_factory=list)
    strings: dict[int, str] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def feed(self, data: bytes) -> None:
        reader = FrameReader()
        for frame in reader.feed(data):
            if frame.type == FrameType.STRINGS:
                self.strings.update(decode_strings(frame.payload))
            elif frame.type == FrameType.RECORDS:
                values = memoryview(bytes(frame.payload)).cast("q")
                for i in range(0, len(values), 6):
                    kind, loop = split_kind(values[i])
                    self.records.append(Rec(EventKind(kind), loop, *values[i + 1 : i + 6]))
            else:
                self.messages.extend(decode_messages(frame.payload))
        assert reader.pending == 0

    def of(self, *kinds: EventKind, loop: int | None = None) -> list[Rec]:
        return [r for r in self.records if r.kind in kinds and (loop is None or r.loop == loop)]

    def s(self, sid: int) -> str | None:
        return self.strings.get(sid) if sid else None

    def msgs(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["k"] == kind]

    # -- tasks ------------------------------------------------------------------------

    def tasks(self) -> dict[int, dict[str, Any]]:
        """task oid -> {name, coro, parent, created, location, done, outcome, detail}."""
        out: dict[int, dict[str, Any]] = {}
        for r in self.records:
            if r.kind == EventKind.TASK_CREATED:
                out[r.a] = {
                    "parent": r.b,
                    "coro_oid": r.c,
                    "location": self.s(r.d),
                    "created": r.t,
                    "loop": r.loop,
                }
            elif r.kind == EventKind.TASK_INFO:
                out[r.a].update(name=self.s(r.b), coro=self.s(r.c), definition=self.s(r.d))
            elif r.kind == EventKind.TASK_RENAMED:
                out[r.a]["name"] = self.s(r.b)
            elif r.kind == EventKind.TASK_DONE:
                out[r.a].update(done=r.t, outcome=r.b, detail=self.s(r.c))
        return out

    def user_tasks(self) -> dict[int, dict[str, Any]]:
        """Tasks minus asyncio.run's own shutdown tasks."""
        return {
            oid: info
            for oid, info in self.tasks().items()
            if not info["coro"].startswith("BaseEventLoop.")
        }

    def task_named(self, name: str) -> int:
        (oid,) = [oid for oid, info in self.tasks().items() if info["name"] == name]
        return oid

    def task_running(self, coro_qualname: str) -> int:
        """The one task whose coroutine is ``coro_qualname`` (e.g. ``main``)."""
        (oid,) = [oid for oid, info in self.tasks().items() if info["coro"].endswith(coro_qualname)]
        return oid

    def runs(self, task: int | None = None) -> list[tuple[Rec, Rec | None]]:
        """(RUN_BEGIN, RUN_END or None) pairs in order, optionally of one task."""
        out = []
        open_: dict[tuple[int, int], int] = {}
        for r in self.records:
            if r.kind == EventKind.RUN_BEGIN and (task is None or r.b == task):
                if not r.c:
                    open_[(r.loop, r.a)] = len(out)
                out.append((r, None))
            elif r.kind == EventKind.RUN_END and (r.loop, r.a) in open_:
                i = open_.pop((r.loop, r.a))
                out[i] = (out[i][0], r)
        return out

    def enqueues(self) -> list[tuple[Rec, int, int]]:
        """(ENQUEUE, handle kind, origin)."""
        return [(r, *handle_kind_and_origin(r.c)) for r in self.of(EventKind.ENQUEUE)]

    def check_serials(self) -> None:
        """Every RUN_BEGIN pairs with an earlier ENQUEUE of the same loop, serial and task."""
        enq: dict[tuple[int, int], Rec] = {}
        for r in self.records:
            if r.kind == EventKind.ENQUEUE:
                key = (r.loop, r.a)
                assert key not in enq, f"serial {key} enqueued twice"
                enq[key] = r
            elif r.kind == EventKind.RUN_BEGIN:
                e = enq.pop((r.loop, r.a), None)
                assert e is not None, f"RUN_BEGIN {r} has no ENQUEUE"
                assert e.b == r.b, f"task differs: {e} / {r}"
                assert e.t <= r.t

    def check_time_order(self) -> None:
        last: dict[int, int] = {}
        for r in self.records:
            if r.kind in (EventKind.CORO_DESTROYED, EventKind.CORO_CREATED):
                continue  # recorded from whatever thread drops / makes the object
            assert r.t >= last.get(r.loop, 0), f"out of time order: {r}"
            last[r.loop] = r.t


def read(recorder: Recorder, into: Recording | None = None) -> Recording:
    recording = into if into is not None else Recording()
    recording.feed(recorder.frames())
    return recording


def run_traced(main: Callable[[], Any], recorder: Recorder | None = None, **kw: Any) -> Any:
    """``asyncio.Runner`` on a TracingEventLoop (3.11+); returns main()'s result."""
    recorder = recorder if recorder is not None else Recorder()
    with asyncio.Runner(loop_factory=tracing_loop_factory(recorder), **kw) as runner:
        return runner.run(main())


def load_scenario(path: str, recorder: Recorder, **params: Any) -> dict[str, Any]:
    """Execute a scenario file, instrumented, as a module that does not run itself."""
    source = Path(path).read_text(encoding="utf-8")
    tree = instrument_source(source, path)
    namespace: dict[str, Any] = {
        "__name__": "scenario_under_test",
        "__file__": path,
        TRACKER_NAME: coroutine_tracker(recorder),
    }
    exec(compile(tree, path, "exec"), namespace)
    namespace.update(params)
    return namespace


@contextlib.contextmanager
def switch_interval(seconds: float) -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(old)
