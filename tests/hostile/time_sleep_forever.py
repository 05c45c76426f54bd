"""A blocking call that would freeze the loop for an hour: Stop must still end it at once."""

import asyncio
import time


async def main():
    print("about to block the loop for an hour")
    await asyncio.sleep(0)
    time.sleep(3600)
