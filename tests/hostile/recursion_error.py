"""Unbounded recursion inside a task: a RecursionError, reported like any exception."""

import asyncio


def dive(n):
    return dive(n + 1) + 1


async def main():
    await asyncio.sleep(0.01)
    print("diving")
    dive(0)
