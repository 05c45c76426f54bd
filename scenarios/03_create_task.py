"""Create task

`asyncio.create_task` wraps a coroutine in a task and schedules it on the
event loop straight away. The five requests start as soon as `main` pauses at
its next `await` (the two-second sleep), so they all finish while `main` is
still sleeping, and the program takes about two seconds.

Key point: A task is scheduled as soon as it is created, and runs as soon as the
task that created it pauses at an await.

Lecture notes:
- The program prints the number of tasks right after creating them: 6, `main` plus five requests.
- Point at the moment `main` starts `sleep(2)`: the five request lanes start immediately.
- The requests finish at ≈1 s; `gather` at 2 s finds them done and returns at once.
- Total ≈2 s, against ≈3 s for "Coroutines are not tasks" and ≈5 s for "Sequential awaits".
"""

import asyncio
import time

REQUESTS = 5  # param: how many requests main starts
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

    # create_task schedules each request on the loop right away.
    tasks = [asyncio.create_task(get_request(url)) for url in urls]
    print("Number of tasks:", len(asyncio.all_tasks()))  # main + the new tasks

    await asyncio.sleep(HEAD_START)  # main pauses here, so the tasks get to run
    await asyncio.gather(*tasks)  # they are already done by now
    print(f"Total time: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
