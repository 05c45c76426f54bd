import asyncio


async def main():
    print("spinning forever")
    await asyncio.sleep(0)
    n = 0
    while True:
        n += 1
