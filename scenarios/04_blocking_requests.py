"""Blocking requests

A `ticker` task sleeps for one millisecond ten times and prints how long
each sleep really took. Meanwhile `main` calls `requests.get`, an ordinary
synchronous function, inside the coroutine. While it waits for the server,
the event loop cannot run anything else: the ticker's one-millisecond sleep
lasts as long as the request, then the remaining ticks run on time again.

Key point: A task can only be paused at an await; a synchronous call blocks the whole event loop.

Lecture notes:
- Point at the `requests.get` line: there is no `await`, so `main` never gives the loop back.
- Watch the ticker lane stop while the request is in flight, and the blocking warning appear.
- The first tick reports ≈1000 ms instead of ≈1 ms; the ticks after it are back to ≈1 ms.
- Ask the class how to fix it: an async HTTP client, or
  `await asyncio.to_thread(requests.get, url)`.
- The URL points at loopviz's own lesson server on this machine, so no network is needed.
"""

import asyncio
import os
import sys
import time

import requests

TICKS = 10  # param: how many times the ticker ticks
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


async def ticker() -> None:
    for n in range(1, TICKS + 1):
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        print(f"Tick {n}: slept {(time.perf_counter() - start) * 1000:.1f} ms")


async def main() -> None:
    url = f"{lesson_server_url()}/delay/{DELAY}"
    ticker_task = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # yield once so the ticker starts its first sleep

    # The mistake: a synchronous call inside a coroutine blocks the whole loop.
    response = requests.get(url, timeout=10)
    print("Status:", response.status_code)

    await ticker_task


if __name__ == "__main__":
    asyncio.run(main())
