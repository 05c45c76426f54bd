"""Simulated runs of the founding lessons (and a few more shapes), recorded into a Recording.

Each scenario mirrors a program in ``scenarios/`` closely enough that the
assertions read like what a lecturer points at: one lane vs six, requests
starting at 0 s or at 2 s, a ticker that stops while ``requests.get`` blocks.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from loopviz.model import Recording
from loopviz.model.synthetic import Sim, SimQueue, StreamWriter

Gen = Generator[Any, Any, Any]


def record(writer: StreamWriter, until_ns: int | None = None) -> Recording:
    """Feed a simulated stream to a fresh recording, in 20 ms batches like the runner's flusher."""
    rec = Recording()
    for frame in writer.frames(until_ns=until_ns):
        rec.feed(frame)
    return rec


def get_request(sim: Sim, url: str, delay: float = 1.0) -> Gen:
    sim.print(f"Requesting {url}")
    yield from sim.sleep(delay, at=24)
    sim.print(f"Got response from {url}")
    return f"<html of {url}>"


def sequential_awaits(n: int = 5) -> Sim:
    """01: ``for url in urls: await get_request(url)`` — five requests one after another."""

    def main(sim: Sim) -> Gen:
        for k in range(n):
            coro = sim.coro(get_request, f"u{k}", at=33)
            yield from sim.await_coro(coro)
        sim.print("Total time: 5.00 s")

    sim = Sim(scenario="01_sequential_awaits.py")
    sim.run(main)
    return sim


def coroutines_are_not_tasks(n: int = 5) -> Sim:
    """02: coroutine objects collected first, gathered after ``sleep(2)``."""

    def main(sim: Sim) -> Gen:
        coros = [sim.coro(get_request, f"u{k}", at=37) for k in range(n)]
        sim.print("Number of tasks: 1")
        yield from sim.sleep(2.0, at=40)
        yield from sim.gather(*coros, at=41)
        sim.print("Total time: 3.00 s")

    sim = Sim(scenario="02_coroutines_are_not_tasks.py")
    sim.run(main)
    return sim


def create_task(n: int = 5) -> Sim:
    """03: ``create_task`` schedules at once: the requests run during ``sleep(2)``."""

    def main(sim: Sim) -> Gen:
        tasks = [sim.create_task(sim.coro(get_request, f"u{k}", at=37), at=37) for k in range(n)]
        sim.print("Number of tasks: 6")
        yield from sim.sleep(2.0, at=40)
        yield from sim.gather(*tasks, at=41)
        sim.print("Total time: 2.00 s")

    sim = Sim(scenario="03_create_task.py")
    sim.run(main)
    return sim


BLOCK_WHERE = ("04_blocking_requests.py", 31, "main", "requests.get(URL)")


def blocking_requests(block: float = 1.5, ticks: int = 3000) -> Sim:
    """04: a 1 ms ticker task stops ticking while ``requests.get`` blocks the loop."""
    done = [False]

    def ticker(sim: Sim) -> Gen:
        n = 0
        while not done[0] and n < ticks:
            yield from sim.sleep(0.001, at=20)
            n += 1
        return n

    def main(sim: Sim) -> Gen:
        tick = sim.create_task(ticker, name="ticker", at=28)
        yield from sim.sleep(0.5, at=29)
        sim.print("calling requests.get")
        sim.block(block, where=BLOCK_WHERE, call="requests.get")
        sim.print("requests.get returned")
        yield from sim.sleep(0.5, at=33)
        done[0] = True
        yield from sim.wait(tick, at=34)

    sim = Sim(scenario="04_blocking_requests.py")
    sim.run(main)
    return sim


def queue_and_friends() -> Sim:
    """A producer/consumer over a queue, a task awaiting another, a sleep(0) spinner,
    a plain timer callback, and a task that raises."""
    q = SimQueue()

    def consumer(sim: Sim) -> Gen:
        got = []
        for _ in range(3):
            got.append((yield from sim.queue_get(q, at=12)))
        return got

    def producer(sim: Sim) -> Gen:
        for k in range(3):
            yield from sim.sleep(0.1, at=18)
            sim.queue_put(q, k)
        return "produced"

    def spinner(sim: Sim) -> Gen:
        for _ in range(5):
            yield from sim.sleep(0, at=23)

    def failing(sim: Sim) -> Gen:
        yield from sim.sleep(0.05, at=27)
        raise ValueError("boom")

    def main(sim: Sim) -> Gen:
        sim.call_later(0.2, lambda: sim.print("timer fired"), "report")
        c = sim.create_task(consumer, name="consumer", at=40)
        p = sim.create_task(producer, name="producer", at=41)
        sim.create_task(spinner, name="spinner", at=42)
        sim.create_task(failing, name="failing", at=43)
        yield from sim.wait(p, at=44)
        yield from sim.wait(c, at=45)

    sim = Sim(scenario="friends.py")
    sim.run(main)
    return sim
