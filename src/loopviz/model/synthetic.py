"""A simulated event loop that writes the tracer's protocol: realistic streams without a tracer.

Why: the model, its tests, its benchmark and the views need recordings of
known shape before (and independently of) the real tracer. This simulator
runs "tasks" written as generators on a FIFO ready queue with a timer heap,
exactly like ``BaseEventLoop._run_once``, and emits the records and messages
the protocol documents for each thing that happens: ENQUEUE/RUN_BEGIN/RUN_END
per handle, TIMER_SCHEDULED and a ``sleep`` future per sleep, GATHER_CHILDREN,
CORO_CREATED/CORO_SCHEDULED, stall messages for a blocking call, output lines.

A task body is a generator function taking the simulator::

    def main(sim):
        sim.print("hello")
        yield from sim.sleep(1.0, at="demo.py:5")
        child = sim.create_task(worker, name="worker")
        result = yield from sim.wait(child)

The clock is simulated (ns): a step costs ``step_ns`` plus what ``work`` or
``block`` add, so runs of hours take milliseconds to generate.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import deque
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from typing import Any

from loopviz.protocol import (
    SCHEMA_VERSION,
    Await,
    EventKind,
    HandleKind,
    Message,
    Origin,
    Outcome,
    encode_messages,
    encode_records,
    encode_strings,
    pack_kind,
)

K = EventKind
Body = Callable[..., Generator[Any, Any, Any]]


class StreamWriter:
    """Collects what a tracer sends: interned strings, records, messages; frames them in batches."""

    def __init__(self) -> None:
        self.records = array("q")
        self.messages: list[dict[str, Any]] = []
        self._sids: dict[str, int] = {}
        self._sid_at: list[int] = []
        """Strings allocated when each record was written (to send them before it)."""
        self._oids = itertools.count(1)

    def sid(self, text: str) -> int:
        if not text:
            return 0
        sid = self._sids.get(text)
        if sid is None:
            sid = self._sids[text] = len(self._sids) + 1
        return sid

    def oid(self) -> int:
        return next(self._oids)

    def emit(
        self, kind: EventKind, loop: int, t: int, a: int = 0, b: int = 0, c: int = 0, d: int = 0
    ) -> None:
        self.records.extend((pack_kind(kind, loop), t, a, b, c, d))
        self._sid_at.append(len(self._sids))

    def message(self, kind: str, t: int, **fields: Any) -> None:
        self.messages.append({"k": kind, "t": t, **fields})

    @property
    def strings(self) -> list[tuple[int, str]]:
        return [(sid, text) for text, sid in self._sids.items()]

    def frames(self, batch_ns: int = 20_000_000, until_ns: int | None = None) -> list[bytes]:
        """The stream as a flusher would send it: a batch of frames every ``batch_ns``.

        ``until_ns`` cuts the stream there, as a live viewer (or a killed runner) sees it.
        """
        n = len(self.records) // 6
        times = [self.records[6 * j + 1] for j in range(n)]
        msgs = sorted(self.messages, key=lambda m: m["t"])
        texts = sorted(self.strings)
        out: list[bytes] = []
        sent_sids = 0
        j = m = 0
        start = min(times[:1] + [msg["t"] for msg in msgs[:1]], default=0)
        edge = start
        while j < n or m < len(msgs):
            edge += batch_ns
            if until_ns is not None and edge - batch_ns > until_ns:
                break
            limit = edge if until_ns is None else min(edge, until_ns + 1)
            j2 = j
            while j2 < n and times[j2] < limit:
                j2 += 1
            m2 = m
            while m2 < len(msgs) and msgs[m2]["t"] < limit:
                m2 += 1
            need = self._sid_at[j2 - 1] if j2 > j else sent_sids
            if need > sent_sids:
                out.append(encode_strings(texts[sent_sids:need]))
                sent_sids = need
            if j2 > j:
                out.append(encode_records(self.records[6 * j : 6 * j2]))
            if m2 > m:
                out.append(encode_messages(msgs[m:m2]))
            j, m = j2, m2
        if until_ns is None and sent_sids < len(texts):
            out.append(encode_strings(texts[sent_sids:]))
        return out

    def data(self, batch_ns: int = 20_000_000, until_ns: int | None = None) -> bytes:
        """The whole stream (or its part up to ``until_ns``) as bytes."""
        return b"".join(self.frames(batch_ns, until_ns))


@dataclass
class SimFuture:
    oid: int
    waiters: list[SimTask] = field(default_factory=list)
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    done: bool = False
    result: Any = None


@dataclass
class SimCoro:
    oid: int
    qualname: str
    body: Body
    args: tuple[Any, ...]
    started: bool = False


@dataclass
class SimTask:
    oid: int
    name: str
    gen: Generator[Any, Any, Any]
    done: bool = False
    result: Any = None
    done_callbacks: list[Callable[[SimTask], None]] = field(default_factory=list)


@dataclass
class SimQueue:
    name: str = "Queue"
    items: deque[Any] = field(default_factory=deque)
    getters: deque[SimFuture] = field(default_factory=deque)


@dataclass
class _Suspend:
    """What a task yields: the oid it now awaits (or an Await code) and its current line."""

    awaited: int
    at: str


@dataclass
class _Handle:
    serial: int
    task: SimTask | None
    run: Callable[[], tuple[int, int]]


class Sim:
    """One simulated event loop writing to a :class:`StreamWriter`."""

    def __init__(
        self,
        writer: StreamWriter | None = None,
        *,
        start_ns: int = 1_000_000_000_000,
        loop: int = 1,
        stall_ms: int = 100,
        step_ns: int = 20_000,
        select_ns: int = 2_000,
        scenario: str = "scenario.py",
        hello: bool = True,
        eager: bool = False,
    ) -> None:
        self.w = writer or StreamWriter()
        self.now = start_ns
        self.loop = loop
        self.stall_ns = stall_ms * 1_000_000
        self.step_ns = step_ns
        self.select_ns = select_ns
        """Time ``select`` takes beyond its timeout (timers due within it fire together)."""
        self.scenario = scenario
        self.eager = eager
        self.ready: deque[_Handle] = deque()
        self.timers: list[tuple[int, int, int, Callable[[], None]]] = []
        self.cancelled_timers: set[int] = set()
        self.serial = 0
        self.current: SimTask | None = None
        self._handle_began = 0
        self._serial_running = 0
        self._stall: dict[str, Any] | None = None
        self._task_names = itertools.count(1)
        self._timer_seq = itertools.count()
        self.main: SimTask | None = None
        self.loop_oid = self.w.oid()
        if hello:
            self.w.message(
                Message.HELLO,
                self.now,
                schema=SCHEMA_VERSION,
                pid=4242,
                python="3.12.1",
                scenario=scenario,
                argv=[scenario],
                stall_ms=stall_ms,
                clock="monotonic_ns",
            )
        self.emit(K.LOOP_CREATED, self.loop_oid, 777, self.w.sid("_UnixSelectorEventLoop"))
        self.emit(K.LOOP_RUN_BEGIN, self.loop_oid, 777)

    # -- low level ---------------------------------------------------------------

    def emit(self, kind: EventKind, a: int = 0, b: int = 0, c: int = 0, d: int = 0) -> None:
        self.w.emit(kind, self.loop, self.now, a, b, c, d)

    def loc(self, at: str | int) -> int:
        return self.w.sid(f"{self.scenario}:{at}" if isinstance(at, int) else at)

    def call_soon(
        self,
        run: Callable[[], tuple[int, int]],
        kind: HandleKind,
        task: SimTask | None = None,
        d: int = 0,
        origin: Origin = Origin.CALL_SOON,
    ) -> int:
        self.serial += 1
        self.emit(K.ENQUEUE, self.serial, task.oid if task else 0, kind | (origin << 8), d)
        self.ready.append(_Handle(self.serial, task, run))
        return self.serial

    def call_later(
        self, delay: float, callback: Callable[[], None], name: str = "callback", future: int = 0
    ) -> int:
        """Schedule a plain callback (a timer); returns the timer oid."""
        oid = self.w.oid()
        deadline = self.now + round(delay * 1e9)
        self.emit(K.TIMER_SCHEDULED, oid, deadline, self.w.sid(name), future)
        heapq.heappush(self.timers, (deadline, next(self._timer_seq), oid, callback))
        return oid

    def cancel_timer(self, oid: int) -> None:
        self.cancelled_timers.add(oid)
        self.emit(K.TIMER_CANCELLED, oid)

    def future(self, creator: str, type_name: str = "Future") -> SimFuture:
        fut = SimFuture(self.w.oid())
        self.emit(
            K.FUTURE_CREATED,
            fut.oid,
            self.current.oid if self.current else 0,
            self.w.sid(creator),
            self.w.sid(type_name),
        )
        return fut

    def set_result(self, fut: SimFuture, result: Any = None) -> None:
        """Complete a future: its waiters' wakeups enter the ready queue."""
        if fut.done:
            return
        fut.done, fut.result = True, result
        self.emit(K.FUTURE_DONE, fut.oid, Outcome.RESULT, self.w.sid(repr(result)[:60]))
        for task in fut.waiters:
            self._wake(task, fut.oid, result)
        for cb in fut.callbacks:
            cb()

    def _wake(self, task: SimTask, because: int, value: Any = None) -> None:
        self.call_soon(lambda: self._step(task, value), HandleKind.WAKEUP, task, because)

    # -- inside a step ---------------------------------------------------------------

    def work(self, seconds: float) -> None:
        """Compute for a while (inside a step)."""
        self.now += round(seconds * 1e9)

    def print(self, text: str, stream: str = "stdout") -> None:
        self.w.message(
            Message.OUTPUT,
            self.now,
            stream=stream,
            text=text,
            task=self.current.oid if self.current else 0,
        )

    def block(
        self,
        seconds: float,
        where: tuple[str, int, str, str] | None = None,
        call: str = "time.sleep",
        innermost: tuple[str, int, str, str] | None = None,
    ) -> None:
        """A synchronous call that blocks the loop; the watchdog reports it as a stall."""
        where = where or (self.scenario, 27, "main", f"{call}(...)")
        innermost = innermost or (
            "/usr/lib/python3.12/socket.py",
            705,
            "recv_into",
            "return self._sock.recv_into(b)",
        )
        began = self._handle_began
        end = self.now + round(seconds * 1e9)
        wj = dict(zip(("file", "line", "function", "text"), where, strict=True))
        ij = dict(zip(("file", "line", "function", "text"), innermost, strict=True))
        noticed = max(self.now, began + self.stall_ns)
        if noticed < end:
            serial = self.serial_running
            task = self.current.oid if self.current else 0
            self.w.message(
                Message.STALL_BEGIN,
                noticed,
                loop=self.loop_oid,
                serial=serial,
                task=task,
                started=began,
                noticed=noticed,
                where=wj,
                innermost=ij,
                call=call,
            )
            t = noticed + 100_000_000
            while t < end:
                self.w.message(
                    Message.STALL_PROGRESS,
                    t,
                    loop=self.loop_oid,
                    serial=serial,
                    duration=t - began,
                    where=wj,
                    innermost=ij,
                )
                t += 100_000_000
            self._stall = {"serial": serial, "started": began}
        self.now = end

    def create_task(
        self,
        body: Body | SimCoro,
        *args: Any,
        name: str | None = None,
        at: str | int = 1,
        eager: bool | None = None,
    ) -> SimTask:
        """``asyncio.create_task``: the task's first step enters the ready queue at once."""
        oid = self.w.oid()
        coro = body if isinstance(body, SimCoro) else None
        qualname = coro.qualname if coro else getattr(body, "__name__", "coro")
        gen = coro.body(self, *coro.args) if coro else body(self, *args)
        name = name or f"Task-{next(self._task_names)}"
        task = SimTask(oid, name, gen)
        parent = self.current.oid if self.current else 0
        self.emit(K.TASK_CREATED, oid, parent, coro.oid if coro else 0, self.loc(at))
        self.emit(
            K.TASK_INFO,
            oid,
            self.w.sid(name),
            self.w.sid(qualname),
            self.loc(f"{self.scenario}:{100 + len(qualname)}"),
        )
        if coro:
            coro.started = True
            self.emit(K.CORO_SCHEDULED, coro.oid, oid, 1)
        if self.eager if eager is None else eager:
            outer, began = self.current, self.now
            loc, awaited = self._step(task, None)
            self.now += self.step_ns
            self.w.emit(K.EAGER_STEP, self.loop, self.now, oid, began, loc, awaited)
            self.current = outer
        else:
            self.call_soon(lambda: self._step(task, None), HandleKind.STEP, task)
        return task

    def coro(self, body: Body, *args: Any, at: str | int = 1) -> SimCoro:
        """Call an ``async def`` function: a coroutine object, nothing runs yet."""
        c = SimCoro(self.w.oid(), body.__name__, body, args)
        self.emit(
            K.CORO_CREATED,
            c.oid,
            self.current.oid if self.current else 0,
            self.w.sid(c.qualname),
            self.loc(at),
        )
        return c

    def destroy_unstarted(self, coro: SimCoro) -> None:
        self.emit(K.CORO_DESTROYED, coro.oid, 0 if coro.started else 1)

    # -- awaitables (use with ``yield from``) ---------------------------------------------

    def sleep(self, seconds: float, at: str | int = 1) -> Generator[Any, Any, None]:
        """``await asyncio.sleep(seconds)``."""
        if seconds <= 0:
            task = self.current
            self.call_soon(lambda: self._step(task, None), HandleKind.STEP, task)
            yield _Suspend(Await.YIELD, self._at(at))
            return
        fut = self.future("sleep")
        fut.waiters.append(self.current)
        self.call_later(
            seconds, lambda: self.set_result(fut), "_set_result_unless_cancelled", fut.oid
        )
        yield _Suspend(fut.oid, self._at(at))

    def wait(self, task: SimTask, at: str | int = 1) -> Generator[Any, Any, Any]:
        """``await task``."""
        if task.done:
            return task.result
        waiter = self.current
        task.done_callbacks.append(lambda t: self._wake(waiter, t.oid, t.result))
        return (yield _Suspend(task.oid, self._at(at)))

    def await_coro(self, coro: SimCoro) -> Generator[Any, Any, Any]:
        """``await coro``: run it right here, inside the current task."""
        coro.started = True
        self.emit(K.CORO_SCHEDULED, coro.oid, self.current.oid, 2)
        return (yield from coro.body(self, *coro.args))

    def gather(
        self, *items: SimCoro | SimTask, at: str | int = 1
    ) -> Generator[Any, Any, list[Any]]:
        """``await asyncio.gather(...)``: coroutines are wrapped in tasks, then all are awaited."""
        children = [self.create_task(x, at=at) if isinstance(x, SimCoro) else x for x in items]
        fut = self.future("gather", "_GatheringFuture")
        for child in children:
            self.emit(K.GATHER_CHILDREN, fut.oid, child.oid)
        count = [0]

        def child_done(_: SimTask) -> None:
            def callback() -> tuple[int, int]:
                count[0] += 1
                if count[0] == len(children):
                    self.set_result(fut, [c.result for c in children])
                return 0, 0

            self.call_soon(
                callback, HandleKind.CALLBACK, None, self.w.sid("gather.<locals>._done_callback")
            )

        for child in children:
            if child.done:
                child_done(child)
            else:
                child.done_callbacks.append(child_done)
        fut.waiters.append(self.current)
        if not children:
            self.set_result(fut, [])
        return (yield _Suspend(fut.oid, self._at(at)))

    def queue_get(self, queue: SimQueue, at: str | int = 1) -> Generator[Any, Any, Any]:
        """``await queue.get()``."""
        if not queue.items:
            fut = self.future(f"{queue.name}.get")
            fut.waiters.append(self.current)
            queue.getters.append(fut)
            yield _Suspend(fut.oid, self._at(at))
        return queue.items.popleft()

    def queue_put(self, queue: SimQueue, item: Any) -> None:
        """``queue.put_nowait(item)``: wakes the first getter."""
        queue.items.append(item)
        while queue.getters:
            fut = queue.getters.popleft()
            if not fut.done:
                self.set_result(fut)
                break

    def _at(self, at: str | int) -> str:
        return f"{self.scenario}:{at}" if isinstance(at, int) else at

    # -- running -------------------------------------------------------------------------

    @property
    def serial_running(self) -> int:
        return self._serial_running

    def _step(self, task: SimTask, value: Any) -> tuple[int, int]:
        outer = self.current
        self.current = task
        try:
            suspend = task.gen.send(value)
        except StopIteration as stop:
            self._finish(task, Outcome.RESULT, stop.value, repr(stop.value)[:60])
            return self.loc(f"{self.scenario}:{200}"), Await.DONE
        except Exception as exc:  # a task that raised: reported as the tracer would
            detail = f"{type(exc).__name__}: {exc}"
            self.w.message(
                Message.TASK_EXCEPTION,
                self.now,
                task=task.oid,
                type=type(exc).__name__,
                message=str(exc),
                traceback=f"Traceback ...\n{detail}",
            )
            self._finish(task, Outcome.EXCEPTION, None, detail)
            return self.loc(f"{self.scenario}:{200}"), Await.DONE
        finally:
            self.current = outer
        if not isinstance(suspend, _Suspend):
            raise TypeError(f"task {task.name} yielded {suspend!r}; use sim.sleep/wait/gather")
        return self.w.sid(suspend.at), int(suspend.awaited)

    def _finish(self, task: SimTask, outcome: Outcome, result: Any, detail: str) -> None:
        task.done, task.result = True, result
        self.emit(K.TASK_DONE, task.oid, outcome, self.w.sid(detail))
        for cb in task.done_callbacks:
            cb(task)

    def start(self, body: Body, *args: Any, name: str | None = None) -> SimTask:
        """``asyncio.run(main())`` up to the first iteration: creates the main task."""
        self.main = self.create_task(body, *args, name=name, at=f"{self.scenario}:300")
        return self.main

    @property
    def finished(self) -> bool:
        return self.main is not None and self.main.done and not self.ready

    def run_once(self) -> None:
        """One iteration: select (idle until a timer is due), fire timers, run the ready queue."""
        if self.ready:
            timeout = 0
        elif self.timers:
            timeout = max(0, self.timers[0][0] - self.now)
        else:
            timeout = -1
        self.emit(K.SELECT_BEGIN, timeout)
        if timeout > 0:
            self.now += timeout
        self.now += self.select_ns
        self.emit(K.SELECT_END, 0)
        while self.timers and self.timers[0][0] <= self.now:
            _, _, oid, callback = heapq.heappop(self.timers)
            if oid in self.cancelled_timers:
                continue

            def fire(cb: Callable[[], None] = callback) -> tuple[int, int]:
                cb()
                return 0, 0

            self.call_soon(fire, HandleKind.CALLBACK, None, oid, Origin.TIMER)
        ntodo = len(self.ready)
        for _ in range(ntodo):
            h = self.ready.popleft()
            self._serial_running = h.serial
            self._handle_began = self.now
            self.emit(K.RUN_BEGIN, h.serial, h.task.oid if h.task else 0, 0)
            c, d = h.run()
            self.now += self.step_ns
            if h.task is None:
                c = d = 0
            self.emit(K.RUN_END, h.serial, h.task.oid if h.task else 0, c, d)
            if self._stall is not None:
                st = self._stall
                self.w.message(
                    Message.STALL_END,
                    self.now,
                    loop=self.loop_oid,
                    serial=st["serial"],
                    started=st["started"],
                    ended=self.now,
                    duration=self.now - st["started"],
                )
                self._stall = None
        self.emit(K.ITERATION_END, ntodo)

    def close(self, exit_message: bool = True, run_end: bool = True) -> None:
        """The loop stops and closes; the runner reports how the scenario ended."""
        self.emit(K.LOOP_RUN_END, self.loop_oid)
        self.emit(K.LOOP_CLOSED, self.loop_oid)
        if exit_message:
            self.w.message(
                Message.EXIT,
                self.now,
                outcome="returned",
                result=repr(self.main.result if self.main else None),
            )
        if run_end:
            self.w.message(
                Message.RUN_END,
                self.now + 5_000_000,
                outcome="returned",
                returncode=0,
                signal=None,
                detail="finished",
            )

    def run(
        self,
        body: Body,
        *args: Any,
        name: str | None = None,
        close: bool = True,
        max_iterations: int = 10_000_000,
    ) -> SimTask:
        """Run ``body`` as the main task until it is done (and the ready queue is empty)."""
        self.start(body, *args, name=name)
        for _ in range(max_iterations):
            if self.finished:
                break
            self.run_once()
        if close:
            self.close()
        return self.main


