"""Cancellation and timeouts

Four short sections, each starting a `job` as a task. First
`task.cancel()` stops a task from outside. Then `asyncio.timeout` and
`asyncio.wait_for` give up on a task after a deadline and cancel it. Last,
`asyncio.shield` protects a task: its waiter times out, but the shielded
task carries on and finishes.

Key point: Cancelling raises CancelledError inside the task at its current await;
timeouts are cancellation with a deadline, and shield keeps the inner task out of it.

Lecture notes:
- Section 1: the `first` lane stops at 0.1 s, when `main` calls `cancel()`.
- Section 2: the `second` lane is cancelled at the `asyncio.timeout` deadline;
  main sees TimeoutError.
- Section 3: `wait_for` does the same in one call.
- Section 4: `main` stops waiting at the deadline, yet the `saved` lane keeps going and finishes.
- Ask the class: where exactly does CancelledError appear inside the task? At its `await`.
"""

import asyncio

JOB = 1.0  # param: seconds each job would take
DEADLINE = 0.3  # param: seconds before the timeouts give up
SAVE = 0.5  # param: seconds the shielded save takes


async def job(name: str, seconds: float) -> str:
    print("Started", name)
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(name, "was cancelled")
        raise
    print("Finished", name)
    return name


async def main() -> None:
    # 1. Cancel a task from outside.
    task = asyncio.create_task(job("first", JOB))
    await asyncio.sleep(0.1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: first is cancelled:", task.cancelled())

    # 2. asyncio.timeout cancels what it waits for at the deadline.
    task = asyncio.create_task(job("second", JOB))
    try:
        async with asyncio.timeout(DEADLINE):
            await task
    except TimeoutError:
        print("main: timeout, second is cancelled:", task.cancelled())

    # 3. wait_for does the same in one call.
    task = asyncio.create_task(job("third", JOB))
    try:
        await asyncio.wait_for(task, timeout=DEADLINE)
    except TimeoutError:
        print("main: wait_for timed out, third is cancelled:", task.cancelled())

    # 4. shield: the waiter times out, the shielded task carries on.
    task = asyncio.create_task(job("saved", SAVE))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=DEADLINE)
    except TimeoutError:
        print("main: stopped waiting for saved")
    print("main: saved returned", await task)


if __name__ == "__main__":
    asyncio.run(main())
