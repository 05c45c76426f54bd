import asyncio


async def main():
    print("this line is fine")
    await asyncio.sleep(0.1)
    return (1 +
