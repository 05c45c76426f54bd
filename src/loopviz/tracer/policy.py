"""Making every loop asyncio creates a tracing one.

A scenario calls ``asyncio.run(main())`` itself; the runner cannot hand it a
loop. An event loop policy is what ``asyncio.run``, ``asyncio.Runner``,
``new_event_loop`` and ``get_event_loop`` ask for a new loop, in any thread, so
installing one is enough to trace them all on one shared recorder.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from loopviz.tracer.loop import TracingEventLoop
from loopviz.tracer.recorder import Recorder


class TracingEventLoopPolicy(asyncio.DefaultEventLoopPolicy):  # type: ignore[misc,valid-type]
    """The platform's default policy, except that new loops are :class:`TracingEventLoop`."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def new_event_loop(self) -> TracingEventLoop:
        return TracingEventLoop(recorder=self.recorder)


_previous: list[asyncio.AbstractEventLoopPolicy] = []


def install(recorder: Recorder) -> None:
    """Make every loop asyncio creates from now on (any thread) record into ``recorder``."""
    _previous.append(asyncio.get_event_loop_policy())
    asyncio.set_event_loop_policy(TracingEventLoopPolicy(recorder))


def uninstall() -> None:
    """Restore the policy that was in place before the matching :func:`install`."""
    previous = _previous.pop() if _previous else None
    asyncio.set_event_loop_policy(previous)


def tracing_loop_factory(recorder: Recorder | None = None) -> Callable[[], TracingEventLoop]:
    """A ``loop_factory`` for ``asyncio.run``/``asyncio.Runner`` (3.12+).

    With no recorder, each loop records into its own (``loop.recorder``).
    """

    def factory() -> TracingEventLoop:
        return TracingEventLoop(recorder=recorder)

    return factory
