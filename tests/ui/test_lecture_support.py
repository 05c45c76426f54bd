"""Shared by the lecture-mode tests: real lesson recordings, and what the panes show.

(Named ``test_*`` only to sit with the files it serves; it holds no tests.)

Recordings are made once per test session with :func:`loopviz.record` on the
bundled scenarios (the real runner; the blocking lesson talks to loopviz's own
lesson server, which ``record`` starts).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtWidgets import QApplication

from loopviz import record
from loopviz.catalog import bundled_scenarios_dir
from loopviz.model import LoopState, Recording, State
from loopviz.model.steps import StepIndex
from loopviz.ui.live_style import Shown
from loopviz.ui.main_window import MainWindow

SHOWN_OF = {
    State.NEW: {Shown.NEW},
    State.READY: {Shown.READY},
    State.RUNNING: {Shown.RUNNING, Shown.BLOCKING},
    State.WAITING: {Shown.WAITING},
    State.DONE: {Shown.DONE, Shown.FAILED, Shown.CANCELLED},
}


@cache
def lesson(name: str) -> Recording:
    """``create_task`` or ``blocking``: the bundled lesson, recorded for real."""
    files = {"create_task": "03_create_task.py", "blocking": "04_blocking_requests.py"}
    return record(bundled_scenarios_dir() / files[name])


def show(window: MainWindow, rec: Recording, name: str = "lesson.lvz") -> None:
    """Show ``rec`` as if opened from a file (cursor at the end), with the futures tab up."""
    window.live.show_recording(rec, name)
    window.docks.futures.show()
    window.docks.futures.raise_()
    settle(window)


def at(window: MainWindow, t: float) -> None:
    window.time_cursor.set(t)
    settle(window)


def settle(window: MainWindow) -> None:
    QApplication.processEvents()
    window.lecture.flush()
    QApplication.processEvents()


@dataclass(frozen=True)
class Panes:
    """What the panes show at one moment, in the model's terms (ids and states)."""

    running: int | None
    ready: tuple[int, ...]
    timers: tuple[int, ...]
    tasks: tuple[tuple[int, str], ...]
    futures: frozenset[int]
    coroutines: frozenset[int]
    printed: int
    banner: bool


def panes_of(window: MainWindow) -> Panes:
    strip = window.ready_queue.strip
    running = strip.running_box()
    return Panes(
        running=running.key if running is not None else None,
        ready=tuple(b.key for b in strip.boxes()),
        timers=tuple(r.timer for r in strip.timer_rows()),
        tasks=tuple(sorted((r.task, str(r.shown)) for r in window.tasks.shown_rows())),
        futures=frozenset(
            r.future for r in window.futures.shown_rows() if r.shown is Shown.PENDING
        ),
        coroutines=frozenset(r.coro for r in window.coroutines.pending()),
        printed=sum(1 for e in window.console.shown_entries() if e.kind in ("stdout", "stderr")),
        banner=window.stall_banner.is_showing,
    )


def assert_panes_match(window: MainWindow, state: LoopState) -> None:
    """Every pane shows ``state`` (the model's ``state_at`` for the cursor's instant)."""
    shown = panes_of(window)
    loop = state.loops[0]
    assert shown.running == (loop.running.serial if loop.running else None), state.t
    assert shown.ready == tuple(e.serial for e in loop.ready)[: len(shown.ready)], state.t
    assert len(shown.ready) == min(len(loop.ready), len(shown.ready)) and (
        len(shown.ready) > 0 or loop.ready_count == 0
    ), state.t
    assert shown.timers == tuple(e.timer for e in loop.timers)[: len(shown.timers)], state.t
    assert len(shown.timers) > 0 or loop.timer_count == 0, state.t
    model_tasks = {ts.task: ts.state for ts in state.tasks}
    assert {task for task, _ in shown.tasks} <= model_tasks.keys(), state.t
    for task, text in shown.tasks:
        assert Shown(text) in SHOWN_OF[model_tasks[task]], (state.t, task, text)
    assert shown.futures == {f.future for f in state.futures}, state.t
    assert shown.coroutines == {c.coro for c in state.coroutines}, state.t
    assert shown.printed == state.output_count, state.t
    assert shown.banner == (state.stall is not None), state.t


def steps_of(rec: Recording) -> list[float]:
    return [float(t) for t in StepIndex.of(rec).begins]
