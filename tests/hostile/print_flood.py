"""A print flood: LOOPVIZ_FLOOD_MB megabytes of output (default 100) in 100-byte lines."""

import asyncio
import os

MB = float(os.environ.get("LOOPVIZ_FLOOD_MB", "100"))
LINE = "x" * 99


async def main():
    lines = int(MB * 1_000_000 / 100)
    for k in range(lines):
        print(LINE)
        if k % 10_000 == 0:
            await asyncio.sleep(0)
    print("flood done")
