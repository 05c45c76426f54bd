"""Saving and opening recordings on a worker thread, with progress the window can show.

Why a thread: a 1 M-line print flood took 5 s to save and 7 s to open on the GUI
thread, a frozen window all that time. zlib, numpy and file I/O release the GIL,
and the pure-Python part (JSON, building the recording) only takes the GIL in 5 ms
turns, so the window keeps painting. The GUI thread never touches the job's
objects while it runs: it reads :attr:`FileJob.fraction` (a float, written
whole) from a timer and takes :attr:`FileJob.result` once :meth:`FileJob.done`.

A save thread is not a daemon: if the app quits some other way while it writes,
the interpreter waits for it, so a recording is never lost half-way. An open
thread is a daemon: there is nothing to lose, and :meth:`FileJob.cancel` stops it
at its next progress report.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class Cancelled(Exception):
    """Raised inside the worker (from a progress report) when the user cancelled."""


class FileJob:
    """One save or open running on its own thread."""

    def __init__(
        self,
        verb: str,
        name: str,
        work: Callable[[Callable[[int, int], None]], Any],
        *,
        keep_alive: bool,
    ) -> None:
        self.verb = verb
        """``"Saving"`` or ``"Opening"``: what the progress line says."""
        self.name = name
        self.fraction = 0.0
        self.result: Any = None
        self.error: BaseException | None = None
        self.ended_at: float | None = None
        """``time.perf_counter()`` when the work ended (its result is shown after that)."""
        self._work = work
        self._cancel = threading.Event()
        self._finished = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"loopviz {verb.lower()} {name}", daemon=not keep_alive
        )

    def start(self) -> FileJob:
        self._thread.start()
        return self

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self.fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0

    def _run(self) -> None:
        try:
            self.result = self._work(self._progress)
            self.fraction = 1.0
        except BaseException as exc:  # the GUI thread reports it
            self.error = exc
        finally:
            self.ended_at = time.perf_counter()
            self._finished.set()

    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work ends (or ``timeout`` s); True when it has ended."""
        return self._finished.wait(timeout)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, Cancelled)

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)

    def caption(self) -> str:
        """``Saving run.lvz… 40 %``."""
        return f"{self.verb} {self.name}… {self.percent} %"
