"""Thousands of tasks

`main` starts 5,000 tasks, each sleeping a random time between 0.1 and 0.5 s,
and gathers them. A task is cheap: a small object plus its coroutine, no thread
of its own. While they all sleep, the loop only keeps their timers, so the whole
program takes about half a second, the longest single sleep.

Key point: Tasks are cheap: thousands of waiting tasks cost one thread and a
little memory, and they all wait at the same time.

Lecture notes:
- Zoom out: 5,000 lanes all start within a few milliseconds.
- They finish spread over 0.1–0.5 s, as their random sleeps end.
- Total ≈0.5 s: the tasks wait together, not one after another.
- Ask: how long would 5,000 threads take to start? (try it with `threading` after class)
"""

import asyncio
import random
import time

TASKS = 5000  # param: how many tasks to start
SEED = 42  # param: random seed, so every run sleeps the same times


async def job(seconds: float) -> float:
    await asyncio.sleep(seconds)
    return seconds


async def main() -> None:
    start = time.perf_counter()
    rng = random.Random(SEED)
    tasks = [asyncio.create_task(job(rng.uniform(0.1, 0.5))) for _ in range(TASKS)]
    print("Tasks started:", len(tasks))
    results = await asyncio.gather(*tasks)
    print(f"Longest sleep: {max(results):.2f} s")
    print(f"Total time: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    asyncio.run(main())
