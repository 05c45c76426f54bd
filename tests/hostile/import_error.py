import asyncio

import loopviz_no_such_module_anywhere  # noqa: F401


async def main():
    await asyncio.sleep(0)
