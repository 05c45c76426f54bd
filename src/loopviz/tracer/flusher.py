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

from loopviz.tracer.recorder import Recorder

FLUSH_INTERVAL = 0.010
"""Seconds between flushes: batches reach the app at most ~20 ms apart."""


class Flusher:
    """Writes ``recorder.frames()`` to file descriptor ``fd`` from a daemon thread.

    A write that fails because the app went away (EPIPE) ends flushing
    quietly: the scenario carries on, its events are dropped.
    """

    def __init__(self, recorder: Recorder, fd: int, interval: float = FLUSH_INTERVAL) -> None:
        self._recorder = recorder
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
            data = self._recorder.frames()
            if data:
                self._write_all(data)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
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
