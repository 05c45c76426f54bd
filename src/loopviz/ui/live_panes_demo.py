"""Simulated lesson runs for the live panes: tests, screenshots and a hands-on demo.

Each function runs a founding lesson in :mod:`loopviz.model.synthetic` and
returns the :class:`~loopviz.model.Recording`, fed in 20 ms batches like the
runner's flusher. ``python -m loopviz.ui.live_panes_demo [lesson] [--dark]``
opens the ready queue, tasks, futures and coroutines panes on a lesson with a
time slider, to try them by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator
from typing import Any

from loopviz.model import Recording
from loopviz.model.synthetic import Sim, SimQueue, StreamWriter

Gen = Generator[Any, Any, Any]


def record(writer: StreamWriter) -> Recording:
    rec = Recording()
    for frame in writer.frames():
        rec.feed(frame)
    return rec


def get_request(sim: Sim, url: str, delay: float = 1.0) -> Gen:
    sim.print(f"Requesting {url}")
    yield from sim.sleep(delay, at=24)
    sim.print(f"Got response from {url}")
    return f"<html of {url}>"


def create_task_lesson(n: int = 5) -> Recording:
    """03: ``create_task`` five requests, ``sleep(2)``, gather: main + 5 tasks sleeping."""

    def main(sim: Sim) -> Gen:
        tasks = [sim.create_task(sim.coro(get_request, f"u{k}", at=37), at=37) for k in range(n)]
        sim.print(f"Number of tasks: {n + 1}")
        yield from sim.sleep(2.0, at=40)
        yield from sim.gather(*tasks, at=41)

    sim = Sim(scenario="03_create_task.py")
    sim.run(main, name="main")
    return record(sim.w)


def coroutines_lesson(n: int = 5) -> Recording:
    """02: five coroutine objects collected, ``sleep(2)``, then gathered (→ 3 s, 1 task)."""

    def main(sim: Sim) -> Gen:
        coros = [sim.coro(get_request, f"u{k}", at=37) for k in range(n)]
        sim.print("Number of tasks: 1")
        yield from sim.sleep(2.0, at=40)
        yield from sim.gather(*coros, at=41)

    sim = Sim(scenario="02_coroutines_are_not_tasks.py")
    sim.run(main, name="main")
    return record(sim.w)


def queue_lesson(items: int = 6) -> Recording:
    """A producer and two consumers over a Queue, a spinner, a timer callback, a failing task."""
    q = SimQueue()

    def consumer(sim: Sim) -> Gen:
        got = 0
        while True:
            item = yield from sim.queue_get(q, at=12)
            if item is None:
                return got
            got += 1
            yield from sim.sleep(0.05, at=15)

    def producer(sim: Sim) -> Gen:
        for k in range(items):
            yield from sim.sleep(0.1, at=20)
            sim.queue_put(q, k)
        sim.queue_put(q, None)
        sim.queue_put(q, None)
        return "produced"

    def spinner(sim: Sim) -> Gen:
        for _ in range(4):
            yield from sim.sleep(0, at=26)

    def failing(sim: Sim) -> Gen:
        yield from sim.sleep(0.25, at=30)
        raise ValueError("boom")

    def main(sim: Sim) -> Gen:
        sim.call_later(0.8, lambda: sim.print("report"), "report")
        a = sim.create_task(consumer, name="consumer-1", at=40)
        b = sim.create_task(consumer, name="consumer-2", at=41)
        p = sim.create_task(producer, name="producer", at=42)
        sim.create_task(spinner, name="spinner", at=43)
        sim.create_task(failing, name="failing", at=44)
        yield from sim.gather(a, b, p, at=45)

    sim = Sim(scenario="queue_demo.py")
    sim.run(main, name="main")
    return record(sim.w)


def blocking_lesson(block: float = 1.5) -> Recording:
    """04: a 1 ms ticker stops while ``requests.get`` blocks the loop for ``block`` s."""
    done = [False]

    def ticker(sim: Sim) -> Gen:
        while not done[0]:
            yield from sim.sleep(0.001, at=20)

    def main(sim: Sim) -> Gen:
        tick = sim.create_task(ticker, name="ticker", at=28)
        yield from sim.sleep(0.5, at=29)
        sim.block(block, where=("04_blocking_requests.py", 31, "main", "requests.get(URL)"))
        yield from sim.sleep(0.5, at=33)
        done[0] = True
        yield from sim.wait(tick, at=34)

    sim = Sim(scenario="04_blocking_requests.py")
    sim.run(main, name="main")
    return record(sim.w)


def many_tasks_lesson(tasks: int = 2000) -> Recording:
    """``tasks`` workers created at once, each sleeping a little, some several times."""

    def worker(sim: Sim, k: int) -> Gen:
        for r in range(1 + k % 3):
            yield from sim.sleep(0.01 * (1 + (k * 7 + r) % 50), at=12)
        return k

    def main(sim: Sim) -> Gen:
        workers = [sim.create_task(worker, k, at=20) for k in range(tasks)]
        yield from sim.gather(*workers, at=21)

    sim = Sim(scenario="many.py")
    sim.run(main, name="main")
    return record(sim.w)


LESSONS: dict[str, Callable[[], Recording]] = {
    "create_task": create_task_lesson,
    "coroutines": coroutines_lesson,
    "queue": queue_lesson,
    "blocking": blocking_lesson,
    "many": many_tasks_lesson,
}


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - by hand
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSlider, QSplitter, QVBoxLayout, QWidget

    from loopviz.ui.app import create_application
    from loopviz.ui.coroutines_pane import CoroutinesPane
    from loopviz.ui.futures_table import FuturesPane
    from loopviz.ui.ready_queue_pane import ReadyQueuePane
    from loopviz.ui.tasks_table import TasksPane
    from loopviz.ui.theme import ThemeController, ThemeMode

    args = sys.argv[1:] if argv is None else argv
    app = create_application()
    controller = ThemeController(ThemeMode.DARK if "--dark" in args else ThemeMode.LIGHT)
    controller.apply()
    name = next((a for a in args if a in LESSONS), "create_task")
    rec = LESSONS[name]()
    root = QWidget()
    ready = ReadyQueuePane(theme=controller.theme)
    tasks, futures, coros = (
        P(theme=controller.theme) for P in (TasksPane, FuturesPane, CoroutinesPane)
    )
    for pane in (tasks, futures, coros):
        pane.set_recording(rec)
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 10_000)

    def show(value: int) -> None:
        state = rec.state_at(rec.duration * value / 10_000)
        ready.show_state(state)
        for pane in (tasks, futures, coros):
            pane.show_state(state)

    slider.valueChanged.connect(show)
    bottom = QSplitter()
    bottom.addWidget(tasks)
    bottom.addWidget(futures)
    bottom.addWidget(coros)
    layout = QVBoxLayout(root)
    layout.addWidget(slider)
    layout.addWidget(ready)
    layout.addWidget(bottom, 1)
    root.resize(1500, 700)
    root.show()
    show(0)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
