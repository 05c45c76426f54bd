"""Load: about 100,000 events per second

Many tasks yield with ``await asyncio.sleep(0)``, paced in 10 ms slots so the
traced loop produces a steady stream of about ``RATE`` events per second
(an event is one protocol record: every yield is an ENQUEUE, a RUN_BEGIN and a
RUN_END) for ``SECONDS`` seconds, then prints how many yields and pacing sleeps ran.

Key point: this is a benchmark load for bench/bench_live.py, not a lesson.

The environment variables ``LOOPVIZ_BENCH_RATE``, ``LOOPVIZ_BENCH_SECONDS`` and
``LOOPVIZ_BENCH_TASKS`` override the constants (the runner passes the app's
environment on), so the bench can change them without editing the file.
"""

import asyncio
import os

RATE = 100_000.0  # param: protocol events per second to aim for
SECONDS = 10.0  # param: how long the load lasts
TASKS = 50  # param: how many yielding tasks share the load

SLOT = 0.010
"""Seconds per pacing slot: each task runs its share of steps, then sleeps to the next slot."""
EVENTS_PER_STEP = 3.0
"""ENQUEUE + RUN_BEGIN + RUN_END for one ``sleep(0)``."""
EVENTS_PER_SLOT = 9.3
"""Per task and slot: the pacing sleep (future, timer, its callback, the wakeup) and the
loop iterations (SELECT_BEGIN/SELECT_END/ITERATION_END) it costs, measured."""


def setting(name: str, default: float) -> float:
    value = os.environ.get(f"LOOPVIZ_BENCH_{name}", "").strip()
    return float(value) if value else default


async def worker(steps_per_slot: float, end: float, counts: list[tuple[int, int]]) -> None:
    loop = asyncio.get_running_loop()
    budget = 0.0
    next_slot = loop.time()
    steps = sleeps = 0
    while next_slot < end:
        budget += steps_per_slot
        n = int(budget)
        budget -= n
        for _ in range(n):
            await asyncio.sleep(0)
        steps += n
        next_slot += SLOT
        now = loop.time()
        if next_slot > now:
            await asyncio.sleep(next_slot - now)
            sleeps += 1
        else:
            next_slot = now  # behind: do not try to catch up in a burst
    counts.append((steps, sleeps))


async def main() -> None:
    rate = setting("RATE", RATE)
    seconds = setting("SECONDS", SECONDS)
    tasks = int(setting("TASKS", TASKS))
    per_task_slot = rate * SLOT / tasks
    steps_per_slot = max(0.0, (per_task_slot - EVENTS_PER_SLOT) / EVENTS_PER_STEP)
    end = asyncio.get_running_loop().time() + seconds
    counts: list[tuple[int, int]] = []
    await asyncio.gather(*(worker(steps_per_slot, end, counts) for _ in range(tasks)))
    steps = sum(c[0] for c in counts)
    sleeps = sum(c[1] for c in counts)
    # bench_live.py reads this line: yields and pacing sleeps predict the handle runs.
    print(f"steps {steps} sleeps {sleeps} tasks {tasks} seconds {seconds:g} rate {rate:g}")


if __name__ == "__main__":
    asyncio.run(main())
