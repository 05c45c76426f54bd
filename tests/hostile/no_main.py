"""Defines coroutines but no main and starts no loop."""

import asyncio


async def helper():
    await asyncio.sleep(0)
