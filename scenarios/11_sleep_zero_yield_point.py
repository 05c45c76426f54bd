"""sleep(0) is a yield point

Two tasks each crunch numbers in a pure-Python loop, one chunk at a time. In
part 1 there is no `await` between the chunks, so the first task runs all its
chunks before the second one takes a single step. In part 2 each task calls
`await asyncio.sleep(0)` after every chunk: it hands the loop back for a moment,
and the two tasks take turns.

Key point: A task only gives up the loop at an await; `await asyncio.sleep(0)`
is the cheapest way to let other tasks run.

Lecture notes:
- Part 1: point at the two lanes: "A" is busy from start to end, then "B" is.
- The printed chunk lines come in two blocks: all of A, then all of B.
- Each part-1 task holds the loop for its whole run, so loopviz flags it as blocking.
- Part 2: the lanes alternate in thin stripes, and the prints alternate A, B, A, B.
  No step is long enough to count as blocking any more.
- `sleep(0)` does not wait: it only puts the task at the back of the ready queue.
"""

import asyncio

CHUNKS = 8  # param: how many chunks each task computes
CHUNK_SIZE = 500000  # param: loop steps in one chunk


def crunch(steps: int) -> int:
    total = 0
    for n in range(steps):
        total += n * n
    return total


async def worker_without_yield(name: str) -> None:
    for chunk in range(1, CHUNKS + 1):
        crunch(CHUNK_SIZE)  # no await: the loop cannot switch tasks here
        print(f"{name} finished chunk {chunk}")


async def worker_with_yield(name: str) -> None:
    for chunk in range(1, CHUNKS + 1):
        crunch(CHUNK_SIZE)
        print(f"{name} finished chunk {chunk}")
        await asyncio.sleep(0)  # yield point: let the other task take a turn


async def main() -> None:
    print("Part 1: no await between chunks")
    await asyncio.gather(worker_without_yield("A"), worker_without_yield("B"))

    print("Part 2: await asyncio.sleep(0) after every chunk")
    await asyncio.gather(worker_with_yield("A"), worker_with_yield("B"))


if __name__ == "__main__":
    asyncio.run(main())
