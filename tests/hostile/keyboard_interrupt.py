"""A scenario that raises KeyboardInterrupt itself (as if Ctrl-C arrived mid-step)."""

import asyncio


async def main():
    await asyncio.sleep(0.02)
    print("pressing Ctrl-C from inside")
    raise KeyboardInterrupt
