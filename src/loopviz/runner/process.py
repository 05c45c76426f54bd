"""Start, watch and stop the runner process that plays one scenario.

This is the app's side of the pipe (DESIGN.md "Shape"). It is plain asyncio,
so the same code serves ``loopviz record`` on a stock loop and the desktop
app on qasync's loop: events are read from the pipe as the loop's reader
callbacks fire and fed straight into the :class:`~loopviz.model.Recording`.

Why a process group: a scenario may fork or start subprocesses; killing the
group when the run ends leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from loopviz.model import Recording
from loopviz.model.recording import DEFAULT_MAX_EVENTS
from loopviz.protocol import FrameReader, FrameType, Message, decode_messages
from loopviz.runner.outcome import RunOutcome, decide

STOP_GRACE = 0.35
"""Seconds after each polite SIGINT before escalating; SIGKILL comes well within 1 s."""
DRAIN_TIMEOUT = 1.0
"""After the runner exits, how long to wait for the last events still in the pipe."""
SUMMARY_ALLOWANCE = 1_000_000
"""``loopviz.tracer.limits.SUMMARY_ALLOWANCE``, repeated so the app does not import the
tracer (≈20 ms of start-up); a test keeps the two equal."""
INGEST_BUDGET = 0.008
"""Seconds of one event-loop turn spent ingesting the event pipe at most (see
:class:`_EventsProtocol`): the GUI's 30 Hz frames and input keep their turns."""
EXIT_POLL = 0.05
"""Seconds between looks at the runner's exit status while waiting for it to end."""
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)


def recording_cap(max_events: int | None) -> int | None:
    """The app-side cap for a run whose runner sends ``max_events`` records in full.

    Past its cap the runner still sends summary records (tasks and loops, up to
    ``SUMMARY_ALLOWANCE`` or the cap again, see ``loopviz.tracer.limits``); the
    recording keeps room for them and stays a backstop against a runner that
    does not stop."""
    if max_events is None:
        return None
    return max_events + max(SUMMARY_ALLOWANCE, max_events)


class RunnerError(RuntimeError):
    """The runner could not be started at all (bad interpreter, bad path)."""


