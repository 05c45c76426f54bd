"""A scenario that tries to close its running loop, then installs a new loop and runs it."""

import asyncio


async def work():
    await asyncio.sleep(0.01)
    return "inner"


async def main():
    loop = asyncio.get_running_loop()
    try:
        loop.close()
    except RuntimeError as exc:
        print(f"close refused: {exc}")
    other = asyncio.new_event_loop()
    asyncio.set_event_loop(other)
    other.close()
    await asyncio.sleep(0.01)
    print("still running")


asyncio.run(main())
fresh = asyncio.new_event_loop()
asyncio.set_event_loop(fresh)
print(fresh.run_until_complete(work()))
fresh.close()
asyncio.set_event_loop(None)
