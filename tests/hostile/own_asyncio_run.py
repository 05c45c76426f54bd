"""A script that runs its loops itself, twice, and has no main."""

import asyncio


async def first():
    await asyncio.sleep(0.05)
    return "first"


async def second():
    await asyncio.sleep(0.05)
    return "second"


print(asyncio.run(first()))
print(asyncio.run(second()))
