import asyncio
import ctypes


async def main():
    await asyncio.sleep(0.05)
    print("about to crash")
    ctypes.string_at(0)
