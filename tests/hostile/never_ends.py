import asyncio


async def main():
    while True:
        print("tick")
        await asyncio.sleep(0.2)
