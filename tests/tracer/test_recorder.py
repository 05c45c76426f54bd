"""The recorder: lock-free batches, strings before the records using them, failures contained."""

from __future__ import annotations

import asyncio
import threading

import pytest
from tracer_records import Recording, read, run_traced

from loopviz.protocol import RECORD_BYTES, RECORD_WIDTH, EventKind, Message
from loopviz.protocol.wire import FrameReader, FrameType
from loopviz.tracer import Recorder
from loopviz.tracer.objects import ObjectTracker
from loopviz.tracer.recorder import FRAME_RECORDS


def test_take_returns_each_thing_once_in_order():
    recorder = Recorder()
    sid = recorder.intern("hello")
    assert recorder.intern("hello") == sid
    recorder.record(EventKind.TASK_INFO, 5, 1, sid, 0, 0)
    recorder.message(Message.OUTPUT, stream="stdout", text="hi", task=0)
    strings, records, messages = recorder.take()
    assert strings == [(sid, "hello")]
    assert list(records) == [EventKind.TASK_INFO, 5, 1, sid, 0, 0]
    assert messages[0]["k"] == "output" and messages[0]["text"] == "hi" and messages[0]["t"] > 0
    assert recorder.take() == ([], records[:0], [])


def test_a_burst_is_sent_in_frames_small_enough_for_the_app_to_ingest_between_frames():
    recorder = Recorder()
    n = FRAME_RECORDS * 2 + 5
    for i in range(n):
        recorder.record(EventKind.TASK_INFO, i, i, 0, 0, 0)
    reader = FrameReader()
    frames = list(reader.feed(b"".join(bytes(part) for part in recorder.frame_parts())))
    sizes = [len(f.payload) // RECORD_BYTES for f in frames if f.type == FrameType.RECORDS]
    assert sizes == [FRAME_RECORDS, FRAME_RECORDS, 5]
    times = [t for f in frames for t in memoryview(f.payload).cast("q")[1::RECORD_WIDTH].tolist()]
    assert times == list(range(n))


def test_urgent_messages_wake_the_flusher():
    recorder = Recorder()
    recorder.message(Message.OUTPUT, text="not urgent")
    assert not recorder.wakeup.is_set()
    recorder.message(Message.STALL_BEGIN, urgent=True)
    assert recorder.wakeup.is_set()


def test_concurrent_writers_and_taker_lose_nothing():
    """Many threads write while another takes: every record and string arrives, and every
    record's strings arrive no later than the record itself."""
    recorder = Recorder()
    writers, per_writer = 4, 20_000
    start = threading.Barrier(writers + 1)
    recording = Recording()
    stop = threading.Event()
    sids_seen: set[int] = set()

    def write(w: int) -> None:
        start.wait()
        for i in range(per_writer):
            sid = recorder.intern(f"w{w}-{i % 500}")
            recorder.record(EventKind.TASK_RENAMED, i, w, sid)

    def take() -> None:
        start.wait()
        while True:
            finished = stop.is_set()
            before = len(recording.records)
            read(recorder, recording)
            sids_seen.update(recording.strings)
            for r in recording.records[before:]:
                assert r.b in sids_seen, "a record arrived before its string"
            if finished:
                return

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    taker = threading.Thread(target=take)
    for t in [*threads, taker]:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    taker.join()
    assert len(recording.records) == writers * per_writer
    for w in range(writers):
        mine = [r.t for r in recording.records if r.a == w]
        assert mine == list(range(per_writer))


def test_a_failing_recorder_is_reported_once_and_the_program_goes_on(monkeypatch):
    def broken(self, coro):
        raise RuntimeError("recorder bug")

    monkeypatch.setattr(ObjectTracker, "locate", broken)
    recorder = Recorder()

    async def child(n):
        for _ in range(3):
            await asyncio.sleep(0)
        return n

    async def main():
        return await asyncio.gather(*(child(n) for n in range(5)))

    assert run_traced(main, recorder) == [0, 1, 2, 3, 4]
    rec = read(recorder)
    errors = rec.msgs(Message.RECORDER_ERROR)
    assert len(errors) == 1
    assert errors[0]["where"] == "ready queue"
    assert errors[0]["type"] == "RuntimeError" and "recorder bug" in errors[0]["traceback"]


def test_a_failing_future_hook_switches_only_itself_off(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("future hook bug")

    monkeypatch.setattr(ObjectTracker, "creator_sid", broken)
    recorder = Recorder()

    async def main():
        loop = asyncio.get_running_loop()
        futures = [loop.create_future() for _ in range(3)]
        for i, fut in enumerate(futures):
            loop.call_soon(fut.set_result, i)
        await asyncio.sleep(0.01)
        return [await f for f in futures]

    assert run_traced(main, recorder) == [0, 1, 2]
    rec = read(recorder)
    errors = rec.msgs(Message.RECORDER_ERROR)
    assert [e["where"] for e in errors] == ["create_future"]
    assert rec.of(EventKind.RUN_END)  # the rest still records


@pytest.mark.parametrize("method", ["register_task", "frame_sid", "task_done"])
def test_recording_errors_never_reach_asyncio(monkeypatch, method):
    """A failure on the hottest paths leaves the loop and its queue working."""

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(ObjectTracker, method, broken)

    async def main():
        tasks = [asyncio.create_task(asyncio.sleep(0.001, n)) for n in range(10)]
        return await asyncio.gather(*tasks)

    recorder = Recorder()
    assert run_traced(main, recorder) == list(range(10))
    errors = read(recorder).msgs(Message.RECORDER_ERROR)
    assert errors and len({e["where"] for e in errors}) == len(errors)
