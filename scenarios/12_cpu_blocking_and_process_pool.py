"""CPU work and a process pool

A `ticker` task should print every 0.1 s. In part 1 `main` calls
`count_primes`, a plain Python function that keeps the CPU busy for about half
a second, directly inside the coroutine: the loop is blocked and the ticker
falls silent. In part 2 the same function runs in a `ProcessPoolExecutor`
through `loop.run_in_executor`: another process does the work, `main` awaits
the result, and the ticker keeps its rhythm.

Key point: CPU-bound work blocks the event loop; hand it to a process pool with
`run_in_executor` and await the result.

Lecture notes:
- Part 1: point at the stall on the `count_primes(LIMIT)` line and the gap in the ticker lane.
- The tick printed after it reports ≈600 ms instead of ≈100 ms.
- Part 2: `main` waits on the executor future while the ticker ticks on time.
- A thread would not help here: pure-Python code holds the GIL. A process has its own.
"""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor

LIMIT = 250000  # param: count primes below this number (about half a second)
TICK = 0.1  # param: seconds between ticks


def count_primes(limit: int) -> int:
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n**0.5) + 1)):
            count += 1
    return count


async def ticker() -> None:
    while True:
        start = time.perf_counter()
        await asyncio.sleep(TICK)
        print(f"Tick: {(time.perf_counter() - start) * 1000:.0f} ms")


async def main() -> None:
    ticker_task = asyncio.create_task(ticker())
    await asyncio.sleep(0.3)

    print("Part 1: calling count_primes directly")
    primes = count_primes(LIMIT)  # blocks the loop: no await in sight
    print("Primes:", primes)
    await asyncio.sleep(0.3)

    print("Part 2: count_primes in a process pool")
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1) as pool:
        primes = await loop.run_in_executor(pool, count_primes, LIMIT)
    print("Primes:", primes)
    await asyncio.sleep(0.3)

    ticker_task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
