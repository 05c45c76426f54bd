"""Futures by hand

A future is a box for a result that is not there yet. `main` makes two with
`loop.create_future()` and awaits each. The first is filled by a timer:
`loop.call_later` calls `set_result` after half a second. The second is
filled by another task, `courier`, which sleeps and then sets the result.
Awaiting an empty future pauses `main` until someone fills it.

Key point: Awaiting a future waits until someone calls set_result on it; tasks,
sleeps and I/O are all built on this.

Lecture notes:
- Point at `main` waiting: nothing runs while the first future is empty.
- At 0.5 s the timer fires `set_result`, and `main` resumes at once.
- The second future is filled by the `courier` lane: watch `main` wake when it sets the result.
- `asyncio.sleep` itself works this way: a future plus a `call_later`.
"""

import asyncio

ALARM_DELAY = 0.5  # param: seconds before the timer fills the first future
COURIER_DELAY = 0.3  # param: seconds the courier takes to fill the second future


async def courier(box: asyncio.Future[str]) -> None:
    print("Courier on the way")
    await asyncio.sleep(COURIER_DELAY)
    box.set_result("a parcel")  # wakes whoever awaits the box
    print("Courier delivered")


async def main() -> None:
    loop = asyncio.get_running_loop()

    # A future filled by a timer.
    alarm = loop.create_future()
    loop.call_later(ALARM_DELAY, alarm.set_result, "ring!")
    print("Waiting for the alarm...")
    print("Alarm:", await alarm)

    # A future filled by another task.
    box = loop.create_future()
    courier_task = asyncio.create_task(courier(box))
    print("Waiting for the courier...")
    print("Got:", await box)
    await courier_task


if __name__ == "__main__":
    asyncio.run(main())
