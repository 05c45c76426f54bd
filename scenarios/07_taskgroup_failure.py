"""TaskGroup failure

An `asyncio.TaskGroup` starts three downloads. After 0.2 s download B fails
with an error. The group then cancels its other children, A and C, waits for
them to stop, and raises an `ExceptionGroup` holding B's error. `main`
catches it with `except*` and carries on.

Key point: When one child of a TaskGroup fails, the group cancels the others and
raises an ExceptionGroup.

Lecture notes:
- Point at the three lanes starting together inside the `async with` block.
- At 0.2 s B fails; A and C are cancelled at the same moment and print that they were.
- `main` leaves the `async with` block only after all three children have stopped.
- `except* ValueError` picks B's error out of the ExceptionGroup.
- Compare with `gather`, which lets the other tasks keep running when one fails.
"""

import asyncio

DELAY = 1.0  # param: seconds the healthy downloads take
FAIL_AFTER = 0.2  # param: seconds before download B fails


async def download(name: str, seconds: float) -> str:
    print("Started download", name)
    try:
        await asyncio.sleep(seconds)  # stands in for waiting on the network
    except asyncio.CancelledError:
        print("Download", name, "was cancelled")
        raise  # let the cancellation go on
    print("Finished download", name)
    return name


async def broken_download(name: str, seconds: float) -> str:
    print("Started download", name)
    await asyncio.sleep(seconds)
    raise ValueError(f"download {name} failed")


async def main() -> None:
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(download("A", DELAY))
            group.create_task(broken_download("B", FAIL_AFTER))
            group.create_task(download("C", DELAY))
    except* ValueError as errors:
        for error in errors.exceptions:
            print("Caught:", error)
    print("main carries on")


if __name__ == "__main__":
    asyncio.run(main())
