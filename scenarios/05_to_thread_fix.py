"""The to_thread fix

The fix for "Blocking requests": `main` makes the same `requests.get` call,
but through `await asyncio.to_thread(...)`. The call now runs in a worker
thread, and `main` waits at an `await` like any other task. The event loop
stays free, so the `ticker` keeps ticking every millisecond for as long as
the request is in flight.

Key point: `asyncio.to_thread` moves a blocking call to a thread, so the event loop keeps running.

Lecture notes:
- Put this next to "Blocking requests": the only change is the `to_thread` line.
- Point at the ticker lane: it keeps ticking during the whole request.
- No blocking warning appears; `main` shows as waiting, not running.
- The ticker prints its longest sleep at the end: a few ms, not ≈1000 ms.
- `to_thread` suits a few blocking calls; for many requests use an async HTTP client.
"""

import asyncio
import os
import sys
import time

import requests

TICK = 0.001  # param: seconds each tick sleeps
DELAY = 1.0  # param: seconds the server takes to answer


def lesson_server_url() -> str:
    """The base URL of loopviz's lesson server, which loopviz passes in the environment."""
    base_url = os.environ.get("LOOPVIZ_HTTP_URL")
    if not base_url:
        sys.exit(
            "LOOPVIZ_HTTP_URL is not set. Run this scenario from loopviz, or start the "
            "lesson server with `python -m loopviz.localhttp` in another terminal and "
            "run the `export LOOPVIZ_HTTP_URL=...` line it prints."
        )
    return base_url


async def ticker(request_done: asyncio.Event) -> None:
    ticks, longest = 0, 0.0
    while not request_done.is_set():
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        longest = max(longest, time.perf_counter() - start)
        ticks += 1
    print(f"Ticked {ticks} times, longest sleep {longest * 1000:.1f} ms")


async def main() -> None:
    url = f"{lesson_server_url()}/delay/{DELAY}"
    request_done = asyncio.Event()
    ticker_task = asyncio.create_task(ticker(request_done))

    # The fix: the blocking call runs in a worker thread, main awaits it.
    response = await asyncio.to_thread(requests.get, url, timeout=10)
    print("Status:", response.status_code)

    request_done.set()
    await ticker_task


if __name__ == "__main__":
    asyncio.run(main())
