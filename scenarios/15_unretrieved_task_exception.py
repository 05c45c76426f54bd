"""An exception nobody retrieves

`main` starts a task that fails, but never awaits it. The exception does not
reach `main`: it stays stored in the task. Only when the task object is
garbage-collected does asyncio notice that nobody ever looked at it, and it logs
"Task exception was never retrieved". In a long-running program that can be
much later, or never.

Key point: An exception in a task is only raised where the task is awaited;
a task nobody awaits fails silently until it is garbage-collected.

Lecture notes:
- Point at the `doomed` lane: it ends with an exception at 0.1 s.
- `main` goes on sleeping and prints "main is still fine": nothing was raised there.
- The warning only appears after `del task` and `gc.collect()`.
- The fix: `await task` (or `gather`), or keep a reference and check `task.exception()`.
"""

import asyncio
import gc

DELAY = 0.1  # param: seconds before the task fails


async def doomed() -> None:
    await asyncio.sleep(DELAY)
    raise RuntimeError("nobody is listening")


async def main() -> None:
    task = asyncio.create_task(doomed())  # started, but never awaited
    await asyncio.sleep(DELAY + 0.2)
    print("main is still fine")

    del task  # drop the last reference to the failed task...
    gc.collect()  # ...and asyncio logs the lost exception when it is collected
    await asyncio.sleep(0.1)
    print("main is done")


if __name__ == "__main__":
    asyncio.run(main())
