"""The thread that carries a recorder's events out of the traced process.

Why a thread: when a scenario blocks its event loop (``requests.get`` in a
coroutine), nothing scheduled on that loop runs — but the app must learn about
the stall *while it lasts*. This thread wakes every ``interval`` seconds, or
at once when the watchdog posts an urgent message, and writes whatever the
recorder holds as frames to the event channel.
"""

from __future__ import annotations

import os
import threading

from loopviz.tracer.limits import DEFAULT_BUFFER_RECORDS, buffer_records_for, total_memory
from loopviz.tracer.recorder import Recorder

FLUSH_INTERVAL = 0.015
"""Seconds between flushes: batches reach the app at most ~20 ms apart (with the wait for the
GIL, at most one switch interval of 5 ms). Not shorter: each wakeup takes the GIL from the
traced loop, which on a busy machine costs it more than the flush itself."""

FROM_CAP = -1
"""``buffer_records=FROM_CAP``: size the buffer's mark from the recorder's event cap
(``limits.buffer_records_for``), so a flood the cap allows is kept in full.

The runner's child uses it (``tracer/child.py``). Measured in the window (10 M-event flood,
2 shared cores): the fixed 4 M mark kept 1.7–2.5 M events with gaps of 0.4–0.6 s; the
cap-sized mark keeps all 10.25 M with gaps of 0.5–0.6 s, now that the timeline's step axis
is built only when shown and the step index takes a bounded batch per frame."""


class Flusher:
    """Writes ``recorder.frames()`` to file descriptor ``fd`` from a daemon thread.

    A write that fails because the app went away (EPIPE) ends flushing
    quietly: the scenario carries on, its events are dropped.

    A write that blocks because the app reads slowly holds this thread only: the
    loop goes on recording into the buffer until it passes ``buffer_records`` (or,
    with :data:`FROM_CAP`, as many as the event cap allows within a share of the RAM). Then the
    recorder drops what waits, switches to summary mode and says so with
    ``LIMIT_REACHED`` (see :mod:`loopviz.tracer.limits`), so the child's memory
    stays bounded and the scenario is never slowed by the app.
    """

    def __init__(
        self,
        recorder: Recorder,
        fd: int,
        interval: float = FLUSH_INTERVAL,
        buffer_records: int | None = DEFAULT_BUFFER_RECORDS,
    ) -> None:
        self._recorder = recorder
        if buffer_records == FROM_CAP:
            buffer_records = buffer_records_for(recorder.event_limit, total_memory())
        self.buffer_records = buffer_records
        recorder.set_buffer_limit(buffer_records)
        self._fd = fd
        self._interval = interval
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._broken = False
        self._thread = threading.Thread(target=self._run, name="loopviz-flusher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        wakeup = self._recorder.wakeup
        while not self._stopping.is_set():
            wakeup.wait(self._interval)
            wakeup.clear()
            self.flush()

    def flush(self) -> None:
        """Send everything recorded so far. Safe to call from any thread."""
        with self._lock:
            if self._broken:
                self._recorder.take()  # keep memory bounded when nobody listens
                return
            parts = self._recorder.frame_parts()
            if parts:
                self._write_all(parts)

    def _write_all(self, parts: list[bytes | memoryview]) -> None:
        """Write every part, in order, with as few system calls and copies as it takes."""
        views = [memoryview(part) for part in parts]
        try:
            while views:
                written = os.writev(self._fd, views)
                while views and written >= views[0].nbytes:
                    written -= views[0].nbytes
                    views.pop(0)
                if written:
                    views[0] = views[0][written:]
        except OSError:
            self._broken = True

    def stop(self) -> None:
        """Stop the thread, then send what is left. Idempotent."""
        self._stopping.set()
        self._recorder.wakeup.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        self.flush()

    def detach(self) -> None:
        """Forget the channel without flushing (in a forked child: the fd belongs to the parent)."""
        self._broken = True
        self._stopping.set()
