"""A blocked loop is reported while it is blocked, with where it is stuck."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

from tracer_records import Recording, read, run_traced

from loopviz.protocol import Message
from loopviz.tracer import Recorder, TracingEventLoop, Watchdog

MS = 1_000_000


def blocking_call_line() -> int:
    return blocks_the_loop.__code__.co_firstlineno + 2


async def blocks_the_loop():
    await asyncio.sleep(0)
    time.sleep(0.5)  # the stall: blocking_call_line() points here
    await asyncio.sleep(0)


def test_a_blocking_sleep_is_reported_during_the_stall():
    recorder = Recorder()
    watchdog = Watchdog(recorder, stall_ms=100)
    taken = Recording()
    taken_at: dict[str, int] = {}
    stop = threading.Event()

    def flusher() -> None:  # what the runner's flusher thread does
        while not stop.is_set():
            recorder.wakeup.wait(0.02)
            recorder.wakeup.clear()
            read(recorder, taken)
            now = time.monotonic_ns()
            for m in taken.messages:
                taken_at.setdefault(m["k"], now)

    thread = threading.Thread(target=flusher)
    thread.start()
    watchdog.start()
    try:
        run_traced(blocks_the_loop, recorder)
    finally:
        watchdog.stop()
        stop.set()
        thread.join()
    read(recorder, taken)

    (begin,) = taken.msgs(Message.STALL_BEGIN)
    (end,) = taken.msgs(Message.STALL_END)
    progress = taken.msgs(Message.STALL_PROGRESS)
    # Noticed soon after the 100 ms threshold (50 ms is the target; the box is shared).
    late = (begin["noticed"] - begin["started"]) / MS - 100
    assert 0 <= late < 150, late
    assert begin["where"]["file"] == __file__
    assert begin["where"]["line"] == blocking_call_line()
    assert begin["where"]["function"] == "blocks_the_loop"
    assert begin["where"]["text"].startswith("time.sleep(0.5)  # the stall")
    assert begin["call"] == "time.sleep"
    assert begin["task"] > 0 and begin["serial"] == end["serial"]
    # While it lasts: progress at least every 100 ms (generously: 3 in 400 ms).
    assert len(progress) >= 3
    gaps = [b["t"] - a["t"] for a, b in itertools.pairwise([begin, *progress])]
    assert max(gaps) < 200 * MS, gaps
    assert 450 * MS < end["duration"] < 800 * MS
    # The flusher had STALL_BEGIN in hand while the loop was still blocked.
    assert taken_at[Message.STALL_BEGIN] < end["ended"]


def test_a_library_call_is_named_and_its_innermost_frame_kept():
    """``where`` is the user's line, ``innermost`` the library frame, ``call`` the function."""
    import json

    recorder = Recorder()
    watchdog = Watchdog(recorder, stall_ms=50)

    async def main():
        await asyncio.sleep(0)
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            json.dumps(list(range(2000)))  # a pure-Python-and-C CPU stall

    watchdog.start()
    try:
        run_traced(main, recorder)
    finally:
        watchdog.stop()
    rec = read(recorder)
    (begin,) = rec.msgs(Message.STALL_BEGIN)
    assert begin["where"]["function"].endswith("main")
    assert begin["where"]["file"] == __file__
    if begin["innermost"]["file"] != __file__:  # sampled inside json, not between calls
        assert "json" in begin["innermost"]["file"]
        assert begin["call"] == "json.dumps"


def test_no_stall_no_messages_and_no_thread_left_behind():
    recorder = Recorder()
    before = set(threading.enumerate())
    watchdog = Watchdog(recorder, stall_ms=100)
    watchdog.start()

    async def main():
        for _ in range(20):
            await asyncio.sleep(0.01)

    run_traced(main, recorder)
    watchdog.stop()
    assert set(threading.enumerate()) == before
    assert not [m for m in read(recorder).messages if m["k"].startswith("stall")]


def test_a_standalone_loop_can_watch_itself():
    loop = TracingEventLoop(stall_ms=50)
    try:
        loop.run_until_complete(asyncio.sleep(0, result=None))
        loop.call_soon(time.sleep, 0.2)
        loop.run_until_complete(asyncio.sleep(0.01))
    finally:
        loop.close()
    rec = read(loop.recorder)
    assert len(rec.msgs(Message.STALL_BEGIN)) == 1
    assert len(rec.msgs(Message.STALL_END)) == 1
