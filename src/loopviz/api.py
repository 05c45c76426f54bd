"""The Python API: record a scenario from a script or a notebook, get a Recording back."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import TextIO

from loopviz.localhttp import LessonServer
from loopviz.model import Recording
from loopviz.model.recording import DEFAULT_MAX_EVENTS
from loopviz.runner import Runner
from loopviz.runner.process import recording_cap


def record(
    path: str | os.PathLike[str],
    *,
    args: Sequence[str] = (),
    params: dict[str, object] | None = None,
    stall_ms: float = 100.0,
    timeout: float | None = None,
    max_events: int | None = DEFAULT_MAX_EVENTS,
    http_url: str | None = None,
    echo: TextIO | None = None,
) -> Recording:
    """Run the scenario at ``path`` in loopviz's traced runner and return its recording.

    The scenario runs in a child process with the same interpreter, so nothing it
    does can harm the caller. loopviz's local lesson server is started for the
    run (its URL in ``LOOPVIZ_HTTP_URL``) unless ``http_url`` names another.
    ``echo`` receives the scenario's output lines as they arrive.
    ``timeout`` stops the scenario after that many seconds (outcome "timeout").
    ``max_events`` caps the events recorded in full (default 20 million, None: no cap);
    past it the run goes on, only its summary is kept, and ``limit_reached`` says so.
    ``params`` sets the scenario's ``# param:`` constants for this run (``{"DELAY": 0.2}``).
    The recording always comes back, whatever the scenario did; its
    ``run_end`` says how the run ended.
    """
    return asyncio.run(
        record_async(
            path,
            args=args,
            params=params,
            stall_ms=stall_ms,
            timeout=timeout,
            max_events=max_events,
            http_url=http_url,
            echo=echo,
        )
    )


async def record_async(
    path: str | os.PathLike[str],
    *,
    args: Sequence[str] = (),
    params: dict[str, object] | None = None,
    stall_ms: float = 100.0,
    timeout: float | None = None,
    max_events: int | None = DEFAULT_MAX_EVENTS,
    http_url: str | None = None,
    echo: TextIO | None = None,
) -> Recording:
    """:func:`record` for code already running an event loop."""
    server: LessonServer | None = None
    if http_url is None:
        server = LessonServer()
        http_url = server.start()
    recording = Recording(max_events=recording_cap(max_events))
    printed = 0

    def show_new_output() -> None:
        nonlocal printed
        lines = recording.output()
        for line in lines[printed:]:
            echo.write(line.text + "\n")  # type: ignore[union-attr]
        printed = len(lines)

    runner = Runner(
        path,
        args=args,
        params=params,
        stall_ms=stall_ms,
        timeout=timeout,
        max_events=max_events,
        http_url=http_url,
        recording=recording,
        on_update=show_new_output if echo is not None else None,
    )
    try:
        await runner.run()
    finally:
        if runner.running:
            runner.stop()
        if server is not None:
            server.stop()
    return recording
