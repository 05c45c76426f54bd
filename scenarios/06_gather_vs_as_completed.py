"""Gather vs as_completed

Three downloads start together: A takes 0.3 s, B 0.1 s and C 0.2 s.
`asyncio.gather` waits for all of them and returns their results in the
order they were passed in: A, B, C. `asyncio.as_completed` hands each one
over as soon as it finishes: B first, then C, then A.

Key point: gather returns results in submission order; as_completed yields them in completion order.

Lecture notes:
- Both rounds start the same three downloads in the same order: A, B, C.
- In each round the lanes finish B, C, A: the shortest download is done first.
- gather prints nothing until all three are done, then the list in order A, B, C.
- as_completed prints each name as it arrives: B, C, A.
- Ask the class when each is the better choice: all results together, or each as soon as possible.
"""

import asyncio

DELAY_A = 0.3  # param: seconds download A takes
DELAY_B = 0.1  # param: seconds download B takes
DELAY_C = 0.2  # param: seconds download C takes


async def download(name: str, seconds: float) -> str:
    await asyncio.sleep(seconds)  # stands in for waiting on the network
    print("Finished download", name)
    return name


async def main() -> None:
    downloads = [("A", DELAY_A), ("B", DELAY_B), ("C", DELAY_C)]

    print("With gather:")
    results = await asyncio.gather(*(download(name, s) for name, s in downloads))
    print("gather returned", results)

    print("With as_completed:")
    tasks = [asyncio.create_task(download(name, s)) for name, s in downloads]  # A, B, C
    for next_done in asyncio.as_completed(tasks):
        name = await next_done
        print("as_completed gave", name)


if __name__ == "__main__":
    asyncio.run(main())
