import asyncio
import gc


async def doomed():
    await asyncio.sleep(0.01)
    raise RuntimeError("nobody is listening")


async def main():
    task = asyncio.create_task(doomed())
    await asyncio.sleep(0.1)
    del task
    gc.collect()
    await asyncio.sleep(0.05)
    print("main is done")
