"""Changes the working directory and empties sys.path, then fails: reporting must still work."""

import asyncio
import os
import sys


async def main():
    await asyncio.sleep(0.01)
    os.chdir("/")
    sys.path[:] = ["/nonexistent"]
    sys.modules.pop("json", None)
    print(f"cwd is now {os.getcwd()}")
    await asyncio.sleep(0.01)
    raise ValueError("failing far from home")
