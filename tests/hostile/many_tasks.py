"""100,000 tasks at once (LOOPVIZ_TASKS overrides), each sleeping a little, all gathered."""

import asyncio
import os

N = int(os.environ.get("LOOPVIZ_TASKS", "100000"))


async def nap(k):
    await asyncio.sleep(0.001 * (k % 7))
    return k


async def main():
    tasks = [asyncio.create_task(nap(k)) for k in range(N)]
    done = await asyncio.gather(*tasks)
    print(f"{len(done)} tasks done")
