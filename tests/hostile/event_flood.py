"""A flood of events: 40 tasks yielding with sleep(0) until about LOOPVIZ_EVENTS records
(default 10 million; a yield is an ENQUEUE, a RUN_BEGIN and a RUN_END)."""

import asyncio
import os

EVENTS = int(os.environ.get("LOOPVIZ_EVENTS", "10000000"))
TASKS = 40


async def spin(rounds):
    for _ in range(rounds):
        await asyncio.sleep(0)


async def main():
    rounds = EVENTS // (3 * TASKS)
    await asyncio.gather(*(spin(rounds) for _ in range(TASKS)))
    print("flood done")
