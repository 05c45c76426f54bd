"""Coroutines are not tasks

Calling `get_request(url)` does not send anything: it only creates a
coroutine object. `main` collects five of them, sleeps for two seconds, and
only then hands them to `asyncio.gather`, which wraps each one in a task. The
requests therefore start at 2 s and the program takes about three seconds.

Key point: Calling an async function only creates a coroutine object; nothing runs
until it is awaited or wrapped in a task.

Lecture notes:
- Right after creating the coroutines it prints the number of tasks: just 1, `main`.
- During `sleep(2)` the five coroutines exist but no lane shows them running.
- At 2 s `gather` turns them into tasks and all five sleep together: the total is ≈3 s.
- Compare with "Create task" next, where the same requests start at once.
"""

import asyncio
import time

REQUESTS = 5  # param: how many requests main prepares
DELAY = 1.0  # param: seconds each request takes
HEAD_START = 2.0  # param: seconds main sleeps before gathering


async def get_request(url: str) -> str:
    print("Requesting", url)
    await asyncio.sleep(DELAY)  # stands in for waiting on the network
    print("Got response from", url)
    return f"<html of {url}>"


async def main() -> None:
    start = time.perf_counter()
    urls = [f"https://example.com/page/{n}" for n in range(1, REQUESTS + 1)]

    # Calling get_request only creates coroutine objects: no request starts here.
    coros = [get_request(url) for url in urls]
    print("Number of tasks:", len(asyncio.all_tasks()))  # only main itself

    await asyncio.sleep(HEAD_START)  # the coroutines just wait, nothing runs them
    await asyncio.gather(*coros)  # gather wraps them in tasks: they start now
    print(f"Total time: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
