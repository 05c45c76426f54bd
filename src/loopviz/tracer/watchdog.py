"""Noticing a blocked loop while it is blocked.

asyncio's debug mode reports a slow callback only after it returns; a
lecturer needs the warning *during* the ``requests.get``. Each tracing loop
publishes the serial and start time of the handle it is running (plain
attributes of its LoopState); one daemon thread looks at them and, when a
handle has run longer than the threshold, samples the loop thread's stack with
``sys._current_frames()`` and sends urgent messages, which wake the flusher so
they leave the process while the loop is still stuck.

Why it sleeps until a deadline instead of polling every few ms: every wakeup
must take the GIL from the loop thread, and on a busy 2-core machine each
hand-over costs the traced program far more than the look itself (issue #3's
overhead figure). A handle that started at ``start`` cannot be a stall before
``start + threshold``, so the thread sleeps until then (or ``IDLE_POLL_S`` when
no handle runs, ``POLL_S`` while a stall lasts) and still reports at the moment
the threshold is crossed.

A pure-Python CPU loop holds the GIL; the watchdog then gets it only at the
interpreter's switch interval (5 ms), so such stalls are noticed a little
late. ``noticed`` says when it really was.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from loopviz.protocol import Message
from loopviz.tracer.locations import callee_name, frame_summary, is_user_file
from loopviz.tracer.recorder import Recorder

POLL_S = 0.010
"""Seconds between looks while a stall lasts (its end is noticed this quickly)."""
IDLE_POLL_S = 0.020
"""Seconds between looks when no loop is running a handle."""
MIN_SLEEP_S = 0.001
PROGRESS_NS = 100_000_000
"""STALL_PROGRESS is sent at least this often while a stall lasts."""


class _Stall:
    __slots__ = ("last", "serial", "started", "state")

    def __init__(self, state: Any, serial: int, started: int, now: int) -> None:
        self.state = state
        self.serial = serial
        self.started = started
        self.last = now


class Watchdog:
    """One thread watching every loop of a recorder for handles that run too long."""

    def __init__(
        self,
        recorder: Recorder,
        *,
        stall_ms: float = 100.0,
        user_paths: Callable[[str], bool] | None = None,
    ) -> None:
        self.recorder = recorder
        self.stall_ns = int(stall_ms * 1e6)
        self.user_paths = user_paths or is_user_file
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stalls: dict[int, _Stall] = {}

    def start(self) -> None:
        """Start the watching thread (a daemon: it never keeps the process alive)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="loopviz-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop and join the thread; a stall still in progress is closed with STALL_END."""
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        if thread is not threading.current_thread():
            thread.join()
        self._thread = None
        now = time.monotonic_ns()
        for oid, stall in list(self._stalls.items()):
            self._end(oid, stall, now)
        self._stalls.clear()

    def _run(self) -> None:
        delay = POLL_S
        while not self._stop.wait(delay):
            try:
                delay = self.check()
            except BaseException as exc:
                delay = POLL_S
                self.recorder.report_error("watchdog", exc)

    def check(self) -> float:
        """One look at every loop; returns the seconds until the next look is useful."""
        now = time.monotonic_ns()
        recorder = self.recorder
        if recorder.buffer_length() > recorder.buffer_limit:  # a loop too busy to trim
            recorder.trim()
        stalls = self._stalls
        loops = recorder.loops
        for oid, stall in list(stalls.items()):
            state = stall.state
            if state.serial != stall.serial or oid not in loops:
                self._end(oid, stall, now)
                del stalls[oid]
        wake = now + int(IDLE_POLL_S * 1e9)
        for oid, state in list(loops.items()):
            serial = state.serial
            start = state.start
            if not serial or serial != state.serial:
                continue
            stall = stalls.get(oid)
            if stall is None:
                if now - start >= self.stall_ns:
                    stalls[oid] = self._begin(oid, state, serial, start, now)
                    wake = min(wake, now + int(POLL_S * 1e9))
                else:
                    wake = min(wake, start + self.stall_ns)
                continue
            wake = min(wake, now + int(POLL_S * 1e9))
            if now - stall.last >= PROGRESS_NS - POLL_S * 1e9:
                stall.last = now
                where, innermost, _call = self._sample(state)
                self.recorder.message(
                    Message.STALL_PROGRESS,
                    urgent=True,
                    t=now,
                    loop=oid,
                    serial=serial,
                    duration=now - stall.started,
                    where=where,
                    innermost=innermost,
                )
        if stalls:
            wake = min(wake, now + int(POLL_S * 1e9))
        return max(MIN_SLEEP_S, (wake - time.monotonic_ns()) / 1e9)

    def _begin(self, oid: int, state: Any, serial: int, start: int, now: int) -> _Stall:
        state.watched = serial
        where, innermost, call = self._sample(state)
        noticed = time.monotonic_ns()
        self.recorder.message(
            Message.STALL_BEGIN,
            urgent=True,
            t=noticed,
            loop=oid,
            serial=serial,
            task=state.task,
            started=start,
            noticed=noticed,
            where=where,
            innermost=innermost,
            call=call,
        )
        return _Stall(state, serial, start, noticed)

    def _end(self, oid: int, stall: _Stall, now: int) -> None:
        state = stall.state
        ended = state.watched_end if state.watched == stall.serial and state.watched_end else now
        state.watched = -1
        state.watched_end = 0
        self.recorder.message(
            Message.STALL_END,
            urgent=True,
            t=ended,
            loop=oid,
            serial=stall.serial,
            started=stall.started,
            ended=ended,
            duration=ended - stall.started,
        )

    def _sample(
        self, state: Any
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
        """(where, innermost, call) from the loop thread's current stack."""
        frame = sys._current_frames().get(state.thread)
        if frame is None:
            return None, None, None
        innermost = frame_summary(frame)
        inner = None
        user_paths = self.user_paths
        while frame is not None and not user_paths(frame.f_code.co_filename):
            inner = frame
            frame = frame.f_back
        if frame is None:
            return None, innermost, None
        try:
            call = callee_name(frame, inner)
        except Exception:
            call = None
        return frame_summary(frame), innermost, call