def run_together(sims: Iterable[Sim], max_iterations: int = 10_000_000) -> None:
    """Run several loops "in parallel" (threads): always advance the one that is furthest behind."""
    sims = list(sims)
    for _ in range(max_iterations):
        live = [s for s in sims if not s.finished]
        if not live:
            break
        min(live, key=lambda s: s.now).run_once()


def mixed_workload(
    tasks: int = 50, rounds: int = 100, seed: int = 1, stall_every: int = 0
) -> StreamWriter:
    """A busy, varied run: workers sleeping, yielding, passing items through a queue,
    a 1 ms ticker callback, printed lines, and optionally a blocking call now and then.

    ``tasks * rounds`` steps make roughly ``tasks * rounds * 7`` events.
    """
    import random

    rng = random.Random(seed)
    sim = Sim(scenario="mixed.py")
    queue = SimQueue()
    stop = [False]

    def tick() -> None:
        if not stop[0]:
            sim.call_later(0.001, tick, "ticker")

    def worker(sim: Sim, k: int) -> Generator[Any, Any, int]:
        for r in range(rounds):
            x = rng.random()
            if x < 0.45:
                yield from sim.sleep(rng.uniform(0.0005, 0.01), at=10)
            elif x < 0.75:
                yield from sim.sleep(0, at=11)
            elif x < 0.85:
                sim.queue_put(queue, (k, r))
                yield from sim.sleep(0.001, at=12)
            elif x < 0.9:
                sim.print(f"worker {k} round {r}")
                yield from sim.sleep(0, at=13)
            else:
                sim.work(rng.uniform(0, 0.0002))
                if stall_every and rng.randrange(stall_every) == 0:
                    sim.block(0.15, call="time.sleep")
                yield from sim.sleep(0.002, at=14)
        return k

    def consumer(sim: Sim) -> Generator[Any, Any, int]:
        got = 0
        while True:
            item = yield from sim.queue_get(queue, at=20)
            if item is None:
                return got
            got += 1

    def main(sim: Sim) -> Generator[Any, Any, None]:
        sim.call_later(0.001, tick, "ticker")
        eater = sim.create_task(consumer, name="consumer", at=30)
        workers = [sim.create_task(worker, k, at=31) for k in range(tasks)]
        yield from sim.gather(*workers, at=32)
        sim.queue_put(queue, None)
        yield from sim.wait(eater, at=33)
        stop[0] = True

    sim.run(main)
    return sim.w
