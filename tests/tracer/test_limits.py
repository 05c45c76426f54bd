"""The event cap and the bounded buffer (issue #8 "Limits"): a flood of events never grows the
runner's memory without bound, says once that it was cut, and still delivers the summary."""

from __future__ import annotations

import asyncio
import os
import threading
import time

from loopviz.model import Recording
from loopviz.protocol import EventKind, FrameReader, FrameType, Message, decode_messages
from loopviz.tracer import Recorder, TracingEventLoop, Watchdog
from loopviz.tracer.flusher import Flusher

TASKS = 1_000
STEPS = 333  # 1,000 tasks x 333 bare yields: about 1,000,000 records


async def flood(stall_s: float = 0.0, tasks: int = TASKS, steps: int = STEPS) -> None:
    async def worker() -> None:
        for _ in range(steps):
            await asyncio.sleep(0)

    await asyncio.gather(*(worker() for _ in range(tasks)))
    if stall_s:
        time.sleep(stall_s)  # a blocking call after the cap: still reported as a stall


class PipeReader:
    """The app's end of the event channel: reads (maybe late), keeps every byte."""

    def __init__(self, fd: int, start: threading.Event | None = None) -> None:
        self.fd = fd
        self.data = bytearray()
        self._start = start
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        if self._start is not None:
            self._start.wait()
        while chunk := os.read(self.fd, 1 << 20):
            self.data += chunk


def record(
    limit: int | None,
    *,
    buffer_records: int | None = None,
    slow_reader: bool = False,
    stall_s: float = 0.0,
    **load: int,
) -> tuple[Recorder, bytes, int]:
    """Run ``flood`` on a tracing loop whose flusher writes to a pipe; return the recorder,
    the bytes the app received and the most records seen waiting in the recorder."""
    recorder = Recorder(stall_ms=100)
    recorder.set_event_limit(limit)
    rfd, wfd = os.pipe()
    go = threading.Event()
    reader = PipeReader(rfd, go if slow_reader else None)
    kwargs = {} if buffer_records is None else {"buffer_records": buffer_records}
    flusher = Flusher(recorder, wfd, **kwargs)
    flusher.start()
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()
    loop = TracingEventLoop(recorder=recorder)
    done = threading.Event()
    most = [0]

    def watch_buffer() -> None:
        while not done.wait(0.001):
            most[0] = max(most[0], recorder.buffered())

    watcher = threading.Thread(target=watch_buffer, daemon=True)
    watcher.start()
    try:
        loop.run_until_complete(flood(stall_s, **load))
    finally:
        done.set()
        loop.close()
        watchdog.stop()
        go.set()
        flusher.stop()
        os.close(wfd)
        reader.thread.join(timeout=30)
        os.close(rfd)
    return recorder, bytes(reader.data), most[0]


def messages_of(data: bytes) -> list[dict]:
    out: list[dict] = []
    for frame in FrameReader().feed(data):
        if frame.type == FrameType.MESSAGES:
            out.extend(decode_messages(frame.payload))
    return out


def record_count(data: bytes) -> int:
    return sum(
        len(frame.payload) // 48
        for frame in FrameReader().feed(data)
        if frame.type == FrameType.RECORDS
    )


def test_a_flood_past_the_cap_is_cut_once_with_a_notice_and_memory_stays_bounded():
    limit = 20_000
    recorder, data, most = record(limit, stall_s=0.25)

    limits = [m for m in messages_of(data) if m["k"] == Message.LIMIT_REACHED]
    assert len(limits) == 1
    notice = limits[0]
    assert notice["what"] == "events" and notice["limit"] == limit and notice["t"] > 0
    assert recorder.limit_reached == "events"
    assert recorder.dropped > 900_000  # the flood was ~1,000,000 records

    # What was sent: the cap in full, then about four summary records per task.
    assert limit < record_count(data) < limit + 6 * TASKS
    # The flood is ~1,000,000 records (48 MB); the runner held a few flushes' worth at most
    # (how many depends on when the busy machine lets the flusher thread run).
    assert most < 400_000, f"{most:,} records waited"

    # The model still sees the summary: every task, each finished, and the stall.
    model = Recording()
    model.feed(data)
    tasks = model.tasks()
    assert len(tasks) == TASKS + 1  # the workers and the main task
    assert all(task.done is not None for task in tasks)
    assert len(model.stalls()) == 1
    assert model.stalls()[0].duration >= 0.2


def test_under_the_cap_nothing_changes():
    recorder, data, _peak = record(40_000, tasks=100, steps=100)
    assert recorder.limit_reached is None and recorder.dropped == 0
    assert not [m for m in messages_of(data) if m["k"] == Message.LIMIT_REACHED]
    assert 30_000 < record_count(data) < 40_000
    model = Recording()
    model.feed(data)
    assert sum(len(model.slices(task.id)) for task in model.tasks()) > 10_000


def test_an_app_that_reads_slowly_does_not_grow_the_runner_without_bound():
    """The app reads nothing until the run is over: the flusher blocks on a full pipe, the
    buffer passes its high-water mark, the recorder drops what waits and says why."""
    mark = 50_000
    recorder, data, peak = record(None, buffer_records=mark, slow_reader=True)

    limits = [m for m in messages_of(data) if m["k"] == Message.LIMIT_REACHED]
    assert len(limits) == 1 and limits[0]["what"] == "buffer" and limits[0]["limit"] == mark
    assert recorder.dropped > 500_000
    # Waiting at most: the mark, plus what one loop iteration or one watchdog poll adds.
    assert peak < mark + 200_000, f"{peak:,} records waited"
    model = Recording()
    model.feed(data)
    assert len(model.tasks()) == TASKS + 1


def test_set_event_limit_refuses_a_negative_cap():
    recorder = Recorder()
    try:
        recorder.set_event_limit(-1)
    except ValueError as exc:
        assert "-1" in str(exc)
    else:
        raise AssertionError("a negative cap was accepted")


def test_the_cap_cuts_inside_a_batch_at_a_record_boundary():
    recorder = Recorder()
    recorder.set_event_limit(3)
    for t in range(1, 6):
        recorder.record(EventKind.ITERATION_END, t, 0)
    recorder.record(EventKind.TASK_DONE, 6, 7, 1, 0)
    _strings, records, messages = recorder.take()
    kinds = list(records[0::6])
    assert kinds == [EventKind.ITERATION_END] * 3 + [EventKind.TASK_DONE]
    assert [m["what"] for m in messages if m["k"] == Message.LIMIT_REACHED] == ["events"]
    assert messages[0]["t"] == 4  # the first record left out
    assert recorder.dropped == 2
