"""Shared by the live-pane tests: lesson recordings, finding instants, reading pixels.

(Named ``test_*`` only to sit with the files it serves; it holds no tests.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from functools import cache
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from loopviz.model import LoopState, Recording
from loopviz.model.synthetic import Sim, StreamWriter, run_together
from loopviz.ui import live_panes_demo as demo

Gen = Generator[Any, Any, Any]


@cache
def lesson(name: str) -> Recording:
    """A lesson's recording, built once per test session (tests only read it)."""
    if name == "two_loops":
        return two_loops()
    if name == "sequential":
        return sequential()
    return demo.LESSONS[name]()


def two_loops() -> Recording:
    """Two event loops in two threads: two requests on one, three on the other."""
    w = StreamWriter()
    a = Sim(w, loop=1, scenario="two.py")
    b = Sim(w, loop=2, scenario="two.py", hello=False)

    def main_a(sim: Sim) -> Gen:
        tasks = [sim.create_task(sim.coro(demo.get_request, "a"), at=5) for _ in range(2)]
        yield from sim.gather(*tasks, at=6)

    def main_b(sim: Sim) -> Gen:
        tasks = [sim.create_task(sim.coro(demo.get_request, "b", 0.5), at=9) for _ in range(3)]
        yield from sim.gather(*tasks, at=10)

    a.start(main_a, name="main-a")
    b.start(main_b, name="main-b")
    run_together([a, b])
    a.close()
    b.close(exit_message=False, run_end=False)
    return demo.record(w)


def sequential() -> Recording:
    """01-like: a coroutine object made, ``sleep(0.5)``, then awaited directly (no task)."""

    def main(sim: Sim) -> Gen:
        coro = sim.coro(demo.get_request, "u0", at=33)
        yield from sim.sleep(0.5, at=34)
        yield from sim.await_coro(coro)

    sim = Sim(scenario="01_sequential_awaits.py")
    sim.run(main, name="main")
    return demo.record(sim.w)


def instants(rec: Recording) -> list[float]:
    """Just after each handle began: the instants where the queue moves."""
    begins = rec.handle_runs()["begin"]
    return [float(b) + 1e-7 for b in begins if not math.isnan(b)]


def first_instant(rec: Recording, wanted: Callable[[LoopState], bool]) -> LoopState:
    """The first such instant whose state satisfies ``wanted``."""
    for t in instants(rec):
        state = rec.state_at(t)
        if wanted(state):
            return state
    raise AssertionError("no instant of the recording has that state")


def pixel(widget: QWidget, point: QPoint) -> str:
    """The colour (``#rrggbb``) at ``point`` of the widget as it paints now."""
    image: QImage = widget.grab().toImage()
    return image.pixelColor(point).name()


def near(color: str, expected: str, tolerance: int = 6) -> bool:
    """Same colour up to antialiasing noise."""
    a, b = QColor(color), QColor(expected)
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))