class Runner:
    """One run of one scenario in a child process, recorded into ``self.recording``.

    ``on_update`` is called (on the event loop) after each batch is ingested,
    so a view can schedule a repaint; keep it cheap. ``max_events`` caps the records
    the runner sends in full (None: no cap); past it the runner sends only summaries.
    """

    def __init__(
        self,
        scenario: str | os.PathLike[str],
        *,
        args: Sequence[str] = (),
        params: dict[str, object] | None = None,
        stall_ms: float = 100.0,
        max_events: int | None = DEFAULT_MAX_EVENTS,
        timeout: float | None = None,
        http_url: str | None = None,
        python: str = sys.executable,
        env: dict[str, str] | None = None,
        recording: Recording | None = None,
        on_update: Callable[[], None] | None = None,
    ) -> None:
        self.scenario = str(Path(scenario).expanduser().resolve())
        self.args = list(args)
        self.params = dict(params or {})
        self.stall_ms = stall_ms
        self.max_events = max_events
        self.timeout = timeout
        self.http_url = http_url
        self.python = python
        self.extra_env = dict(env or {})
        if recording is None:
            recording = Recording(max_events=recording_cap(max_events))
        self.recording = recording
        self.on_update = on_update
        self.outcome: RunOutcome | None = None
        self.pid: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._child_report: dict[str, Any] | None = None
        self._stop_requested = False
        self._killed = False
        self._timed_out = False
        self._stopper: asyncio.Task[None] | None = None
        self._events_done: asyncio.Future[None] | None = None
        self._transport: asyncio.ReadTransport | None = None
        self._events: _EventsProtocol | None = None
        self._pumps: list[asyncio.Task[None]] = []

    # -- lifecycle -----------------------------------------------------------------
    async def start(self) -> None:
        """Spawn the runner; returns once it is running and its pipes are being read."""
        if not os.path.isfile(self.scenario):
            raise RunnerError(f"no such scenario file: {self.scenario}")
        loop = asyncio.get_running_loop()
        read_fd, write_fd = os.pipe()
        try:
            self._process = await asyncio.create_subprocess_exec(
                self.python,
                "-X",
                "utf8",
                "-m",
                "loopviz.tracer.child",
                "--events-fd",
                str(write_fd),
                "--stall-ms",
                str(self.stall_ms),
                *(() if self.max_events is None else ("--max-events", str(self.max_events))),
                *(f"--param={name}={value}" for name, value in self.params.items()),
                self.scenario,
                *self.args,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                pass_fds=(write_fd,),
                env=self._environment(),
                cwd=os.path.dirname(self.scenario),
                start_new_session=True,
            )
        except OSError as exc:
            os.close(read_fd)
            raise RunnerError(f"cannot start {self.python}: {exc.strerror}") from exc
        finally:
            os.close(write_fd)
        self.pid = self._process.pid
        self._events_done = loop.create_future()
        pipe = os.fdopen(read_fd, "rb", buffering=0)
        self._transport, self._events = await loop.connect_read_pipe(
            lambda: _EventsProtocol(self), pipe
        )
        assert self._process.stdout is not None and self._process.stderr is not None
        self._pumps = [
            asyncio.ensure_future(self._pump_raw(self._process.stdout, "stdout")),
            asyncio.ensure_future(self._pump_raw(self._process.stderr, "stderr")),
        ]

    async def wait(self) -> RunOutcome:
        """Wait for the run to end (or the timeout), drain the last events, return the outcome."""
        if self._process is None:
            raise RunnerError("the run was not started")
        if not await self._exited(self.timeout):
            self._timed_out = True
            self.stop()
            await self._exited(None)
        if self._stopper is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._stopper
        self._kill_group()
        await self._drain()
        returncode = self._process.returncode
        assert returncode is not None
        self.outcome = decide(
            returncode,
            self._child_report,
            stop_requested=self._stop_requested,
            killed=self._killed,
            timed_out=self._timed_out,
        )
        self.recording.add_messages([self.outcome.message(time.monotonic_ns())])
        self._notify()
        return self.outcome

    async def run(self) -> RunOutcome:
        """Start and wait."""
        await self.start()
        return await self.wait()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    def stop(self) -> None:
        """Ask the scenario to stop (SIGINT, twice), then kill it: it is gone within 1 s."""
        if not self.running or self._stopper is not None:
            return
        self._stop_requested = True
        self._stopper = asyncio.ensure_future(self._escalate())

    async def _escalate(self) -> None:
        assert self._process is not None
        for sig in (signal.SIGINT, signal.SIGINT):
            self._signal_group(sig)
            if await self._exited(STOP_GRACE):
                return
        self._killed = True
        self._signal_group(signal.SIGKILL)

    def kill(self) -> None:
        """Kill the runner and everything it started, now (the app is closing)."""
        if self.running:
            self._stop_requested = True
            self._killed = True
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: signal.Signals) -> None:
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def _kill_group(self) -> None:
        """Whatever the scenario forked or spawned in its session goes with it."""
        self._signal_group(signal.SIGKILL)

    async def _exited(self, timeout: float | None) -> bool:
        """Wait until the runner process has exited (True) or ``timeout`` s passed (False).

        Why not just ``Process.wait()``: on Python 3.11 it returns only once the
        process's pipes are closed too, and a grandchild the scenario forked or
        spawned holds them open for as long as it lives. The exit status itself
        arrives as soon as the runner exits, so poll for that.
        """
        assert self._process is not None
        process = self._process
        deadline = None if timeout is None else time.monotonic() + timeout
        waiter = asyncio.ensure_future(process.wait())
        try:
            while process.returncode is None:
                left = (
                    EXIT_POLL if deadline is None else min(EXIT_POLL, deadline - time.monotonic())
                )
                if left <= 0:
                    return False
                await asyncio.wait({waiter}, timeout=left)
            return True
        finally:
            if not waiter.done():
                waiter.cancel()

    async def _drain(self) -> None:
        assert self._events_done is not None
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._events_done), DRAIN_TIMEOUT)
        if self._transport is not None:
            self._transport.close()
        if self._events is not None:
            self._events.finish()  # frames read but not yet taken come before the outcome
        stuck = False
        for pump in self._pumps:
            try:
                await asyncio.wait_for(pump, DRAIN_TIMEOUT)
            except TimeoutError:
                pump.cancel()
                stuck = True
        if stuck:  # a process outside the group still holds the pipes: let go of them
            transport = getattr(self._process, "_transport", None)
            if transport is not None:
                transport.close()

    # -- reading -----------------------------------------------------------------------
    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.extra_env)
        env["PYTHONUNBUFFERED"] = "1"
        env["PYTHONIOENCODING"] = "utf-8"
        if self.http_url:
            env["LOOPVIZ_HTTP_URL"] = self.http_url
        path = env.get("PYTHONPATH", "")
        if _PACKAGE_ROOT not in path.split(os.pathsep):
            env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, path) if p)
        return env

    def _ingest_frame(self, frame_type: FrameType, payload: bytes) -> None:
        if frame_type == FrameType.MESSAGES:
            messages = decode_messages(payload)
            for msg in messages:
                if msg["k"] in (Message.EXIT, Message.LOAD_ERROR):
                    self._child_report = msg
            self.recording.add_messages(messages)
        elif frame_type == FrameType.RECORDS:
            self.recording.add_records(payload)
        else:
            from loopviz.protocol import decode_strings

            self.recording.add_strings(decode_strings(payload))

    async def _pump_raw(self, stream: asyncio.StreamReader, name: str) -> None:
        """Output the runner wrote outside ``sys.stdout`` (C code, faulthandler) — keep it too."""
        while True:
            try:
                line = await stream.readline()
            except (ValueError, asyncio.LimitOverrunError):
                line = await stream.read(65536)
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\n")
            self.recording.add_messages(
                [{"k": Message.RAW_OUTPUT, "t": time.monotonic_ns(), "stream": name, "text": text}]
            )
            self._notify()

    def _notify(self) -> None:
        if self.on_update is not None:
            self.on_update()


