import asyncio


def main():
    return asyncio.sleep(0)
