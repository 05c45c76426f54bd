"""Sequential awaits

Each `await get_request(url)` runs that request to the end before the `for`
loop in `main` moves on to the next URL. Five requests of one second each,
awaited one after another, take five seconds: awaiting a coroutine runs it
right here, it does not start it "in the background".

Key point: Awaiting coroutines one by one runs them one after another.

Lecture notes:
- Before pressing Run, ask the class to guess the total time.
- Point at the single task lane: only `main` exists, and it sleeps five times in a row.
- While one request sleeps, nothing else runs: the loop is idle, not busy.
- The total printed at the end is ≈5 s: nothing overlapped.
"""

import asyncio
import time

REQUESTS = 5  # param: how many requests main makes
DELAY = 1.0  # param: seconds each request takes


async def get_request(url: str) -> str:
    print("Requesting", url)
    await asyncio.sleep(DELAY)  # stands in for waiting on the network
    print("Got response from", url)
    return f"<html of {url}>"


async def main() -> None:
    start = time.perf_counter()
    urls = [f"https://example.com/page/{n}" for n in range(1, REQUESTS + 1)]
    for url in urls:
        await get_request(url)  # main waits here until this request is done
    print(f"Total time: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
