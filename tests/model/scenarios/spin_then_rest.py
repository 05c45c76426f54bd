"""Ten tasks spin, then rest and finish: a cap on events cuts the recording mid-spin."""

import asyncio


async def spin(k):
    for _ in range(300):
        await asyncio.sleep(0)
    await asyncio.sleep(0.2)
    return k


async def main():
    await asyncio.gather(*(spin(k) for k in range(10)))
    await asyncio.sleep(0.3)
    print("all done")
