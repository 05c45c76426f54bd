"""asyncio.run inside a running loop (refused), then one in a thread (allowed)."""

import asyncio
import threading


async def inner():
    await asyncio.sleep(0.01)
    return "inner result"


async def main():
    coro = inner()
    try:
        asyncio.run(coro)
    except RuntimeError as exc:
        coro.close()
        print(f"nested run refused: {exc}")
    out = []
    t = threading.Thread(target=lambda: out.append(asyncio.run(inner())))
    t.start()
    await asyncio.to_thread(t.join)
    print(f"thread ran its own loop: {out[0]}")
