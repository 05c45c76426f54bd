"""Custom awaitable

Coroutines, tasks and futures are awaitable, and so is any object whose
class has an `__await__` method. `Countdown` is such a class: its
`__await__` counts down, sleeping a quarter of a second per step by
delegating to `asyncio.sleep` with `yield from`, and finally returns a
value. `await Countdown(3)` in `main` pauses `main` like any other await.

Key point: `await` works on any object with an `__await__` method; what that
method yields is what the event loop waits for.

Lecture notes:
- Point at `__await__`: it is a generator, not an `async def`.
- `yield from asyncio.sleep(...).__await__()` hands the sleep's future to the loop.
- The `main` lane waits three times, once per step, ≈0.75 s in all.
- The value after `return` in `__await__` is what `await Countdown(3)` gives back.
"""

import asyncio
from collections.abc import Generator
from typing import Any

STEPS = 3  # param: how many steps the countdown takes
STEP = 0.25  # param: seconds each step sleeps


class Countdown:
    def __init__(self, steps: int) -> None:
        self.steps = steps

    def __await__(self) -> Generator[Any, None, str]:
        for left in range(self.steps, 0, -1):
            print(left, "...")
            yield from asyncio.sleep(STEP).__await__()  # the loop waits here
        return "Lift-off!"


async def main() -> None:
    message = await Countdown(STEPS)
    print(message)


if __name__ == "__main__":
    asyncio.run(main())
