"""A semaphore limits concurrency

Ten requests start at once as tasks, but `asyncio.Semaphore(3)` lets only three
of them inside the `async with` block at a time. The others wait at the door
until a running request leaves it. Ten requests of 0.3 s each therefore take
four rounds: 3 + 3 + 3 + 1, about 1.2 s.

Key point: `async with asyncio.Semaphore(n)` lets at most n tasks run a section
at the same time; the rest wait their turn.

Lecture notes:
- Point at the ten lanes: all start at 0 s, but only three sleep at a time.
- The other seven lanes wait at `async with semaphore` (shown as `__aenter__`), not on a sleep.
- Each time a request prints "Done", another one prints "Start" right after.
- Ask: what happens with `Semaphore(10)`? (≈0.3 s) With `Semaphore(1)`? (≈3 s)
"""

import asyncio
import time

REQUESTS = 10  # param: how many requests to start
LIMIT = 3  # param: how many requests may run at the same time
DELAY = 0.3  # param: seconds each request takes


async def get_request(n: int, semaphore: asyncio.Semaphore) -> int:
    async with semaphore:  # at most LIMIT tasks get past this line at once
        print("Start request", n)
        await asyncio.sleep(DELAY)  # stands in for waiting on the network
        print("Done request", n)
    return n


async def main() -> None:
    start = time.perf_counter()
    semaphore = asyncio.Semaphore(LIMIT)
    tasks = [asyncio.create_task(get_request(n, semaphore)) for n in range(1, REQUESTS + 1)]
    await asyncio.gather(*tasks)
    print(f"Total time: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
