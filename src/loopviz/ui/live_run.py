"""A run in the window: the runner on the qasync loop, and a frame clock feeding the views.

Why a frame clock: the runner's events arrive in bursts (every ~10 ms, or not
at all while the scenario's loop is blocked). Views are refreshed from the
recording at a steady rate instead — one cursor time, "now", drives all of
them (DESIGN.md) — so the window keeps animating through a stall and never
repaints once per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from loopviz.localhttp import LessonServer
from loopviz.model import Recording
from loopviz.runner import Runner, RunnerError
from loopviz.runner.outcome import RunOutcome
from loopviz.runner.process import recording_cap
from loopviz.ui.recording_limits import RecordingLimits

FRAME_MS = 33
"""~30 frames per second: smooth for the eye, cheap for a 2-core machine."""


class LiveRun(QObject):
    """Starts and stops runs; emits ``frame(t)`` while one is shown live.

    One instance per window. ``recording`` is the current (or last) run's
    recording; it survives the run so the lecturer can look back at it.
    """

    started = Signal(object)  # Path of the scenario
    frame = Signal(float)  # seconds since the run started, for every view
    finished = Signal(object)  # RunOutcome
    failed = Signal(str)  # the runner could not start at all

    def __init__(self, parent: QObject | None = None, *, stall_ms: float = 100.0) -> None:
        super().__init__(parent)
        self.stall_ms = stall_ms
        self.recording: Recording | None = None
        self.scenario: Path | None = None
        self.outcome: RunOutcome | None = None
        self.limits = RecordingLimits()
        """The caps for the next run (Run › Recording limits…, ``--max-events``)."""
        self.run_limits = self.limits
        """The caps the current (or last) run was started with."""
        self._runner: Runner | None = None
        self._task: asyncio.Task[None] | None = None
        self._active = False
        self._server: LessonServer | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        """True from Run until the outcome is known (``finished`` comes after it turns False)."""
        return self._active

    def start(self, scenario: Path, params: dict[str, object] | None = None) -> None:
        """Start ``scenario`` in a fresh runner with a fresh recording (stopping any run).

        ``params`` sets some of its ``# param:`` constants for this run.
        """
        if self.running:
            self.kill()
        self.scenario = Path(scenario)
        limits = self.run_limits = self.limits
        self.recording = Recording(
            max_events=recording_cap(limits.max_events),
            max_output_lines=limits.max_output_lines,
        )
        self.outcome = None
        self._runner = Runner(
            self.scenario,
            params=params,
            stall_ms=self.stall_ms,
            max_events=limits.max_events,
            http_url=self._lesson_server_url(),
            recording=self.recording,
        )
        self._active = True
        self._task = asyncio.ensure_future(self._run(self._runner))
        self.started.emit(self.scenario)
        self._timer.start()

    def stop(self) -> None:
        """Polite stop, then kill: the scenario is gone within 1 s."""
        if self._runner is not None and self.running:
            self._runner.stop()

    def kill(self) -> None:
        """Kill the runner at once (closing the window); no process is left behind."""
        if self._runner is not None:
            self._runner.kill()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._active = False
        self._timer.stop()

    def shutdown(self) -> None:
        """The window is closing: end the run and the lesson server."""
        self.kill()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def now(self) -> float:
        """Seconds since the current run started (its end once it is over)."""
        rec = self.recording
        if rec is None or not rec.start_ns:
            return 0.0
        if self.running:
            return max(0.0, (time.monotonic_ns() - rec.start_ns) / 1e9)
        return rec.duration

    async def _run(self, runner: Runner) -> None:
        try:
            await runner.start()
        except RunnerError as exc:
            self._timer.stop()
            self._active = False
            self.failed.emit(str(exc))
            return
        try:
            self.outcome = await runner.wait()
        except asyncio.CancelledError:
            runner.kill()
            raise
        finally:
            self._timer.stop()
            self._active = False
        self._tick()
        self.finished.emit(self.outcome)

    def _tick(self) -> None:
        rec = self.recording
        if rec is None:
            return
        if self.running:
            rec.advance_to(time.monotonic_ns())
        self.frame.emit(self.now())

    def _lesson_server_url(self) -> str | None:
        """loopviz's own HTTP server for the requests.get lessons, started on first use."""
        if self._server is None:
            server = LessonServer()
            try:
                server.start()
            except OSError:
                return None
            self._server = server
        with contextlib.suppress(RuntimeError):
            return self._server.url
        return None
