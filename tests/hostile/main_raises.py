import asyncio


async def fetch(n):
    await asyncio.sleep(0.05)
    if n == 2:
        raise ValueError(f"bad page {n}")
    return n


async def main():
    print("fetching")
    for n in range(3):
        await fetch(n)
