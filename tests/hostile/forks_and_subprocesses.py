"""Forks a child and starts subprocesses that would outlive the run if nobody cleaned up."""

import asyncio
import os
import subprocess
import sys


async def main():
    pid = os.fork()
    if pid == 0:  # the forked child: prints nothing to the events channel, lingers
        import time

        time.sleep(3600)
        os._exit(0)
    print(f"forked {pid}")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "print('child says hi')", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    print(out.decode().strip())
    lingering = subprocess.Popen(["sleep", "3600"])
    print(f"left running: {lingering.pid}")
