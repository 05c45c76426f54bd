"""Drive live runs in the window on a real qasync loop (as the app does).

NOTES.md: never call qtbot.wait* inside a coroutine on the qasync loop — the
nested Qt loop re-enters tasks. So a test is a coroutine run with
``loop.run_until_complete``; it waits with ``asyncio.sleep`` and polls.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()
        asyncio.set_event_loop(None)


async def until(predicate: Callable[[], T], timeout: float = 20.0, every: float = 0.01) -> T:
    """Poll ``predicate`` on the running loop until it is truthy; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        await asyncio.sleep(every)


def run(loop: qasync.QEventLoop, coro: Awaitable[T]) -> T:
    return loop.run_until_complete(coro)