class _EventsProtocol(asyncio.Protocol):
    """Feeds the event pipe into the recording, frame by frame, as bytes arrive.

    Why a time budget: one read of the pipe is up to 256 KiB, which in a print flood
    is ~1,500 one-line MESSAGES frames; taken in one go on the GUI thread of a busy
    machine that is a frame or more of frozen window. So each turn of the event loop
    takes frames for at most :data:`INGEST_BUDGET` seconds; if some are left, reading
    pauses (the runner waits at its end of the pipe, as a print waits for a slow
    terminal) and the rest follows on the next turn, in order.
    """

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._reader = FrameReader()
        self._failed = False
        self._transport: asyncio.ReadTransport | None = None
        self._paused = False
        self._scheduled = False
        self._lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.ReadTransport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        if self._failed:
            return
        self._take(data, INGEST_BUDGET)

    def _take(self, data: bytes, budget: float | None) -> None:
        """Ingest frames from ``data`` and what was left over, for up to ``budget`` s."""
        runner = self._runner
        deadline = None if budget is None else time.perf_counter() + budget
        more = False
        frames = self._reader.feed(data)
        try:
            for frame in frames:
                runner._ingest_frame(frame.type, frame.payload)
                if deadline is not None and time.perf_counter() > deadline:
                    more = True
                    break
        except ValueError as exc:  # WireError: a corrupt stream — keep what we have
            self._fail(exc)
        finally:
            frames.close()  # the reader keeps the frames not taken yet
        if more and not self._failed:
            self._later()
        elif self._paused and not self._lost:
            self._paused = False
            if self._transport is not None and not self._transport.is_closing():
                self._transport.resume_reading()
        runner._notify()

    def _later(self) -> None:
        if not self._paused and self._transport is not None and not self._transport.is_closing():
            self._transport.pause_reading()
            self._paused = True
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        self._scheduled = False
        if not self._failed and not self._lost:
            self._take(b"", INGEST_BUDGET)

    def finish(self) -> None:
        """Ingest every frame still waiting, now (the run is over; nothing is lost)."""
        if not self._failed and self._reader.pending:
            self._take(b"", None)

    def _fail(self, exc: ValueError) -> None:
        self._failed = True
        self._runner.recording.add_messages(
            [
                {
                    "k": Message.RECORDER_ERROR,
                    "t": time.monotonic_ns(),
                    "where": "event channel",
                    "type": type(exc).__name__,
                    "message": str(exc),
                    "traceback": "",
                }
            ]
        )

    def eof_received(self) -> bool:
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.finish()
        self._lost = True
        done = self._runner._events_done
        if done is not None and not done.done():
            done.set_result(None)
