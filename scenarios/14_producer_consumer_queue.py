"""Producer, consumers and a bounded queue

A `producer` puts eight items into an `asyncio.Queue(maxsize=2)`; two
`consumer` tasks take items out and need 0.3 s for each. The producer is much
faster, so the queue fills up after a moment. From then on `await queue.put`
makes the producer wait until a consumer takes an item: the full queue slows
the producer down to the consumers' pace. This is backpressure.

Key point: A bounded `asyncio.Queue` makes a fast producer wait at `put` until
slower consumers catch up.

Lecture notes:
- Point at the producer lane: it waits on `Queue.put` most of the time.
- The consumers wait on `Queue.get` only at the start and at the end, when the queue is empty.
- "Produced" lines come right after "Consumed" lines: a free slot lets the producer go on.
- `queue.join()` waits until every item was marked done; then `main` cancels the consumers.
"""

import asyncio

ITEMS = 8  # param: how many items the producer makes
QUEUE_SIZE = 2  # param: how many items fit in the queue
WORK = 0.3  # param: seconds a consumer spends on one item


async def producer(queue: asyncio.Queue) -> None:
    for item in range(1, ITEMS + 1):
        await queue.put(item)  # waits here while the queue is full
        print("Produced item", item)


async def consumer(name: str, queue: asyncio.Queue) -> None:
    while True:
        item = await queue.get()  # waits here while the queue is empty
        await asyncio.sleep(WORK)  # stands in for processing the item
        print(f"{name} consumed item {item}")
        queue.task_done()


async def main() -> None:
    queue = asyncio.Queue(maxsize=QUEUE_SIZE)
    consumers = [asyncio.create_task(consumer(name, queue)) for name in ("C1", "C2")]
    await asyncio.create_task(producer(queue))  # its own task, so it gets its own lane
    await queue.join()  # every item has been consumed
    for task in consumers:
        task.cancel()
    print("All items consumed")


if __name__ == "__main__":
    asyncio.run(main())
