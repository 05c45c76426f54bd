"""Eight threads hammer the loop with call_soon_threadsafe while it runs."""

import asyncio
import threading


async def main():
    loop = asyncio.get_running_loop()
    got = []
    done = asyncio.Event()

    def hammer(k):
        for j in range(2000):
            loop.call_soon_threadsafe(got.append, (k, j))
        loop.call_soon_threadsafe(done.set)

    threads = [threading.Thread(target=hammer, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    while len(got) < 8 * 2000:
        await asyncio.sleep(0.01)
    for t in threads:
        t.join()
    print(f"{len(got)} callbacks from threads")
